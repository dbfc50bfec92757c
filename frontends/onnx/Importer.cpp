//===- Importer.cpp - What an op import function sees of its node ---------===//
//
// Attribute and input access with ONNX defaults, constant operands, and the
// reconciliation of result types: an op's type is what the graph dialect
// infers from its operands, with `?` dims filled from the type the model
// declares (or the importer's own computation) where those know more.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"

#include "dialects/graph/GraphOps.h"
#include "dialects/graph/GraphUtils.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;

namespace kiln::onnxfe {

InFlightDiagnostic NodeImporter::emitError() { return mlir::emitError(loc); }

//===----------------------------------------------------------------------===//
// Inputs
//===----------------------------------------------------------------------===//

Value NodeImporter::getInput(unsigned index) const {
  if (index >= getNumInputs() || node.input(index).empty())
    return {};
  return model.lookup(node.input(index));
}

FailureOr<Value> NodeImporter::getRequiredInput(unsigned index) {
  if (Value value = getInput(index))
    return value;
  return emitError() << getOpType() << " requires input #" << index;
}

RankedTensorType NodeImporter::getInputType(unsigned index) const {
  if (Value value = getInput(index))
    return dyn_cast<RankedTensorType>(value.getType());
  return {};
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

const onnx::AttributeProto *NodeImporter::findAttr(StringRef name) const {
  for (const onnx::AttributeProto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

int64_t NodeImporter::getInt(StringRef name, int64_t defaultValue) const {
  const onnx::AttributeProto *attr = findAttr(name);
  return attr ? attr->i() : defaultValue;
}

float NodeImporter::getFloat(StringRef name, float defaultValue) const {
  const onnx::AttributeProto *attr = findAttr(name);
  return attr ? attr->f() : defaultValue;
}

std::string NodeImporter::getString(StringRef name,
                                    StringRef defaultValue) const {
  const onnx::AttributeProto *attr = findAttr(name);
  return attr ? attr->s() : defaultValue.str();
}

std::optional<SmallVector<int64_t>>
NodeImporter::getInts(StringRef name) const {
  const onnx::AttributeProto *attr = findAttr(name);
  if (!attr)
    return std::nullopt;
  return SmallVector<int64_t>(attr->ints().begin(), attr->ints().end());
}

std::optional<SmallVector<float>>
NodeImporter::getFloats(StringRef name) const {
  const onnx::AttributeProto *attr = findAttr(name);
  if (!attr)
    return std::nullopt;
  return SmallVector<float>(attr->floats().begin(), attr->floats().end());
}

//===----------------------------------------------------------------------===//
// Outputs
//===----------------------------------------------------------------------===//

bool NodeImporter::isOutputUsed(unsigned index) const {
  return index < getNumOutputs() && !node.output(index).empty();
}

void NodeImporter::setOutput(unsigned index, Value value) {
  if (isOutputUsed(index))
    model.define(node.output(index), value);
}

Type NodeImporter::getOutputHint(unsigned index) const {
  if (!isOutputUsed(index))
    return {};
  return model.getTypeHint(node.output(index));
}

LogicalResult NodeImporter::rejectUsedOutputs(unsigned firstUnsupported,
                                              StringRef why) {
  for (unsigned i = firstUnsupported, e = getNumOutputs(); i < e; ++i)
    if (isOutputUsed(i))
      return emitError() << "output #" << i << " of " << getOpType()
                         << " is not supported (" << why << ")";
  return success();
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

std::optional<SmallVector<int64_t>>
NodeImporter::getConstantInts(Value value) const {
  if (!value)
    return std::nullopt;
  return graph::getConstantIntValues(value);
}

FailureOr<SmallVector<int64_t>>
NodeImporter::getRequiredConstantInts(unsigned index, StringRef what) {
  std::optional<SmallVector<int64_t>> values = getConstantInts(getInput(index));
  if (!values)
    return emitError() << getOpType() << " needs constant " << what
                       << " (input #" << index << ")";
  return *values;
}

Value NodeImporter::createConstant(ElementsAttr attr) {
  return graph::ConstantOp::create(getBuilder(), loc, attr.getShapedType(),
                                   attr);
}

Value NodeImporter::createI64Tensor(ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                    getBuilder().getI64Type());
  return createConstant(
      cast<ElementsAttr>(DenseElementsAttr::get(type, values)));
}

Value NodeImporter::createScalar(Type elementType, double value) {
  auto type = RankedTensorType::get({}, elementType);
  Attribute element;
  if (auto floatType = dyn_cast<FloatType>(elementType))
    element = FloatAttr::get(floatType, value);
  else
    element = IntegerAttr::get(elementType, static_cast<int64_t>(value));
  return createConstant(
      cast<ElementsAttr>(DenseElementsAttr::get(type, element)));
}

//===----------------------------------------------------------------------===//
// Result types
//===----------------------------------------------------------------------===//

Type NodeImporter::getPlaceholderType() {
  return UnrankedTensorType::get(getBuilder().getNoneType());
}

Type NodeImporter::joinHints(Type lhs, Type rhs) {
  if (!lhs)
    return rhs;
  if (!rhs)
    return lhs;
  auto lhsRanked = dyn_cast<RankedTensorType>(lhs);
  auto rhsRanked = dyn_cast<RankedTensorType>(rhs);
  if (!lhsRanked)
    return rhsRanked ? rhs : lhs;
  if (!rhsRanked || lhsRanked.getRank() != rhsRanked.getRank())
    return lhs;
  SmallVector<int64_t> dims(lhsRanked.getShape());
  for (auto [dim, other] : llvm::zip(dims, rhsRanked.getShape()))
    if (ShapedType::isDynamic(dim))
      dim = other;
  return RankedTensorType::get(dims, lhsRanked.getElementType());
}

LogicalResult NodeImporter::refineResultTypes(Operation *op,
                                              TypeRange resultHints) {
  SmallVector<ShapedTypeComponents> inferred;
  bool hasInferred =
      succeeded(graph::inferResultComponents(op, inferred,
                                             /*emitErrors=*/false)) &&
      inferred.size() == op->getNumResults();
  for (auto [index, result] : llvm::enumerate(op->getResults())) {
    Type hint = index < resultHints.size() ? resultHints[index] : Type();
    Type type = hint;
    if (hasInferred && inferred[index].hasRank()) {
      Type elementType = inferred[index].getElementType();
      if (!elementType && hint)
        elementType = cast<ShapedType>(hint).getElementType();
      if (elementType)
        type = joinHints(
            RankedTensorType::get(inferred[index].getDims(), elementType),
            hint);
    }
    auto ranked = dyn_cast_or_null<RankedTensorType>(type);
    if (!ranked) {
      // Let the op's own inference explain what is wrong, if it can.
      if (!hasInferred)
        (void)graph::inferResultComponents(op, inferred, /*emitErrors=*/true);
      emitError() << "cannot infer the type of result #" << index << " of "
                  << op->getName() << " for " << getOpType();
      op->erase();
      return failure();
    }
    result.setType(ranked);
  }
  return success();
}

} // namespace kiln::onnxfe
