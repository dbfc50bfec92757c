//===- ImportLoss.cpp - ONNX loss functions -------------------------------===//
//
// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss, built from graph
// ops the way ONNX's own function bodies define them. With x (N, C, d...)
// and target t (N, d...):
//
//   ignored = t == ignore_index        (when ignore_index is set)
//   safe    = where(ignored, 0, t)     (a class index in range)
//   picked  = squeeze(gather_elements(x, unsqueeze(safe, 1), axis 1), 1)
//   w       = where(ignored, 0, weight given ? gather(weight, safe) : 1)
//   loss    = -picked * w              (N, d...)
//   none: loss; sum: reduce_sum(loss);
//   mean: reduce_sum(loss) / reduce_sum(w)
//
// Without weight and ignore_index, w is 1 and mean is reduce_mean(loss).
// Ignored targets may lie outside [0, C); the others are gather_elements
// indices (negative ones count from the end, others out of range are its
// run-time error).
// SoftmaxCrossEntropyLoss is the same over log_softmax(scores, axis 1), its
// optional second output log_prob.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"
#include "frontends/onnx/OpTable.h"

#include "dialects/graph/GraphOps.h"

using namespace mlir;

namespace kiln::onnxfe {
namespace {

namespace g = ::kiln::graph;

/// The `reduction` attribute: "none", "sum" or "mean" (the default).
FailureOr<std::string> getLossReduction(NodeImporter &n) {
  std::string reduction = n.getString("reduction", "mean");
  if (reduction != "none" && reduction != "sum" && reduction != "mean")
    return n.emitError() << n.getOpType() << " reduction must be \"none\", "
                         << "\"sum\" or \"mean\", not \"" << reduction << "\"";
  return reduction;
}

/// Checks that log-probabilities `x` (N, C, d...), targets `t` (N, d...) and
/// the optional class weights (C) fit together where their dims are known.
LogicalResult checkLossOperands(NodeImporter &n, Value x, Value t,
                                Value weight) {
  auto xType = cast<RankedTensorType>(x.getType());
  auto tType = cast<RankedTensorType>(t.getType());
  if (!isa<FloatType>(xType.getElementType()))
    return n.emitError() << n.getOpType() << " input must be a float tensor";
  if (!tType.getElementType().isInteger(32) &&
      !tType.getElementType().isInteger(64))
    return n.emitError() << n.getOpType() << " target must be int32 or int64";
  if (xType.getRank() < 2 || tType.getRank() != xType.getRank() - 1)
    return n.emitError() << n.getOpType()
                         << " needs input (N, C, d...) and target (N, d...), "
                         << "got ranks " << xType.getRank() << " and "
                         << tType.getRank();
  for (int64_t i = 0, e = tType.getRank(); i < e; ++i) {
    int64_t xDim = xType.getDimSize(i == 0 ? 0 : i + 1);
    int64_t tDim = tType.getDimSize(i);
    if (!ShapedType::isDynamic(xDim) && !ShapedType::isDynamic(tDim) &&
        xDim != tDim)
      return n.emitError() << n.getOpType() << " target dim " << i << " is "
                           << tDim << " where the input has " << xDim;
  }
  if (!weight)
    return success();
  auto wType = cast<RankedTensorType>(weight.getType());
  if (wType.getRank() != 1 || wType.getElementType() != xType.getElementType())
    return n.emitError() << n.getOpType()
                         << " weight must be a 1-d tensor of the input's type";
  int64_t classes = xType.getDimSize(1), weights = wType.getDimSize(0);
  if (!ShapedType::isDynamic(classes) && !ShapedType::isDynamic(weights) &&
      classes != weights)
    return n.emitError() << n.getOpType() << " has " << weights
                         << " weights for " << classes << " classes";
  return success();
}

/// The loss of log-probabilities `x` (N, C, d...) at targets `t` (N, d...),
/// weighted and reduced as the node says; the result has `resultHint`.
FailureOr<Value> buildNllLoss(NodeImporter &n, Value x, Value t, Value weight,
                              Type resultHint) {
  FailureOr<std::string> reduction = getLossReduction(n);
  if (failed(reduction) || failed(checkLossOperands(n, x, t, weight)))
    return failure();
  Builder &b = n.getBuilder();
  Type floatType = cast<RankedTensorType>(x.getType()).getElementType();
  Type indexType = cast<RankedTensorType>(t.getType()).getElementType();

  // t, with ignored targets replaced by class 0 so that every read is in
  // range; `ignored` is where they were.
  Value safe = t, ignored;
  if (n.hasAttr("ignore_index")) {
    int64_t value = n.getInt("ignore_index", 0);
    if (indexType.isInteger(32) && value != static_cast<int32_t>(value))
      return n.emitError() << n.getOpType() << " ignore_index " << value
                           << " does not fit its int32 targets";
    // Exactly, without createScalar's trip through double.
    Value ignoreIndex = n.createConstant(DenseElementsAttr::get(
        RankedTensorType::get({}, indexType),
        APInt(indexType.getIntOrFloatBitWidth(), value, /*isSigned=*/true)));
    FailureOr<Value> isIgnored =
        n.createValue<g::EqualOp>({}, {t, ignoreIndex});
    if (failed(isIgnored))
      return failure();
    ignored = *isIgnored;
    FailureOr<Value> replaced = n.createValue<g::WhereOp>(
        {}, {ignored, n.createScalar(indexType, 0), t});
    if (failed(replaced))
      return failure();
    safe = *replaced;
  }

  // picked = x[n, safe[n, d...], d...], (N, d...)
  NamedAttribute axis1 = n.namedAttr("axes", b.getDenseI64ArrayAttr({1}));
  FailureOr<Value> index = n.createValue<g::UnsqueezeOp>({}, {safe}, {axis1});
  if (failed(index))
    return failure();
  FailureOr<Value> gathered = n.createValue<g::GatherElementsOp>(
      {}, {x, *index}, {n.namedAttr("axis", b.getI64IntegerAttr(1))});
  if (failed(gathered))
    return failure();
  FailureOr<Value> picked =
      n.createValue<g::SqueezeOp>({}, {*gathered}, {axis1});
  if (failed(picked))
    return failure();
  FailureOr<Value> loss = n.createValue<g::NegOp>({}, {*picked});
  if (failed(loss))
    return failure();

  // w: the weight of each target's class, 0 where it is ignored; null when
  // every weight is 1.
  Value w;
  if (weight) {
    FailureOr<Value> classWeight = n.createValue<g::GatherOp>(
        {}, {weight, safe}, {n.namedAttr("axis", b.getI64IntegerAttr(0))});
    if (failed(classWeight))
      return failure();
    w = *classWeight;
  }
  if (ignored) {
    Value kept = w ? w : n.createScalar(floatType, 1);
    FailureOr<Value> masked = n.createValue<g::WhereOp>(
        {}, {ignored, n.createScalar(floatType, 0), kept});
    if (failed(masked))
      return failure();
    w = *masked;
  }
  if (w) {
    loss = n.createValue<g::MulOp>({}, {*loss, w});
    if (failed(loss))
      return failure();
  }
  if (*reduction == "none")
    return loss;

  NamedAttribute noKeepdims = n.namedAttr("keepdims", b.getBoolAttr(false));
  if (*reduction == "mean" && !w)
    return n.createValue<g::ReduceMeanOp>(resultHint, {*loss}, {noKeepdims});
  FailureOr<Value> sum = n.createValue<g::ReduceSumOp>(
      *reduction == "sum" ? resultHint : Type(), {*loss}, {noKeepdims});
  if (failed(sum) || *reduction == "sum")
    return sum;
  FailureOr<Value> weightSum =
      n.createValue<g::ReduceSumOp>({}, {w}, {noKeepdims});
  if (failed(weightSum))
    return failure();
  return n.createValue<g::DivOp>(resultHint, {*sum, *weightSum});
}

/// NegativeLogLikelihoodLoss(input, target, weight?).
LogicalResult importNllLoss(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  FailureOr<Value> target = n.getRequiredInput(1);
  if (failed(input) || failed(target))
    return failure();
  FailureOr<Value> loss =
      buildNllLoss(n, *input, *target, n.getInput(2), n.getOutputHint(0));
  if (failed(loss))
    return failure();
  n.setOutput(0, *loss);
  return success();
}

/// SoftmaxCrossEntropyLoss(scores, labels, weights?) -> (loss, log_prob?).
LogicalResult importSoftmaxCrossEntropyLoss(NodeImporter &n) {
  FailureOr<Value> scores = n.getRequiredInput(0);
  FailureOr<Value> labels = n.getRequiredInput(1);
  if (failed(scores) || failed(labels))
    return failure();
  if (cast<RankedTensorType>(scores->getType()).getRank() < 2)
    return n.emitError() << "SoftmaxCrossEntropyLoss needs scores of rank 2 "
                         << "or more";
  FailureOr<Value> logProb = n.createValue<g::LogSoftmaxOp>(
      n.getOutputHint(1), {*scores},
      {n.namedAttr("axis", n.getBuilder().getI64IntegerAttr(1))});
  if (failed(logProb))
    return failure();
  FailureOr<Value> loss =
      buildNllLoss(n, *logProb, *labels, n.getInput(2), n.getOutputHint(0));
  if (failed(loss))
    return failure();
  n.setOutput(0, *loss);
  if (n.isOutputUsed(1))
    n.setOutput(1, *logProb);
  return success();
}

} // namespace

void registerLossOps(OpTable &table) {
  // 13 and 22 add element types (bfloat16).
  table.add("NegativeLogLikelihoodLoss", {12, 13, 22}, importNllLoss);
  table.add("SoftmaxCrossEntropyLoss", {12, 13}, importSoftmaxCrossEntropyLoss);
}

} // namespace kiln::onnxfe
