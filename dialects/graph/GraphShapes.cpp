//===- GraphShapes.cpp - Shape inference of graph ops ---------------------===//
//
// inferReturnTypeComponents of every graph op, with ONNX shape semantics.
// Inference also checks operands and attributes: the ResultsMatchInference
// trait makes it the verifier of every op. Shape-like operands (reshape
// targets, slice bounds, ...) are read when they are `graph.constant`;
// otherwise the dims they decide are `?`.
//
//===----------------------------------------------------------------------===//

#include "dialects/graph/GraphOps.h"
#include "dialects/graph/GraphUtils.h"

#include "kernels/common/Checked.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"

#include <algorithm>
#include <cmath>

using namespace mlir;

namespace kiln::graph {

using Components = SmallVectorImpl<ShapedTypeComponents>;

static constexpr int64_t kDynamic = ShapedType::kDynamic;

static RankedTensorType tensorTypeOf(Value value) {
  return llvm::cast<RankedTensorType>(value.getType());
}
static ArrayRef<int64_t> shapeOf(Value value) {
  return tensorTypeOf(value).getShape();
}
static int64_t rankOf(Value value) { return tensorTypeOf(value).getRank(); }
static Type elementTypeOf(Value value) {
  return tensorTypeOf(value).getElementType();
}

/// The number of entries of a 1-d operand, kDynamic when unknown.
static int64_t lengthOf(Value value) {
  ArrayRef<int64_t> shape = shapeOf(value);
  return shape.size() == 1 ? shape[0] : kDynamic;
}

/// Product of static dims, std::nullopt when one is dynamic or the product
/// overflows (a result of such a shape is then refused by
/// inferResultComponents).
static std::optional<int64_t> staticProduct(ArrayRef<int64_t> dims) {
  int64_t product = 1;
  for (int64_t dim : dims) {
    if (ShapedType::isDynamic(dim) || !checkedMul(product, dim, product))
      return std::nullopt;
  }
  return product;
}

/// Checks that `value` is a 1-d list with one entry per dim of some tensor
/// (a shape, slice bounds, repeats): at most kMaxRank entries.
static LogicalResult requireRank1(std::optional<Location> location, Value value,
                                  StringRef what) {
  if (rankOf(value) != 1)
    return emitOptionalError(location, what, " must be a 1-d tensor, got rank ",
                             rankOf(value));
  int64_t length = lengthOf(value);
  if (!ShapedType::isDynamic(length) && length > kMaxRank)
    return emitOptionalError(location, what, " has ", length,
                             " entries, more than the largest rank (",
                             kMaxRank, ")");
  return success();
}

static LogicalResult requireScalar(std::optional<Location> location,
                                   Value value, StringRef what) {
  ArrayRef<int64_t> shape = shapeOf(value);
  std::optional<int64_t> count = staticProduct(shape);
  if (shape.size() > 1 || (count && *count != 1))
    return emitOptionalError(location, what,
                             " must be a scalar (rank 0 or one element)");
  return success();
}

static LogicalResult checkAxis(std::optional<Location> location, int64_t axis,
                               int64_t rank, StringRef what = "axis") {
  if (!isValidAxis(axis, rank))
    return emitOptionalError(location, what, " ", axis, " is out of range [",
                             -rank, ", ", rank, ")");
  return success();
}

/// Checks `axis` against `rank` and returns it normalized to [0, rank).
static FailureOr<int64_t> resolveAxis(std::optional<Location> location,
                                      int64_t axis, int64_t rank) {
  if (failed(checkAxis(location, axis, rank)))
    return failure();
  return normalizeAxis(axis, rank);
}

/// Normalizes `axes` against `rank`; fails on an out-of-range or repeated
/// axis.
static FailureOr<SmallVector<int64_t>>
normalizeAxes(std::optional<Location> location, ArrayRef<int64_t> axes,
              int64_t rank) {
  SmallVector<int64_t> result;
  llvm::SmallSet<int64_t, 8> seen;
  for (int64_t axis : axes) {
    FailureOr<int64_t> normalized = resolveAxis(location, axis, rank);
    if (failed(normalized))
      return failure();
    if (!seen.insert(*normalized).second)
      return emitOptionalError(location, "axis ", axis, " is repeated");
    result.push_back(*normalized);
  }
  return result;
}

//===----------------------------------------------------------------------===//
// Shared inference
//===----------------------------------------------------------------------===//

LogicalResult inferSameShape(std::optional<Location>, Value input,
                             Components &inferred) {
  inferred.emplace_back(shapeOf(input), elementTypeOf(input));
  return success();
}

LogicalResult inferBroadcastShape(std::optional<Location> location, Value lhs,
                                  Value rhs, Type elementType,
                                  Components &inferred) {
  if (elementTypeOf(lhs) != elementTypeOf(rhs))
    return emitOptionalError(location, "operand element types ",
                             elementTypeOf(lhs), " and ", elementTypeOf(rhs),
                             " differ");
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(shapeOf(lhs), shapeOf(rhs));
  if (failed(shape))
    return emitOptionalError(location, "operand shapes ", tensorTypeOf(lhs),
                             " and ", tensorTypeOf(rhs),
                             " are not broadcast-compatible");
  inferred.emplace_back(*shape, elementType ? elementType : elementTypeOf(lhs));
  return success();
}

LogicalResult inferReductionShape(std::optional<Location> location, Value input,
                                  std::optional<ArrayRef<int64_t>> axes,
                                  bool keepdims, bool noopWithEmptyAxes,
                                  Components &inferred) {
  ArrayRef<int64_t> shape = shapeOf(input);
  int64_t rank = shape.size();
  if (!axes || axes->empty()) {
    if (noopWithEmptyAxes)
      return inferSameShape(location, input, inferred);
    SmallVector<int64_t> dims =
        keepdims ? SmallVector<int64_t>(rank, 1) : SmallVector<int64_t>();
    inferred.emplace_back(dims, elementTypeOf(input));
    return success();
  }
  FailureOr<SmallVector<int64_t>> reduced =
      normalizeAxes(location, *axes, rank);
  if (failed(reduced))
    return failure();
  SmallVector<int64_t> dims;
  for (int64_t i = 0; i < rank; ++i) {
    if (!llvm::is_contained(*reduced, i))
      dims.push_back(shape[i]);
    else if (keepdims)
      dims.push_back(1);
  }
  inferred.emplace_back(dims, elementTypeOf(input));
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise ops
//===----------------------------------------------------------------------===//

LogicalResult PowOp::inferReturnTypeComponents(MLIRContext *,
                                               std::optional<Location> location,
                                               Adaptor adaptor,
                                               Components &inferred) {
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(shapeOf(adaptor.getLhs()), shapeOf(adaptor.getRhs()));
  if (failed(shape))
    return emitOptionalError(location, "operand shapes are not "
                                       "broadcast-compatible");
  inferred.emplace_back(*shape, elementTypeOf(adaptor.getLhs()));
  return success();
}

LogicalResult CastOp::inferReturnTypeComponents(MLIRContext *,
                                                std::optional<Location>,
                                                Adaptor adaptor,
                                                Components &inferred) {
  // The target element type is the declared result's.
  inferred.emplace_back(shapeOf(adaptor.getInput()));
  return success();
}

LogicalResult
ClipOp::inferReturnTypeComponents(MLIRContext *,
                                  std::optional<Location> location,
                                  Adaptor adaptor, Components &inferred) {
  Type elementType = elementTypeOf(adaptor.getInput());
  for (auto [bound, name] : {std::make_pair(adaptor.getMin(), "min"),
                             std::make_pair(adaptor.getMax(), "max")}) {
    if (!bound)
      continue;
    if (failed(requireScalar(location, bound, name)))
      return failure();
    if (elementTypeOf(bound) != elementType)
      return emitOptionalError(location, name, " has element type ",
                               elementTypeOf(bound), ", expected ",
                               elementType);
  }
  return inferSameShape(location, adaptor.getInput(), inferred);
}

LogicalResult
WhereOp::inferReturnTypeComponents(MLIRContext *,
                                   std::optional<Location> location,
                                   Adaptor adaptor, Components &inferred) {
  if (elementTypeOf(adaptor.getX()) != elementTypeOf(adaptor.getY()))
    return emitOptionalError(location, "x and y element types differ");
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(shapeOf(adaptor.getX()), shapeOf(adaptor.getY()));
  if (succeeded(shape))
    shape = broadcastShapes(shapeOf(adaptor.getCondition()), *shape);
  if (failed(shape))
    return emitOptionalError(location, "condition, x and y shapes are not "
                                       "broadcast-compatible");
  inferred.emplace_back(*shape, elementTypeOf(adaptor.getX()));
  return success();
}

//===----------------------------------------------------------------------===//
// Neural-network ops
//===----------------------------------------------------------------------===//

LogicalResult
MatMulOp::inferReturnTypeComponents(MLIRContext *,
                                    std::optional<Location> location,
                                    Adaptor adaptor, Components &inferred) {
  Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
  if (elementTypeOf(lhs) != elementTypeOf(rhs))
    return emitOptionalError(location, "operand element types differ");
  if (rankOf(lhs) < 1 || rankOf(rhs) < 1)
    return emitOptionalError(location, "operands must have rank >= 1");
  // A 1-d lhs is a row (1, K), a 1-d rhs a column (K, 1); the promoted dim
  // is removed from the result.
  SmallVector<int64_t> a(shapeOf(lhs)), b(shapeOf(rhs));
  bool lhsVector = a.size() == 1, rhsVector = b.size() == 1;
  if (lhsVector)
    a.insert(a.begin(), 1);
  if (rhsVector)
    b.push_back(1);
  int64_t m = a[a.size() - 2], k = a.back();
  int64_t kb = b[b.size() - 2], n = b.back();
  if (!joinDims(k, kb))
    return emitOptionalError(location, "contraction sizes ", k, " and ", kb,
                             " differ");
  FailureOr<SmallVector<int64_t>> batch =
      broadcastShapes(ArrayRef(a).drop_back(2), ArrayRef(b).drop_back(2));
  if (failed(batch))
    return emitOptionalError(location,
                             "batch dimensions are not broadcast-compatible");
  SmallVector<int64_t> dims(*batch);
  if (!lhsVector)
    dims.push_back(m);
  if (!rhsVector)
    dims.push_back(n);
  inferred.emplace_back(dims, elementTypeOf(lhs));
  return success();
}

LogicalResult
GemmOp::inferReturnTypeComponents(MLIRContext *,
                                  std::optional<Location> location,
                                  Adaptor adaptor, Components &inferred) {
  Value a = adaptor.getA(), b = adaptor.getB();
  if (rankOf(a) != 2 || rankOf(b) != 2)
    return emitOptionalError(location, "A and B must be 2-d");
  if (elementTypeOf(a) != elementTypeOf(b))
    return emitOptionalError(location, "A and B element types differ");
  // op(A) is (M, K), op(B) is (K, N).
  int64_t m = shapeOf(a)[adaptor.getTransA() ? 1 : 0];
  int64_t k = shapeOf(a)[adaptor.getTransA() ? 0 : 1];
  int64_t kb = shapeOf(b)[adaptor.getTransB() ? 1 : 0];
  int64_t n = shapeOf(b)[adaptor.getTransB() ? 0 : 1];
  if (!joinDims(k, kb))
    return emitOptionalError(location, "contraction sizes ", k, " and ", kb,
                             " differ");
  SmallVector<int64_t> dims = {m, n};
  if (Value c = adaptor.getC()) {
    // C broadcasts to (M, N), one way.
    FailureOr<SmallVector<int64_t>> shape = broadcastShapes(shapeOf(c), dims);
    if (rankOf(c) > 2 || failed(shape))
      return emitOptionalError(location, "C of shape ", tensorTypeOf(c),
                               " does not broadcast to (M, N)");
    for (auto [cDim, dim] :
         llvm::zip(llvm::reverse(shapeOf(c)), llvm::reverse(dims)))
      if (cDim != 1 && !joinDims(cDim, dim))
        return emitOptionalError(location, "C does not broadcast to (M, N)");
    dims = *shape;
  }
  inferred.emplace_back(dims, elementTypeOf(a));
  return success();
}

/// Checks the window attributes of a conv or pool with `spatialRank` spatial
/// dims: one kernel size, stride and dilation per dim, and a begin and an end
/// pad per dim (the importer spells out ONNX's defaults).
static LogicalResult
resolveWindowAttrs(std::optional<Location> location, int64_t spatialRank,
                   ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                   ArrayRef<int64_t> pads, ArrayRef<int64_t> dilations,
                   SmallVectorImpl<WindowDim> &window) {
  auto checkSize = [&](ArrayRef<int64_t> values, int64_t size,
                       StringRef name) -> LogicalResult {
    if (static_cast<int64_t>(values.size()) != size)
      return emitOptionalError(location, name, " has ", values.size(),
                               " entries, expected ", size);
    return success();
  };
  if (failed(checkSize(kernel, spatialRank, "kernel_shape")) ||
      failed(checkSize(strides, spatialRank, "strides")) ||
      failed(checkSize(pads, 2 * spatialRank, "pads")) ||
      failed(checkSize(dilations, spatialRank, "dilations")))
    return failure();
  for (int64_t i = 0; i < spatialRank; ++i) {
    WindowDim dim{
        /*inputSize=*/kDynamic, kernel[i], strides[i],
        dilations[i],           pads[i],   pads[i + spatialRank]};
    if (dim.kernelSize < 1)
      return emitOptionalError(location, "kernel_shape entries must be >= 1");
    if (dim.stride < 1 || dim.dilation < 1)
      return emitOptionalError(location, "strides and dilations must be >= 1");
    if (dim.padBegin < 0 || dim.padEnd < 0)
      return emitOptionalError(location, "pads must be >= 0");
    // Sizes beyond any tensor's would overflow the window arithmetic.
    int64_t extent;
    if (!checkedMul(dim.dilation, dim.kernelSize - 1, extent) ||
        extent >= kMaxTensorBytes || dim.padBegin > kMaxTensorBytes ||
        dim.padEnd > kMaxTensorBytes || dim.stride > kMaxTensorBytes)
      return emitOptionalError(location, "window attributes of dim ", i,
                               " are too large");
    window.push_back(dim);
  }
  return success();
}

/// Output spatial sizes of `window` over `spatial` input sizes.
static LogicalResult inferWindowDims(std::optional<Location> location,
                                     ArrayRef<int64_t> spatial,
                                     MutableArrayRef<WindowDim> window,
                                     StringRef autoPad, bool ceilMode,
                                     SmallVectorImpl<int64_t> &dims) {
  if (autoPad != "NOTSET" && autoPad != "VALID" && autoPad != "SAME_UPPER" &&
      autoPad != "SAME_LOWER")
    return emitOptionalError(location, "auto_pad '", autoPad, "' is unknown");
  for (auto [size, dim] : llvm::zip_equal(spatial, window)) {
    dim.inputSize = size;
    FailureOr<int64_t> output = windowOutputSize(dim, autoPad, ceilMode);
    // resolveWindowAttrs bounded the extent.
    if (failed(output))
      return emitOptionalError(location, "window of extent ",
                               dim.dilation * (dim.kernelSize - 1) + 1,
                               " does not fit the padded input of size ", size);
    dims.push_back(*output);
  }
  return success();
}

LogicalResult
ConvOp::inferReturnTypeComponents(MLIRContext *,
                                  std::optional<Location> location,
                                  Adaptor adaptor, Components &inferred) {
  Value input = adaptor.getInput(), weight = adaptor.getWeight();
  ArrayRef<int64_t> x = shapeOf(input), w = shapeOf(weight);
  if (x.size() < 3)
    return emitOptionalError(location, "input must have rank >= 3, got ",
                             x.size());
  if (w.size() != x.size())
    return emitOptionalError(location, "weight rank ", w.size(),
                             " differs from input rank ", x.size());
  if (elementTypeOf(input) != elementTypeOf(weight))
    return emitOptionalError(location, "input and weight element types differ");
  int64_t group = adaptor.getGroup();
  if (group < 1)
    return emitOptionalError(location, "group must be >= 1");
  int64_t spatialRank = x.size() - 2;
  SmallVector<WindowDim> window;
  if (failed(resolveWindowAttrs(location, spatialRank, adaptor.getKernelShape(),
                                adaptor.getStrides(), adaptor.getPads(),
                                adaptor.getDilations(), window)))
    return failure();
  for (auto [i, dim] : llvm::enumerate(window))
    if (!joinDims(dim.kernelSize, w[i + 2]))
      return emitOptionalError(location, "kernel_shape ", dim.kernelSize,
                               " differs from weight dim ", w[i + 2]);
  // W is (M, C / group, k...).
  int64_t weightChannels;
  if (!ShapedType::isDynamic(x[1]) && !ShapedType::isDynamic(w[1]) &&
      (!checkedMul(w[1], group, weightChannels) || x[1] != weightChannels))
    return emitOptionalError(location, "input channels ", x[1],
                             " differ from weight channels ", w[1],
                             " times group ", group);
  if (!ShapedType::isDynamic(w[0]) && w[0] % group != 0)
    return emitOptionalError(location, "output channels ", w[0],
                             " are not divisible by group ", group);
  if (Value bias = adaptor.getBias()) {
    if (rankOf(bias) != 1 || !joinDims(shapeOf(bias)[0], w[0]))
      return emitOptionalError(location, "bias must be 1-d of size ", w[0]);
  }
  SmallVector<int64_t> dims = {x[0], w[0]};
  if (failed(inferWindowDims(location, x.drop_front(2), window,
                             adaptor.getAutoPad(), /*ceilMode=*/false, dims)))
    return failure();
  inferred.emplace_back(dims, elementTypeOf(input));
  return success();
}

/// Shared inference of MaxPool and AveragePool.
template <typename Adaptor>
static LogicalResult inferPoolShape(std::optional<Location> location,
                                    Adaptor adaptor, Components &inferred) {
  ArrayRef<int64_t> x = shapeOf(adaptor.getInput());
  if (x.size() < 3)
    return emitOptionalError(location, "input must have rank >= 3, got ",
                             x.size());
  int64_t spatialRank = x.size() - 2;
  SmallVector<WindowDim> window;
  if (failed(resolveWindowAttrs(location, spatialRank, adaptor.getKernelShape(),
                                adaptor.getStrides(), adaptor.getPads(),
                                adaptor.getDilations(), window)))
    return failure();
  SmallVector<int64_t> dims = {x[0], x[1]};
  if (failed(inferWindowDims(location, x.drop_front(2), window,
                             adaptor.getAutoPad(), adaptor.getCeilMode(),
                             dims)))
    return failure();
  inferred.emplace_back(dims, elementTypeOf(adaptor.getInput()));
  return success();
}

LogicalResult
MaxPoolOp::inferReturnTypeComponents(MLIRContext *,
                                     std::optional<Location> location,
                                     Adaptor adaptor, Components &inferred) {
  return inferPoolShape(location, adaptor, inferred);
}

LogicalResult AveragePoolOp::inferReturnTypeComponents(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    Components &inferred) {
  return inferPoolShape(location, adaptor, inferred);
}

/// (N, C, D1, ...) -> (N, C, 1, ...).
static LogicalResult inferGlobalPoolShape(std::optional<Location> location,
                                          Value input, Components &inferred) {
  ArrayRef<int64_t> x = shapeOf(input);
  if (x.size() < 3)
    return emitOptionalError(location, "input must have rank >= 3, got ",
                             x.size());
  SmallVector<int64_t> dims(x.size(), 1);
  dims[0] = x[0];
  dims[1] = x[1];
  inferred.emplace_back(dims, elementTypeOf(input));
  return success();
}

LogicalResult GlobalAveragePoolOp::inferReturnTypeComponents(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    Components &inferred) {
  return inferGlobalPoolShape(location, adaptor.getInput(), inferred);
}

LogicalResult GlobalMaxPoolOp::inferReturnTypeComponents(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    Components &inferred) {
  return inferGlobalPoolShape(location, adaptor.getInput(), inferred);
}

LogicalResult
BatchNormOp::inferReturnTypeComponents(MLIRContext *,
                                       std::optional<Location> location,
                                       Adaptor adaptor, Components &inferred) {
  ArrayRef<int64_t> x = shapeOf(adaptor.getInput());
  if (x.size() < 2)
    return emitOptionalError(location, "input must have rank >= 2, got ",
                             x.size());
  for (auto [value, name] : {std::make_pair(adaptor.getScale(), "scale"),
                             std::make_pair(adaptor.getBias(), "bias"),
                             std::make_pair(adaptor.getMean(), "mean"),
                             std::make_pair(adaptor.getVar(), "var")}) {
    if (rankOf(value) != 1 || !joinDims(shapeOf(value)[0], x[1]))
      return emitOptionalError(location, name, " must be 1-d of size ", x[1],
                               " (the channels), got ", value.getType());
  }
  return inferSameShape(location, adaptor.getInput(), inferred);
}

LogicalResult
LayerNormOp::inferReturnTypeComponents(MLIRContext *,
                                       std::optional<Location> location,
                                       Adaptor adaptor, Components &inferred) {
  ArrayRef<int64_t> x = shapeOf(adaptor.getInput());
  FailureOr<int64_t> axis = resolveAxis(
      location, static_cast<int64_t>(adaptor.getAxis()), x.size());
  if (failed(axis))
    return failure();
  // scale and bias broadcast to the normalized dims x[axis:].
  ArrayRef<int64_t> normalized = x.drop_front(*axis);
  for (Value value : {adaptor.getScale(), adaptor.getBias()}) {
    if (!value)
      continue;
    FailureOr<SmallVector<int64_t>> shape =
        broadcastShapes(shapeOf(value), normalized);
    if (rankOf(value) > static_cast<int64_t>(normalized.size()) ||
        failed(shape))
      return emitOptionalError(location, "scale and bias must broadcast to "
                                         "the normalized dims");
  }
  if (failed(inferSameShape(location, adaptor.getInput(), inferred)))
    return failure();
  if (!adaptor.getWithStatistics())
    return success();
  // mean and inv_std_dev: one f32 value per normalized row.
  SmallVector<int64_t> rowShape(x);
  std::fill(rowShape.begin() + *axis, rowShape.end(), 1);
  Type f32 = Float32Type::get(adaptor.getInput().getContext());
  inferred.emplace_back(rowShape, f32);
  inferred.emplace_back(rowShape, f32);
  return success();
}

LogicalResult
SoftmaxOp::inferReturnTypeComponents(MLIRContext *,
                                     std::optional<Location> location,
                                     Adaptor adaptor, Components &inferred) {
  if (failed(checkAxis(location, static_cast<int64_t>(adaptor.getAxis()),
                       rankOf(adaptor.getInput()))))
    return failure();
  return inferSameShape(location, adaptor.getInput(), inferred);
}

LogicalResult
LogSoftmaxOp::inferReturnTypeComponents(MLIRContext *,
                                        std::optional<Location> location,
                                        Adaptor adaptor, Components &inferred) {
  if (failed(checkAxis(location, static_cast<int64_t>(adaptor.getAxis()),
                       rankOf(adaptor.getInput()))))
    return failure();
  return inferSameShape(location, adaptor.getInput(), inferred);
}

/// ArgMax / ArgMin: the axis becomes 1 (keepdims) or disappears.
static LogicalResult inferArgShape(std::optional<Location> location,
                                   Value input, int64_t axis, bool keepdims,
                                   Components &inferred) {
  FailureOr<int64_t> resolved = resolveAxis(location, axis, rankOf(input));
  if (failed(resolved))
    return failure();
  SmallVector<int64_t> dims(shapeOf(input));
  if (keepdims)
    dims[*resolved] = 1;
  else
    dims.erase(dims.begin() + *resolved);
  inferred.emplace_back(dims, IntegerType::get(input.getContext(), 64));
  return success();
}

LogicalResult
ArgMaxOp::inferReturnTypeComponents(MLIRContext *,
                                    std::optional<Location> location,
                                    Adaptor adaptor, Components &inferred) {
  return inferArgShape(location, adaptor.getInput(),
                       static_cast<int64_t>(adaptor.getAxis()),
                       adaptor.getKeepdims(), inferred);
}

LogicalResult
ArgMinOp::inferReturnTypeComponents(MLIRContext *,
                                    std::optional<Location> location,
                                    Adaptor adaptor, Components &inferred) {
  return inferArgShape(location, adaptor.getInput(),
                       static_cast<int64_t>(adaptor.getAxis()),
                       adaptor.getKeepdims(), inferred);
}

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
