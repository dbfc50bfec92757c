//===- DTypes.h - MLIR element types <-> Kiln dtypes ------------*- C++ -*-===//
//
// The compiler's view of kernels/common/DTypes.def: which MLIR element type
// each dtype is, and back, and how generated code spells it.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_COMMON_DTYPES_H
#define KILN_DIALECTS_COMMON_DTYPES_H

#include "mlir/IR/Types.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>

namespace kiln {

/// One row of kernels/common/DTypes.def.
struct DTypeInfo {
  int32_t code;               // ONNX TensorProto.DataType
  llvm::StringRef name;       // kiln::DType::<name>
  llvm::StringRef cType;      // in generated code
  int64_t bytes;              // per element
  llvm::StringRef numpyName;  // "float32"
  unsigned bits;              // per element; narrower ones take a byte
};

/// The row of an ONNX dtype code; null when Kiln does not know the dtype.
const DTypeInfo *lookupDType(int32_t code);
/// The row of an MLIR element type; null when no dtype is that type.
const DTypeInfo *lookupDType(mlir::Type type);

/// The MLIR element type of an ONNX dtype code; null if Kiln has none.
mlir::Type getElementType(int32_t code, mlir::MLIRContext *context);

/// The ONNX dtype code of an MLIR element type.
std::optional<int32_t> getDTypeCode(mlir::Type type);

} // namespace kiln

#endif // KILN_DIALECTS_COMMON_DTYPES_H
