//===- ImportReduce.cpp - ONNX reductions ---------------------------------===//
//
// Reduce* and ArgMax / ArgMin. The graph ops hold `axes` as an attribute:
// ReduceSum from opset 13, and the other reductions from opset 18, take
// axes as an optional input, which must then be a constant, and gain
// noop_with_empty_axes (no axes: the identity rather than a reduction over
// every axis).
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"
#include "frontends/onnx/OpTable.h"

#include "dialects/graph/GraphOps.h"

using namespace mlir;

namespace kiln::onnxfe {
namespace {

namespace g = ::kiln::graph;

/// The attributes of a reduction with `axes` as an attribute (absent: all
/// axes).
SmallVector<NamedAttribute> getReduceAttrsFromAttr(NodeImporter &n) {
  Builder &b = n.getBuilder();
  SmallVector<NamedAttribute> attrs = {
      n.namedAttr("keepdims", b.getBoolAttr(n.getInt("keepdims", 1)))};
  if (std::optional<SmallVector<int64_t>> axes = n.getInts("axes"))
    attrs.push_back(n.namedAttr("axes", b.getDenseI64ArrayAttr(*axes)));
  return attrs;
}

/// The attributes of a reduction with `axes` as an optional constant input
/// and noop_with_empty_axes.
FailureOr<SmallVector<NamedAttribute>>
getReduceAttrsFromInput(NodeImporter &n) {
  Builder &b = n.getBuilder();
  SmallVector<NamedAttribute> attrs = {
      n.namedAttr("keepdims", b.getBoolAttr(n.getInt("keepdims", 1))),
      n.namedAttr("noop_with_empty_axes",
                  b.getBoolAttr(n.getInt("noop_with_empty_axes", 0)))};
  if (n.getInput(1)) {
    FailureOr<SmallVector<int64_t>> axes = n.getRequiredConstantInts(1, "axes");
    if (failed(axes))
      return failure();
    attrs.push_back(n.namedAttr("axes", b.getDenseI64ArrayAttr(*axes)));
  }
  return attrs;
}

/// Reduce* with `axes` as an attribute (ReduceSum before opset 13, the
/// others before 18).
template <typename OpTy> LogicalResult importReduceAxesAttr(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  return n.createOutput<OpTy>({*input}, getReduceAttrsFromAttr(n));
}

/// Reduce* with `axes` as an input (ReduceSum from opset 13, the others
/// from 18).
template <typename OpTy> LogicalResult importReduceAxesInput(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  FailureOr<SmallVector<NamedAttribute>> attrs = getReduceAttrsFromInput(n);
  if (failed(input) || failed(attrs))
    return failure();
  return n.createOutput<OpTy>({*input}, *attrs);
}

/// reduce_log_sum(x) -> log(reduce_sum(x)); axes as an attribute before
/// opset 18, as an input from 18 on.
LogicalResult importReduceLogSum(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  SmallVector<NamedAttribute> attrs;
  if (n.getOpset() < 18) {
    attrs = getReduceAttrsFromAttr(n);
  } else {
    FailureOr<SmallVector<NamedAttribute>> fromInput =
        getReduceAttrsFromInput(n);
    if (failed(fromInput))
      return failure();
    attrs = *fromInput;
  }
  FailureOr<Value> sum =
      n.createValue<g::ReduceSumOp>(n.getOutputHint(0), {*input}, attrs);
  if (failed(sum))
    return failure();
  return n.createOutput<g::LogOp>({*sum}, {}, sum->getType());
}

/// ArgMax / ArgMin; select_last_index exists from opset 12 (default 0).
template <typename OpTy> LogicalResult importArgReduce(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  Builder &b = n.getBuilder();
  return n.createOutput<OpTy>(
      {*input},
      {n.namedAttr("axis", b.getI64IntegerAttr(n.getInt("axis", 0))),
       n.namedAttr("keepdims", b.getBoolAttr(n.getInt("keepdims", 1))),
       n.namedAttr("select_last_index",
                   b.getBoolAttr(n.getInt("select_last_index", 0)))});
}

} // namespace

void registerReduceOps(OpTable &table) {
  // Axes as an attribute, then (ReduceSum from 13, the others from 18) as
  // an input; later versions add element types only (bool for ReduceMax /
  // ReduceMin 20; ReduceLogSum / ReduceLogSumExp 28 drop the integers).
  table.add("ReduceSum", {1, 11}, importReduceAxesAttr<g::ReduceSumOp>);
  table.add("ReduceSum", {13}, importReduceAxesInput<g::ReduceSumOp>);
  table.add("ReduceMean", {1, 11, 13}, importReduceAxesAttr<g::ReduceMeanOp>);
  table.add("ReduceMean", {18}, importReduceAxesInput<g::ReduceMeanOp>);
  table.add("ReduceMax", {1, 11, 12, 13}, importReduceAxesAttr<g::ReduceMaxOp>);
  table.add("ReduceMax", {18, 20}, importReduceAxesInput<g::ReduceMaxOp>);
  table.add("ReduceMin", {1, 11, 12, 13}, importReduceAxesAttr<g::ReduceMinOp>);
  table.add("ReduceMin", {18, 20}, importReduceAxesInput<g::ReduceMinOp>);
  table.add("ReduceProd", {1, 11, 13}, importReduceAxesAttr<g::ReduceProdOp>);
  table.add("ReduceProd", {18}, importReduceAxesInput<g::ReduceProdOp>);
  table.add("ReduceSumSquare", {1, 11, 13},
            importReduceAxesAttr<g::ReduceSumSquareOp>);
  table.add("ReduceSumSquare", {18},
            importReduceAxesInput<g::ReduceSumSquareOp>);
  table.add("ReduceL1", {1, 11, 13}, importReduceAxesAttr<g::ReduceL1Op>);
  table.add("ReduceL1", {18}, importReduceAxesInput<g::ReduceL1Op>);
  table.add("ReduceL2", {1, 11, 13}, importReduceAxesAttr<g::ReduceL2Op>);
  table.add("ReduceL2", {18}, importReduceAxesInput<g::ReduceL2Op>);
  table.add("ReduceLogSumExp", {1, 11, 13},
            importReduceAxesAttr<g::ReduceLogSumExpOp>);
  table.add("ReduceLogSumExp", {18, 28},
            importReduceAxesInput<g::ReduceLogSumExpOp>);
  table.add("ReduceLogSum", {1, 11, 13, 18, 28}, importReduceLogSum);
  table.add("ArgMax", {1, 11, 12, 13}, importArgReduce<g::ArgMaxOp>);
  table.add("ArgMin", {1, 11, 12, 13}, importArgReduce<g::ArgMinOp>);
}

} // namespace kiln::onnxfe
