//===- Importer.h - State of one ONNX model import --------------*- C++ -*-===//
//
// ModelImporter walks a graph in topological order and keeps the map from
// ONNX value names to MLIR values. NodeImporter is the view one op import
// function gets of its node: inputs, attributes, outputs, constant operands,
// and op creation with result types reconciled from three sources (the graph
// op's own inference, the type the model declares, the importer's fallback).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_FRONTENDS_ONNX_IMPORTER_H
#define KILN_FRONTENDS_ONNX_IMPORTER_H

#include "frontends/onnx/Import.h"
#include "frontends/onnx/OpTable.h"
#include "frontends/onnx/TensorImporter.h"

#include "onnx/onnx_pb.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringMap.h"

#include <optional>

namespace kiln::onnxfe {

/// The ONNX name of the default domain in diagnostics.
constexpr llvm::StringLiteral kDefaultDomain = "ai.onnx";

/// The newest ONNX IR version Kiln reads.
constexpr int64_t kMaxSupportedIrVersion = 14;

/// "ai.onnx" for the default domain (spelled "" or "ai.onnx").
inline llvm::StringRef normalizeDomain(llvm::StringRef domain) {
  return domain.empty() ? llvm::StringRef(kDefaultDomain) : domain;
}

/// Model-wide state of an import.
class ModelImporter {
public:
  /// `protoOwner` owns the model that importModel will be given (see
  /// TensorImporter).
  ModelImporter(mlir::MLIRContext &context, llvm::StringRef fileName,
                llvm::StringRef baseDir,
                std::shared_ptr<const void> protoOwner = nullptr,
                ImportOptions options = {});

  /// Builds the module for `model`; null after an error.
  mlir::OwningOpRef<mlir::ModuleOp> importModel(const onnx::ModelProto &model);

  mlir::MLIRContext &getContext() { return context; }
  mlir::OpBuilder &getBuilder() { return builder; }
  TensorImporter &getTensorImporter() { return tensors; }
  /// The location of the model file.
  mlir::Location getFileLoc() const { return fileLoc; }

  /// The value named `name`; null when no value has that name yet.
  mlir::Value lookup(llvm::StringRef name) const { return values.lookup(name); }
  void define(llvm::StringRef name, mlir::Value value) { values[name] = value; }
  /// The type ONNX declares or infers for `name`: a ranked tensor type, an
  /// unranked one when only the element type is known, or null.
  mlir::Type getTypeHint(llvm::StringRef name) const {
    return typeHints.lookup(name);
  }

  /// Imports sub-graph `graph` (attribute `what` of the node at `loc`, as
  /// "body of Loop 'l'") into the single block of the empty `region`: the
  /// block's arguments, of `argTypes`, are the sub-graph's inputs in order,
  /// and its outputs the operands of a graph.yield. The sub-graph reads the
  /// values of the enclosing graphs by name; the names it defines are
  /// forgotten after it. Its unnamed nodes are called "<scope>/<op>#<i>".
  mlir::LogicalResult importSubgraph(const onnx::GraphProto &graph,
                                     mlir::Region &region,
                                     mlir::TypeRange argTypes,
                                     mlir::Location loc, llvm::StringRef what,
                                     llvm::StringRef scope);

private:
  mlir::LogicalResult collectTypeHints(const onnx::GraphProto &graph);
  mlir::LogicalResult importInitializers(const onnx::GraphProto &graph);
  mlir::LogicalResult checkBindings(const onnx::GraphProto &graph);
  mlir::LogicalResult importInputs(const onnx::GraphProto &graph,
                                   mlir::func::FuncOp func);
  mlir::LogicalResult importBoundInputs(const onnx::GraphProto &graph);
  mlir::LogicalResult importNodes(const onnx::GraphProto &graph);
  mlir::LogicalResult importNode(const onnx::NodeProto &node, int index);
  mlir::LogicalResult importOutputs(const onnx::GraphProto &graph,
                                    mlir::func::FuncOp func);

  mlir::MLIRContext &context;
  mlir::OpBuilder builder;
  mlir::Location fileLoc;
  TensorImporter tensors;
  ImportOptions options;
  llvm::StringMap<int64_t> opsets;
  llvm::StringMap<mlir::Value> values;
  llvm::StringMap<mlir::Type> typeHints;
  /// How unnamed nodes of the sub-graph being imported are called:
  /// "<node>/<attribute>/" ("" at the top level).
  std::string scopePrefix;
};

/// What one op import function sees of its node.
class NodeImporter {
public:
  NodeImporter(ModelImporter &model, const onnx::NodeProto &node, int64_t opset,
               mlir::Location loc)
      : model(model), node(node), opset(opset), loc(loc),
        readAttrs(node.attribute_size(), false) {}

  const onnx::NodeProto &getNode() const { return node; }
  llvm::StringRef getOpType() const { return node.op_type(); }
  int64_t getOpset() const { return opset; }
  mlir::Location getLoc() const { return loc; }
  mlir::OpBuilder &getBuilder() { return model.getBuilder(); }
  mlir::MLIRContext *getContext() { return &model.getContext(); }
  TensorImporter &getTensorImporter() { return model.getTensorImporter(); }

  /// An error at the node's location.
  mlir::InFlightDiagnostic emitError();

  //===--- Inputs
  //----------------------------------------------------------===//

  unsigned getNumInputs() const { return node.input_size(); }
  /// Input `index`, null when it is absent or given as "".
  mlir::Value getInput(unsigned index) const;
  /// Input `index`; emits an error and fails when it is missing.
  mlir::FailureOr<mlir::Value> getRequiredInput(unsigned index);
  /// The type of input `index`; null when the input is absent.
  mlir::RankedTensorType getInputType(unsigned index) const;

  //===--- Attributes
  //------------------------------------------------------===//
  //
  // Each accessor marks the attribute it reads and checks its type against
  // the one ONNX declares for it; a mismatch is the node's error (reported
  // by import(), in place of whatever the import function made of the
  // default). An attribute that no accessor read is unknown to the import
  // of the op, or unsupported by it: an error too.

  /// Runs `fn` on this node, then reports the first attribute of the wrong
  /// type, or else `fn`'s own diagnostics, or else an attribute it did not
  /// read.
  mlir::LogicalResult import(OpImportFn fn);

  /// Whether the node has attribute `name` (without reading it).
  bool hasAttr(llvm::StringRef name) const;
  /// Reads attribute `name` whatever its type; null when absent.
  const onnx::AttributeProto *findAttr(llvm::StringRef name);
  /// Reads attribute `name`, which must be of `type`; null when absent or
  /// of another type.
  const onnx::AttributeProto *
  findAttr(llvm::StringRef name, onnx::AttributeProto::AttributeType type);
  int64_t getInt(llvm::StringRef name, int64_t defaultValue);
  float getFloat(llvm::StringRef name, float defaultValue);
  std::string getString(llvm::StringRef name, llvm::StringRef defaultValue);
  std::optional<llvm::SmallVector<int64_t>> getInts(llvm::StringRef name);
  std::optional<llvm::SmallVector<float>> getFloats(llvm::StringRef name);
  /// Reads an attribute that does not change what inference computes
  /// (a training-only momentum, a seed), checking only its type.
  void ignoreAttr(llvm::StringRef name,
                  onnx::AttributeProto::AttributeType type);

  //===--- Outputs
  //---------------------------------------------------------===//

  unsigned getNumOutputs() const { return node.output_size(); }
  /// Whether output `index` is present and named (an optional output that
  /// nothing reads is left out or named "").
  bool isOutputUsed(unsigned index) const;
  /// Binds output `index` to `value`.
  void setOutput(unsigned index, mlir::Value value);
  /// The type ONNX gives output `index` (see ModelImporter::getTypeHint).
  mlir::Type getOutputHint(unsigned index) const;
  /// Fails with "... output #i of <op> is not supported" when used.
  mlir::LogicalResult rejectUsedOutputs(unsigned firstUnsupported,
                                        llvm::StringRef why);

  //===--- Constants
  //-------------------------------------------------------===//

  /// The integer values of `value` when it is a graph.constant.
  std::optional<llvm::SmallVector<int64_t>>
  getConstantInts(mlir::Value value) const;
  /// The integer values of input `index` when it is a constant; emits an
  /// error naming `what` and fails otherwise.
  mlir::FailureOr<llvm::SmallVector<int64_t>>
  getRequiredConstantInts(unsigned index, llvm::StringRef what);

  /// A graph.constant 1-d i64 tensor.
  mlir::Value createI64Tensor(llvm::ArrayRef<int64_t> values);
  /// A graph.constant rank-0 tensor of `elementType` holding `value`.
  mlir::Value createScalar(mlir::Type elementType, double value);
  /// A graph.constant of `attr`.
  mlir::Value createConstant(mlir::ElementsAttr attr);

  //===--- Sizes known at run time (graph.shape and arithmetic on it)
  //-----===//

  /// Dims [start, end) of `value` as a 1-d i64 tensor.
  mlir::FailureOr<mlir::Value> createShape(mlir::Value value, int64_t start,
                                           int64_t end);
  /// Dim `d` of `value` as a rank-0 i64 tensor.
  mlir::FailureOr<mlir::Value> createDim(mlir::Value value, int64_t d);
  /// 0, 1, ..., dim `d` of `value` - 1 as a 1-d i64 tensor.
  mlir::FailureOr<mlir::Value> createIota(mlir::Value value, int64_t d);

  //===--- Op creation
  //-----------------------------------------------------===//

  /// Creates `OpTy` with `operands` and `attrs`. Each result type is the
  /// op's inferred type, refined by `resultHints` (ONNX's type or the
  /// importer's own); fails with an error when neither gives a ranked type.
  template <typename OpTy>
  mlir::FailureOr<OpTy>
  create(mlir::TypeRange resultHints, mlir::ValueRange operands,
         llvm::ArrayRef<mlir::NamedAttribute> attrs = {}) {
    llvm::SmallVector<mlir::Type> placeholders;
    for (mlir::Type hint : resultHints)
      placeholders.push_back(hint ? hint : getPlaceholderType());
    auto op = OpTy::create(getBuilder(), loc, placeholders, operands, attrs);
    if (mlir::failed(refineResultTypes(op, resultHints)))
      return mlir::failure();
    return op;
  }

  /// create() for single-result ops, returning the result.
  template <typename OpTy>
  mlir::FailureOr<mlir::Value>
  createValue(mlir::Type resultHint, mlir::ValueRange operands,
              llvm::ArrayRef<mlir::NamedAttribute> attrs = {}) {
    mlir::FailureOr<OpTy> op =
        create<OpTy>(mlir::TypeRange(resultHint), operands, attrs);
    if (mlir::failed(op))
      return mlir::failure();
    return op->getOperation()->getResult(0);
  }

  /// createValue() whose result becomes output 0, hinted by ONNX's type.
  template <typename OpTy>
  mlir::LogicalResult
  createOutput(mlir::ValueRange operands,
               llvm::ArrayRef<mlir::NamedAttribute> attrs = {},
               mlir::Type fallback = {}) {
    mlir::FailureOr<mlir::Value> value = createValue<OpTy>(
        joinHints(getOutputHint(0), fallback), operands, attrs);
    if (mlir::failed(value))
      return mlir::failure();
    setOutput(0, *value);
    return mlir::success();
  }

  /// The more precise of two type hints: a ranked type over an unranked
  /// one, static dims of either filling the other's `?`.
  static mlir::Type joinHints(mlir::Type lhs, mlir::Type rhs);

  mlir::NamedAttribute namedAttr(llvm::StringRef name, mlir::Attribute value) {
    return getBuilder().getNamedAttr(name, value);
  }

  /// A result type to create an op with before its type is known.
  mlir::Type getPlaceholderType();
  /// Gives each result of `op` its inferred type refined by `resultHints`;
  /// erases `op` and fails with an error when neither gives a ranked type.
  mlir::LogicalResult refineResultTypes(mlir::Operation *op,
                                        mlir::TypeRange resultHints);
  /// The node's name, as locations and diagnostics give it.
  llvm::StringRef getNodeName() const;

  /// Imports the GRAPH attribute `name` into `region` (see
  /// ModelImporter::importSubgraph); fails with an error when the node has
  /// no such attribute.
  mlir::LogicalResult importSubgraph(llvm::StringRef name, mlir::Region &region,
                                     mlir::TypeRange argTypes);
  /// The number of inputs and outputs of GRAPH attribute `name`; std::nullopt
  /// when absent (without reading it).
  std::optional<std::pair<int, int>> getSubgraphArity(llvm::StringRef name);

private:
  /// The index of attribute `name`, marked read; -1 when absent.
  int findAttrIndex(llvm::StringRef name);

  ModelImporter &model;
  const onnx::NodeProto &node;
  int64_t opset;
  mlir::Location loc;
  /// Per attribute of the node, whether an accessor read it.
  llvm::SmallVector<bool> readAttrs;
  /// The first attribute read as the wrong type, as a message.
  std::string attrError;
};

/// The name a node goes by in locations and diagnostics: its name, or
/// "<op_type>#<index>" when it has none.
std::string getNodeName(const onnx::NodeProto &node, int index);

/// Checks the structure of `model` (ValidateGraph.cpp): opset imports,
/// names, single assignment of values, well-formed attributes.
mlir::LogicalResult validateModel(const onnx::ModelProto &model,
                                  mlir::Location fileLoc);

/// Checks the structure of sub-graph `graph`, attribute `what` of a node:
/// names, single assignment of the values it defines, well-formed
/// attributes.
mlir::LogicalResult validateSubgraph(const onnx::GraphProto &graph,
                                     llvm::StringRef what, mlir::Location loc);

/// Whether a value of type `actual` may have the type a model declares for
/// it: the same element type and, when both are ranked, the same rank and
/// every dim static in both equal.
bool isCompatibleWithDeclared(mlir::Type declared, mlir::Type actual);

/// The type of `attr`: its `type` field or, in models too old to set it,
/// the one field it fills; UNDEFINED when that is ambiguous.
onnx::AttributeProto::AttributeType
getAttributeType(const onnx::AttributeProto &attr);

} // namespace kiln::onnxfe

#endif // KILN_FRONTENDS_ONNX_IMPORTER_H
