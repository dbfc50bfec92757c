//===- GraphShapesNN.cpp - Shape inference of exported network ops -------===//
//
// inferReturnTypeComponents of the network ops that exported models add to
// the core set: top_k, conv_transpose, resize, instance_norm. As in
// GraphShapes.cpp, inference also checks operands and attributes (it is the
// verifier), and shape-like operands (k, sizes, scales) are read when they
// are `graph.constant`; otherwise the dims they decide are `?`.
//
//===----------------------------------------------------------------------===//

#include "dialects/graph/GraphShapesCommon.h"

#include <algorithm>

using namespace mlir;

namespace kiln::graph {

using namespace shapes;

//===----------------------------------------------------------------------===//
// top_k
//===----------------------------------------------------------------------===//

/// (..., D, ...) -> (..., k, ...) twice: the values and their i64 indices.
LogicalResult
TopKOp::inferReturnTypeComponents(MLIRContext *context,
                                  std::optional<Location> location,
                                  Adaptor adaptor, Components &inferred) {
  Value input = adaptor.getInput(), k = adaptor.getK();
  if (failed(requireScalar(location, k, "k")))
    return failure();
  FailureOr<int64_t> axis = resolveAxis(
      location, static_cast<int64_t>(adaptor.getAxis()), rankOf(input));
  if (failed(axis))
    return failure();
  SmallVector<int64_t> dims(shapeOf(input));
  int64_t size = dims[*axis];
  dims[*axis] = kDynamic;
  if (std::optional<SmallVector<int64_t>> values = getConstantIntValues(k)) {
    if (values->size() != 1)
      return emitOptionalError(location, "k must hold one value");
    int64_t count = (*values)[0];
    if (count < 0)
      return emitOptionalError(location, "k ", count, " is negative");
    if (!ShapedType::isDynamic(size) && count > size)
      return emitOptionalError(location, "k ", count,
                               " is larger than the axis size ", size);
    dims[*axis] = count;
  }
  inferred.emplace_back(dims, elementTypeOf(input));
  inferred.emplace_back(dims, IntegerType::get(context, 64));
  return success();
}

//===----------------------------------------------------------------------===//
// conv_transpose
//===----------------------------------------------------------------------===//

/// Checks one attribute list of a window op: `size` entries, each at least
/// `min` and below kMaxTensorBytes in magnitude (so that the window
/// arithmetic, done in 128 bits, cannot overflow).
static LogicalResult checkWindowList(std::optional<Location> location,
                                     ArrayRef<int64_t> values, int64_t size,
                                     int64_t min, StringRef name) {
  if (static_cast<int64_t>(values.size()) != size)
    return emitOptionalError(location, name, " has ", values.size(),
                             " entries, expected ", size);
  for (int64_t value : values) {
    if (value < min)
      return emitOptionalError(location, name, " entries must be >= ", min);
    if (value >= kMaxTensorBytes || value <= -kMaxTensorBytes)
      return emitOptionalError(location, name, " entry ", value,
                               " is too large");
  }
  return success();
}

/// x (N, C, D...) and w (C, M / group, k...) -> y (N, M, O...), with O from
/// output_shape or transposedOutputSize.
LogicalResult ConvTransposeOp::inferReturnTypeComponents(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    Components &inferred) {
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
  if (group < 1 || group >= kMaxTensorBytes)
    return emitOptionalError(location, "group must be >= 1");
  int64_t n = x.size() - 2;
  ArrayRef<int64_t> kernel = adaptor.getKernelShape();
  ArrayRef<int64_t> strides = adaptor.getStrides();
  ArrayRef<int64_t> pads = adaptor.getPads();
  ArrayRef<int64_t> dilations = adaptor.getDilations();
  ArrayRef<int64_t> outputPadding = adaptor.getOutputPadding();
  if (failed(checkWindowList(location, kernel, n, 1, "kernel_shape")) ||
      failed(checkWindowList(location, strides, n, 1, "strides")) ||
      failed(checkWindowList(location, pads, 2 * n, 0, "pads")) ||
      failed(checkWindowList(location, dilations, n, 1, "dilations")) ||
      failed(checkWindowList(location, outputPadding, n, 0, "output_padding")))
    return failure();
  StringRef autoPad = adaptor.getAutoPad();
  if (autoPad != "NOTSET" && autoPad != "VALID" && autoPad != "SAME_UPPER" &&
      autoPad != "SAME_LOWER")
    return emitOptionalError(location, "auto_pad '", autoPad, "' is unknown");
  for (int64_t i = 0; i < n; ++i) {
    if (!joinDims(kernel[i], w[i + 2]))
      return emitOptionalError(location, "kernel_shape ", kernel[i],
                               " differs from weight dim ", w[i + 2]);
    // ONNX: output_padding < stride or < dilation.
    if (outputPadding[i] >= std::max(strides[i], dilations[i]))
      return emitOptionalError(location, "output_padding ", outputPadding[i],
                               " must be smaller than the stride or the "
                               "dilation of dim ",
                               i);
  }
  if (!joinDims(x[1], w[0]))
    return emitOptionalError(location, "input channels ", x[1],
                             " differ from weight dim 0 (", w[0], ")");
  if (!ShapedType::isDynamic(w[0]) && w[0] % group != 0)
    return emitOptionalError(location, "input channels ", w[0],
                             " are not divisible by group ", group);
  // W is (C, M / group, k...).
  int64_t outChannels = kDynamic;
  if (!ShapedType::isDynamic(w[1]) &&
      (!checkedMul(w[1], group, outChannels) || outChannels >= kMaxTensorBytes))
    return emitOptionalError(location, "output channels ", w[1], " times ",
                             group, " are too many");
  if (Value bias = adaptor.getBias()) {
    if (rankOf(bias) != 1 || !joinDims(shapeOf(bias)[0], outChannels))
      return emitOptionalError(location, "bias must be 1-d of size ",
                               outChannels);
  }

  SmallVector<int64_t> dims = {x[0], outChannels};
  if (std::optional<ArrayRef<int64_t>> outputShape = adaptor.getOutputShape()) {
    // output_shape holds the spatial sizes (or, as some exporters write,
    // the whole shape).
    ArrayRef<int64_t> spatial = *outputShape;
    if (static_cast<int64_t>(spatial.size()) == n + 2)
      spatial = spatial.drop_front(2);
    if (failed(checkWindowList(location, spatial, n, 1, "output_shape")))
      return failure();
    llvm::append_range(dims, spatial);
  } else {
    for (int64_t i = 0; i < n; ++i) {
      TransposedWindowDim dim{
          {x[i + 2], kernel[i], strides[i], dilations[i], pads[i], pads[i + n]},
          outputPadding[i]};
      FailureOr<int64_t> size = transposedOutputSize(dim, autoPad);
      if (failed(size))
        return emitOptionalError(location, "transposed window of dim ", i,
                                 " gives no output for input size ", x[i + 2]);
      dims.push_back(*size);
    }
  }
  inferred.emplace_back(dims, elementTypeOf(input));
  return success();
}

} // namespace kiln::graph
