//===- ImportRecurrent.cpp - ONNX RNN, GRU and LSTM -----------------------===//
//
// RNN, GRU and LSTM (opsets 1 to 22) as graph.rnn, graph.gru, graph.lstm.
// The graph ops hold the activations of every direction spelled as ONNX
// does ("Tanh"), each with its alpha and beta: the lists given are read in
// order by the functions that take them (Affine, LeakyRelu,
// ThresholdedRelu, ScaledTanh, HardSigmoid, Elu), missing values take the
// defaults of onnxruntime. Layout 1 (batch first, opset 14) becomes
// transposes around the layout-0 op:
//
//   Y = transpose(rnn(transpose(X, [1, 0, 2]), ...), [2, 0, 1, 3])
//   Y_h = transpose(Y_h', [1, 0, 2]) (and initial_h, Y_c, initial_c alike)
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"
#include "frontends/onnx/OpTable.h"

#include "dialects/graph/GraphOps.h"

#include "llvm/ADT/StringExtras.h"

using namespace mlir;

namespace kiln::onnxfe {
namespace {

namespace g = ::kiln::graph;

/// An activation function: its ONNX name and the defaults of the alpha and
/// beta it reads (NaN: it reads none).
struct Activation {
  StringLiteral name;
  float alpha, beta;
};

constexpr float kNone = __builtin_nanf("");

constexpr Activation kActivations[] = {
    {"Relu", kNone, kNone},      {"Tanh", kNone, kNone},
    {"Sigmoid", kNone, kNone},   {"Affine", 1.0f, 0.0f},
    {"LeakyRelu", 0.01f, kNone}, {"ThresholdedRelu", 1.0f, kNone},
    {"ScaledTanh", 1.0f, 1.0f},  {"HardSigmoid", 0.2f, 0.5f},
    {"Elu", 1.0f, kNone},        {"Softsign", kNone, kNone},
    {"Softplus", kNone, kNone},
};

/// What one recurrent op takes.
struct RecurrentKind {
  int64_t functions; // activations per direction
  ArrayRef<StringLiteral> defaults;
  bool isLSTM;
};

constexpr StringLiteral kRNNDefaults[] = {"Tanh"};
constexpr StringLiteral kGRUDefaults[] = {"Sigmoid", "Tanh"};
constexpr StringLiteral kLSTMDefaults[] = {"Sigmoid", "Tanh", "Tanh"};

FailureOr<Value> transposeValue(NodeImporter &n, Value value,
                                ArrayRef<int64_t> perm, Type hint = {}) {
  return n.createValue<g::TransposeOp>(
      hint, {value},
      {n.namedAttr("perm", n.getBuilder().getDenseI64ArrayAttr(perm))});
}

/// The activations of every direction with their alphas and betas.
LogicalResult getActivations(NodeImporter &n, const RecurrentKind &kind,
                             int64_t dirs, SmallVectorImpl<Attribute> &names,
                             SmallVectorImpl<float> &alphas,
                             SmallVectorImpl<float> &betas) {
  Builder &b = n.getBuilder();
  SmallVector<std::string> given;
  if (const onnx::AttributeProto *attr =
          n.findAttr("activations", onnx::AttributeProto::STRINGS))
    for (const std::string &name : attr->strings())
      given.push_back(name);
  if (given.empty())
    for (int64_t d = 0; d < dirs; ++d)
      for (StringLiteral name : kind.defaults)
        given.push_back(name.str());
  if (static_cast<int64_t>(given.size()) != dirs * kind.functions)
    return n.emitError() << n.getOpType() << " needs " << kind.functions
                         << " activations per direction, got " << given.size()
                         << " for " << dirs << " directions";
  SmallVector<float> alphaList =
      n.getFloats("activation_alpha").value_or(SmallVector<float>());
  SmallVector<float> betaList =
      n.getFloats("activation_beta").value_or(SmallVector<float>());
  size_t nextAlpha = 0, nextBeta = 0;
  for (const std::string &name : given) {
    const Activation *activation =
        llvm::find_if(kActivations, [&](const Activation &a) {
          return StringRef(a.name).equals_insensitive(name);
        });
    if (activation == std::end(kActivations))
      return n.emitError() << n.getOpType() << " activation '"
                           << llvm::StringRef(name) << "' is not supported";
    names.push_back(b.getStringAttr(activation->name));
    float alpha = 0.0f, beta = 0.0f;
    if (!std::isnan(activation->alpha))
      alpha = nextAlpha < alphaList.size() ? alphaList[nextAlpha++]
                                           : activation->alpha;
    if (!std::isnan(activation->beta))
      beta =
          nextBeta < betaList.size() ? betaList[nextBeta++] : activation->beta;
    alphas.push_back(alpha);
    betas.push_back(beta);
  }
  return success();
}

template <typename OpTy>
LogicalResult importRecurrent(NodeImporter &n, const RecurrentKind &kind) {
  FailureOr<Value> x = n.getRequiredInput(0);
  FailureOr<Value> w = n.getRequiredInput(1);
  FailureOr<Value> r = n.getRequiredInput(2);
  if (failed(x) || failed(w) || failed(r))
    return failure();
  Builder &b = n.getBuilder();
  // Opset 1's output_sequence only said whether Y may be left out.
  n.ignoreAttr("output_sequence", onnx::AttributeProto::INT);
  std::string direction = n.getString("direction", "forward");
  int64_t dirs = direction == "bidirectional" ? 2 : 1;
  int64_t hidden = n.getInt("hidden_size", 0);
  if (!n.hasAttr("hidden_size")) {
    // R is (dirs, G * hidden, hidden).
    auto rType = cast<RankedTensorType>(r->getType());
    if (rType.getRank() != 3 || rType.isDynamicDim(2))
      return n.emitError() << n.getOpType()
                           << " without hidden_size needs a static R";
    hidden = rType.getDimSize(2);
  }
  SmallVector<Attribute> names;
  SmallVector<float> alphas, betas;
  if (failed(getActivations(n, kind, dirs, names, alphas, betas)))
    return failure();
  int64_t layout = n.getOpset() >= 14 ? n.getInt("layout", 0) : 0;
  if (layout != 0 && layout != 1)
    return n.emitError() << n.getOpType() << " layout " << layout
                         << " is unknown";

  // Batch-first inputs move to layout 0.
  auto toLayout0 = [&](Value value) -> FailureOr<Value> {
    if (!value || layout == 0)
      return value;
    return transposeValue(n, value, {1, 0, 2});
  };
  FailureOr<Value> input = toLayout0(*x);
  FailureOr<Value> initialH = toLayout0(n.getInput(5));
  FailureOr<Value> initialC =
      kind.isLSTM ? toLayout0(n.getInput(6)) : FailureOr<Value>(Value());
  if (failed(input) || failed(initialH) || failed(initialC))
    return failure();

  SmallVector<Value> operands = {*input, *w, *r};
  SmallVector<int32_t> segments = {1, 1, 1};
  for (Value value : {n.getInput(3), n.getInput(4), *initialH}) {
    segments.push_back(value ? 1 : 0);
    if (value)
      operands.push_back(value);
  }
  SmallVector<NamedAttribute> attrs = {
      n.namedAttr("hidden_size", b.getI64IntegerAttr(hidden)),
      n.namedAttr("direction", b.getStringAttr(direction)),
      n.namedAttr("activations", b.getArrayAttr(names)),
      n.namedAttr("activation_alpha", b.getDenseF32ArrayAttr(alphas)),
      n.namedAttr("activation_beta", b.getDenseF32ArrayAttr(betas))};
  if (n.hasAttr("clip"))
    attrs.push_back(
        n.namedAttr("clip", b.getF32FloatAttr(n.getFloat("clip", 0.0f))));
  if constexpr (std::is_same_v<OpTy, g::GRUOp>) {
    // linear_before_reset came in opset 3.
    int64_t linear = n.getOpset() >= 3 ? n.getInt("linear_before_reset", 0) : 0;
    attrs.push_back(
        n.namedAttr("linear_before_reset", b.getBoolAttr(linear != 0)));
  }
  if constexpr (std::is_same_v<OpTy, g::LSTMOp>) {
    for (Value value : {*initialC, n.getInput(7)}) {
      segments.push_back(value ? 1 : 0);
      if (value)
        operands.push_back(value);
    }
    attrs.push_back(n.namedAttr(
        "input_forget", b.getBoolAttr(n.getInt("input_forget", 0) != 0)));
  }
  attrs.push_back(
      n.namedAttr("operandSegmentSizes", b.getDenseI32ArrayAttr(segments)));

  unsigned numResults = kind.isLSTM ? 3 : 2;
  SmallVector<Type> hints;
  for (unsigned i = 0; i < numResults; ++i)
    hints.push_back(layout == 0 ? n.getOutputHint(i) : Type());
  FailureOr<OpTy> op = n.create<OpTy>(hints, operands, attrs);
  if (failed(op))
    return failure();
  for (unsigned i = 0; i < numResults; ++i) {
    if (!n.isOutputUsed(i))
      continue;
    Value result = (*op)->getResult(i);
    if (layout == 1) {
      // Y (seq, dirs, batch, hidden) -> (batch, seq, dirs, hidden); the
      // states (dirs, batch, hidden) -> (batch, dirs, hidden).
      FailureOr<Value> moved =
          i == 0 ? transposeValue(n, result, {2, 0, 1, 3}, n.getOutputHint(i))
                 : transposeValue(n, result, {1, 0, 2}, n.getOutputHint(i));
      if (failed(moved))
        return failure();
      result = *moved;
    }
    n.setOutput(i, result);
  }
  return success();
}

LogicalResult importRNN(NodeImporter &n) {
  return importRecurrent<g::RNNOp>(n, {1, kRNNDefaults, false});
}
LogicalResult importGRU(NodeImporter &n) {
  return importRecurrent<g::GRUOp>(n, {2, kGRUDefaults, false});
}
LogicalResult importLSTM(NodeImporter &n) {
  return importRecurrent<g::LSTMOp>(n, {3, kLSTMDefaults, true});
}

} // namespace

void registerRecurrentOps(OpTable &table) {
  table.add("RNN", {1, 7, 14, 22}, importRNN);
  table.add("GRU", {1, 3, 7, 14, 22}, importGRU);
  table.add("LSTM", {1, 7, 14, 22}, importLSTM);
}

} // namespace kiln::onnxfe
