//===- GraphShapes.cpp - Shape inference of graph ops ---------------------===//
//
// inferReturnTypeComponents of the elementwise, reduction and network ops,
// with ONNX shape semantics (shapes and data movement: GraphShapesTensor.cpp).
// Inference also checks operands and attributes: the ResultsMatchInference
// trait makes it the verifier of every op. Shape-like operands (reshape
// targets, slice bounds, ...) are read when they are `graph.constant`;
// otherwise the dims they decide are `?`.
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
// Shared inference
//===----------------------------------------------------------------------===//

LogicalResult inferSameShape(std::optional<Location>, Value input,
                             Components &inferred) {
  inferred.emplace_back(shapeOf(input), elementTypeOf(input));
  return success();
}

LogicalResult inferFloatPredicateShape(std::optional<Location> location,
                                       Value input, Components &inferred) {
  if (!isa<FloatType>(elementTypeOf(input)))
    return emitOptionalError(location, "operand element type ",
                             elementTypeOf(input), " is not a float");
  inferred.emplace_back(shapeOf(input),
                        IntegerType::get(input.getContext(), 1));
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

LogicalResult
BitShiftOp::inferReturnTypeComponents(MLIRContext *,
                                      std::optional<Location> location,
                                      Adaptor adaptor, Components &inferred) {
  StringRef direction = adaptor.getDirection();
  if (direction != "LEFT" && direction != "RIGHT")
    return emitOptionalError(location, "direction must be LEFT or RIGHT, got '",
                             direction, "'");
  Type elementType = elementTypeOf(adaptor.getLhs());
  if (!elementType.isInteger() || elementType.isInteger(1))
    return emitOptionalError(location, "operand element type ", elementType,
                             " is not an integer of 8 bits or more");
  return inferBroadcastShape(location, adaptor.getLhs(), adaptor.getRhs(), {},
                             inferred);
}

LogicalResult CastOp::inferReturnTypeComponents(MLIRContext *,
                                                std::optional<Location>,
                                                Adaptor adaptor,
                                                Components &inferred) {
  // The target element type is the declared result's.
  inferred.emplace_back(shapeOf(adaptor.getInput()));
  return success();
}

LogicalResult BitcastOp::inferReturnTypeComponents(MLIRContext *,
                                                   std::optional<Location>,
                                                   Adaptor adaptor,
                                                   Components &inferred) {
  // The target element type is the declared result's.
  inferred.emplace_back(shapeOf(adaptor.getInput()));
  return success();
}

/// The bits of storage an element of `type` takes: i1 is a byte; the
/// narrower types (int4, float4, ...) have no bits of their own to cast.
static std::optional<unsigned> storageBits(Type type) {
  if (!type.isIntOrFloat())
    return std::nullopt;
  if (type.isInteger(1))
    return 8;
  unsigned bits = type.getIntOrFloatBitWidth();
  if (bits < 8)
    return std::nullopt;
  return bits;
}

LogicalResult BitcastOp::verify() {
  Type from = getInput().getType().getElementType();
  Type to = getType().getElementType();
  std::optional<unsigned> fromBits = storageBits(from);
  if (!fromBits || fromBits != storageBits(to))
    return emitOpError("reinterprets ")
           << from << " as " << to << ": the storage sizes must be equal";
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
/// pad per dim (the importer spells out ONNX's defaults). A conv's kernel
/// size may be dynamic: its weight's dim, known at run time.
static LogicalResult
resolveWindowAttrs(std::optional<Location> location, int64_t spatialRank,
                   ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                   ArrayRef<int64_t> pads, ArrayRef<int64_t> dilations,
                   SmallVectorImpl<WindowDim> &window,
                   bool allowDynamicKernel = false) {
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
    bool dynamicKernel =
        allowDynamicKernel && ShapedType::isDynamic(dim.kernelSize);
    if (dim.kernelSize < 1 && !dynamicKernel)
      return emitOptionalError(location, "kernel_shape entries must be >= 1");
    if (dim.stride < 1 || dim.dilation < 1)
      return emitOptionalError(location, "strides and dilations must be >= 1");
    if (dim.padBegin < 0 || dim.padEnd < 0)
      return emitOptionalError(location, "pads must be >= 0");
    // Sizes beyond any tensor's would overflow the window arithmetic.
    int64_t extent;
    if (!checkedMul(dim.dilation, dynamicKernel ? 0 : dim.kernelSize - 1,
                    extent) ||
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
                                adaptor.getDilations(), window,
                                /*allowDynamicKernel=*/true)))
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

} // namespace kiln::graph
