//===- GraphShapesNN.cpp - Shape inference of exported network ops -------===//
//
// inferReturnTypeComponents of the network ops that exported models add to
// the core set: top_k, attention, conv_transpose, resize, rnn, gru, lstm. As in
// GraphShapes.cpp, inference also checks operands and attributes (it is the
// verifier), and shape-like operands (k, sizes, scales) are read when they
// are `graph.constant`; otherwise the dims they decide are `?`.
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
// attention
//===----------------------------------------------------------------------===//

/// Whether two sizes may be the same: either is dynamic, or they are.
static bool mayMatch(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

/// q (B..., S_q, D), k (B..., S_k, D), v (B..., S_k, D_v), mask broadcast
/// to (B..., S_q, S_k) -> (B..., S_q, D_v).
LogicalResult
AttentionOp::inferReturnTypeComponents(MLIRContext *,
                                       std::optional<Location> location,
                                       Adaptor adaptor, Components &inferred) {
  Value q = adaptor.getQ(), k = adaptor.getK(), v = adaptor.getV();
  int64_t rank = rankOf(q);
  if (rank < 2 || rankOf(k) != rank || rankOf(v) != rank)
    return emitOptionalError(location, "q, k and v must have one rank >= 2, "
                                       "got ",
                             rank, ", ", rankOf(k), " and ", rankOf(v));
  Type elementType = elementTypeOf(q);
  if (!isa<FloatType>(elementType) || elementTypeOf(k) != elementType ||
      elementTypeOf(v) != elementType)
    return emitOptionalError(location, "q, k and v must have one float "
                                       "element type");
  ArrayRef<int64_t> qShape = shapeOf(q), kShape = shapeOf(k),
                    vShape = shapeOf(v);
  for (int64_t d = 0; d < rank - 2; ++d)
    if (!mayMatch(qShape[d], kShape[d]) || !mayMatch(qShape[d], vShape[d]))
      return emitOptionalError(location, "batch dim ", d,
                               " of q, k and v differs");
  if (!mayMatch(qShape[rank - 1], kShape[rank - 1]))
    return emitOptionalError(location, "q and k have head sizes ",
                             qShape[rank - 1], " and ", kShape[rank - 1]);
  if (!mayMatch(kShape[rank - 2], vShape[rank - 2]))
    return emitOptionalError(location, "k and v have sequence lengths ",
                             kShape[rank - 2], " and ", vShape[rank - 2]);
  // The scores are (B..., S_q, S_k); the mask broadcasts to them.
  SmallVector<int64_t> scores(qShape.drop_back());
  scores.push_back(kShape[rank - 2]);
  if (Value mask = adaptor.getMask()) {
    FailureOr<SmallVector<int64_t>> joined =
        broadcastShapes(shapeOf(mask), scores);
    if (rankOf(mask) > rank || failed(joined) ||
        !llvm::equal(*joined, scores,
                     [](int64_t a, int64_t b) { return mayMatch(a, b); }))
      return emitOptionalError(location, "mask must broadcast to the scores");
    if (elementTypeOf(mask) != elementType)
      return emitOptionalError(location, "mask must have the element type "
                                         "of q");
  }
  SmallVector<int64_t> dims(qShape.drop_back());
  dims.push_back(vShape[rank - 1]);
  inferred.emplace_back(dims, elementType);
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
  // A kernel size is dynamic where the node gives none and the weight's
  // dim is dynamic: the weight's size at run time.
  SmallVector<int64_t> knownKernel = llvm::map_to_vector(kernel, [](int64_t k) {
    return ShapedType::isDynamic(k) ? int64_t(1) : k;
  });
  if (failed(checkWindowList(location, knownKernel, n, 1, "kernel_shape")) ||
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

//===----------------------------------------------------------------------===//
// resize
//===----------------------------------------------------------------------===//

/// The output dims and scale factors of a resize of `in`. A factor is 0
/// where it depends on a dynamic dim, and so is the output dim kDynamic.
static LogicalResult resolveResize(std::optional<Location> location,
                                   ArrayRef<int64_t> in,
                                   std::optional<ArrayRef<float>> scales,
                                   std::optional<ArrayRef<int64_t>> sizes,
                                   StringRef policy,
                                   SmallVectorImpl<int64_t> &dims,
                                   SmallVectorImpl<double> &factors) {
  size_t rank = in.size();
  if (scales.has_value() == sizes.has_value())
    return emitOptionalError(location, "needs exactly one of scales and sizes");
  if (policy != "stretch" && policy != "not_larger" && policy != "not_smaller")
    return emitOptionalError(location, "keep_aspect_ratio_policy '", policy,
                             "' is unknown");
  if (scales) {
    if (scales->size() != rank)
      return emitOptionalError(location, "scales has ", scales->size(),
                               " entries, expected ", rank);
    for (auto [size, scale] : llvm::zip_equal(in, *scales)) {
      if (!(scale > 0.0f) || std::isinf(scale))
        return emitOptionalError(location, "scale ", scale,
                                 " is not a positive number");
      factors.push_back(scale);
      if (ShapedType::isDynamic(size)) {
        dims.push_back(kDynamic);
        continue;
      }
      // floor(in * scale), in double as ONNX's reference computes it.
      double product = static_cast<double>(size) * static_cast<double>(scale);
      if (product >= static_cast<double>(kMaxTensorBytes))
        return emitOptionalError(location, "scale ", scale, " of dim size ",
                                 size, " gives a dim that is too large");
      if (product < 1.0)
        return emitOptionalError(location, "scale ", scale, " of dim size ",
                                 size, " gives an empty dim");
      dims.push_back(static_cast<int64_t>(product));
    }
    return success();
  }
  if (sizes->size() != rank)
    return emitOptionalError(location, "sizes has ", sizes->size(),
                             " entries, expected ", rank);
  // The common factor of the keep-aspect-ratio policies, over the dims
  // that have a size.
  double common = 0.0;
  bool known = true;
  for (auto [size, target] : llvm::zip_equal(in, *sizes)) {
    if (target == -1)
      continue;
    if (target < 1 || target >= kMaxTensorBytes)
      return emitOptionalError(location, "size ", target,
                               " is not a positive dim size");
    if (ShapedType::isDynamic(size)) {
      known = false;
      continue;
    }
    double factor = static_cast<double>(target) / static_cast<double>(size);
    if (common == 0.0 || (policy == "not_larger" && factor < common) ||
        (policy == "not_smaller" && factor > common))
      common = factor;
  }
  for (auto [size, target] : llvm::zip_equal(in, *sizes)) {
    if (target == -1) {
      dims.push_back(size);
      factors.push_back(1.0);
    } else if (policy == "stretch") {
      dims.push_back(target);
      factors.push_back(ShapedType::isDynamic(size)
                            ? 0.0
                            : static_cast<double>(target) /
                                  static_cast<double>(size));
    } else if (!known) {
      dims.push_back(kDynamic);
      factors.push_back(0.0);
    } else {
      // Rounded half up, as ONNX's reference does.
      double product = common * static_cast<double>(size) + 0.5;
      if (product >= static_cast<double>(kMaxTensorBytes) || product < 1.0)
        return emitOptionalError(location, "keep_aspect_ratio_policy gives "
                                           "an empty or too large dim");
      dims.push_back(static_cast<int64_t>(product));
      factors.push_back(common);
    }
  }
  return success();
}

FailureOr<SmallVector<double>> ResizeOp::getScaleFactors() {
  SmallVector<int64_t> dims;
  SmallVector<double> factors;
  if (failed(resolveResize(getLoc(), getInput().getType().getShape(),
                           getScales(), getSizes(), getKeepAspectRatioPolicy(),
                           dims, factors)) ||
      (llvm::is_contained(factors, 0.0) &&
       getKeepAspectRatioPolicy() != "stretch"))
    return failure();
  return factors;
}

LogicalResult
ResizeOp::inferReturnTypeComponents(MLIRContext *,
                                    std::optional<Location> location,
                                    Adaptor adaptor, Components &inferred) {
  Value input = adaptor.getInput();
  int64_t rank = rankOf(input);
  if (rank < 1)
    return emitOptionalError(location, "input must have rank >= 1");
  StringRef mode = adaptor.getMode();
  if (mode != "nearest" && mode != "linear" && mode != "cubic")
    return emitOptionalError(location, "mode '", mode, "' is unknown");
  StringRef transform = adaptor.getCoordinateTransformationMode();
  if (!llvm::is_contained({"half_pixel", "half_pixel_symmetric",
                           "pytorch_half_pixel", "align_corners", "asymmetric",
                           "tf_half_pixel_for_nn", "tf_crop_and_resize"},
                          transform))
    return emitOptionalError(location, "coordinate_transformation_mode '",
                             transform, "' is unknown");
  StringRef nearestMode = adaptor.getNearestMode();
  if (!llvm::is_contained(
          {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"},
          nearestMode))
    return emitOptionalError(location, "nearest_mode '", nearestMode,
                             "' is unknown");
  if (mode != "nearest" && !isa<FloatType>(elementTypeOf(input)))
    return emitOptionalError(location, mode,
                             " resize needs a float input, got ",
                             elementTypeOf(input));
  if (mode == "nearest" && adaptor.getAntialias())
    return emitOptionalError(location, "antialias needs mode linear or cubic");
  std::optional<ArrayRef<float>> roi = adaptor.getRoi();
  if (roi && static_cast<int64_t>(roi->size()) != 2 * rank)
    return emitOptionalError(location, "roi has ", roi->size(),
                             " entries, expected ", 2 * rank);
  if (transform == "tf_crop_and_resize" && !roi)
    return emitOptionalError(location, "tf_crop_and_resize needs a roi");
  SmallVector<int64_t> dims;
  SmallVector<double> factors;
  if (failed(resolveResize(location, shapeOf(input), adaptor.getScales(),
                           adaptor.getSizes(),
                           adaptor.getKeepAspectRatioPolicy(), dims, factors)))
    return failure();
  inferred.emplace_back(dims, elementTypeOf(input));
  return success();
}

//===----------------------------------------------------------------------===//
// rnn, gru, lstm
//===----------------------------------------------------------------------===//

/// The activation functions of ONNX's recurrent layers.
static bool isRecurrentActivation(StringRef name) {
  return llvm::is_contained({"Relu", "Tanh", "Sigmoid", "Affine", "LeakyRelu",
                             "ThresholdedRelu", "ScaledTanh", "HardSigmoid",
                             "Elu", "Softsign", "Softplus"},
                            name);
}

/// Checks that `value` (when present) has `dims` (`?` matches anything)
/// and, for a float operand, the element type of X.
static LogicalResult checkRecurrentOperand(std::optional<Location> location,
                                           Value value, ArrayRef<int64_t> dims,
                                           Type elementType, StringRef name) {
  if (!value)
    return success();
  ArrayRef<int64_t> shape = shapeOf(value);
  bool matches = shape.size() == dims.size();
  for (size_t i = 0; matches && i < dims.size(); ++i)
    matches = joinDims(shape[i], dims[i]).has_value();
  if (!matches) {
    std::string expected;
    llvm::raw_string_ostream os(expected);
    llvm::interleave(
        dims, os,
        [&](int64_t dim) {
          if (ShapedType::isDynamic(dim))
            os << "?";
          else
            os << dim;
        },
        "x");
    return emitOptionalError(location, name, " must have shape ", expected,
                             ", got ", value.getType());
  }
  if (elementType && elementTypeOf(value) != elementType)
    return emitOptionalError(location, name, " element type ",
                             elementTypeOf(value), " differs from X's ",
                             elementType);
  return success();
}

/// Shared inference of rnn (1 gate, 1 activation), gru (3, 2) and lstm
/// (4, 3): Y (seq, dirs, batch, hidden), Y_h (and Y_c) (dirs, batch,
/// hidden).
template <typename Adaptor>
static LogicalResult inferRecurrentShape(std::optional<Location> location,
                                         Adaptor adaptor, int64_t gates,
                                         int64_t functions, int64_t states,
                                         Components &inferred) {
  Value x = adaptor.getInput();
  ArrayRef<int64_t> xShape = shapeOf(x);
  Type type = elementTypeOf(x);
  if (xShape.size() != 3)
    return emitOptionalError(
        location, "X must be (seq, batch, input), got rank ", xShape.size());
  if (!isa<FloatType>(type))
    return emitOptionalError(location, "X must hold floats, got ", type);
  int64_t hidden = adaptor.getHiddenSize();
  int64_t gateRows;
  if (hidden < 1 || hidden >= kMaxTensorBytes ||
      !checkedMul(hidden, gates * 2, gateRows))
    return emitOptionalError(location, "hidden_size ", hidden,
                             " is not a valid size");
  StringRef direction = adaptor.getDirection();
  if (direction != "forward" && direction != "reverse" &&
      direction != "bidirectional")
    return emitOptionalError(location, "direction '", direction,
                             "' is unknown");
  int64_t dirs = direction == "bidirectional" ? 2 : 1;
  ArrayAttr activations = adaptor.getActivations();
  if (static_cast<int64_t>(activations.size()) != dirs * functions)
    return emitOptionalError(location, "needs ", dirs * functions,
                             " activations, got ", activations.size());
  for (Attribute activation : activations) {
    StringRef name = cast<StringAttr>(activation).getValue();
    if (!isRecurrentActivation(name))
      return emitOptionalError(location, "activation '", name, "' is unknown");
  }
  if (adaptor.getActivationAlpha().size() != activations.size() ||
      adaptor.getActivationBeta().size() != activations.size())
    return emitOptionalError(location, "needs one activation_alpha and one "
                                       "activation_beta per activation");
  if (std::optional<APFloat> clip = adaptor.getClip())
    if (!(clip->convertToFloat() > 0.0f))
      return emitOptionalError(location, "clip must be positive");
  int64_t seq = xShape[0], batch = xShape[1], input = xShape[2];
  if (failed(checkRecurrentOperand(location, adaptor.getWeight(),
                                   {dirs, gates * hidden, input}, type, "W")) ||
      failed(checkRecurrentOperand(location, adaptor.getRecurrence(),
                                   {dirs, gates * hidden, hidden}, type,
                                   "R")) ||
      failed(checkRecurrentOperand(location, adaptor.getBias(),
                                   {dirs, gateRows}, type, "B")) ||
      failed(checkRecurrentOperand(location, adaptor.getSequenceLens(), {batch},
                                   nullptr, "sequence_lens")) ||
      failed(checkRecurrentOperand(location, adaptor.getInitialH(),
                                   {dirs, batch, hidden}, type, "initial_h")))
    return failure();
  inferred.emplace_back(ArrayRef<int64_t>{seq, dirs, batch, hidden}, type);
  for (int64_t i = 0; i < states; ++i)
    inferred.emplace_back(ArrayRef<int64_t>{dirs, batch, hidden}, type);
  return success();
}

LogicalResult RNNOp::inferReturnTypeComponents(MLIRContext *,
                                               std::optional<Location> location,
                                               Adaptor adaptor,
                                               Components &inferred) {
  return inferRecurrentShape(location, adaptor, /*gates=*/1,
                             /*functions=*/1, /*states=*/1, inferred);
}

LogicalResult GRUOp::inferReturnTypeComponents(MLIRContext *,
                                               std::optional<Location> location,
                                               Adaptor adaptor,
                                               Components &inferred) {
  return inferRecurrentShape(location, adaptor, /*gates=*/3,
                             /*functions=*/2, /*states=*/1, inferred);
}

LogicalResult
LSTMOp::inferReturnTypeComponents(MLIRContext *,
                                  std::optional<Location> location,
                                  Adaptor adaptor, Components &inferred) {
  if (failed(inferRecurrentShape(location, adaptor, /*gates=*/4,
                                 /*functions=*/3, /*states=*/2, inferred)))
    return failure();
  ArrayRef<int64_t> y = inferred.front().getDims();
  int64_t dirs = y[1], batch = y[2], hidden = y[3];
  Type type = elementTypeOf(adaptor.getInput());
  if (failed(checkRecurrentOperand(location, adaptor.getInitialC(),
                                   {dirs, batch, hidden}, type, "initial_c")) ||
      failed(checkRecurrentOperand(location, adaptor.getPeepholes(),
                                   {dirs, 3 * hidden}, type, "P")))
    return failure();
  return success();
}

} // namespace kiln::graph
