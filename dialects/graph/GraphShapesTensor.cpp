//===- GraphShapesTensor.cpp - Shape inference of tensor ops --------------===//
//
// inferReturnTypeComponents of the ops that compute shapes and move data:
// constants and shapes, reshapes, expand, concat and split, slice, gather,
// trilu, cumsum, pad, tile, range. Shape-like operands are read when they are
// `graph.constant`; otherwise the dims they decide are `?`. Their values are
// any int64 a model holds: every product and sum is checked.
//
//===----------------------------------------------------------------------===//

#include "dialects/graph/GraphShapesCommon.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cmath>

using namespace mlir;

namespace kiln::graph {

using namespace shapes;

//===----------------------------------------------------------------------===//
// Shape and data movement
//===----------------------------------------------------------------------===//

LogicalResult ConstantOfShapeOp::inferReturnTypeComponents(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    Components &inferred) {
  ElementsAttr value = adaptor.getValue();
  if (value.getNumElements() != 1)
    return emitOptionalError(location, "value must hold one element, got ",
                             value.getNumElements());
  Type elementType = value.getShapedType().getElementType();
  if (failed(requireRank1(location, adaptor.getShape(), "shape")))
    return failure();
  if (std::optional<SmallVector<int64_t>> dims =
          getConstantIntValues(adaptor.getShape())) {
    if (llvm::any_of(*dims, [](int64_t dim) { return dim < 0; }))
      return emitOptionalError(location, "shape entries must be >= 0");
    inferred.emplace_back(*dims, elementType);
    return success();
  }
  int64_t rank = lengthOf(adaptor.getShape());
  if (ShapedType::isDynamic(rank)) {
    inferred.emplace_back(elementType);
    return success();
  }
  inferred.emplace_back(SmallVector<int64_t>(rank, kDynamic), elementType);
  return success();
}

LogicalResult ShapeOp::inferReturnTypeComponents(MLIRContext *context,
                                                 std::optional<Location>,
                                                 Adaptor adaptor,
                                                 Components &inferred) {
  // Negative bounds count from the end; both are clamped to [0, rank].
  int64_t rank = rankOf(adaptor.getInput());
  auto clampBound = [&](int64_t bound) {
    if (bound < 0)
      bound += rank;
    return std::clamp<int64_t>(bound, 0, rank);
  };
  int64_t start = clampBound(static_cast<int64_t>(adaptor.getStart()));
  int64_t end = adaptor.getEnd()
                    ? clampBound(static_cast<int64_t>(*adaptor.getEnd()))
                    : rank;
  inferred.emplace_back(ArrayRef<int64_t>{std::max<int64_t>(0, end - start)},
                        IntegerType::get(context, 64));
  return success();
}

LogicalResult
ReshapeOp::inferReturnTypeComponents(MLIRContext *,
                                     std::optional<Location> location,
                                     Adaptor adaptor, Components &inferred) {
  Type elementType = elementTypeOf(adaptor.getInput());
  ArrayRef<int64_t> input = shapeOf(adaptor.getInput());
  if (failed(requireRank1(location, adaptor.getShape(), "shape")))
    return failure();
  std::optional<SmallVector<int64_t>> target =
      getConstantIntValues(adaptor.getShape());
  if (!target) {
    int64_t rank = lengthOf(adaptor.getShape());
    if (ShapedType::isDynamic(rank))
      inferred.emplace_back(elementType);
    else
      inferred.emplace_back(SmallVector<int64_t>(rank, kDynamic), elementType);
    return success();
  }
  // 0 copies the input dim (unless allowzero), -1 takes what is left.
  SmallVector<int64_t> dims;
  std::optional<size_t> inferredIndex;
  for (auto [i, dim] : llvm::enumerate(*target)) {
    if (dim == -1) {
      if (inferredIndex)
        return emitOptionalError(location, "shape has more than one -1");
      inferredIndex = i;
      dims.push_back(kDynamic);
      continue;
    }
    if (dim < -1)
      return emitOptionalError(location, "shape entry ", dim, " is invalid");
    if (dim == 0 && !adaptor.getAllowzero()) {
      if (i >= input.size())
        return emitOptionalError(location, "shape entry ", i,
                                 " copies a dim the input does not have");
      dims.push_back(input[i]);
      continue;
    }
    dims.push_back(dim);
  }
  std::optional<int64_t> inputCount = staticProduct(input);
  if (inferredIndex && inputCount) {
    SmallVector<int64_t> known(dims);
    known.erase(known.begin() + *inferredIndex);
    if (std::optional<int64_t> knownCount = staticProduct(known)) {
      if (*knownCount == 0 || *inputCount % *knownCount != 0)
        return emitOptionalError(location, "cannot reshape ", *inputCount,
                                 " elements with -1 into shape entries of "
                                 "product ",
                                 *knownCount);
      dims[*inferredIndex] = *inputCount / *knownCount;
    }
  }
  std::optional<int64_t> outputCount = staticProduct(dims);
  if (inputCount && outputCount && *inputCount != *outputCount)
    return emitOptionalError(location, "cannot reshape ", *inputCount,
                             " elements into ", *outputCount);
  inferred.emplace_back(dims, elementType);
  return success();
}

LogicalResult
FlattenOp::inferReturnTypeComponents(MLIRContext *,
                                     std::optional<Location> location,
                                     Adaptor adaptor, Components &inferred) {
  // (d0 ... d[axis-1], d[axis] ... d[r-1]) -> (prod before, prod after);
  // axis is in [-r, r].
  ArrayRef<int64_t> input = shapeOf(adaptor.getInput());
  int64_t rank = input.size();
  int64_t axis = static_cast<int64_t>(adaptor.getAxis());
  if (axis < -rank || axis > rank)
    return emitOptionalError(location, "axis ", axis, " is out of range [",
                             -rank, ", ", rank, "]");
  if (axis < 0)
    axis += rank;
  std::optional<int64_t> outer = staticProduct(input.take_front(axis));
  std::optional<int64_t> inner = staticProduct(input.drop_front(axis));
  inferred.emplace_back(
      ArrayRef<int64_t>{outer.value_or(kDynamic), inner.value_or(kDynamic)},
      elementTypeOf(adaptor.getInput()));
  return success();
}

LogicalResult
SqueezeOp::inferReturnTypeComponents(MLIRContext *,
                                     std::optional<Location> location,
                                     Adaptor adaptor, Components &inferred) {
  ArrayRef<int64_t> input = shapeOf(adaptor.getInput());
  int64_t rank = input.size();
  SmallVector<int64_t> dims;
  std::optional<ArrayRef<int64_t>> axes = adaptor.getAxes();
  if (!axes) {
    // Without axes every static 1 goes; a `?` might be 1, so it stays
    // unknown which dims remain.
    if (llvm::any_of(input, ShapedType::isDynamic)) {
      inferred.emplace_back(elementTypeOf(adaptor.getInput()));
      return success();
    }
    for (int64_t dim : input)
      if (dim != 1)
        dims.push_back(dim);
    inferred.emplace_back(dims, elementTypeOf(adaptor.getInput()));
    return success();
  }
  FailureOr<SmallVector<int64_t>> squeezed =
      normalizeAxes(location, *axes, rank);
  if (failed(squeezed))
    return failure();
  for (int64_t i = 0; i < rank; ++i) {
    if (!llvm::is_contained(*squeezed, i)) {
      dims.push_back(input[i]);
      continue;
    }
    if (input[i] != 1 && !ShapedType::isDynamic(input[i]))
      return emitOptionalError(location, "cannot squeeze dim ", i, " of size ",
                               input[i]);
  }
  inferred.emplace_back(dims, elementTypeOf(adaptor.getInput()));
  return success();
}

LogicalResult
UnsqueezeOp::inferReturnTypeComponents(MLIRContext *,
                                       std::optional<Location> location,
                                       Adaptor adaptor, Components &inferred) {
  // Axes index the result, of rank r + |axes|.
  ArrayRef<int64_t> input = shapeOf(adaptor.getInput());
  int64_t rank = input.size() + adaptor.getAxes().size();
  FailureOr<SmallVector<int64_t>> inserted =
      normalizeAxes(location, adaptor.getAxes(), rank);
  if (failed(inserted))
    return failure();
  SmallVector<int64_t> dims;
  const int64_t *next = input.begin();
  for (int64_t i = 0; i < rank; ++i)
    dims.push_back(llvm::is_contained(*inserted, i) ? 1 : *next++);
  inferred.emplace_back(dims, elementTypeOf(adaptor.getInput()));
  return success();
}

LogicalResult
TransposeOp::inferReturnTypeComponents(MLIRContext *,
                                       std::optional<Location> location,
                                       Adaptor adaptor, Components &inferred) {
  ArrayRef<int64_t> input = shapeOf(adaptor.getInput());
  ArrayRef<int64_t> perm = adaptor.getPerm();
  if (perm.size() != input.size())
    return emitOptionalError(location, "perm has ", perm.size(),
                             " entries, expected the rank ", input.size());
  SmallVector<bool> used(input.size(), false);
  SmallVector<int64_t> dims;
  for (int64_t p : perm) {
    if (p < 0 || p >= static_cast<int64_t>(input.size()) || used[p])
      return emitOptionalError(location, "perm is not a permutation of [0, ",
                               input.size(), ")");
    used[p] = true;
    dims.push_back(input[p]);
  }
  inferred.emplace_back(dims, elementTypeOf(adaptor.getInput()));
  return success();
}

LogicalResult
ExpandOp::inferReturnTypeComponents(MLIRContext *,
                                    std::optional<Location> location,
                                    Adaptor adaptor, Components &inferred) {
  if (failed(requireRank1(location, adaptor.getShape(), "shape")))
    return failure();
  Type elementType = elementTypeOf(adaptor.getInput());
  std::optional<SmallVector<int64_t>> target =
      getConstantIntValues(adaptor.getShape());
  // A negative entry would read as `?` (kDynamic is negative).
  if (target && llvm::any_of(*target, [](int64_t dim) { return dim < 0; }))
    return emitOptionalError(location, "shape entries must be >= 0");
  if (!target) {
    int64_t length = lengthOf(adaptor.getShape());
    if (ShapedType::isDynamic(length)) {
      inferred.emplace_back(elementType);
      return success();
    }
    // Each unknown entry is 1 or the input's size, or the input dim is 1.
    target = SmallVector<int64_t>(length, kDynamic);
  }
  FailureOr<SmallVector<int64_t>> dims =
      broadcastShapes(shapeOf(adaptor.getInput()), *target);
  if (failed(dims))
    return emitOptionalError(location, "input does not broadcast to the "
                                       "target shape");
  inferred.emplace_back(*dims, elementType);
  return success();
}

LogicalResult
ConcatOp::inferReturnTypeComponents(MLIRContext *,
                                    std::optional<Location> location,
                                    Adaptor adaptor, Components &inferred) {
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return emitOptionalError(location, "needs at least one input");
  int64_t rank = rankOf(inputs[0]);
  Type elementType = elementTypeOf(inputs[0]);
  FailureOr<int64_t> resolved =
      resolveAxis(location, static_cast<int64_t>(adaptor.getAxis()), rank);
  if (failed(resolved))
    return failure();
  int64_t axis = *resolved;
  SmallVector<int64_t> dims(shapeOf(inputs[0]));
  for (Value input : inputs.drop_front()) {
    if (rankOf(input) != rank || elementTypeOf(input) != elementType)
      return emitOptionalError(location, "inputs differ in rank or element "
                                         "type");
    for (auto [i, dim] : llvm::enumerate(shapeOf(input))) {
      if (static_cast<int64_t>(i) == axis) {
        if (ShapedType::isDynamic(dims[i]) || ShapedType::isDynamic(dim))
          dims[i] = kDynamic;
        else if (!checkedAdd(dims[i], dim, dims[i]))
          return emitOptionalError(location, "the concatenated dim overflows");
        continue;
      }
      std::optional<int64_t> joined = joinDims(dims[i], dim);
      if (!joined)
        return emitOptionalError(location, "inputs differ in dim ", i, ": ",
                                 dims[i], " vs ", dim);
      dims[i] = *joined;
    }
  }
  inferred.emplace_back(dims, elementType);
  return success();
}

LogicalResult
SplitOp::inferReturnTypeComponents(MLIRContext *,
                                   std::optional<Location> location,
                                   Adaptor adaptor, Components &inferred) {
  ArrayRef<int64_t> input = shapeOf(adaptor.getInput());
  int64_t rank = input.size();
  FailureOr<int64_t> resolved =
      resolveAxis(location, static_cast<int64_t>(adaptor.getAxis()), rank);
  if (failed(resolved))
    return failure();
  int64_t axis = *resolved;
  int64_t size = input[axis];
  SmallVector<int64_t> sizes(adaptor.getSplit());
  if (sizes.empty()) {
    std::optional<uint64_t> count = adaptor.getNumOutputs();
    if (!count || *count < 1)
      return emitOptionalError(location,
                               "split is empty and num_outputs is not >= 1");
    // One result per output: more than an op can have is malformed.
    constexpr uint64_t kMaxOutputs = 1 << 16;
    if (*count > kMaxOutputs)
      return emitOptionalError(location, "num_outputs ", *count,
                               " is above ", kMaxOutputs);
    int64_t n = static_cast<int64_t>(*count);
    if (ShapedType::isDynamic(size)) {
      sizes.assign(n, kDynamic);
    } else {
      int64_t chunk = (size + n - 1) / n;
      if (chunk * (n - 1) > size)
        return emitOptionalError(location, "cannot split size ", size, " into ",
                                 n, " outputs");
      sizes.assign(n, chunk);
      sizes.back() = size - chunk * (n - 1);
    }
  } else {
    if (llvm::any_of(sizes, [](int64_t s) { return s < 0; }))
      return emitOptionalError(location, "split sizes must be >= 0");
    int64_t total = 0;
    for (int64_t s : sizes)
      if (!checkedAdd(total, s, total))
        return emitOptionalError(location, "split sizes overflow");
    if (!ShapedType::isDynamic(size) && total != size)
      return emitOptionalError(location, "split sizes sum to ", total,
                               ", expected ", size);
  }
  for (int64_t s : sizes) {
    SmallVector<int64_t> dims(input);
    dims[axis] = s;
    inferred.emplace_back(dims, elementTypeOf(adaptor.getInput()));
  }
  return success();
}

LogicalResult
SliceOp::inferReturnTypeComponents(MLIRContext *,
                                   std::optional<Location> location,
                                   Adaptor adaptor, Components &inferred) {
  ArrayRef<int64_t> input = shapeOf(adaptor.getInput());
  int64_t rank = input.size();
  Type elementType = elementTypeOf(adaptor.getInput());
  SmallVector<Value> params = {adaptor.getStarts(), adaptor.getEnds()};
  if (adaptor.getAxes())
    params.push_back(adaptor.getAxes());
  if (adaptor.getSteps())
    params.push_back(adaptor.getSteps());
  int64_t length = kDynamic;
  for (Value param : params) {
    if (failed(requireRank1(location, param, "starts, ends, axes and steps")))
      return failure();
    std::optional<int64_t> joined = joinDims(length, shapeOf(param)[0]);
    if (!joined)
      return emitOptionalError(location, "starts, ends, axes and steps differ "
                                         "in length");
    length = *joined;
  }
  // Which dims are sliced: `axes`, or the first |starts| dims.
  std::optional<SmallVector<int64_t>> axes;
  if (Value axesValue = adaptor.getAxes()) {
    axes = getConstantIntValues(axesValue);
    if (!axes) {
      // Any dim may be sliced.
      inferred.emplace_back(SmallVector<int64_t>(rank, kDynamic), elementType);
      return success();
    }
  } else if (!ShapedType::isDynamic(length)) {
    axes = llvm::to_vector(llvm::seq<int64_t>(0, length));
  } else {
    inferred.emplace_back(SmallVector<int64_t>(rank, kDynamic), elementType);
    return success();
  }
  FailureOr<SmallVector<int64_t>> sliced = normalizeAxes(location, *axes, rank);
  if (failed(sliced))
    return failure();
  std::optional<SmallVector<int64_t>> starts =
      getConstantIntValues(adaptor.getStarts());
  std::optional<SmallVector<int64_t>> ends =
      getConstantIntValues(adaptor.getEnds());
  std::optional<SmallVector<int64_t>> steps =
      adaptor.getSteps() ? getConstantIntValues(adaptor.getSteps())
                         : SmallVector<int64_t>(sliced->size(), 1);
  if (steps && llvm::is_contained(*steps, 0))
    return emitOptionalError(location, "steps must not be 0");
  SmallVector<int64_t> dims(input);
  for (auto [i, axis] : llvm::enumerate(*sliced)) {
    if (!starts || !ends || !steps)
      dims[axis] = kDynamic;
    else
      dims[axis] = ShapedType::isDynamic(input[axis])
                       ? kDynamic
                       : resolveSlice(input[axis], (*starts)[i], (*ends)[i],
                                      (*steps)[i])
                             .size;
  }
  inferred.emplace_back(dims, elementType);
  return success();
}

LogicalResult
GatherOp::inferReturnTypeComponents(MLIRContext *,
                                    std::optional<Location> location,
                                    Adaptor adaptor, Components &inferred) {
  // data.shape[:axis] + indices.shape + data.shape[axis+1:].
  ArrayRef<int64_t> data = shapeOf(adaptor.getInput());
  int64_t rank = data.size();
  FailureOr<int64_t> resolved =
      resolveAxis(location, static_cast<int64_t>(adaptor.getAxis()), rank);
  if (failed(resolved))
    return failure();
  int64_t axis = *resolved;
  SmallVector<int64_t> dims(data.take_front(axis));
  llvm::append_range(dims, shapeOf(adaptor.getIndices()));
  llvm::append_range(dims, data.drop_front(axis + 1));
  inferred.emplace_back(dims, elementTypeOf(adaptor.getInput()));
  return success();
}

LogicalResult
TriluOp::inferReturnTypeComponents(MLIRContext *,
                                   std::optional<Location> location,
                                   Adaptor adaptor, Components &inferred) {
  if (rankOf(adaptor.getInput()) < 2)
    return emitOptionalError(location, "input must have rank >= 2");
  if (adaptor.getK() && failed(requireScalar(location, adaptor.getK(), "k")))
    return failure();
  return inferSameShape(location, adaptor.getInput(), inferred);
}

/// CumSum and CumProd: the input's shape, along a valid axis.
template <typename Adaptor>
static LogicalResult inferCumulative(std::optional<Location> location,
                                     Adaptor adaptor, Components &inferred) {
  if (failed(
          checkAxis(location, adaptor.getAxis(), rankOf(adaptor.getInput()))))
    return failure();
  return inferSameShape(location, adaptor.getInput(), inferred);
}

LogicalResult
CumSumOp::inferReturnTypeComponents(MLIRContext *,
                                    std::optional<Location> location,
                                    Adaptor adaptor, Components &inferred) {
  return inferCumulative(location, adaptor, inferred);
}

LogicalResult
CumProdOp::inferReturnTypeComponents(MLIRContext *,
                                     std::optional<Location> location,
                                     Adaptor adaptor, Components &inferred) {
  return inferCumulative(location, adaptor, inferred);
}

LogicalResult PadOp::inferReturnTypeComponents(MLIRContext *,
                                               std::optional<Location> location,
                                               Adaptor adaptor,
                                               Components &inferred) {
  StringRef mode = adaptor.getMode();
  if (!llvm::is_contained({"constant", "reflect", "edge", "wrap"}, mode))
    return emitOptionalError(location, "unknown pad mode '", mode, "'");
  ArrayRef<int64_t> input = shapeOf(adaptor.getInput());
  int64_t rank = input.size();
  ArrayRef<int64_t> pads = adaptor.getPads();
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return emitOptionalError(location, "pads has ", pads.size(),
                             " entries, expected ", 2 * rank);
  if (Value value = adaptor.getConstantValue()) {
    if (failed(requireScalar(location, value, "constant_value")))
      return failure();
    if (elementTypeOf(value) != elementTypeOf(adaptor.getInput()))
      return emitOptionalError(location, "constant_value has element type ",
                               elementTypeOf(value), ", expected ",
                               elementTypeOf(adaptor.getInput()));
  }
  SmallVector<int64_t> dims;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t size = input[d], grown;
    if (ShapedType::isDynamic(size)) {
      dims.push_back(kDynamic);
      continue;
    }
    if (!checkedAdd(size, pads[d], grown) ||
        !checkedAdd(grown, pads[d + rank], grown) || grown < 0)
      return emitOptionalError(location, "pads ", pads[d], " and ",
                               pads[d + rank], " do not fit dim ", d,
                               " of size ", size);
    if (size == 0 && grown != 0 && mode != "constant")
      return emitOptionalError(location, "dim ", d, " is empty: mode '", mode,
                               "' has nothing to repeat");
    dims.push_back(grown);
  }
  inferred.emplace_back(dims, elementTypeOf(adaptor.getInput()));
  return success();
}

LogicalResult
TileOp::inferReturnTypeComponents(MLIRContext *,
                                  std::optional<Location> location,
                                  Adaptor adaptor, Components &inferred) {
  ArrayRef<int64_t> input = shapeOf(adaptor.getInput());
  if (failed(requireRank1(location, adaptor.getRepeats(), "repeats")))
    return failure();
  if (!joinDims(lengthOf(adaptor.getRepeats()), input.size()))
    return emitOptionalError(location, "repeats must have one entry per dim");
  SmallVector<int64_t> dims(input.size(), kDynamic);
  if (std::optional<SmallVector<int64_t>> repeats =
          getConstantIntValues(adaptor.getRepeats())) {
    for (auto [dim, size, repeat] : llvm::zip_equal(dims, input, *repeats)) {
      if (repeat < 0)
        return emitOptionalError(location, "repeats must be >= 0");
      if (ShapedType::isDynamic(size))
        dim = kDynamic;
      else if (!checkedMul(size, repeat, dim))
        return emitOptionalError(location, "repeats overflow dim ", size);
    }
  }
  inferred.emplace_back(dims, elementTypeOf(adaptor.getInput()));
  return success();
}

/// The value of a one-element int or float constant.
static std::optional<double> getConstantScalar(Value value) {
  auto dense =
      llvm::dyn_cast_if_present<DenseElementsAttr>(getConstantElements(value));
  if (!dense || dense.getNumElements() != 1)
    return std::nullopt;
  Type elementType = dense.getElementType();
  if (llvm::isa<FloatType>(elementType))
    return (*dense.getValues<APFloat>().begin()).convertToDouble();
  if (elementType.isInteger())
    return static_cast<double>(
        (*dense.getValues<APInt>().begin()).getSExtValue());
  return std::nullopt;
}

LogicalResult
RangeOp::inferReturnTypeComponents(MLIRContext *,
                                   std::optional<Location> location,
                                   Adaptor adaptor, Components &inferred) {
  Type elementType = elementTypeOf(adaptor.getStart());
  for (Value value :
       {adaptor.getStart(), adaptor.getLimit(), adaptor.getDelta()}) {
    if (failed(requireScalar(location, value, "start, limit and delta")))
      return failure();
    if (elementTypeOf(value) != elementType)
      return emitOptionalError(location, "start, limit and delta element "
                                         "types differ");
  }
  std::optional<double> start = getConstantScalar(adaptor.getStart());
  std::optional<double> limit = getConstantScalar(adaptor.getLimit());
  std::optional<double> delta = getConstantScalar(adaptor.getDelta());
  int64_t size = kDynamic;
  if (delta && *delta == 0)
    return emitOptionalError(location, "delta must not be 0");
  if (start && limit && delta) {
    // max(ceil((limit - start) / delta), 0); a count beyond int64 stays `?`.
    double count = std::ceil((*limit - *start) / *delta);
    if (std::isfinite(count) && count < 0x1p62)
      size = count > 0 ? static_cast<int64_t>(count) : 0;
  }
  inferred.emplace_back(ArrayRef<int64_t>{size}, elementType);
  return success();
}

} // namespace kiln::graph
