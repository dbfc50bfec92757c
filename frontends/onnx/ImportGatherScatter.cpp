//===- ImportGatherScatter.cpp - Gathers and scatters by index tensors ----===//
//
// GatherElements, ScatterElements (and its opset-9 name Scatter), GatherND,
// ScatterND, and ReverseSequence (a gather_elements along time). Attributes
// appear with the opset that introduced them: GatherND's batch_dims from 12,
// the scatters' reduction from 16 ("none", "add", "mul") and 18 ("max", "min");
// before that they are not read, so a model that sets them is refused as
// carrying an unknown attribute.
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

/// ReverseSequence reverses the first lens[b] steps of each batch entry b
/// along the time axis; both axes are 0 or 1. With t the step index along
/// time and lens along batch, as 2-d tensors that broadcast:
///   from = where(t < lens, lens - 1 - t, t)
///   y    = gather_elements(x, expand(from with unit dims appended, shape(x)),
///                          time_axis)
/// The step count comes from shape(x), so the time dim may be dynamic.
LogicalResult importReverseSequence(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  FailureOr<Value> lens = n.getRequiredInput(1);
  if (failed(input) || failed(lens))
    return failure();
  auto inputType = cast<RankedTensorType>(input->getType());
  auto lensType = cast<RankedTensorType>(lens->getType());
  int64_t timeAxis = n.getInt("time_axis", 0);
  int64_t batchAxis = n.getInt("batch_axis", 1);
  if (inputType.getRank() < 2)
    return n.emitError() << "ReverseSequence needs an input of rank 2 or more";
  if ((timeAxis != 0 && timeAxis != 1) || (batchAxis != 0 && batchAxis != 1) ||
      timeAxis == batchAxis)
    return n.emitError() << "ReverseSequence time_axis and batch_axis must be "
                         << "0 and 1 in some order, got " << timeAxis << " and "
                         << batchAxis;
  if (lensType.getRank() != 1 || !lensType.getElementType().isInteger(64))
    return n.emitError()
           << "ReverseSequence sequence_lens must be a 1-d int64 tensor";

  // t: 0 .. steps - 1 along the time axis of a 2-d (dim 0, dim 1) tensor.
  Builder &b = n.getBuilder();
  Type i64 = b.getI64Type();
  FailureOr<Value> shape = n.createValue<g::ShapeOp>({}, {*input});
  if (failed(shape))
    return failure();
  FailureOr<Value> steps =
      n.createValue<g::GatherOp>({}, {*shape, n.createScalar(i64, timeAxis)});
  if (failed(steps))
    return failure();
  FailureOr<Value> range = n.createValue<g::RangeOp>(
      {}, {n.createScalar(i64, 0), *steps, n.createScalar(i64, 1)});
  if (failed(range))
    return failure();
  auto unsqueeze = [&](Value value, int64_t axis) {
    return n.createValue<g::UnsqueezeOp>(
        {}, {value}, {n.namedAttr("axes", b.getDenseI64ArrayAttr({axis}))});
  };
  FailureOr<Value> t = unsqueeze(*range, batchAxis);
  FailureOr<Value> length = unsqueeze(*lens, timeAxis);
  if (failed(t) || failed(length))
    return failure();

  FailureOr<Value> last =
      n.createValue<g::SubOp>({}, {*length, n.createScalar(i64, 1)});
  if (failed(last))
    return failure();
  FailureOr<Value> reversed = n.createValue<g::SubOp>({}, {*last, *t});
  FailureOr<Value> inSequence = n.createValue<g::LessOp>({}, {*t, *length});
  if (failed(reversed) || failed(inSequence))
    return failure();
  FailureOr<Value> from =
      n.createValue<g::WhereOp>({}, {*inSequence, *reversed, *t});
  if (failed(from))
    return failure();
  if (inputType.getRank() > 2) {
    SmallVector<int64_t> trailing =
        llvm::to_vector(llvm::seq<int64_t>(2, inputType.getRank()));
    from = n.createValue<g::UnsqueezeOp>(
        {}, {*from}, {n.namedAttr("axes", b.getDenseI64ArrayAttr(trailing))});
    if (failed(from))
      return failure();
  }
  FailureOr<Value> indices = n.createValue<g::ExpandOp>(
      RankedTensorType::get(inputType.getShape(), i64), {*from, *shape});
  if (failed(indices))
    return failure();
  return n.createOutput<g::GatherElementsOp>(
      {*input, *indices}, {n.namedAttr("axis", b.getI64IntegerAttr(timeAxis))},
      inputType);
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
  // 28 adds element types.
  table.add("ReverseSequence", {10, 28}, importReverseSequence);
}

} // namespace kiln::onnxfe
