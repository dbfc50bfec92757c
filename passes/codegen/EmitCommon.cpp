//===- EmitCommon.cpp - Shared state of the C++ / CUDA printer --*- C++ -*-===//
//
// Spelling of types, dtypes, literals and tensor views, and the naming of
// buffers, shared by the printers of each kernel-dialect op.
//
//===----------------------------------------------------------------------===//

#include "passes/codegen/EmitCommon.h"

#include "dialects/common/DTypes.h"
#include "dialects/kernel/KernelOps.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"

using namespace mlir;

namespace kiln {

std::optional<Target> parseTarget(llvm::StringRef name) {
  if (name == "cpu")
    return Target::Cpu;
  if (name == "cuda")
    return Target::Cuda;
  return std::nullopt;
}

llvm::StringRef getTargetName(Target target) {
  return target == Target::Cuda ? "cuda" : "cpu";
}

} // namespace kiln

namespace kiln::codegen {

// The largest rank of a kiln::TensorView (kernels/common/Tensor.h).
static constexpr int64_t kMaxRank = 8;

std::optional<StringRef> getCType(Type type) {
  if (const DTypeInfo *info = lookupDType(type))
    return info->cType;
  return std::nullopt;
}

std::optional<StringRef> getUnsignedCType(Type type) {
  auto intType = dyn_cast<IntegerType>(type);
  if (!intType)
    return std::nullopt;
  if (intType.getWidth() == 1)
    return StringRef("bool");
  return getCType(IntegerType::get(type.getContext(), intType.getWidth(),
                                   IntegerType::Unsigned));
}

std::optional<int32_t> getOnnxDType(Type type) { return getDTypeCode(type); }

std::string getDTypeConstant(int32_t dtype) {
  if (const DTypeInfo *info = lookupDType(dtype))
    return ("kiln::DType::" + info->name).str();
  return "0";
}

int64_t getElementBytes(Type type) {
  if (const DTypeInfo *info = lookupDType(type))
    return info->bytes;
  return (type.getIntOrFloatBitWidth() + 7) / 8;
}

std::string joinInts(ArrayRef<int64_t> values, StringRef separator) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleave(values, os, separator);
  return text;
}

std::string formatFloatLiteral(const APFloat &value, bool isDouble) {
  if (value.isNaN())
    return isDouble ? "static_cast<double>(NAN)" : "NAN";
  if (value.isInfinity()) {
    std::string inf = isDouble ? "static_cast<double>(INFINITY)" : "INFINITY";
    return value.isNegative() ? "-" + inf : inf;
  }
  bool losesInfo = false;
  APFloat asDouble = value;
  asDouble.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                   &losesInfo);
  llvm::SmallString<32> text;
  llvm::raw_svector_ostream os(text);
  os << llvm::format(isDouble ? "%.17g" : "%.9g", asDouble.convertToDouble());
  if (text.find_first_of(".e") == StringRef::npos)
    text += ".0";
  if (!isDouble)
    text += "f";
  return text.str().str();
}

std::string quoteCString(StringRef value) {
  std::string text = "\"";
  for (unsigned char c : value) {
    // `?` is escaped so that no trigraph (`??/` is a backslash) can form.
    if (c == '"' || c == '\\' || c == '?') {
      text += '\\';
      text += c;
    } else if (llvm::isPrint(c)) {
      text += c;
    } else {
      // Three octal digits always end the escape, whatever follows.
      text += '\\';
      text += char('0' + ((c >> 6) & 7));
      text += char('0' + ((c >> 3) & 7));
      text += char('0' + (c & 7));
    }
  }
  return text + "\"";
}

std::string quoteForComment(StringRef value) {
  // Long names keep their end, which names the op ("/encoder/.../Softmax").
  constexpr size_t kMaxCommentLength = 80;
  if (value.size() <= kMaxCommentLength)
    return quoteCString(value);
  return "..." + quoteCString(value.take_back(kMaxCommentLength));
}

std::string formatLocation(Location loc) {
  if (auto fileLoc = dyn_cast<FileLineColLoc>(loc))
    return (llvm::sys::path::filename(fileLoc.getFilename().getValue()) + ":" +
            Twine(fileLoc.getLine()) + ":" + Twine(fileLoc.getColumn()))
        .str();
  if (auto nameLoc = dyn_cast<NameLoc>(loc))
    return nameLoc.getName().str();
  if (auto fusedLoc = dyn_cast<FusedLoc>(loc)) {
    for (Location inner : fusedLoc.getLocations()) {
      std::string text = formatLocation(inner);
      if (!text.empty())
        return text;
    }
  }
  if (auto callLoc = dyn_cast<CallSiteLoc>(loc))
    return formatLocation(callLoc.getCallee());
  return "";
}

/// The name of the first NameLoc in `loc`; "" if none.
static StringRef findLocationName(Location loc) {
  if (auto nameLoc = dyn_cast<NameLoc>(loc))
    return nameLoc.getName().getValue();
  if (auto fusedLoc = dyn_cast<FusedLoc>(loc)) {
    for (Location inner : fusedLoc.getLocations())
      if (StringRef name = findLocationName(inner); !name.empty())
        return name;
  }
  if (auto callLoc = dyn_cast<CallSiteLoc>(loc))
    return findLocationName(callLoc.getCallee());
  return "";
}

std::string getReadableName(StringRef prefix, Location loc) {
  // Runs of other characters become one `_`; a long name keeps its end,
  // which names the op ("/encoder/layer.0/attention/Softmax").
  constexpr size_t kMaxNameLength = 40;
  std::string suffix;
  for (char c : findLocationName(loc)) {
    if (llvm::isAlnum(c))
      suffix += c;
    else if (!suffix.empty() && suffix.back() != '_')
      suffix += '_';
  }
  if (suffix.size() > kMaxNameLength)
    suffix = suffix.substr(suffix.size() - kMaxNameLength);
  while (!suffix.empty() && suffix.front() == '_')
    suffix.erase(0, 1);
  while (!suffix.empty() && suffix.back() == '_')
    suffix.pop_back();
  if (suffix.empty())
    return prefix.str();
  return (prefix + "_" + suffix).str();
}

StringRef SourceEmitter::getName(Value buffer) const {
  auto it = names.find(buffer);
  assert(it != names.end() && "buffer used before it is named");
  return it->second;
}

StringRef SourceEmitter::bindName(Value buffer) {
  std::string &name = names[buffer];
  name = "b" + std::to_string(numBuffers++);
  return name;
}

void SourceEmitter::bindIndex(Value index, std::string name) {
  if (auto dim = index.getDefiningOp<kernel::DimOp>())
    inputDimNames[{cast<BlockArgument>(dim.getSource()).getArgNumber(),
                   dim.getIndex()}] = name;
  indexNames[index] = std::move(name);
}

std::string SourceEmitter::getIndexExpr(Value index) const {
  if (std::optional<int64_t> constant = getConstantIntValue(index))
    return std::to_string(*constant);
  auto it = indexNames.find(index);
  // Callers check hasIndexExpr; should one not, the C++ does not compile.
  if (it == indexNames.end())
    return "KILN_UNNAMED_SIZE";
  return it->second;
}

bool SourceEmitter::hasIndexExpr(Value index) const {
  return getConstantIntValue(index).has_value() || indexNames.count(index);
}

std::string SourceEmitter::getDimExpr(Value buffer, int64_t d) const {
  auto type = cast<MemRefType>(buffer.getType());
  if (!type.isDynamicDim(d))
    return std::to_string(type.getDimSize(d));
  // The dynamic sizes an op gives, in order of the dynamic dims.
  int64_t position = 0;
  for (int64_t i = 0; i < d; ++i)
    position += type.isDynamicDim(i);
  if (auto arg = dyn_cast<BlockArgument>(buffer)) {
    if (arg.getArgNumber() < numInputs) {
      auto named = inputDimNames.find({arg.getArgNumber(), d});
      if (named != inputDimNames.end())
        return named->second;
      return "input_shapes[" + std::to_string(arg.getArgNumber()) + "][" +
             std::to_string(d) + "]";
    }
    auto dims = cast<kernel::OutputDimsOp>(outputDims.lookup(buffer));
    return getIndexExpr(dims.getDynamicSizes()[position]);
  }
  if (auto alloc = buffer.getDefiningOp<kernel::AllocOp>())
    return getIndexExpr(alloc.getDynamicSizes()[position]);
  auto view = buffer.getDefiningOp<kernel::ViewOp>();
  return getIndexExpr(view.getDynamicSizes()[position]);
}

SmallVector<std::string> SourceEmitter::getDimExprs(Value buffer) const {
  SmallVector<std::string> dims;
  for (int64_t d = 0, e = cast<MemRefType>(buffer.getType()).getRank(); d < e;
       ++d)
    dims.push_back(getDimExpr(buffer, d));
  return dims;
}

FailureOr<std::string> SourceEmitter::getTensorView(Value buffer,
                                                    Operation *user) {
  auto type = cast<MemRefType>(buffer.getType());
  std::optional<int32_t> dtype = getOnnxDType(type.getElementType());
  if (!dtype)
    return user->emitError("codegen does not support element type ")
           << type.getElementType() << " in a kernel library call";
  if (type.getRank() > kMaxRank)
    return user->emitError("codegen supports tensors of rank at most ")
           << kMaxRank << ", got " << type;
  return ("kiln::TensorView{" + getName(buffer) + ", " +
          getDTypeConstant(*dtype) + ", " + Twine(type.getRank()) + ", {" +
          llvm::join(getDimExprs(buffer), ", ") + "}}")
      .str();
}

std::string SourceEmitter::describe(Operation *op, StringRef detail) {
  std::string text = op->getName().getStringRef().str();
  if (!detail.empty())
    text += " " + detail.str();
  std::string where = formatLocation(op->getLoc());
  if (!where.empty())
    text += " at " + where;
  return text;
}

void SourceEmitter::emitCheckedCall(StringRef call, Operation *op,
                                    StringRef detail) {
  body << "if (kiln::Status status = " << call << "; !status.ok())\n";
  body << "  return kilnFail(ctx, " << quoteCString(describe(op, detail))
       << ", status);\n";
}

} // namespace kiln::codegen
