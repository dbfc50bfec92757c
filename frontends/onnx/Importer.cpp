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
#include "mlir/IR/TypeUtilities.h"

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

/// The fields of `attr` that hold a value, with the type each stands for.
static SmallVector<onnx::AttributeProto::AttributeType, 1>
getFilledFields(const onnx::AttributeProto &attr) {
  using Attr = onnx::AttributeProto;
  SmallVector<Attr::AttributeType, 1> filled;
  auto consider = [&](bool present, Attr::AttributeType type) {
    if (present)
      filled.push_back(type);
  };
  consider(attr.has_f(), Attr::FLOAT);
  consider(attr.has_i(), Attr::INT);
  consider(attr.has_s(), Attr::STRING);
  consider(attr.has_t(), Attr::TENSOR);
  consider(attr.has_g(), Attr::GRAPH);
  consider(attr.floats_size() > 0, Attr::FLOATS);
  consider(attr.ints_size() > 0, Attr::INTS);
  consider(attr.strings_size() > 0, Attr::STRINGS);
  consider(attr.tensors_size() > 0, Attr::TENSORS);
  consider(attr.graphs_size() > 0, Attr::GRAPHS);
  return filled;
}

onnx::AttributeProto::AttributeType
getAttributeType(const onnx::AttributeProto &attr) {
  if (attr.type() != onnx::AttributeProto::UNDEFINED)
    return attr.type();
  // IR version 1 left `type` unset: the one filled field tells.
  SmallVector<onnx::AttributeProto::AttributeType, 1> filled =
      getFilledFields(attr);
  return filled.size() == 1 ? filled.front()
                            : onnx::AttributeProto::UNDEFINED;
}

/// "INT", "FLOATS", ... as ONNX names attribute types.
static std::string getAttributeTypeName(onnx::AttributeProto::AttributeType t) {
  if (!onnx::AttributeProto::AttributeType_IsValid(t))
    return "type " + std::to_string(static_cast<int>(t));
  return onnx::AttributeProto::AttributeType_Name(t);
}

bool isCompatibleWithDeclared(Type declared, Type actual) {
  auto declaredType = cast<ShapedType>(declared);
  auto actualType = cast<ShapedType>(actual);
  if (declaredType.getElementType() != actualType.getElementType())
    return false;
  if (!declaredType.hasRank() || !actualType.hasRank())
    return true;
  return succeeded(
      verifyCompatibleShape(declaredType.getShape(), actualType.getShape()));
}

LogicalResult NodeImporter::import(OpImportFn fn) {
  // The import function's diagnostics wait until its attributes are known
  // to be of the right types.
  SmallVector<Diagnostic> held;
  LogicalResult result = success();
  {
    ScopedDiagnosticHandler hold(getContext(), [&](Diagnostic &diag) {
      held.push_back(std::move(diag));
      return success();
    });
    result = fn(*this);
  }
  if (!attrError.empty())
    return emitError() << attrError;
  for (Diagnostic &diag : held)
    getContext()->getDiagEngine().emit(std::move(diag));
  if (failed(result))
    return failure();
  for (unsigned i = 0, e = getNumOutputs(); i < e; ++i) {
    if (!isOutputUsed(i))
      continue;
    Type declared = getOutputHint(i);
    Value value = model.lookup(node.output(i));
    if (declared && value && !isCompatibleWithDeclared(declared, value.getType()))
      return emitError() << "output '" << node.output(i) << "' of "
                         << getOpType() << " is declared as " << declared
                         << ", but its inputs give " << value.getType();
  }
  for (auto [index, read] : llvm::enumerate(readAttrs))
    if (!read)
      return emitError() << "unknown or unsupported attribute '"
                         << node.attribute(index).name() << "' on "
                         << getOpType() << " (opset " << opset << ")";
  return success();
}

bool NodeImporter::hasAttr(StringRef name) const {
  return llvm::any_of(node.attribute(), [&](const onnx::AttributeProto &attr) {
    return attr.name() == name;
  });
}

int NodeImporter::findAttrIndex(StringRef name) {
  for (int i = 0, e = node.attribute_size(); i < e; ++i) {
    if (node.attribute(i).name() != name)
      continue;
    readAttrs[i] = true;
    return i;
  }
  return -1;
}

const onnx::AttributeProto *NodeImporter::findAttr(StringRef name) {
  int index = findAttrIndex(name);
  return index < 0 ? nullptr : &node.attribute(index);
}

const onnx::AttributeProto *
NodeImporter::findAttr(StringRef name,
                       onnx::AttributeProto::AttributeType type) {
  const onnx::AttributeProto *attr = findAttr(name);
  if (!attr)
    return nullptr;
  onnx::AttributeProto::AttributeType actual = getAttributeType(*attr);
  if (actual == type)
    return attr;
  // An untyped attribute with no field filled is an empty list.
  bool isList = type == onnx::AttributeProto::INTS ||
                type == onnx::AttributeProto::FLOATS ||
                type == onnx::AttributeProto::STRINGS;
  if (isList && attr->type() == onnx::AttributeProto::UNDEFINED &&
      getFilledFields(*attr).empty())
    return attr;
  if (attrError.empty())
    attrError = ("attribute '" + name + "' of " + getOpType() + " must be " +
                 getAttributeTypeName(type) + ", got " +
                 getAttributeTypeName(actual))
                    .str();
  return nullptr;
}

void NodeImporter::ignoreAttr(StringRef name,
                              onnx::AttributeProto::AttributeType type) {
  (void)findAttr(name, type);
}

int64_t NodeImporter::getInt(StringRef name, int64_t defaultValue) {
  const onnx::AttributeProto *attr =
      findAttr(name, onnx::AttributeProto::INT);
  return attr ? attr->i() : defaultValue;
}

float NodeImporter::getFloat(StringRef name, float defaultValue) {
  const onnx::AttributeProto *attr =
      findAttr(name, onnx::AttributeProto::FLOAT);
  return attr ? attr->f() : defaultValue;
}

std::string NodeImporter::getString(StringRef name, StringRef defaultValue) {
  const onnx::AttributeProto *attr =
      findAttr(name, onnx::AttributeProto::STRING);
  return attr ? attr->s() : defaultValue.str();
}

std::optional<SmallVector<int64_t>> NodeImporter::getInts(StringRef name) {
  const onnx::AttributeProto *attr =
      findAttr(name, onnx::AttributeProto::INTS);
  if (!attr)
    return std::nullopt;
  return SmallVector<int64_t>(attr->ints().begin(), attr->ints().end());
}

std::optional<SmallVector<float>> NodeImporter::getFloats(StringRef name) {
  const onnx::AttributeProto *attr =
      findAttr(name, onnx::AttributeProto::FLOATS);
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
// Sub-graphs
//===----------------------------------------------------------------------===//

StringRef NodeImporter::getNodeName() const {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().getValue();
  return node.name();
}

std::optional<std::pair<int, int>>
NodeImporter::getSubgraphArity(StringRef name) {
  for (const onnx::AttributeProto &attr : node.attribute())
    if (attr.name() == name && attr.has_g())
      return std::make_pair(attr.g().input_size(), attr.g().output_size());
  return std::nullopt;
}

LogicalResult NodeImporter::importSubgraph(StringRef name, Region &region,
                                           TypeRange argTypes) {
  const onnx::AttributeProto *attr =
      findAttr(name, onnx::AttributeProto::GRAPH);
  if (!attr)
    return emitError() << getOpType() << " '" << getNodeName()
                       << "' has no sub-graph '" << name << "'";
  std::string what =
      (name + " of " + getOpType() + " '" + getNodeName() + "'").str();
  return model.importSubgraph(attr->g(), region, argTypes, loc, what,
                              (getNodeName() + "/" + name).str());
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

std::optional<SmallVector<int64_t>>
NodeImporter::getConstantInts(Value value) const {
  if (!value)
    return std::nullopt;
  // A constant, or shape arithmetic that folds now that its shapes are
  // known (exporters compute axes and pads from Shape and Range).
  return graph::getFoldedIntValues(value);
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

FailureOr<Value> NodeImporter::createShape(Value value, int64_t start,
                                           int64_t end) {
  Builder &b = getBuilder();
  return createValue<graph::ShapeOp>(
      {}, {value},
      {namedAttr("start", b.getI64IntegerAttr(start)),
       namedAttr("end", b.getI64IntegerAttr(end))});
}

FailureOr<Value> NodeImporter::createDim(Value value, int64_t d) {
  FailureOr<Value> shape = createShape(value, d, d + 1);
  if (failed(shape))
    return failure();
  return createValue<graph::SqueezeOp>(
      {}, {*shape},
      {namedAttr("axes", getBuilder().getDenseI64ArrayAttr({0}))});
}

FailureOr<Value> NodeImporter::createIota(Value value, int64_t d) {
  FailureOr<Value> size = createDim(value, d);
  if (failed(size))
    return failure();
  Type i64 = getBuilder().getI64Type();
  return createValue<graph::RangeOp>(
      {}, {createScalar(i64, 0), *size, createScalar(i64, 1)});
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
    if (!ranked && hasInferred && !inferred[index].hasRank()) {
      // Kiln's tensors are ranked: a rank that follows from no input (a
      // shape operand of dynamic length) is a feature it lacks.
      op->erase();
      return emitError() << getOpType() << " result #" << index
                         << " needs a static rank, which its inputs do not "
                            "give";
    }
    if (!ranked) {
      // The op's own inference explains what is wrong, when it can.
      if (hasInferred ||
          succeeded(graph::inferResultComponents(op, inferred,
                                                 /*emitErrors=*/true)))
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
