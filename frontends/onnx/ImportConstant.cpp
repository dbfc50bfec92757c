//===- ImportConstant.cpp - Constant and ConstantOfShape ------------------===//
//
// Constant's value is a tensor (`value`) or, from opset 12, a scalar or list
// attribute (`value_float(s)`, `value_int(s)`); it becomes a graph.constant.
// ConstantOfShape fills a runtime shape with its one-element `value`
// (default: float 0).
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"
#include "frontends/onnx/OpTable.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;

namespace kiln::onnxfe {
namespace {

namespace g = ::kiln::graph;

/// The value of a Constant node.
FailureOr<ElementsAttr> getConstantValue(NodeImporter &n) {
  Builder &b = n.getBuilder();
  std::string name = n.getNumOutputs() ? n.getNode().output(0) : "";
  using Attr = onnx::AttributeProto;
  // ONNX requires exactly one value attribute.
  int numValues = llvm::count_if(
      ArrayRef<StringRef>{"value", "value_float", "value_int", "value_floats",
                          "value_ints", "sparse_value", "value_string",
                          "value_strings"},
      [&](StringRef attr) { return n.hasAttr(attr); });
  if (numValues > 1)
    return n.emitError() << "Constant has " << numValues
                         << " value attributes, expected one";
  if (const Attr *value = n.findAttr("value", Attr::TENSOR))
    return n.getTensorImporter().importTensor(value->t(), n.getLoc(), name);
  if (const Attr *attr = n.findAttr("value_float", Attr::FLOAT))
    return cast<ElementsAttr>(DenseElementsAttr::get(
        RankedTensorType::get({}, b.getF32Type()), attr->f()));
  if (const Attr *attr = n.findAttr("value_int", Attr::INT))
    return cast<ElementsAttr>(DenseElementsAttr::get(
        RankedTensorType::get({}, b.getI64Type()), attr->i()));
  if (std::optional<SmallVector<float>> floats = n.getFloats("value_floats"))
    return cast<ElementsAttr>(DenseElementsAttr::get(
        RankedTensorType::get({static_cast<int64_t>(floats->size())},
                              b.getF32Type()),
        ArrayRef<float>(*floats)));
  if (std::optional<SmallVector<int64_t>> ints = n.getInts("value_ints"))
    return cast<ElementsAttr>(DenseElementsAttr::get(
        RankedTensorType::get({static_cast<int64_t>(ints->size())},
                              b.getI64Type()),
        ArrayRef<int64_t>(*ints)));

  for (StringRef unsupported :
       {"sparse_value", "value_string", "value_strings"})
    if (n.hasAttr(unsupported))
      return n.emitError() << "Constant with '" << unsupported
                           << "' is not supported";
  return n.emitError() << "Constant has no value attribute";
}

LogicalResult importConstant(NodeImporter &n) {
  FailureOr<ElementsAttr> value = getConstantValue(n);
  if (failed(value))
    return failure();
  n.setOutput(0, n.createConstant(*value));
  return success();
}

LogicalResult importConstantOfShape(NodeImporter &n) {
  FailureOr<Value> shape = n.getRequiredInput(0);
  if (failed(shape))
    return failure();
  Builder &b = n.getBuilder();
  ElementsAttr value;
  if (const onnx::AttributeProto *attr =
          n.findAttr("value", onnx::AttributeProto::TENSOR)) {
    FailureOr<ElementsAttr> tensor =
        n.getTensorImporter().importTensor(attr->t(), n.getLoc(), "value");
    if (failed(tensor))
      return failure();
    if (tensor->getNumElements() != 1)
      return n.emitError() << "ConstantOfShape value must hold one element, "
                              "got "
                           << tensor->getNumElements();
    value = *tensor;
  } else {
    value = cast<ElementsAttr>(DenseElementsAttr::get(
        RankedTensorType::get({1}, b.getF32Type()), 0.0f));
  }
  return n.createOutput<g::ConstantOfShapeOp>({*shape},
                                              {n.namedAttr("value", value)});
}

} // namespace

void registerConstantOps(OpTable &table) {
  // Versions from 13 on add element types only.
  table.add("Constant", {1, 9, 11, 12, 13, 19, 21, 23, 24, 25}, importConstant);
  table.add("ConstantOfShape", {9, 20, 21, 23, 24, 25}, importConstantOfShape);
}

} // namespace kiln::onnxfe
