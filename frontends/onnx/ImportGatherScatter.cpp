//===- ImportGatherScatter.cpp - Gathers and scatters by index tensors ----===//
//
// GatherElements, ScatterElements (and its opset-9 name Scatter), GatherND
// and ScatterND. Attributes appear with the opset that introduced them:
// GatherND's batch_dims from 12, the scatters' reduction from 16 ("none",
// "add", "mul") and 18 ("max", "min"); before that they are not read, so a
// model that sets them is refused as carrying an unknown attribute.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"
#include "frontends/onnx/OpTable.h"

#include "dialects/graph/GraphOps.h"

using namespace mlir;

namespace kiln::onnxfe {
namespace {

namespace g = ::kiln::graph;

/// The scatters' `reduction` as the node's opset knows it.
FailureOr<NamedAttribute> getReduction(NodeImporter &n) {
  std::string reduction = "none";
  if (n.getOpset() >= 16)
    reduction = n.getString("reduction", "none");
  bool known = reduction == "none" || reduction == "add" || reduction == "mul";
  bool fromOpset18 = reduction == "max" || reduction == "min";
  if (fromOpset18 && n.getOpset() < 18)
    return n.emitError() << n.getOpType() << " reduction '" << reduction
                         << "' needs opset 18";
  if (!known && !fromOpset18)
    return n.emitError() << "unknown " << n.getOpType() << " reduction '"
                         << reduction << "'";
  return n.namedAttr("reduction", n.getBuilder().getStringAttr(reduction));
}

LogicalResult importGatherElements(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  FailureOr<Value> indices = n.getRequiredInput(1);
  if (failed(input) || failed(indices))
    return failure();
  return n.createOutput<g::GatherElementsOp>(
      {*input, *indices}, {n.namedAttr("axis", n.getBuilder().getI64IntegerAttr(
                                                   n.getInt("axis", 0)))});
}

/// ScatterElements, and Scatter (opset 9), which has its meaning without
/// reduction.
LogicalResult importScatterElements(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  FailureOr<Value> indices = n.getRequiredInput(1);
  FailureOr<Value> updates = n.getRequiredInput(2);
  if (failed(input) || failed(indices) || failed(updates))
    return failure();
  FailureOr<NamedAttribute> reduction = getReduction(n);
  if (failed(reduction))
    return failure();
  return n.createOutput<g::ScatterElementsOp>(
      {*input, *indices, *updates},
      {n.namedAttr("axis",
                   n.getBuilder().getI64IntegerAttr(n.getInt("axis", 0))),
       *reduction},
      input->getType());
}

LogicalResult importGatherND(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  FailureOr<Value> indices = n.getRequiredInput(1);
  if (failed(input) || failed(indices))
    return failure();
  int64_t batchDims = n.getOpset() >= 12 ? n.getInt("batch_dims", 0) : 0;
  return n.createOutput<g::GatherNDOp>(
      {*input, *indices},
      {n.namedAttr("batch_dims", n.getBuilder().getI64IntegerAttr(batchDims))});
}

LogicalResult importScatterND(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  FailureOr<Value> indices = n.getRequiredInput(1);
  FailureOr<Value> updates = n.getRequiredInput(2);
  if (failed(input) || failed(indices) || failed(updates))
    return failure();
  FailureOr<NamedAttribute> reduction = getReduction(n);
  if (failed(reduction))
    return failure();
  return n.createOutput<g::ScatterNDOp>({*input, *indices, *updates},
                                        {*reduction}, input->getType());
}

} // namespace

void registerGatherScatterOps(OpTable &table) {
  // 13 adds element types (bfloat16).
  table.add("GatherElements", {11, 13}, importGatherElements);
  table.add("Scatter", {9}, importScatterElements);
  // 16 adds reduction "add" / "mul", 18 "max" / "min".
  table.add("ScatterElements", {11, 13, 16, 18}, importScatterElements);
  // 12 adds batch_dims, 13 element types.
  table.add("GatherND", {11, 12, 13}, importGatherND);
  table.add("ScatterND", {11, 13, 16, 18}, importScatterND);
}

} // namespace kiln::onnxfe
