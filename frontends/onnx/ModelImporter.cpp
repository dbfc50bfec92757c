//===- ModelImporter.cpp - ONNX graph to func.func @main ------------------===//
//
// The module of a model: `func.func @main` whose arguments are the graph
// inputs that are neither initializers nor bound to a value, whose body holds
// one graph.constant per initializer and bound input and the ops of each
// node in order, and whose results are the
// graph outputs. Types come from the graph dialect's own inference; the
// types a model declares (inputs, value_info, outputs) must agree with it.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Import.h"
#include "frontends/onnx/Importer.h"
#include "frontends/onnx/ModelLoader.h"
#include "frontends/onnx/OpTable.h"

#include "dialects/graph/GraphDialect.h"
#include "dialects/graph/GraphOps.h"
#include "dialects/graph/GraphUtils.h"
#include "runtime/RegularFile.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"

#include <climits>

using namespace mlir;

namespace kiln::onnxfe {

ModelImporter::ModelImporter(MLIRContext &context, StringRef fileName,
                             StringRef baseDir,
                             std::shared_ptr<const void> protoOwner,
                             ImportOptions options)
    : context(context), builder(&context),
      fileLoc(FileLineColLoc::get(&context, fileName, 0, 0)),
      tensors(context, baseDir, std::move(protoOwner)),
      options(std::move(options)) {}

LogicalResult
ModelImporter::collectTypeHints(const onnx::GraphProto &graph) {
  // A value may be typed twice (value_info and output): keep what each
  // knows.
  auto addHint = [&](const onnx::ValueInfoProto &info) -> LogicalResult {
    if (!info.type().has_tensor_type())
      return success();
    Type hint = convertTensorType(info.type(), &context);
    if (auto ranked = dyn_cast_or_null<RankedTensorType>(hint))
      if (failed(graph::checkTensorSize(
              NameLoc::get(builder.getStringAttr(info.name()), fileLoc),
              ranked.getShape(), ranked.getElementType(),
              "value '" + info.name() + "'")))
        return failure();
    if (!hint) {
      int32_t dataType = info.type().tensor_type().elem_type();
      Type elementType = convertElementType(dataType, &context);
      // A type that is declared but that Kiln cannot hold (float8, int4,
      // strings...) is refused here rather than ignored as a hint.
      if (!elementType && dataType != onnx::TensorProto::UNDEFINED)
        return emitError(
                   NameLoc::get(builder.getStringAttr(info.name()), fileLoc))
               << "value '" << info.name() << "' has unsupported element type "
               << getDataTypeName(dataType);
      if (!elementType)
        return success();
      hint = UnrankedTensorType::get(elementType);
    }
    Type &known = typeHints[info.name()];
    known = NodeImporter::joinHints(known, hint);
    return success();
  };
  for (const onnx::ValueInfoProto &info : graph.value_info())
    if (failed(addHint(info)))
      return failure();
  for (const onnx::ValueInfoProto &info : graph.output())
    if (failed(addHint(info)))
      return failure();
  return success();
}

LogicalResult ModelImporter::importInitializers(const onnx::GraphProto &graph) {
  // Before IR version 4 initializers are listed as inputs too, with a type.
  llvm::StringMap<const onnx::TypeProto *> inputTypes;
  for (const onnx::ValueInfoProto &input : graph.input())
    inputTypes[input.name()] = &input.type();
  for (const onnx::TensorProto &tensor : graph.initializer()) {
    Location loc = NameLoc::get(builder.getStringAttr(tensor.name()), fileLoc);
    FailureOr<ElementsAttr> value = tensors.importTensor(tensor, loc);
    if (failed(value))
      return failure();
    const onnx::TypeProto *inputType = inputTypes.lookup(tensor.name());
    if (Type declared = inputType && inputType->has_tensor_type()
                            ? convertTensorType(*inputType, &context)
                            : Type())
      if (!isCompatibleWithDeclared(declared, value->getShapedType()))
        return emitError(loc) << "initializer '" << tensor.name()
                              << "' of type " << value->getShapedType()
                              << " is listed as an input of type "
                              << declared;
    define(tensor.name(), graph::ConstantOp::create(
                              builder, loc, value->getShapedType(), *value));
  }
  return success();
}

LogicalResult ModelImporter::checkBindings(const onnx::GraphProto &graph) {
  llvm::StringSet<> initializers;
  for (const onnx::TensorProto &tensor : graph.initializer())
    initializers.insert(tensor.name());
  llvm::StringMap<const onnx::ValueInfoProto *> inputs;
  SmallVector<StringRef> inputNames;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (initializers.contains(input.name()))
      continue;
    inputs[input.name()] = &input;
    inputNames.push_back(input.name());
  }

  llvm::StringSet<> bound;
  for (const InputBinding &binding : options.bindings) {
    const onnx::ValueInfoProto *input = inputs.lookup(binding.name);
    if (!input)
      return emitError(fileLoc)
             << "cannot bind '" << binding.name
             << "': the model has no input of that name (inputs: "
             << llvm::join(inputNames, ", ") << ")";
    if (!bound.insert(binding.name).second)
      return emitError(fileLoc)
             << "input '" << binding.name << "' is bound twice";
    Location loc = NameLoc::get(builder.getStringAttr(binding.name), fileLoc);
    ShapedType valueType = binding.value.getShapedType();
    Type declared;
    if (input->type().has_tensor_type()) {
      declared = convertTensorType(input->type(), &context);
      if (!declared)
        if (Type elementType = convertElementType(
                input->type().tensor_type().elem_type(), &context))
          declared = UnrankedTensorType::get(elementType);
    }
    if (!declared)
      return emitError(loc) << "cannot bind input '" << binding.name
                            << "': its type is not a supported tensor type";
    if (!isCompatibleWithDeclared(declared, valueType))
      return emitError(loc)
             << "cannot bind input '" << binding.name << "' of type "
             << declared << " to a value of type " << valueType;
  }
  return success();
}

LogicalResult ModelImporter::importInputs(const onnx::GraphProto &graph,
                                          func::FuncOp func) {
  // Inputs that are also initializers are constants (IR version < 4 lists
  // every initializer as an input), and so are bound inputs.
  llvm::StringSet<> initializers;
  for (const onnx::TensorProto &tensor : graph.initializer())
    initializers.insert(tensor.name());
  for (const InputBinding &binding : options.bindings)
    initializers.insert(binding.name);

  SmallVector<Type> argTypes;
  SmallVector<Location> argLocs;
  SmallVector<DictionaryAttr> argAttrs;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (initializers.contains(input.name()))
      continue;
    Location loc = NameLoc::get(builder.getStringAttr(input.name()), fileLoc);
    const onnx::TypeProto &typeProto = input.type();
    if (!typeProto.has_tensor_type())
      return emitError(loc) << "input '" << input.name()
                            << "' is not a tensor (sequence, map and optional "
                               "inputs are not supported)";
    int32_t dataType = typeProto.tensor_type().elem_type();
    if (!convertElementType(dataType, &context))
      return emitError(loc)
             << "input '" << input.name() << "' has unsupported element type "
             << getDataTypeName(dataType);
    SmallVector<std::string> dimNames;
    RankedTensorType type = convertTensorType(typeProto, &context, &dimNames);
    if (!type)
      return emitError(loc) << "input '" << input.name()
                            << "' has no shape (unranked inputs are not "
                               "supported)";
    if (failed(graph::checkTensorSize(loc, type.getShape(),
                                      type.getElementType(),
                                      "input '" + input.name() + "'")))
      return failure();
    SmallVector<NamedAttribute> attrs;
    attrs.push_back(builder.getNamedAttr("graph.name",
                                         builder.getStringAttr(input.name())));
    if (llvm::any_of(dimNames, [](const std::string &n) { return !n.empty(); }))
      attrs.push_back(builder.getNamedAttr(
          "graph.dim_names", builder.getStrArrayAttr(SmallVector<StringRef>(
                                 dimNames.begin(), dimNames.end()))));
    argTypes.push_back(type);
    argLocs.push_back(loc);
    argAttrs.push_back(builder.getDictionaryAttr(attrs));
  }

  func.setType(builder.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  unsigned argIndex = 0;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (initializers.contains(input.name()))
      continue;
    BlockArgument arg = entry->getArgument(argIndex);
    arg.setLoc(argLocs[argIndex]);
    func.setArgAttrs(argIndex, argAttrs[argIndex]);
    define(input.name(), arg);
    ++argIndex;
  }
  return success();
}

LogicalResult ModelImporter::importBoundInputs(const onnx::GraphProto &graph) {
  for (const InputBinding &binding : options.bindings) {
    Location loc = NameLoc::get(builder.getStringAttr(binding.name), fileLoc);
    define(binding.name,
           graph::ConstantOp::create(
               builder, loc, binding.value.getShapedType(), binding.value));
  }
  return success();
}

LogicalResult ModelImporter::importNode(const onnx::NodeProto &node,
                                        int index) {
  std::string name = node.name().empty()
                         ? scopePrefix + getNodeName(node, index)
                         : node.name();
  Location loc = NameLoc::get(builder.getStringAttr(name), fileLoc);
  StringRef domain = normalizeDomain(node.domain());
  auto opsetIt = opsets.find(domain);
  if (opsetIt == opsets.end())
    return emitError(loc) << "node '" << name << "' uses domain '" << domain
                          << "', which the model does not import";
  int64_t opset = opsetIt->second;
  const OpTable &table = OpTable::get();
  OpTable::Lookup found;
  if (domain == kDefaultDomain)
    found = table.lookup(node.op_type(), opset);
  // An op Kiln imports, but not at the schema version in effect.
  if (!found.fn && found.schemaVersion != 0 && table.hasOp(node.op_type()))
    return emitError(loc) << "unsupported ONNX op '" << node.op_type()
                          << "' version " << found.schemaVersion << " (node '"
                          << name << "', opset " << opset << ")";
  if (!found.fn)
    return emitError(loc) << "unsupported ONNX op '" << node.op_type()
                          << "' (node '" << name << "', domain '" << domain
                          << "', opset " << opset << ")";
  OpImportFn importFn = found.fn;

  for (const std::string &input : node.input())
    if (!input.empty() && !lookup(input))
      return emitError(loc) << "node '" << name << "' reads '" << input
                            << "', which no input, initializer or earlier "
                               "node defines";

  NodeImporter nodeImporter(*this, node, opset, loc);
  if (failed(nodeImporter.import(importFn)))
    return failure();
  for (const std::string &output : node.output())
    if (!output.empty() && !lookup(output))
      return emitError(loc) << "node '" << name
                            << "' did not define its output '" << output << "'";
  return success();
}

LogicalResult ModelImporter::importNodes(const onnx::GraphProto &graph) {
  for (auto [index, node] : llvm::enumerate(graph.node()))
    if (failed(importNode(node, index)))
      return failure();
  return success();
}

LogicalResult ModelImporter::importSubgraph(const onnx::GraphProto &graph,
                                            Region &region, TypeRange argTypes,
                                            Location loc, StringRef what,
                                            StringRef scope) {
  if (failed(validateSubgraph(graph, what, loc)))
    return failure();
  // Inputs that are initializers too (IR version < 4) are constants.
  llvm::StringSet<> initializers;
  for (const onnx::TensorProto &tensor : graph.initializer())
    initializers.insert(tensor.name());
  SmallVector<const onnx::ValueInfoProto *> inputs;
  for (const onnx::ValueInfoProto &input : graph.input())
    if (!initializers.contains(input.name()))
      inputs.push_back(&input);
  if (inputs.size() != argTypes.size())
    return emitError(loc) << what << " takes " << inputs.size()
                          << " inputs, expected " << argTypes.size();

  // The names of this scope shadow those of the enclosing ones until the
  // sub-graph ends.
  llvm::StringMap<Value> outerValues = values;
  std::string outerPrefix = scopePrefix;
  scopePrefix = (scope + "/").str();
  llvm::scope_exit restore([&] {
    values = std::move(outerValues);
    scopePrefix = outerPrefix;
  });

  OpBuilder::InsertionGuard guard(builder);
  Block *block = builder.createBlock(&region);
  for (auto [input, type] : llvm::zip_equal(inputs, argTypes)) {
    Location argLoc =
        NameLoc::get(builder.getStringAttr(input->name()), fileLoc);
    if (input->type().has_tensor_type())
      if (Type declared = convertTensorType(input->type(), &context);
          declared && !isCompatibleWithDeclared(declared, type))
        return emitError(argLoc)
               << what << " declares input '" << input->name() << "' as "
               << declared << ", but it receives " << type;
    define(input->name(), block->addArgument(type, argLoc));
  }
  if (failed(collectTypeHints(graph)) || failed(importInitializers(graph)) ||
      failed(importNodes(graph)))
    return failure();

  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    Location outputLoc =
        NameLoc::get(builder.getStringAttr(output.name()), fileLoc);
    Value value = lookup(output.name());
    if (!value)
      return emitError(outputLoc)
             << what << " output '" << output.name() << "' is never defined";
    Type declared = convertTensorType(output.type(), &context);
    if (declared && !isCompatibleWithDeclared(declared, value.getType()))
      return emitError(outputLoc)
             << what << " output '" << output.name() << "' is declared as "
             << declared << ", but the sub-graph computes " << value.getType();
    results.push_back(value);
  }
  graph::YieldOp::create(builder, loc, results);
  return success();
}

LogicalResult ModelImporter::importOutputs(const onnx::GraphProto &graph,
                                           func::FuncOp func) {
  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    Value value = lookup(output.name());
    if (!value)
      return emitError(
                 NameLoc::get(builder.getStringAttr(output.name()), fileLoc))
             << "graph output '" << output.name() << "' is never defined";
    Type declared = convertTensorType(output.type(), &context);
    if (declared && !isCompatibleWithDeclared(declared, value.getType()))
      return emitError(
                 NameLoc::get(builder.getStringAttr(output.name()), fileLoc))
             << "graph output '" << output.name() << "' is declared as "
             << declared << ", but the model computes " << value.getType();
    results.push_back(value);
  }
  func::ReturnOp::create(builder, fileLoc, results);
  func.setType(builder.getFunctionType(func.getArgumentTypes(),
                                       ValueRange(results).getTypes()));
  for (auto [index, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(index, "graph.name",
                       builder.getStringAttr(output.name()));
  return success();
}

OwningOpRef<ModuleOp>
ModelImporter::importModel(const onnx::ModelProto &model) {
  // A newer IR version may add fields this protobuf does not know, and
  // their meaning with them.
  if (model.ir_version() > kMaxSupportedIrVersion) {
    emitError(fileLoc) << "unsupported ONNX IR version " << model.ir_version()
                       << " (Kiln reads IR versions up to "
                       << kMaxSupportedIrVersion << ")";
    return {};
  }
  for (const onnx::OperatorSetIdProto &opset : model.opset_import())
    opsets[normalizeDomain(opset.domain())] = opset.version();
  // IR version 1 models carry no opset_import; they use opset 1.
  if (model.opset_import_size() == 0 && model.ir_version() <= 2)
    opsets[kDefaultDomain] = 1;
  auto defaultOpset = opsets.find(kDefaultDomain);
  if (defaultOpset != opsets.end() &&
      defaultOpset->second > kMaxSupportedOpset) {
    emitError(fileLoc) << "unsupported ONNX opset version "
                       << defaultOpset->second << " of domain '"
                       << kDefaultDomain << "' (Kiln knows opsets up to "
                       << kMaxSupportedOpset << ")";
    return {};
  }

  if (failed(validateModel(model, fileLoc)))
    return {};
  const onnx::GraphProto &graph = model.graph();
  if (failed(collectTypeHints(graph)) || failed(checkBindings(graph)))
    return {};

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  builder.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(builder, fileLoc, "main",
                                   builder.getFunctionType({}, {}));
  if (failed(importInputs(graph, func)))
    return {};
  builder.setInsertionPointToEnd(&func.getBody().front());
  if (failed(importInitializers(graph)) || failed(importBoundInputs(graph)) ||
      failed(importNodes(graph)) || failed(importOutputs(graph, func)))
    return {};
  if (failed(verify(*module)))
    return {};
  return module;
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

void loadImportDialects(MLIRContext &context) {
  context.loadDialect<graph::GraphDialect, func::FuncDialect>();
}

OwningOpRef<ModuleOp> importOnnxBuffer(StringRef buffer, StringRef bufferName,
                                       StringRef baseDir, bool isText,
                                       MLIRContext &context,
                                       const ImportOptions &options) {
  loadImportDialects(context);
  LoadError error;
  std::unique_ptr<onnx::ModelProto> model =
      isText ? parseTextModel(buffer, error) : parseBinaryModel(buffer, error);
  if (!model) {
    Location loc =
        FileLineColLoc::get(&context, bufferName, error.line, error.column);
    if (isText)
      emitError(loc) << "invalid ONNX text (" << error.message << ")";
    else
      emitError(loc) << "malformed ONNX model (" << error.message << ")";
    return {};
  }
  // Weights stay in the parsed model: its blobs reference them in place.
  std::shared_ptr<const onnx::ModelProto> sharedModel = std::move(model);
  ModelImporter importer(context, bufferName, baseDir, sharedModel, options);
  return importer.importModel(*sharedModel);
}

OwningOpRef<ModuleOp> importOnnxFile(StringRef path, MLIRContext &context,
                                     const ImportOptions &options) {
  // Protobuf cannot parse more than 2 GiB; larger models keep their weights
  // as external data. The file must be a regular one (not a FIFO or a
  // device) and is copied, not mapped.
  std::string contents;
  std::string message = readRegularFile(path.str(), INT_MAX, contents);
  if (!message.empty()) {
    emitError(FileLineColLoc::get(&context, path, 0, 0)) << message;
    return {};
  }
  bool isText = llvm::sys::path::extension(path) == ".onnxtxt";
  StringRef baseDir = llvm::sys::path::parent_path(path);
  // std::string keeps the NUL the text parser needs after the contents.
  return importOnnxBuffer(contents, path, baseDir, isText, context, options);
}

} // namespace kiln::onnxfe
