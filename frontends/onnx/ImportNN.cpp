//===- ImportNN.cpp - Neural-network ONNX ops -----------------------------===//
//
// MatMul, Gemm, convolution and pooling (LpPool through an average pool),
// normalizations (LpNormalization built from a reduction and a division),
// Softmax and LogSoftmax, Dropout. Window attributes are filled in with their
// ONNX defaults (kernel_shape from the weight when absent, unit strides and
// dilations, zero pads) so that graph ops always carry them explicitly.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"
#include "frontends/onnx/OpTable.h"

#include "dialects/graph/GraphOps.h"

using namespace mlir;

namespace kiln::onnxfe {
namespace {

namespace g = ::kiln::graph;

LogicalResult importMatMul(NodeImporter &n) {
  FailureOr<Value> lhs = n.getRequiredInput(0);
  FailureOr<Value> rhs = n.getRequiredInput(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  return n.createOutput<g::MatMulOp>({*lhs, *rhs});
}

/// Gemm; before opset 7 `broadcast` allowed C to broadcast, which numpy
/// broadcasting of C to (M, N) covers.
LogicalResult importGemm(NodeImporter &n) {
  FailureOr<Value> a = n.getRequiredInput(0);
  FailureOr<Value> b = n.getRequiredInput(1);
  if (failed(a) || failed(b))
    return failure();
  SmallVector<Value> operands = {*a, *b};
  if (Value c = n.getInput(2))
    operands.push_back(c);
  n.ignoreAttr("broadcast", onnx::AttributeProto::INT);
  Builder &builder = n.getBuilder();
  return n.createOutput<g::GemmOp>(
      operands,
      {n.namedAttr("alpha", builder.getF32FloatAttr(n.getFloat("alpha", 1.0f))),
       n.namedAttr("beta", builder.getF32FloatAttr(n.getFloat("beta", 1.0f))),
       n.namedAttr("transA", builder.getBoolAttr(n.getInt("transA", 0))),
       n.namedAttr("transB", builder.getBoolAttr(n.getInt("transB", 0)))});
}

/// The window attributes of a convolution or pooling node, ONNX defaults
/// filled in.
struct Window {
  SmallVector<int64_t> kernelShape, strides, pads, dilations;
  std::string autoPad;
};

/// Reads the window of `n`; `kernelShape` is the shape to use when the node
/// has no `kernel_shape` attribute (empty when it is required), whose
/// dynamic entries are taken with `allowDynamicKernel` (a conv's window is
/// then its weight's size at run time).
FailureOr<Window> getWindow(NodeImporter &n, ArrayRef<int64_t> kernelShape,
                            bool allowDynamicKernel = false) {
  Window window;
  if (std::optional<SmallVector<int64_t>> attr = n.getInts("kernel_shape"))
    window.kernelShape = *attr;
  else
    window.kernelShape.assign(kernelShape.begin(), kernelShape.end());
  if (window.kernelShape.empty())
    return n.emitError() << n.getOpType() << " needs a kernel_shape";
  if (!allowDynamicKernel &&
      llvm::any_of(window.kernelShape, ShapedType::isDynamic))
    return n.emitError() << n.getOpType()
                         << " has no kernel_shape and its weight's spatial "
                            "dims are not static";
  size_t rank = window.kernelShape.size();
  window.strides = n.getInts("strides").value_or(SmallVector<int64_t>(rank, 1));
  window.dilations =
      n.getInts("dilations").value_or(SmallVector<int64_t>(rank, 1));
  window.pads = n.getInts("pads").value_or(SmallVector<int64_t>(2 * rank, 0));
  window.autoPad = n.getString("auto_pad", "NOTSET");
  if (window.strides.size() != rank || window.dilations.size() != rank ||
      window.pads.size() != 2 * rank)
    return n.emitError() << n.getOpType() << " with a kernel of rank " << rank
                         << " needs " << rank << " strides and dilations and "
                         << 2 * rank << " pads";
  return window;
}

SmallVector<NamedAttribute> getWindowAttrs(NodeImporter &n,
                                           const Window &window) {
  Builder &b = n.getBuilder();
  return {
      n.namedAttr("kernel_shape", b.getDenseI64ArrayAttr(window.kernelShape)),
      n.namedAttr("strides", b.getDenseI64ArrayAttr(window.strides)),
      n.namedAttr("pads", b.getDenseI64ArrayAttr(window.pads)),
      n.namedAttr("dilations", b.getDenseI64ArrayAttr(window.dilations)),
      n.namedAttr("auto_pad", b.getStringAttr(window.autoPad))};
}

/// What Conv and ConvTranspose share: X, W (rank >= 3), the optional bias,
/// and the window with kernel_shape defaulting to W's spatial dims.
struct ConvOperands {
  SmallVector<Value> operands; // X, W[, B]
  Window window;
};
FailureOr<ConvOperands> getConvOperands(NodeImporter &n, StringRef opName,
                                        bool allowDynamicKernel = false) {
  FailureOr<Value> input = n.getRequiredInput(0);
  FailureOr<Value> weight = n.getRequiredInput(1);
  if (failed(input) || failed(weight))
    return failure();
  auto weightType = cast<RankedTensorType>(weight->getType());
  if (weightType.getRank() < 3)
    return n.emitError() << opName << " weight must have rank >= 3, got "
                         << weightType;
  FailureOr<Window> window =
      getWindow(n, weightType.getShape().drop_front(2), allowDynamicKernel);
  if (failed(window))
    return failure();
  ConvOperands conv{{*input, *weight}, *window};
  if (Value bias = n.getInput(2))
    conv.operands.push_back(bias);
  return conv;
}

/// Conv; kernel_shape defaults to the weight's spatial dims.
LogicalResult importConv(NodeImporter &n) {
  FailureOr<ConvOperands> conv =
      getConvOperands(n, "Conv", /*allowDynamicKernel=*/true);
  if (failed(conv))
    return failure();
  SmallVector<NamedAttribute> attrs = getWindowAttrs(n, conv->window);
  attrs.push_back(n.namedAttr(
      "group", n.getBuilder().getI64IntegerAttr(n.getInt("group", 1))));
  return n.createOutput<g::ConvOp>(conv->operands, attrs);
}

/// MaxPool; the Indices output (opset 8) is not supported.
LogicalResult importMaxPool(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input) ||
      failed(n.rejectUsedOutputs(1, "argmax indices are not computed")))
    return failure();
  // The layout of the (unused) indices output.
  (void)n.getInt("storage_order", 0);
  FailureOr<Window> window = getWindow(n, {});
  if (failed(window))
    return failure();
  SmallVector<NamedAttribute> attrs = getWindowAttrs(n, *window);
  attrs.push_back(n.namedAttr(
      "ceil_mode", n.getBuilder().getBoolAttr(n.getInt("ceil_mode", 0))));
  return n.createOutput<g::MaxPoolOp>({*input}, attrs);
}

LogicalResult importAveragePool(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  FailureOr<Window> window = getWindow(n, {});
  if (failed(window))
    return failure();
  Builder &b = n.getBuilder();
  SmallVector<NamedAttribute> attrs = getWindowAttrs(n, *window);
  attrs.push_back(
      n.namedAttr("ceil_mode", b.getBoolAttr(n.getInt("ceil_mode", 0))));
  attrs.push_back(n.namedAttr("count_include_pad",
                              b.getBoolAttr(n.getInt("count_include_pad", 0))));
  return n.createOutput<g::AveragePoolOp>({*input}, attrs);
}

/// LpPool: the p-norm of each window, through an average pool that counts
/// the pads (which add |0|^p = 0) times the window size K:
///   y = (average_pool(|x|^p, count_include_pad) * K)^(1/p)
/// A window that ceil_mode lets run past the pads would be averaged over
/// fewer than K elements: ceil_mode is refused.
LogicalResult importLpPool(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  Type elementType = cast<RankedTensorType>(input->getType()).getElementType();
  if (!isa<FloatType>(elementType))
    return n.emitError() << "LpPool needs a float input";
  int64_t p = n.getInt("p", 2);
  if (p < 1)
    return n.emitError() << "LpPool p must be 1 or more, got " << p;
  if (n.getInt("ceil_mode", 0) != 0)
    return n.emitError() << "LpPool ceil_mode is not supported";
  FailureOr<Window> window = getWindow(n, {});
  if (failed(window))
    return failure();
  int64_t windowSize = 1;
  for (int64_t size : window->kernelShape) {
    if (size < 1 || size > (int64_t(1) << 24) / windowSize)
      return n.emitError() << "LpPool kernel_shape must be positive and hold "
                           << "at most 2^24 elements";
    windowSize *= size;
  }

  FailureOr<Value> powered = n.createValue<g::AbsOp>({}, {*input});
  if (failed(powered))
    return failure();
  if (p > 1)
    powered = n.createValue<g::PowOp>(
        {}, {*powered, n.createScalar(elementType, static_cast<double>(p))});
  if (failed(powered))
    return failure();
  Builder &b = n.getBuilder();
  SmallVector<NamedAttribute> attrs = getWindowAttrs(n, *window);
  attrs.push_back(n.namedAttr("ceil_mode", b.getBoolAttr(false)));
  attrs.push_back(n.namedAttr("count_include_pad", b.getBoolAttr(true)));
  FailureOr<Value> mean =
      n.createValue<g::AveragePoolOp>({}, {*powered}, attrs);
  if (failed(mean))
    return failure();
  Value size = n.createScalar(elementType, static_cast<double>(windowSize));
  if (p == 1)
    return n.createOutput<g::MulOp>({*mean, size});
  FailureOr<Value> sum = n.createValue<g::MulOp>({}, {*mean, size});
  if (failed(sum))
    return failure();
  return n.createOutput<g::PowOp>(
      {*sum, n.createScalar(elementType, 1.0 / static_cast<double>(p))});
}

template <typename OpTy> LogicalResult importGlobalPool(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  return n.createOutput<OpTy>({*input});
}

/// BatchNormalization in inference mode: only output 0 (Y).
LogicalResult importBatchNorm(NodeImporter &n) {
  SmallVector<Value> operands;
  for (unsigned i = 0; i < 5; ++i) {
    FailureOr<Value> operand = n.getRequiredInput(i);
    if (failed(operand))
      return failure();
    operands.push_back(*operand);
  }
  if (n.getInt("training_mode", 0) != 0)
    return n.emitError() << "BatchNormalization in training mode is not "
                            "supported";
  if (n.getOpset() < 9 && n.getInt("spatial", 1) == 0)
    return n.emitError() << "BatchNormalization with spatial=0 is not "
                            "supported";
  // What the running statistics would be updated with; inference reads
  // only the given mean and variance. Before opset 7, `is_test` named the
  // mode and `consumed_inputs` the in-place inputs.
  n.ignoreAttr("momentum", onnx::AttributeProto::FLOAT);
  n.ignoreAttr("is_test", onnx::AttributeProto::INT);
  n.ignoreAttr("consumed_inputs", onnx::AttributeProto::INTS);
  if (failed(n.rejectUsedOutputs(1, "training-mode statistics")))
    return failure();
  return n.createOutput<g::BatchNormOp>(
      operands,
      {n.namedAttr("epsilon", n.getBuilder().getF32FloatAttr(
                                  n.getFloat("epsilon", 1e-5f)))},
      operands[0].getType());
}

/// LayerNormalization (opset 17). Outputs 1 and 2 (Mean, InvStdDev) are
/// the op's statistics, computed in f32 whatever `stash_type` says.
LogicalResult importLayerNorm(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  FailureOr<Value> scale = n.getRequiredInput(1);
  if (failed(input) || failed(scale) ||
      failed(n.rejectUsedOutputs(3, "LayerNormalization has 3 outputs")))
    return failure();
  // The statistics are computed in float (ONNX's default stash_type 1).
  if (int64_t stash = n.getInt("stash_type", 1); stash != 1)
    return n.emitError() << "LayerNormalization with stash_type " << stash
                         << " is not supported (float statistics only)";
  SmallVector<Value> operands = {*input, *scale};
  if (Value bias = n.getInput(2))
    operands.push_back(bias);
  Builder &b = n.getBuilder();
  SmallVector<NamedAttribute> attrs = {
      n.namedAttr("axis", b.getI64IntegerAttr(n.getInt("axis", -1))),
      n.namedAttr("epsilon", b.getF32FloatAttr(n.getFloat("epsilon", 1e-5f)))};
  bool withStatistics = n.isOutputUsed(1) || n.isOutputUsed(2);
  if (!withStatistics)
    return n.createOutput<g::LayerNormOp>(operands, attrs, input->getType());
  attrs.push_back(n.namedAttr("with_statistics", b.getUnitAttr()));
  SmallVector<Type> hints = {
      NodeImporter::joinHints(n.getOutputHint(0), input->getType()),
      n.getOutputHint(1), n.getOutputHint(2)};
  FailureOr<g::LayerNormOp> op =
      n.create<g::LayerNormOp>(hints, operands, attrs);
  if (failed(op))
    return failure();
  n.setOutput(0, op->getOutput());
  n.setOutput(1, op->getMean());
  n.setOutput(2, op->getInvStdDev());
  return success();
}

/// Softmax and LogSoftmax. From opset 13 they normalize along `axis`
/// (default -1). Before, they flatten to 2-d at `axis` (default 1) and
/// normalize the rows:
///   softmax_old(x, k) = reshape(softmax(flatten(x, k), 1), shape(x))
/// which is softmax(x, k) itself when k is the last dimension.
template <typename OpTy> LogicalResult importSoftmax(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  auto inputType = cast<RankedTensorType>(input->getType());
  Builder &b = n.getBuilder();
  int64_t rank = inputType.getRank();
  if (n.getOpset() >= 13)
    return n.createOutput<OpTy>(
        {*input},
        {n.namedAttr("axis", b.getI64IntegerAttr(n.getInt("axis", -1)))},
        inputType);

  int64_t axis = n.getInt("axis", 1);
  if (axis < -rank || axis > rank)
    return n.emitError() << n.getOpType() << " axis " << axis
                         << " is out of range for rank " << rank;
  if (axis < 0)
    axis += rank;
  if (axis == rank - 1)
    return n.createOutput<OpTy>(
        {*input}, {n.namedAttr("axis", b.getI64IntegerAttr(axis))}, inputType);

  FailureOr<Value> flat = n.createValue<g::FlattenOp>(
      {}, {*input}, {n.namedAttr("axis", b.getI64IntegerAttr(axis))});
  if (failed(flat))
    return failure();
  FailureOr<Value> normalized = n.createValue<OpTy>(
      flat->getType(), {*flat}, {n.namedAttr("axis", b.getI64IntegerAttr(1))});
  FailureOr<Value> shape = n.createValue<g::ShapeOp>(
      RankedTensorType::get({rank}, b.getI64Type()), {*input});
  if (failed(normalized) || failed(shape))
    return failure();
  return n.createOutput<g::ReshapeOp>({*normalized, *shape}, {}, inputType);
}

/// Dropout at inference is the identity. Its mask output, when read, is all
/// true (of the input's type before opset 10, bool from 10 on).
LogicalResult importDropout(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  // In inference Dropout is the identity: the ratio (an attribute before
  // opset 12), the seed and the legacy is_test change nothing.
  n.ignoreAttr("ratio", onnx::AttributeProto::FLOAT);
  n.ignoreAttr("seed", onnx::AttributeProto::INT);
  n.ignoreAttr("is_test", onnx::AttributeProto::INT);
  if (Value training = n.getInput(2)) {
    std::optional<SmallVector<int64_t>> mode = n.getConstantInts(training);
    if (!mode || mode->size() != 1 || (*mode)[0] != 0)
      return n.emitError() << "Dropout in training mode (or with a "
                              "training_mode that is not constant false) is "
                              "not supported";
  }
  auto inputType = cast<RankedTensorType>(input->getType());
  if (failed(n.createOutput<g::DropoutOp>({*input}, {}, inputType)))
    return failure();
  if (!n.isOutputUsed(1))
    return success();

  Builder &b = n.getBuilder();
  Type maskElementType =
      n.getOpset() >= 10 ? b.getI1Type() : inputType.getElementType();
  auto valueType = RankedTensorType::get({1}, maskElementType);
  Attribute one = isa<FloatType>(maskElementType)
                      ? Attribute(b.getFloatAttr(maskElementType, 1.0))
                      : Attribute(b.getIntegerAttr(maskElementType, 1));
  FailureOr<Value> shape = n.createValue<g::ShapeOp>(
      RankedTensorType::get({inputType.getRank()}, b.getI64Type()), {*input});
  if (failed(shape))
    return failure();
  FailureOr<Value> mask = n.createValue<g::ConstantOfShapeOp>(
      RankedTensorType::get(inputType.getShape(), maskElementType), {*shape},
      {n.namedAttr("value", DenseElementsAttr::get(valueType, one))});
  if (failed(mask))
    return failure();
  n.setOutput(1, *mask);
  return success();
}

/// TopK: k is an attribute before opset 10, an input (a one-element i64
/// tensor) from 10 on; `largest` and `sorted` come in opset 11. The graph op
/// always sorts, which is one of the orders `sorted = 0` allows.
LogicalResult importTopK(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  Value k;
  if (n.getOpset() < 10) {
    const onnx::AttributeProto *attr =
        n.findAttr("k", onnx::AttributeProto::INT);
    if (!attr)
      return n.emitError() << "TopK needs an integer attribute k";
    k = n.createI64Tensor({attr->i()});
  } else {
    FailureOr<Value> kInput = n.getRequiredInput(1);
    if (failed(kInput))
      return failure();
    k = *kInput;
  }
  bool largest = true;
  if (n.getOpset() >= 11) {
    largest = n.getInt("largest", 1) != 0;
    n.ignoreAttr("sorted", onnx::AttributeProto::INT);
  }
  Builder &b = n.getBuilder();
  SmallVector<Type> hints = {n.getOutputHint(0), n.getOutputHint(1)};
  FailureOr<g::TopKOp> op = n.create<g::TopKOp>(
      hints, {*input, k},
      {n.namedAttr("axis", b.getI64IntegerAttr(n.getInt("axis", -1))),
       n.namedAttr("largest", b.getBoolAttr(largest))});
  if (failed(op))
    return failure();
  n.setOutput(0, op->getValues());
  n.setOutput(1, op->getIndices());
  return success();
}

/// ConvTranspose; kernel_shape defaults to the weight's spatial dims (W is
/// (C, M / group, k...)), output_padding to zeros.
LogicalResult importConvTranspose(NodeImporter &n) {
  FailureOr<ConvOperands> conv =
      getConvOperands(n, "ConvTranspose", /*allowDynamicKernel=*/true);
  if (failed(conv))
    return failure();
  const Window *window = &conv->window;
  size_t rank = window->kernelShape.size();
  SmallVector<int64_t> outputPadding =
      n.getInts("output_padding").value_or(SmallVector<int64_t>(rank, 0));
  if (outputPadding.size() != rank)
    return n.emitError() << "ConvTranspose with a kernel of rank " << rank
                         << " needs " << rank << " output_padding entries";
  Builder &b = n.getBuilder();
  SmallVector<NamedAttribute> attrs = getWindowAttrs(n, *window);
  attrs.push_back(
      n.namedAttr("output_padding", b.getDenseI64ArrayAttr(outputPadding)));
  if (std::optional<SmallVector<int64_t>> outputShape =
          n.getInts("output_shape"))
    attrs.push_back(
        n.namedAttr("output_shape", b.getDenseI64ArrayAttr(*outputShape)));
  attrs.push_back(
      n.namedAttr("group", b.getI64IntegerAttr(n.getInt("group", 1))));
  return n.createOutput<g::ConvTransposeOp>(conv->operands, attrs);
}

/// InstanceNormalization: per (n, c), normalize over the spatial dims, then
/// scale and shift per channel:
///   y = layer_norm(x, 1, axis 2) * unsqueeze(scale) + unsqueeze(B)
/// with scale and B (C) unsqueezed to (C, 1, ..., 1).
LogicalResult importInstanceNorm(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  FailureOr<Value> scale = n.getRequiredInput(1);
  FailureOr<Value> bias = n.getRequiredInput(2);
  if (failed(input) || failed(scale) || failed(bias))
    return failure();
  // Before opset 6, the inputs that may be updated in place.
  n.ignoreAttr("consumed_inputs", onnx::AttributeProto::INTS);
  auto inputType = cast<RankedTensorType>(input->getType());
  int64_t rank = inputType.getRank();
  if (rank < 3)
    return n.emitError() << "InstanceNormalization input must have rank >= "
                            "3 (N, C, D1, ...), got "
                         << inputType;
  for (Value value : {*scale, *bias})
    if (cast<RankedTensorType>(value.getType()).getRank() != 1)
      return n.emitError() << "InstanceNormalization scale and B must be 1-d "
                              "(C), got "
                           << value.getType();
  Builder &b = n.getBuilder();
  Type elementType = inputType.getElementType();
  auto oneType = RankedTensorType::get({1}, elementType);
  Value one = n.createConstant(DenseElementsAttr::get(
      oneType, b.getFloatAttr(elementType, 1.0).getValue()));
  FailureOr<Value> normalized = n.createValue<g::LayerNormOp>(
      inputType, {*input, one},
      {n.namedAttr("axis", b.getI64IntegerAttr(2)),
       n.namedAttr("epsilon",
                   b.getF32FloatAttr(n.getFloat("epsilon", 1e-5f)))});
  if (failed(normalized))
    return failure();
  SmallVector<int64_t> spatialAxes;
  for (int64_t axis = 1; axis < rank - 1; ++axis)
    spatialAxes.push_back(axis);
  auto perChannel = [&](Value value) {
    return n.createValue<g::UnsqueezeOp>(
        {}, {value},
        {n.namedAttr("axes", b.getDenseI64ArrayAttr(spatialAxes))});
  };
  FailureOr<Value> channelScale = perChannel(*scale);
  FailureOr<Value> channelBias = perChannel(*bias);
  if (failed(channelScale) || failed(channelBias))
    return failure();
  FailureOr<Value> scaled =
      n.createValue<g::MulOp>(inputType, {*normalized, *channelScale});
  if (failed(scaled))
    return failure();
  return n.createOutput<g::AddOp>({*scaled, *channelBias}, {}, inputType);
}

/// LpNormalization along `axis` with p 1 or 2; a zero norm gives 0:
///   norm = reduce_l<p>(x, [axis], keepdims)
///   y    = where(norm == 0, 0, x / norm)
LogicalResult importLpNormalization(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  auto inputType = cast<RankedTensorType>(input->getType());
  if (!isa<FloatType>(inputType.getElementType()))
    return n.emitError() << "LpNormalization needs a float input";
  int64_t p = n.getInt("p", 2);
  if (p != 1 && p != 2)
    return n.emitError() << "LpNormalization p must be 1 or 2, got " << p;
  int64_t rank = inputType.getRank();
  int64_t axis = n.getInt("axis", -1);
  if (axis < -rank || axis >= rank)
    return n.emitError() << "LpNormalization axis " << axis
                         << " is out of range for rank " << rank;
  Builder &b = n.getBuilder();
  SmallVector<NamedAttribute> attrs = {
      n.namedAttr("axes", b.getDenseI64ArrayAttr({axis})),
      n.namedAttr("keepdims", b.getBoolAttr(true))};
  FailureOr<Value> norm =
      p == 1 ? n.createValue<g::ReduceL1Op>({}, {*input}, attrs)
             : n.createValue<g::ReduceL2Op>({}, {*input}, attrs);
  if (failed(norm))
    return failure();
  FailureOr<Value> quotient = n.createValue<g::DivOp>({}, {*input, *norm});
  Value zero = n.createScalar(inputType.getElementType(), 0);
  FailureOr<Value> isZero = n.createValue<g::EqualOp>({}, {*norm, zero});
  if (failed(quotient) || failed(isZero))
    return failure();
  return n.createOutput<g::WhereOp>({*isZero, zero, *quotient}, {}, inputType);
}

} // namespace

/// Resize (ImportResize.cpp), Einsum (ImportEinsum.cpp), RNN, GRU and
/// LSTM (ImportRecurrent.cpp), RMSNormalization and RotaryEmbedding
/// (ImportTransformer.cpp), NegativeLogLikelihoodLoss and
/// SoftmaxCrossEntropyLoss (ImportLoss.cpp).
void registerResizeOps(OpTable &table);
void registerEinsumOps(OpTable &table);
void registerRecurrentOps(OpTable &table);
void registerTransformerOps(OpTable &table);
void registerLossOps(OpTable &table);

void registerNNOps(OpTable &table) {
  // Versions 9, 13 and 22 of these add element types only; Gemm's C is
  // optional from 11; MaxPool gains Indices (8), dilations and ceil_mode
  // (10); AveragePool gains ceil_mode (10) and dilations (19).
  table.add("MatMul", {1, 9, 13}, importMatMul);
  table.add("Gemm", {1, 6, 7, 9, 11, 13}, importGemm);
  table.add("Conv", {1, 11, 22}, importConv);
  table.add("MaxPool", {1, 8, 10, 11, 12, 22}, importMaxPool);
  table.add("AveragePool", {1, 7, 10, 11, 19, 22}, importAveragePool);
  // 2 makes p an integer; 11 changes pads, 18 adds ceil_mode and dilations.
  table.add("LpPool", {2, 11, 18, 22}, importLpPool);
  table.add("GlobalAveragePool", {1, 22},
            importGlobalPool<g::GlobalAveragePoolOp>);
  table.add("GlobalMaxPool", {1, 22}, importGlobalPool<g::GlobalMaxPoolOp>);
  table.add("BatchNormalization", {1, 6, 7, 9, 14, 15}, importBatchNorm);
  table.add("LayerNormalization", {17}, importLayerNorm);
  table.add("Softmax", {1, 11, 13}, importSoftmax<g::SoftmaxOp>);
  table.add("LogSoftmax", {1, 11, 13}, importSoftmax<g::LogSoftmaxOp>);
  table.add("Dropout", {1, 6, 7, 10, 12, 13, 22}, importDropout);
  // Network ops of exported models.
  table.add("TopK", {1, 10, 11, 24}, importTopK);
  table.add("ConvTranspose", {1, 11, 22}, importConvTranspose);
  registerResizeOps(table);
  registerEinsumOps(table);
  registerRecurrentOps(table);
  registerTransformerOps(table);
  registerLossOps(table);
  table.add("InstanceNormalization", {1, 6, 22}, importInstanceNorm);
  table.add("LpNormalization", {1, 22}, importLpNormalization);
}

} // namespace kiln::onnxfe
