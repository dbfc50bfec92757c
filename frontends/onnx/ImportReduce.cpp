//===- ImportReduce.cpp - ONNX reductions ---------------------------------===//
//
// Reduce* and ArgMax / ArgMin. The graph ops hold `axes` as an attribute:
// ReduceSum from opset 13 takes axes as an optional input, which must then
// be a constant. (The other reductions moved axes to an input in opset 18,
// beyond the opsets imported.)
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"
#include "frontends/onnx/OpTable.h"

#include "dialects/graph/GraphOps.h"

using namespace mlir;

namespace kiln::onnxfe {
namespace {

namespace g = ::kiln::graph;

/// Reduce* with `axes` as an attribute (absent: all axes).
template <typename OpTy> LogicalResult importReduceAxesAttr(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  Builder &b = n.getBuilder();
  SmallVector<NamedAttribute> attrs = {
      n.namedAttr("keepdims", b.getBoolAttr(n.getInt("keepdims", 1)))};
  if (std::optional<SmallVector<int64_t>> axes = n.getInts("axes"))
    attrs.push_back(n.namedAttr("axes", b.getDenseI64ArrayAttr(*axes)));
  return n.createOutput<OpTy>({*input}, attrs);
}

/// Reduce* with `axes` as an optional constant input and
/// noop_with_empty_axes (ReduceSum from opset 13).
template <typename OpTy> LogicalResult importReduceAxesInput(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
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
  return n.createOutput<OpTy>({*input}, attrs);
}

/// reduce_log_sum(x) -> log(reduce_sum(x)), axes as an attribute.
LogicalResult importReduceLogSum(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  Builder &b = n.getBuilder();
  SmallVector<NamedAttribute> attrs = {
      n.namedAttr("keepdims", b.getBoolAttr(n.getInt("keepdims", 1)))};
  if (std::optional<SmallVector<int64_t>> axes = n.getInts("axes"))
    attrs.push_back(n.namedAttr("axes", b.getDenseI64ArrayAttr(*axes)));
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
  table.add("ReduceMean", 1, importReduceAxesAttr<g::ReduceMeanOp>);
  table.add("ReduceSum", 1, importReduceAxesAttr<g::ReduceSumOp>);
  table.add("ReduceSum", 13, importReduceAxesInput<g::ReduceSumOp>);
  table.add("ReduceMax", 1, importReduceAxesAttr<g::ReduceMaxOp>);
  table.add("ReduceMin", 1, importReduceAxesAttr<g::ReduceMinOp>);
  table.add("ReduceProd", 1, importReduceAxesAttr<g::ReduceProdOp>);
  table.add("ReduceSumSquare", 1, importReduceAxesAttr<g::ReduceSumSquareOp>);
  table.add("ReduceL1", 1, importReduceAxesAttr<g::ReduceL1Op>);
  table.add("ReduceL2", 1, importReduceAxesAttr<g::ReduceL2Op>);
  table.add("ReduceLogSumExp", 1, importReduceAxesAttr<g::ReduceLogSumExpOp>);
  table.add("ReduceLogSum", 1, importReduceLogSum);
  table.add("ArgMax", 1, importArgReduce<g::ArgMaxOp>);
  table.add("ArgMin", 1, importArgReduce<g::ArgMinOp>);
}

} // namespace kiln::onnxfe
