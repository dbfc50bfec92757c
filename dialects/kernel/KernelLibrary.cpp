//===- KernelLibrary.cpp - The callees of kernel.library_call ---*- C++ -*-===//
//
// The callee table of docs/kernel-library.md and the check of a call
// against it.
//
//===----------------------------------------------------------------------===//

#include "dialects/kernel/KernelLibrary.h"
#include "dialects/kernel/KernelOps.h"

#include "dialects/common/DTypes.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace kiln::kernel;

namespace {

using Kind = LibraryAttrKind;
using Len = LibraryArrayLength;

constexpr LibraryAttr kConvAttrs[] = {
    {"strides", Kind::I64Array, Len::Spatial},
    {"pads", Kind::I64Array, Len::TwiceSpatial},
    {"dilations", Kind::I64Array, Len::Spatial},
    {"group", Kind::I64},
};
constexpr LibraryAttr kMaxPoolAttrs[] = {
    {"kernel_shape", Kind::I64Array, Len::Spatial},
    {"strides", Kind::I64Array, Len::Spatial},
    {"pads", Kind::I64Array, Len::TwiceSpatial},
    {"dilations", Kind::I64Array, Len::Spatial},
};
constexpr LibraryAttr kAveragePoolAttrs[] = {
    {"kernel_shape", Kind::I64Array, Len::Spatial},
    {"strides", Kind::I64Array, Len::Spatial},
    {"pads", Kind::I64Array, Len::TwiceSpatial},
    {"dilations", Kind::I64Array, Len::Spatial},
    {"count_include_pad", Kind::Bool},
};
constexpr LibraryAttr kAxisAttrs[] = {{"axis", Kind::I64}};
constexpr LibraryAttr kLayerNormAttrs[] = {{"axis", Kind::I64},
                                           {"epsilon", Kind::F32}};
constexpr LibraryAttr kReduceAttrs[] = {{"kind", Kind::String},
                                        {"axes", Kind::I64Array}};
constexpr LibraryAttr kArgAttrs[] = {{"axis", Kind::I64},
                                     {"select_last_index", Kind::Bool}};
constexpr LibraryAttr kTransposeAttrs[] = {{"perm", Kind::I64Array, Len::Rank}};
constexpr LibraryAttr kSliceAttrs[] = {{"starts", Kind::I64Array, Len::Rank},
                                       {"steps", Kind::I64Array, Len::Rank}};
constexpr LibraryAttr kScatterElementsAttrs[] = {{"axis", Kind::I64},
                                                 {"reduction", Kind::String}};
constexpr LibraryAttr kTriluAttrs[] = {{"upper", Kind::Bool}};
constexpr LibraryAttr kCumSumAttrs[] = {
    {"axis", Kind::I64}, {"exclusive", Kind::Bool}, {"reverse", Kind::Bool}};
constexpr LibraryAttr kPadAttrs[] = {{"pads", Kind::I64Array},
                                     {"mode", Kind::String}};
constexpr LibraryAttr kGatherNdAttrs[] = {{"batch_dims", Kind::I64}};
constexpr LibraryAttr kScatterNdAttrs[] = {{"reduction", Kind::String}};

constexpr LibraryAttr kTopKAttrs[] = {{"axis", Kind::I64},
                                      {"largest", Kind::Bool}};

constexpr LibraryAttr kResizeAttrs[] = {
    {"mode", Kind::String},
    {"coordinate_transformation_mode", Kind::String},
    {"nearest_mode", Kind::String},
    {"scales", Kind::F64Array, Len::Rank},
    {"roi", Kind::F64Array},
    {"cubic_coeff_a", Kind::F32},
    {"exclude_outside", Kind::Bool},
    {"extrapolation_value", Kind::F32},
    {"antialias", Kind::Bool},
};

constexpr LibraryAttr kRNNAttrs[] = {
    {"input_roles", Kind::I64Array},     {"direction", Kind::String},
    {"activations", Kind::I64Array},     {"activation_alpha", Kind::F64Array},
    {"activation_beta", Kind::F64Array}, {"clip", Kind::F32},
};
constexpr LibraryAttr kGRUAttrs[] = {
    {"input_roles", Kind::I64Array},     {"direction", Kind::String},
    {"activations", Kind::I64Array},     {"activation_alpha", Kind::F64Array},
    {"activation_beta", Kind::F64Array}, {"clip", Kind::F32},
    {"linear_before_reset", Kind::Bool},
};
constexpr LibraryAttr kLSTMAttrs[] = {
    {"input_roles", Kind::I64Array},     {"direction", Kind::String},
    {"activations", Kind::I64Array},     {"activation_alpha", Kind::F64Array},
    {"activation_beta", Kind::F64Array}, {"clip", Kind::F32},
    {"input_forget", Kind::Bool},
};

constexpr unsigned kIntFloat = DTypeF32 | DTypeI64 | DTypeI32;
constexpr unsigned kAnyCount = ~0u;

const LibraryCallee kCallees[] = {
    {"conv", 2, 3, 1, 1, kConvAttrs, DTypeF32},
    {"max_pool", 1, 1, 1, 1, kMaxPoolAttrs, DTypeF32 | DTypeI8 | DTypeU8},
    {"average_pool", 1, 1, 1, 1, kAveragePoolAttrs, DTypeF32},
    {"global_average_pool", 1, 1, 1, 1, {}, DTypeF32},
    {"global_max_pool", 1, 1, 1, 1, {}, DTypeF32},
    {"softmax", 1, 1, 1, 1, kAxisAttrs, DTypeF32},
    {"log_softmax", 1, 1, 1, 1, kAxisAttrs, DTypeF32},
    {"layer_norm", 2, 3, 1, 3, kLayerNormAttrs, DTypeF32},
    {"reduce", 1, 1, 1, 1, kReduceAttrs, kIntFloat | DTypeF64 | DTypeI1},
    {"arg_max", 1, 1, 1, 1, kArgAttrs, kIntFloat},
    {"arg_min", 1, 1, 1, 1, kArgAttrs, kIntFloat},
    {"transpose", 1, 1, 1, 1, kTransposeAttrs, DTypeAny},
    {"concat", 1, kAnyCount, 1, 1, kAxisAttrs, DTypeAny},
    {"split", 1, 1, 1, kAnyCount, kAxisAttrs, DTypeAny},
    {"slice", 1, 1, 1, 1, kSliceAttrs, DTypeAny},
    {"gather", 2, 2, 1, 1, kAxisAttrs, DTypeAny},
    {"tile", 1, 1, 1, 1, {}, DTypeAny},
    {"range", 3, 3, 1, 1, {}, kIntFloat},
    // Network ops of exported models.
    {"top_k", 1, 1, 2, 2, kTopKAttrs, kIntFloat},
    {"conv_transpose", 2, 3, 1, 1, kConvAttrs, DTypeF32},
    {"resize", 1, 1, 1, 1, kResizeAttrs, DTypeAny},
    {"rnn", 3, kAnyCount, 2, 2, kRNNAttrs, DTypeF32},
    {"gru", 3, kAnyCount, 2, 2, kGRUAttrs, DTypeF32},
    {"lstm", 3, kAnyCount, 3, 3, kLSTMAttrs, DTypeF32},
    {"gather_elements", 2, 2, 1, 1, kAxisAttrs, DTypeAny},
    {"scatter_elements", 3, 3, 1, 1, kScatterElementsAttrs, DTypeAny},
    {"gather_nd", 2, 2, 1, 1, kGatherNdAttrs, DTypeAny},
    {"scatter_nd", 3, 3, 1, 1, kScatterNdAttrs, DTypeAny},
    {"trilu", 1, 2, 1, 1, kTriluAttrs, DTypeAny},
    {"pad", 1, 2, 1, 1, kPadAttrs, DTypeAny},
    {"cumsum", 1, 1, 1, 1, kCumSumAttrs, kIntFloat | DTypeF64},
    {"cumprod", 1, 1, 1, 1, kCumSumAttrs, kIntFloat | DTypeF64},
};

bool isReduceKind(StringRef kind) {
  return llvm::is_contained({"sum", "mean", "max", "min", "prod", "sum_square",
                             "l1", "l2", "log_sum_exp"},
                            kind);
}

StringRef stringifyKind(LibraryAttrKind kind) {
  switch (kind) {
  case Kind::I64:
    return "i64 integer";
  case Kind::F32:
    return "f32 float";
  case Kind::Bool:
    return "bool";
  case Kind::String:
    return "string";
  case Kind::I64Array:
    return "i64 array";
  case Kind::F64Array:
    return "f64 array";
  }
  llvm_unreachable("unknown attribute kind");
}

bool hasKind(Attribute attr, LibraryAttrKind kind) {
  switch (kind) {
  case Kind::I64:
    if (auto intAttr = dyn_cast<IntegerAttr>(attr))
      return intAttr.getType().isInteger(64);
    return false;
  case Kind::F32:
    if (auto floatAttr = dyn_cast<FloatAttr>(attr))
      return floatAttr.getType().isF32();
    return false;
  case Kind::Bool:
    return isa<BoolAttr>(attr);
  case Kind::String:
    return isa<StringAttr>(attr);
  case Kind::I64Array:
    return isa<DenseI64ArrayAttr>(attr);
  case Kind::F64Array:
    return isa<DenseF64ArrayAttr>(attr);
  }
  llvm_unreachable("unknown attribute kind");
}

std::optional<int64_t> expectedLength(LibraryArrayLength length, int64_t rank) {
  switch (length) {
  case Len::Any:
    return std::nullopt;
  case Len::Rank:
    return rank;
  case Len::Spatial:
    return rank - 2;
  case Len::TwiceSpatial:
    return 2 * (rank - 2);
  }
  llvm_unreachable("unknown array length");
}

Type elementTypeOf(Value value) {
  return cast<MemRefType>(value.getType()).getElementType();
}

/// Checks that the table cannot express: the meaning of one operand or
/// attribute of one callee.
LogicalResult verifyCalleeSpecifics(LibraryCallOp op) {
  StringRef callee = op.getCallee();
  if (callee == "reduce") {
    StringRef kind = cast<StringAttr>(op->getAttr("kind")).getValue();
    if (!isReduceKind(kind))
      return op.emitOpError("unknown reduce kind '") << kind << "'";
    if (elementTypeOf(op.getInputs()[0]).isInteger(1) && kind != "max" &&
        kind != "min")
      return op.emitOpError("'reduce' of i1 is by max or min, not '")
             << kind << "'";
    return success();
  }
  if (callee == "arg_max" || callee == "arg_min") {
    if (!elementTypeOf(op.getOutputs()[0]).isInteger(64))
      return op.emitOpError("'") << callee << "' writes i64 indices";
    return success();
  }
  if (callee == "top_k") {
    if (!elementTypeOf(op.getOutputs()[1]).isInteger(64))
      return op.emitOpError("'top_k' writes i64 indices");
    return success();
  }
  if (callee == "resize") {
    StringRef mode = cast<StringAttr>(op->getAttr("mode")).getValue();
    if (mode != "nearest" && mode != "linear" && mode != "cubic")
      return op.emitOpError("unknown resize mode '") << mode << "'";
    if (mode != "nearest" && !elementTypeOf(op.getInputs()[0]).isF32())
      return op.emitOpError("'resize' interpolates f32 only");
    int64_t rank = cast<MemRefType>(op.getInputs()[0].getType()).getRank();
    int64_t roi = cast<DenseF64ArrayAttr>(op->getAttr("roi")).size();
    if (roi != 0 && roi != 2 * rank)
      return op.emitOpError("'resize' roi needs 0 or ")
             << 2 * rank << " entries, got " << roi;
    return success();
  }
  if (callee == "rnn" || callee == "gru" || callee == "lstm") {
    auto roles = cast<DenseI64ArrayAttr>(op->getAttr("input_roles"));
    if (roles.size() != static_cast<int64_t>(op.getInputs().size()))
      return op.emitOpError("'")
             << callee << "' needs one input role per input, got "
             << roles.size() << " for " << op.getInputs().size();
    return success();
  }
  if (callee == "gather") {
    Type indexType = elementTypeOf(op.getInputs()[1]);
    if (!indexType.isInteger(64) && !indexType.isInteger(32))
      return op.emitOpError("gather indices must be i64 or i32");
    return success();
  }
  if (callee == "gather_elements" || callee == "scatter_elements") {
    Type indexType = elementTypeOf(op.getInputs()[1]);
    if (!indexType.isInteger(64) && !indexType.isInteger(32))
      return op.emitOpError("'") << callee << "' indices must be i64 or i32";
  }
  if (callee == "gather_nd" || callee == "scatter_nd") {
    if (!elementTypeOf(op.getInputs()[1]).isInteger(64))
      return op.emitOpError("'") << callee << "' indices must be i64";
  }
  if (callee == "scatter_elements" || callee == "scatter_nd") {
    StringRef reduction = cast<StringAttr>(op->getAttr("reduction")).getValue();
    if (!llvm::is_contained({"none", "add", "mul", "max", "min"}, reduction))
      return op.emitOpError("unknown scatter reduction '") << reduction << "'";
    if (reduction != "none" &&
        !(getLibraryDType(elementTypeOf(op.getInputs()[0])) &
          (kIntFloat | DTypeF64)))
      return op.emitOpError("scatter reduction '")
             << reduction << "' needs f32, f64, i64 or i32";
    return success();
  }
  if (callee == "trilu" && op.getInputs().size() == 2) {
    auto k = cast<MemRefType>(op.getInputs()[1].getType());
    if (k.getRank() != 0 || !k.getElementType().isInteger(64))
      return op.emitOpError("trilu takes k as a rank-0 i64 buffer");
    return success();
  }
  if (callee == "pad") {
    StringRef mode = cast<StringAttr>(op->getAttr("mode")).getValue();
    if (!llvm::is_contained({"constant", "reflect", "edge", "wrap"}, mode))
      return op.emitOpError("unknown pad mode '") << mode << "'";
    int64_t rank = cast<MemRefType>(op.getInputs()[0].getType()).getRank();
    if (cast<DenseI64ArrayAttr>(op->getAttr("pads")).size() != 2 * rank)
      return op.emitOpError("pad needs ")
             << 2 * rank << " pads for rank " << rank;
    if (op.getInputs().size() == 2 &&
        cast<MemRefType>(op.getInputs()[1].getType()).getRank() != 0)
      return op.emitOpError("pad takes its value as a rank-0 buffer");
    return success();
  }
  if (callee == "range") {
    for (Value input : op.getInputs())
      if (cast<MemRefType>(input.getType()).getRank() != 0)
        return op.emitOpError("range takes rank-0 start, limit and delta");
    if (cast<MemRefType>(op.getOutputs()[0].getType()).getRank() != 1)
      return op.emitOpError("range writes a 1-d buffer");
    return success();
  }
  return success();
}

} // namespace

ArrayRef<LibraryCallee> kiln::kernel::getLibraryCallees() { return kCallees; }

const LibraryCallee *kiln::kernel::lookupLibraryCallee(StringRef name) {
  const auto *it = llvm::find_if(
      kCallees, [&](const LibraryCallee &c) { return c.name == name; });
  return it == std::end(kCallees) ? nullptr : it;
}

unsigned kiln::kernel::getLibraryDType(Type type) {
  if (type.isF32())
    return DTypeF32;
  if (type.isF16())
    return DTypeF16;
  if (type.isF64())
    return DTypeF64;
  if (type.isSignlessInteger(64))
    return DTypeI64;
  if (type.isSignlessInteger(32))
    return DTypeI32;
  if (type.isSignlessInteger(8))
    return DTypeI8;
  if (type.isUnsignedInteger(8))
    return DTypeU8;
  if (type.isSignlessInteger(1))
    return DTypeI1;
  if (kiln::getDTypeCode(type))
    return DTypeOther;
  return 0;
}

LogicalResult kiln::kernel::verifyLibraryCall(LibraryCallOp op) {
  StringRef name = op.getCallee();
  const LibraryCallee *callee = lookupLibraryCallee(name);
  if (!callee)
    return op.emitOpError("unknown library callee '") << name << "'";

  auto checkCount = [&](StringRef what, size_t count, unsigned min,
                        unsigned max) -> LogicalResult {
    if (count >= min && count <= max)
      return success();
    InFlightDiagnostic diag = op.emitOpError("'") << name << "' takes " << min;
    if (max == kAnyCount)
      diag << " or more";
    else if (max != min)
      diag << " to " << max;
    return diag << " " << what << ", got " << count;
  };
  if (failed(checkCount("inputs", op.getInputs().size(), callee->minInputs,
                        callee->maxInputs)) ||
      failed(checkCount("outputs", op.getOutputs().size(), callee->minOutputs,
                        callee->maxOutputs)))
    return failure();

  Value first = op.getInputs().empty() ? op.getOutputs()[0] : op.getInputs()[0];
  int64_t rank = cast<MemRefType>(first.getType()).getRank();
  int64_t numDynamic = 0;
  for (const LibraryAttr &spec : callee->attrs) {
    Attribute attr = op->getAttr(spec.name);
    if (!attr)
      return op.emitOpError("'")
             << name << "' requires attribute '" << spec.name << "'";
    if (!hasKind(attr, spec.kind))
      return op.emitOpError("attribute '")
             << spec.name << "' of '" << name << "' must be "
             << stringifyKind(spec.kind);
    std::optional<int64_t> length = expectedLength(spec.length, rank);
    int64_t size = 0;
    if (auto ints = dyn_cast<DenseI64ArrayAttr>(attr)) {
      size = ints.size();
      numDynamic += llvm::count(ints.asArrayRef(), ShapedType::kDynamic);
    } else if (auto floats = dyn_cast<DenseF64ArrayAttr>(attr))
      size = floats.size();
    if (length && size != *length)
      return op.emitOpError("attribute '")
             << spec.name << "' of '" << name << "' needs " << *length
             << " entries for rank " << rank << ", got " << size;
  }
  // Each dynamic entry takes the next size.
  if (numDynamic != static_cast<int64_t>(op.getSizes().size()))
    return op.emitOpError("'") << name << "' has " << numDynamic
                               << " dynamic attribute entries and "
                               << op.getSizes().size() << " sizes";
  for (NamedAttribute attr : op->getDiscardableAttrs()) {
    StringRef attrName = attr.getName().getValue();
    if (llvm::none_of(callee->attrs, [&](const LibraryAttr &spec) {
          return spec.name == attrName;
        }))
      return op.emitOpError("unknown attribute '")
             << attrName << "' for '" << name << "'";
  }

  Type elementType = elementTypeOf(first);
  if (!(getLibraryDType(elementType) & callee->dtypes))
    return op.emitOpError("'")
           << name << "' does not support element type " << elementType;
  return verifyCalleeSpecifics(op);
}
