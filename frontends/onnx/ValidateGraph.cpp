//===- ValidateGraph.cpp - The structure of a model, checked first --------===//
//
// What the ONNX spec requires of a model's structure, checked before any
// node is imported, since the file is untrusted and newer than what
// libonnx's checker knows (its schemas stop at opset 17):
//
//   - each domain is imported once, at a positive version;
//   - graph inputs, initializers and outputs have names, each once;
//   - every value is assigned once: no node writes a graph input, an
//     initializer or another node's output, nor one name twice;
//   - every attribute has a name, unique within its node, and a type that
//     matches the field that holds its value.
//
// Attribute types against each op's definition, and the types a model
// declares against the inferred ones, are checked during import.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;

namespace kiln::onnxfe {
namespace {

/// What defines each value name: "graph input 'x'", "node 'Relu_3'", ...
class Definitions {
public:
  explicit Definitions(Location fileLoc) : fileLoc(fileLoc) {}

  /// Records that `what` defines `name`; fails when something already
  /// does.
  LogicalResult define(StringRef name, const std::string &what) {
    auto [it, inserted] = definers.try_emplace(name, what);
    if (inserted)
      return success();
    return emitError(fileLoc) << what << " writes '" << name << "', which "
                              << it->second << " already defines";
  }

private:
  Location fileLoc;
  llvm::StringMap<std::string> definers;
};

/// Fails unless every item of `items` (inputs, initializers, outputs) has a
/// name, each once; collects the names into `names`.
template <typename Items>
LogicalResult checkNames(const Items &items, StringRef what, Location loc,
                         llvm::StringSet<> &names) {
  for (const auto &item : items) {
    if (item.name().empty())
      return emitError(loc) << "a " << what << " has no name";
    if (!names.insert(item.name()).second)
      return emitError(loc)
             << what << " '" << item.name() << "' is listed twice";
  }
  return success();
}

LogicalResult validateAttributes(const onnx::NodeProto &node,
                                 const std::string &nodeName, Location loc) {
  llvm::StringSet<> names;
  for (const onnx::AttributeProto &attr : node.attribute()) {
    if (attr.name().empty())
      return emitError(loc) << nodeName << " has an attribute without a name";
    if (!names.insert(attr.name()).second)
      return emitError(loc) << nodeName << " has attribute '" << attr.name()
                            << "' twice";
    if (attr.type() != onnx::AttributeProto::UNDEFINED &&
        getAttributeType(attr) != attr.type())
      return emitError(loc) << nodeName << ": attribute '" << attr.name()
                            << "' is declared "
                            << onnx::AttributeProto::AttributeType_Name(
                                   attr.type())
                            << " but holds no such value";
  }
  return success();
}

/// The checks of validateModel and validateSubgraph on one graph; `what`
/// names it in diagnostics ("graph", "body of Loop 'l'").
LogicalResult validateGraph(const onnx::GraphProto &graph, StringRef what,
                            Location fileLoc) {
  Definitions definitions(fileLoc);
  llvm::StringSet<> inputs, initializers, outputs;
  std::string prefix = what == "graph" ? "graph" : (what + ":").str();
  if (failed(checkNames(graph.input(), prefix + " input", fileLoc, inputs)) ||
      failed(
          checkNames(graph.initializer(),
                     what == "graph" ? "initializer" : prefix + " initializer",
                     fileLoc, initializers)) ||
      failed(checkNames(graph.output(), prefix + " output", fileLoc, outputs)))
    return failure();
  // Before IR version 4 every initializer is also listed as an input.
  for (const onnx::TensorProto &tensor : graph.initializer())
    if (failed(definitions.define(tensor.name(),
                                  "initializer '" + tensor.name() + "'")))
      return failure();
  for (const onnx::ValueInfoProto &input : graph.input())
    if (!initializers.contains(input.name()) &&
        failed(definitions.define(input.name(),
                                  prefix + " input '" + input.name() + "'")))
      return failure();

  for (auto [index, node] : llvm::enumerate(graph.node())) {
    std::string name = "node '" + getNodeName(node, index) + "'";
    if (node.op_type().empty())
      return emitError(fileLoc) << name << " has no op_type";
    if (failed(validateAttributes(node, name, fileLoc)))
      return failure();
    for (const std::string &output : node.output())
      if (!output.empty() && failed(definitions.define(output, name)))
        return failure();
  }
  return success();
}

} // namespace

std::string getNodeName(const onnx::NodeProto &node, int index) {
  if (!node.name().empty())
    return node.name();
  return node.op_type() + "#" + std::to_string(index);
}

LogicalResult validateModel(const onnx::ModelProto &model, Location fileLoc) {
  llvm::StringSet<> domains;
  for (const onnx::OperatorSetIdProto &opset : model.opset_import()) {
    StringRef domain = normalizeDomain(opset.domain());
    if (!domains.insert(domain).second)
      return emitError(fileLoc)
             << "opset_import lists domain '" << domain << "' twice";
    if (opset.version() <= 0)
      return emitError(fileLoc) << "opset_import gives domain '" << domain
                                << "' version " << opset.version();
  }

  return validateGraph(model.graph(), "graph", fileLoc);
}

LogicalResult validateSubgraph(const onnx::GraphProto &graph, StringRef what,
                               Location loc) {
  return validateGraph(graph, what, loc);
}

} // namespace kiln::onnxfe
