//===- DTypes.cpp - MLIR element types <-> Kiln dtypes ----------*- C++ -*-===//

#include "dialects/common/DTypes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

namespace kiln {
namespace {

enum class Kind {
  Float,
  BFloat,
  Signed,
  Unsigned,
  Bool,
  Float8E4M3FN,
  Float8E4M3FNUZ,
  Float8E5M2,
  Float8E5M2FNUZ,
  Float4E2M1FN,
};

struct Row {
  DTypeInfo info;
  Kind kind;
  unsigned bits;
};

const Row kRows[] = {
#define KILN_DTYPE(Name, Code, CType, Bytes, Numpy, NpyCode, Safetensors,      \
                   Kind_, Bits)                                                \
  {{Code, #Name, #CType, Bytes, Numpy, Bits}, Kind::Kind_, Bits},
#include "kernels/common/DTypes.def"
};

Type getType(const Row &row, MLIRContext *context) {
  Builder b(context);
  switch (row.kind) {
  case Kind::Float:
    return row.bits == 16   ? b.getF16Type()
           : row.bits == 32 ? b.getF32Type()
                            : b.getF64Type();
  case Kind::BFloat:
    return b.getBF16Type();
  case Kind::Signed:
  case Kind::Bool:
    return b.getIntegerType(row.bits);
  case Kind::Unsigned:
    return b.getIntegerType(row.bits, /*isSigned=*/false);
  case Kind::Float8E4M3FN:
    return b.getType<Float8E4M3FNType>();
  case Kind::Float8E4M3FNUZ:
    return b.getType<Float8E4M3FNUZType>();
  case Kind::Float8E5M2:
    return b.getType<Float8E5M2Type>();
  case Kind::Float8E5M2FNUZ:
    return b.getType<Float8E5M2FNUZType>();
  case Kind::Float4E2M1FN:
    return b.getType<Float4E2M1FNType>();
  }
  return {};
}

} // namespace

const DTypeInfo *lookupDType(int32_t code) {
  for (const Row &row : kRows)
    if (row.info.code == code)
      return &row.info;
  return nullptr;
}

const DTypeInfo *lookupDType(Type type) {
  if (!type)
    return nullptr;
  for (const Row &row : kRows)
    if (getType(row, type.getContext()) == type)
      return &row.info;
  return nullptr;
}

Type getElementType(int32_t code, MLIRContext *context) {
  for (const Row &row : kRows)
    if (row.info.code == code)
      return getType(row, context);
  return {};
}

std::optional<int32_t> getDTypeCode(Type type) {
  if (const DTypeInfo *info = lookupDType(type))
    return info->code;
  return std::nullopt;
}

} // namespace kiln
