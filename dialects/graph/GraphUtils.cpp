//===- GraphUtils.cpp - Helpers over graph-dialect values -----------------===//
//
// Constant reading, broadcasting and window arithmetic shared by the graph
// dialect and the areas that consume it.
//
//===----------------------------------------------------------------------===//

#include "dialects/graph/GraphUtils.h"

#include "kernels/common/Checked.h"

#include "dialects/graph/GraphOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/DenseMap.h"

#include <algorithm>

using namespace mlir;

namespace kiln::graph {

ElementsAttr getConstantElements(Value value) {
  if (!value)
    return {};
  auto constant = value.getDefiningOp<ConstantOp>();
  if (!constant)
    return {};
  return constant.getValue();
}

/// Reads the integers of a dense_resource blob of element type T.
template <typename T>
static std::optional<SmallVector<int64_t>>
readResource(DenseResourceElementsAttr attr) {
  auto typed =
      llvm::dyn_cast<mlir::detail::DenseResourceElementsAttrBase<T>>(attr);
  if (!typed)
    return std::nullopt;
  std::optional<ArrayRef<T>> data = typed.tryGetAsArrayRef();
  if (!data)
    return std::nullopt;
  return SmallVector<int64_t>(data->begin(), data->end());
}

std::optional<SmallVector<int64_t>> getIntValues(ElementsAttr elements) {
  if (!elements)
    return std::nullopt;
  auto elementType =
      llvm::dyn_cast<IntegerType>(elements.getShapedType().getElementType());
  if (!elementType)
    return std::nullopt;
  if (auto dense = llvm::dyn_cast<DenseIntElementsAttr>(elements)) {
    SmallVector<int64_t> values;
    values.reserve(dense.getNumElements());
    bool isUnsigned = elementType.isUnsigned() || elementType.getWidth() == 1;
    for (const APInt &v : dense.getValues<APInt>())
      values.push_back(isUnsigned ? static_cast<int64_t>(v.getZExtValue())
                                  : v.getSExtValue());
    return values;
  }
  auto resource = llvm::dyn_cast<DenseResourceElementsAttr>(elements);
  if (!resource)
    return std::nullopt;
  switch (elementType.getWidth()) {
  case 8:
    return readResource<int8_t>(resource);
  case 16:
    return readResource<int16_t>(resource);
  case 32:
    return readResource<int32_t>(resource);
  case 64:
    return readResource<int64_t>(resource);
  default:
    return std::nullopt;
  }
}

std::optional<SmallVector<int64_t>> getConstantIntValues(Value value) {
  return getIntValues(getConstantElements(value));
}

/// What result `resultNumber` of `op` folds to once its operands are the
/// constants `operands`: a clone of `op` over constant ops takes the result
/// types those constants imply (a Range of constant bounds has a static
/// length), and folds. The clone and its constants are erased again.
static Attribute foldOverConstants(Operation *op, ArrayRef<Attribute> operands,
                                   unsigned resultNumber) {
  if (llvm::any_of(operands, [](Attribute attr) {
        return !llvm::isa_and_present<ElementsAttr>(attr);
      }))
    return {};
  OpBuilder builder(op);
  IRMapping mapping;
  SmallVector<Operation *> temporaries;
  for (auto [operand, attr] : llvm::zip_equal(op->getOperands(), operands)) {
    auto elements = llvm::cast<ElementsAttr>(attr);
    auto constant = ConstantOp::create(builder, op->getLoc(),
                                       elements.getShapedType(), elements);
    mapping.map(operand, constant.getResult());
    temporaries.push_back(constant);
  }
  Operation *clone = builder.clone(*op, mapping);
  temporaries.push_back(clone);
  Attribute result;
  SmallVector<ShapedTypeComponents> inferred;
  if (succeeded(inferResultComponents(clone, inferred, /*emitErrors=*/false)) &&
      inferred.size() == clone->getNumResults() &&
      llvm::all_of(inferred, [](const ShapedTypeComponents &components) {
        return components.hasRank();
      })) {
    for (auto [value, components] :
         llvm::zip_equal(clone->getResults(), inferred)) {
      Type elementType = components.getElementType();
      if (!elementType)
        elementType = getElementTypeOrSelf(value.getType());
      value.setType(RankedTensorType::get(components.getDims(), elementType));
    }
    SmallVector<OpFoldResult> results;
    if (succeeded(clone->fold(operands, results)) &&
        results.size() == clone->getNumResults())
      result = llvm::dyn_cast_if_present<Attribute>(results[resultNumber]);
  }
  for (Operation *temporary : llvm::reverse(temporaries))
    temporary->erase();
  return result;
}

/// foldToElements() with the values already evaluated.
static Attribute foldToAttr(Value value, unsigned depth,
                            llvm::DenseMap<Value, Attribute> &known) {
  if (ElementsAttr constant = getConstantElements(value))
    return constant;
  if (auto it = known.find(value); it != known.end())
    return it->second;
  Operation *op = value.getDefiningOp();
  Attribute result;
  // Ops with regions fold only by their own rules; their bodies are not
  // evaluated here.
  if (op && depth > 0 && op->getNumRegions() == 0) {
    SmallVector<Attribute> operands;
    for (Value operand : op->getOperands())
      operands.push_back(foldToAttr(operand, depth - 1, known));
    SmallVector<OpFoldResult> results;
    // A folder that updates its op in place gives no results: not a value.
    if (succeeded(op->fold(operands, results)) &&
        results.size() == op->getNumResults()) {
      OpFoldResult folded = results[cast<OpResult>(value).getResultNumber()];
      if (auto attr = llvm::dyn_cast_if_present<Attribute>(folded))
        result = attr;
      else if (auto forwarded = llvm::dyn_cast_if_present<Value>(folded);
               forwarded && forwarded != value)
        result = foldToAttr(forwarded, depth - 1, known);
    } else if (!llvm::cast<ShapedType>(value.getType()).hasStaticShape()) {
      // Folders give constants of the result type: one that is not static
      // yet may become so over constant operands.
      result = foldOverConstants(op, operands,
                                 cast<OpResult>(value).getResultNumber());
    }
  }
  known[value] = result;
  return result;
}

ElementsAttr foldToElements(Value value, unsigned depth) {
  if (!value)
    return {};
  llvm::DenseMap<Value, Attribute> known;
  return llvm::dyn_cast_if_present<ElementsAttr>(
      foldToAttr(value, depth, known));
}

std::optional<SmallVector<int64_t>> getFoldedIntValues(Value value) {
  return getIntValues(foldToElements(value));
}

FailureOr<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> lhs,
                                                ArrayRef<int64_t> rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  SmallVector<int64_t> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    // Dims aligned at the end; a missing dim acts as 1.
    int64_t l = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t r = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (l == 1) {
      result[i] = r;
    } else if (r == 1) {
      result[i] = l;
    } else if (ShapedType::isDynamic(l)) {
      result[i] = r;
    } else if (ShapedType::isDynamic(r) || l == r) {
      result[i] = l;
    } else {
      return failure();
    }
  }
  return result;
}

bool isValidAxis(int64_t axis, int64_t rank) {
  return axis >= -rank && axis < rank;
}

int64_t normalizeAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

std::optional<int64_t> joinDims(int64_t lhs, int64_t rhs) {
  if (ShapedType::isDynamic(lhs))
    return rhs;
  if (ShapedType::isDynamic(rhs) || lhs == rhs)
    return lhs;
  return std::nullopt;
}

SliceRange resolveSlice(int64_t size, int64_t start, int64_t end,
                        int64_t step) {
  auto resolve = [&](int64_t bound, int64_t lo, int64_t hi) {
    if (bound < 0)
      bound += size;
    return std::clamp(bound, lo, hi);
  };
  if (size == 0)
    return {0, 0};
  if (step > 0) {
    start = resolve(start, 0, size);
    end = resolve(end, 0, size);
    return {start, end > start ? (end - start - 1) / step + 1 : 0};
  }
  start = resolve(start, 0, size - 1);
  end = resolve(end, -1, size - 1);
  // |step| as unsigned: -INT64_MIN does not fit int64.
  uint64_t stride = 0 - static_cast<uint64_t>(step);
  if (start <= end)
    return {start, 0};
  return {start,
          static_cast<int64_t>(static_cast<uint64_t>(start - end - 1) /
                               stride) +
              1};
}

bool isRepresentableSize(ArrayRef<int64_t> dims, Type elementType) {
  if (static_cast<int64_t>(dims.size()) > kMaxRank)
    return false;
  int64_t elementBytes = 1;
  if (elementType && elementType.isIntOrFloat())
    elementBytes = (elementType.getIntOrFloatBitWidth() + 7) / 8;
  SmallVector<int64_t> staticDims;
  for (int64_t dim : dims)
    staticDims.push_back(ShapedType::isDynamic(dim) ? 1 : dim);
  int64_t bytes;
  return checkedByteSize(staticDims.data(), staticDims.size(), elementBytes,
                         bytes);
}

LogicalResult checkTensorSize(std::optional<Location> location,
                              ArrayRef<int64_t> dims, Type elementType,
                              const Twine &what) {
  if (isRepresentableSize(dims, elementType))
    return success();
  if (static_cast<int64_t>(dims.size()) > kMaxRank)
    return emitOptionalError(location, what, " has rank ", dims.size(),
                             ", above ", kMaxRank);
  std::string shape;
  llvm::raw_string_ostream os(shape);
  llvm::interleave(
      dims, os,
      [&](int64_t dim) {
        if (ShapedType::isDynamic(dim))
          os << "?";
        else
          os << dim;
      },
      "x");
  return emitOptionalError(location, what, " of shape ", shape,
                           " holds more than 2^62 bytes");
}

// Window sizes are computed in 128 bits: attributes (pads, strides,
// dilations, kernel sizes) are any int64 a model holds.
using Wide = __int128;

/// ceil(a / b) for a >= 0, b > 0.
static Wide ceilDiv(Wide a, Wide b) { return (a + b - 1) / b; }

/// `value` when it fits a non-negative int64.
static FailureOr<int64_t> narrow(Wide value) {
  if (value < 0 || value > INT64_MAX)
    return failure();
  return static_cast<int64_t>(value);
}

FailureOr<std::pair<int64_t, int64_t>> resolvePads(const WindowDim &dim,
                                                   StringRef autoPad) {
  if (autoPad == "NOTSET")
    return std::make_pair(dim.padBegin, dim.padEnd);
  if (autoPad == "VALID")
    return std::make_pair(int64_t(0), int64_t(0));
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER")
    return failure();
  if (ShapedType::isDynamic(dim.inputSize) || dim.stride <= 0)
    return failure();
  Wide output = ceilDiv(dim.inputSize, dim.stride);
  Wide extent = Wide(dim.dilation) * (Wide(dim.kernelSize) - 1) + 1;
  FailureOr<int64_t> total = narrow(
      std::max<Wide>(0, (output - 1) * dim.stride + extent - dim.inputSize));
  if (failed(total))
    return failure();
  int64_t small = *total / 2;
  if (autoPad == "SAME_UPPER")
    return std::make_pair(small, *total - small);
  return std::make_pair(*total - small, small);
}

FailureOr<int64_t> windowOutputSize(const WindowDim &dim, StringRef autoPad,
                                    bool ceilMode) {
  if (autoPad != "NOTSET" && autoPad != "VALID" && autoPad != "SAME_UPPER" &&
      autoPad != "SAME_LOWER")
    return failure();
  if (ShapedType::isDynamic(dim.inputSize))
    return ShapedType::kDynamic;
  if (dim.stride <= 0)
    return failure();
  if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER")
    return narrow(ceilDiv(dim.inputSize, dim.stride));
  if (ShapedType::isDynamic(dim.kernelSize))
    return ShapedType::kDynamic;
  FailureOr<std::pair<int64_t, int64_t>> pads = resolvePads(dim, autoPad);
  if (failed(pads))
    return failure();
  Wide extent = Wide(dim.dilation) * (Wide(dim.kernelSize) - 1) + 1;
  Wide span = Wide(dim.inputSize) + pads->first + pads->second - extent;
  if (span < 0)
    return failure();
  if (!ceilMode)
    return narrow(span / dim.stride + 1);
  Wide output = ceilDiv(span, dim.stride) + 1;
  // The last window must start inside the input or its begin padding.
  if ((output - 1) * dim.stride >= Wide(dim.inputSize) + pads->first)
    --output;
  return narrow(output);
}

/// stride * (in - 1) + outputPadding + dilation * (kernel - 1) + 1.
static Wide transposedNaturalSize(const TransposedWindowDim &dim) {
  const WindowDim &w = dim.window;
  return Wide(w.stride) * (Wide(w.inputSize) - 1) + dim.outputPadding +
         Wide(w.dilation) * (Wide(w.kernelSize) - 1) + 1;
}

FailureOr<int64_t> transposedOutputSize(const TransposedWindowDim &dim,
                                        StringRef autoPad) {
  if (autoPad != "NOTSET" && autoPad != "VALID" && autoPad != "SAME_UPPER" &&
      autoPad != "SAME_LOWER")
    return failure();
  const WindowDim &w = dim.window;
  if (ShapedType::isDynamic(w.inputSize))
    return ShapedType::kDynamic;
  Wide size;
  if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER")
    size = Wide(w.inputSize) * w.stride;
  else if (ShapedType::isDynamic(w.kernelSize))
    return ShapedType::kDynamic;
  else if (autoPad == "VALID")
    size = transposedNaturalSize(dim);
  else
    size = transposedNaturalSize(dim) - w.padBegin - w.padEnd;
  if (size < 1)
    return failure();
  return narrow(size);
}

FailureOr<int64_t> transposedPadBegin(const TransposedWindowDim &dim,
                                      StringRef autoPad, bool hasOutputShape,
                                      int64_t outputSize) {
  if (ShapedType::isDynamic(dim.window.inputSize))
    return failure();
  bool derived =
      hasOutputShape || autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER";
  if (!derived)
    return autoPad == "VALID" ? int64_t(0) : dim.window.padBegin;
  Wide total = transposedNaturalSize(dim) - outputSize;
  // Floor halves, as ONNX's // on a total that may be negative.
  Wide small = total >= 0 ? total / 2 : -((-total + 1) / 2);
  Wide begin = autoPad == "SAME_UPPER" ? small : total - small;
  if (begin < INT64_MIN || begin > INT64_MAX)
    return failure();
  return static_cast<int64_t>(begin);
}

} // namespace kiln::graph
