//===- ImportControlFlow.cpp - If, Loop and Scan --------------------------===//
//
// Nodes whose GRAPH attributes become regions of graph.if, graph.loop and
// graph.scan. Each sub-graph is imported with the types its inputs receive
// (the carried values keep their initial types), and each op's results are
// inferred from what its regions yield, refined by the model's declared
// output types (a declared scan output length fixes a data-dependent one).
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"

#include "dialects/graph/GraphOps.h"
#include "dialects/graph/GraphUtils.h"

using namespace mlir;

namespace kiln::onnxfe {
namespace {

namespace g = ::kiln::graph;

/// The output hints of every output of the node.
SmallVector<Type> getOutputHints(NodeImporter &n) {
  SmallVector<Type> hints;
  for (unsigned i = 0, e = n.getNumOutputs(); i < e; ++i)
    hints.push_back(n.getOutputHint(i));
  return hints;
}

/// Creates a control-flow op of `OpTy` with one placeholder result per
/// output of the node; its regions are filled by the caller.
template <typename OpTy, typename... Args>
OpTy createWithPlaceholders(NodeImporter &n, unsigned numResults,
                            Args &&...args) {
  SmallVector<Type> placeholders(numResults, n.getPlaceholderType());
  return OpTy::create(n.getBuilder(), n.getLoc(), placeholders,
                      std::forward<Args>(args)...);
}

/// Fails with a node-named error unless sub-graph `name` has `numOutputs`
/// outputs (`what` says which they are).
LogicalResult checkOutputCount(NodeImporter &n, StringRef name, int numOutputs,
                               const Twine &what) {
  std::optional<std::pair<int, int>> arity = n.getSubgraphArity(name);
  if (!arity || arity->second == numOutputs)
    return success();
  return n.emitError() << name << " of " << n.getOpType() << " '"
                       << n.getNodeName() << "' has " << arity->second
                       << " outputs, expected " << numOutputs << " (" << what
                       << ")";
}

/// The yield of the single block of `region`.
g::YieldOp getYield(Region &region) {
  return cast<g::YieldOp>(region.front().getTerminator());
}

/// Whether `type` holds one i1.
bool isSingleBool(Type type) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  return ranked && ranked.getElementType().isInteger(1) &&
         ranked.hasStaticShape() && ranked.getNumElements() == 1;
}

/// Fails with a node-named error when a carried value's type changes in
/// one iteration: from the type `inits` give it to the one `next` yields.
LogicalResult checkCarried(NodeImporter &n, ValueRange inits, ValueRange next) {
  for (auto [i, init, value] : llvm::enumerate(inits, next)) {
    auto from = cast<RankedTensorType>(init.getType());
    auto to = cast<RankedTensorType>(value.getType());
    if (from.getElementType() == to.getElementType() &&
        from.getRank() == to.getRank() &&
        succeeded(verifyCompatibleShape(from.getShape(), to.getShape())))
      continue;
    return n.emitError() << n.getOpType() << " '" << n.getNodeName()
                         << "': carried value #" << i << " changes from "
                         << from << " to " << to
                         << " in one iteration, which is not supported";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// If
//===----------------------------------------------------------------------===//

LogicalResult importIf(NodeImporter &n) {
  FailureOr<Value> cond = n.getRequiredInput(0);
  if (failed(cond))
    return failure();
  int numOutputs = n.getNumOutputs();
  for (StringRef branch : {"then_branch", "else_branch"})
    if (failed(checkOutputCount(n, branch, numOutputs, "one per output")))
      return failure();
  auto op = createWithPlaceholders<g::IfOp>(n, numOutputs, *cond);
  // A constant condition (a check an exporter folded, or one that folds
  // from shapes, as a rank test): only the branch taken is imported, and
  // it replaces the op; the other may not even be valid at these shapes.
  std::optional<SmallVector<int64_t>> value = n.getConstantInts(*cond);
  bool isConstant = value && value->size() == 1;
  bool thenTaken = isConstant && (*value)[0] != 0;
  if (isConstant) // the branch not taken is known, and left unread
    (void)n.findAttr(thenTaken ? "else_branch" : "then_branch");
  if ((!(isConstant && !thenTaken) &&
       failed(n.importSubgraph("then_branch", op.getThenBranch(), {}))) ||
      (!(isConstant && thenTaken) &&
       failed(n.importSubgraph("else_branch", op.getElseBranch(), {})))) {
    op.erase();
    return failure();
  }
  if (isConstant) {
    Region &taken = thenTaken ? op.getThenBranch() : op.getElseBranch();
    g::YieldOp yield = getYield(taken);
    SmallVector<Value> outputs(yield.getValues());
    yield.erase();
    op->getBlock()->getOperations().splice(Block::iterator(op),
                                           taken.front().getOperations());
    op.erase();
    for (auto [i, output] : llvm::enumerate(outputs))
      n.setOutput(i, output);
    return success();
  }
  // Kiln gives a result one shape, whichever branch runs.
  for (auto [i, thenValue, elseValue] :
       llvm::enumerate(getYield(op.getThenBranch()).getOperands(),
                       getYield(op.getElseBranch()).getOperands())) {
    auto thenType = cast<RankedTensorType>(thenValue.getType());
    auto elseType = cast<RankedTensorType>(elseValue.getType());
    if (thenType.getElementType() != elseType.getElementType() ||
        thenType.getRank() != elseType.getRank() ||
        failed(
            verifyCompatibleShape(thenType.getShape(), elseType.getShape()))) {
      op.erase();
      return n.emitError() << "If '" << n.getNodeName() << "': output #" << i
                           << " is " << thenType << " in then_branch and "
                           << elseType
                           << " in else_branch (branches of different shapes "
                              "are not supported)";
    }
  }
  if (failed(n.refineResultTypes(op, getOutputHints(n))))
    return failure();
  for (auto [i, result] : llvm::enumerate(op.getResults()))
    n.setOutput(i, result);
  return success();
}

//===----------------------------------------------------------------------===//
// Loop
//===----------------------------------------------------------------------===//

LogicalResult importLoop(NodeImporter &n) {
  Value maxTripCount = n.getInput(0);
  Value cond = n.getInput(1);
  // ONNX ignores the body's condition without the input cond: such a loop
  // would run forever.
  if (!maxTripCount && !cond)
    return n.emitError() << "Loop '" << n.getNodeName()
                         << "' has neither a trip count nor a condition (a "
                            "loop that never ends is not supported)";
  SmallVector<Value> inits;
  for (unsigned i = 2, e = n.getNumInputs(); i < e; ++i) {
    FailureOr<Value> init = n.getRequiredInput(i);
    if (failed(init))
      return failure();
    inits.push_back(*init);
  }
  int numOutputs = n.getNumOutputs();
  if (numOutputs < static_cast<int>(inits.size()))
    return n.emitError() << "Loop '" << n.getNodeName() << "' has "
                         << numOutputs << " outputs for " << inits.size()
                         << " carried values";
  if (failed(checkOutputCount(n, "body", 1 + numOutputs,
                              "the condition, then one per output")))
    return failure();

  MLIRContext *context = n.getContext();
  SmallVector<Type> argTypes{
      RankedTensorType::get({}, IntegerType::get(context, 64)),
      RankedTensorType::get({}, IntegerType::get(context, 1))};
  for (Value init : inits)
    argTypes.push_back(init.getType());
  auto op = createWithPlaceholders<g::LoopOp>(n, numOutputs, maxTripCount, cond,
                                              inits);
  if (failed(n.importSubgraph("body", op.getBody(), argTypes))) {
    op.erase();
    return failure();
  }
  ValueRange yielded = getYield(op.getBody()).getOperands();
  Type condType = yielded[0].getType();
  if (!isSingleBool(condType)) {
    op.erase();
    return n.emitError() << "Loop '" << n.getNodeName()
                         << "': the body's condition must be one bool, got "
                         << condType;
  }
  if (failed(checkCarried(n, inits, yielded.slice(1, inits.size())))) {
    op.erase();
    return failure();
  }
  if (failed(n.refineResultTypes(op, getOutputHints(n))))
    return failure();
  for (auto [i, result] : llvm::enumerate(op.getResults()))
    n.setOutput(i, result);
  return success();
}

//===----------------------------------------------------------------------===//
// Scan
//===----------------------------------------------------------------------===//

/// The axes of `count` scans from attribute `name` (0 for each when
/// absent), in [0, rank) of each; fails with an error on a bad axis.
FailureOr<SmallVector<int64_t>> getScanAxes(NodeImporter &n, StringRef name,
                                            ArrayRef<int64_t> ranks) {
  std::optional<SmallVector<int64_t>> axes = n.getInts(name);
  if (!axes)
    return SmallVector<int64_t>(ranks.size(), 0);
  if (axes->size() != ranks.size())
    return n.emitError() << "Scan '" << n.getNodeName() << "': " << name
                         << " has " << axes->size() << " entries for "
                         << ranks.size() << " scans";
  for (auto [axis, rank] : llvm::zip_equal(*axes, ranks)) {
    if (!g::isValidAxis(axis, rank))
      return n.emitError() << "Scan '" << n.getNodeName() << "': " << name
                           << " holds axis " << axis << " for rank " << rank;
    axis = g::normalizeAxis(axis, rank);
  }
  return *axes;
}

/// The directions of `count` scans from attribute `name` (0 when absent).
FailureOr<SmallVector<int64_t>>
getScanDirections(NodeImporter &n, StringRef name, unsigned count) {
  std::optional<SmallVector<int64_t>> directions = n.getInts(name);
  if (!directions)
    return SmallVector<int64_t>(count, 0);
  if (directions->size() != count ||
      llvm::any_of(*directions, [](int64_t d) { return d != 0 && d != 1; }))
    return n.emitError() << "Scan '" << n.getNodeName() << "': " << name
                         << " must hold " << count << " entries of 0 or 1";
  return *directions;
}

/// The permutation that moves dim `axis` of a rank-`rank` tensor to the
/// front (`toFront`), or dim 0 to `axis`.
SmallVector<int64_t> getAxisPermutation(int64_t axis, int64_t rank,
                                        bool toFront) {
  // The other dims keep their order.
  SmallVector<int64_t> perm;
  for (int64_t d = 0; d < rank; ++d)
    if (d != (toFront ? axis : 0))
      perm.push_back(d);
  perm.insert(perm.begin() + (toFront ? 0 : axis), toFront ? axis : 0);
  return perm;
}

LogicalResult importScan(NodeImporter &n) {
  int64_t numScanInputs = n.getInt("num_scan_inputs", 0);
  int64_t numInputs = n.getNumInputs();
  if (numScanInputs < 1 || numScanInputs > numInputs)
    return n.emitError() << "Scan '" << n.getNodeName()
                         << "': num_scan_inputs is " << numScanInputs << " for "
                         << numInputs << " inputs";
  int64_t numStates = numInputs - numScanInputs;
  int64_t numOutputs = n.getNumOutputs();
  if (numOutputs < numStates)
    return n.emitError() << "Scan '" << n.getNodeName() << "' has "
                         << numOutputs << " outputs for " << numStates
                         << " states";
  int64_t numScanOutputs = numOutputs - numStates;
  SmallVector<Value> inputs;
  SmallVector<int64_t> inputRanks;
  for (int64_t i = 0; i < numInputs; ++i) {
    FailureOr<Value> input = n.getRequiredInput(i);
    if (failed(input))
      return failure();
    inputs.push_back(*input);
    if (i >= numStates)
      inputRanks.push_back(cast<RankedTensorType>(input->getType()).getRank());
  }
  if (failed(checkOutputCount(n, "body", numOutputs,
                              "the states, then the scan outputs")))
    return failure();
  FailureOr<SmallVector<int64_t>> inputAxes =
      getScanAxes(n, "scan_input_axes", inputRanks);
  FailureOr<SmallVector<int64_t>> inputDirections =
      getScanDirections(n, "scan_input_directions", numScanInputs);
  FailureOr<SmallVector<int64_t>> outputDirections =
      getScanDirections(n, "scan_output_directions", numScanOutputs);
  if (failed(inputAxes) || failed(inputDirections) || failed(outputDirections))
    return failure();
  // The output axes need the ranks of the scan outputs: read after the body.
  std::optional<SmallVector<int64_t>> outputAxes =
      n.getInts("scan_output_axes");
  if (outputAxes && static_cast<int64_t>(outputAxes->size()) != numScanOutputs)
    return n.emitError() << "Scan '" << n.getNodeName()
                         << "': scan_output_axes has " << outputAxes->size()
                         << " entries for " << numScanOutputs << " outputs";

  // Scan inputs are scanned along dim 0.
  SmallVector<Type> argTypes;
  for (int64_t i = 0; i < numInputs; ++i) {
    if (i < numStates) {
      argTypes.push_back(inputs[i].getType());
      continue;
    }
    int64_t axis = (*inputAxes)[i - numStates];
    auto type = cast<RankedTensorType>(inputs[i].getType());
    if (axis != 0) {
      FailureOr<Value> moved = n.createValue<g::TransposeOp>(
          Type(), {inputs[i]},
          {n.namedAttr("perm", n.getBuilder().getDenseI64ArrayAttr(
                                   getAxisPermutation(axis, type.getRank(),
                                                      /*toFront=*/true)))});
      if (failed(moved))
        return failure();
      inputs[i] = *moved;
      type = cast<RankedTensorType>(moved->getType());
    }
    argTypes.push_back(RankedTensorType::get(type.getShape().drop_front(),
                                             type.getElementType()));
  }

  Builder &builder = n.getBuilder();
  auto op = createWithPlaceholders<g::ScanOp>(
      n, numOutputs, inputs, builder.getI64IntegerAttr(numScanInputs),
      builder.getDenseI64ArrayAttr(*inputDirections),
      builder.getDenseI64ArrayAttr(*outputDirections));
  if (failed(n.importSubgraph("body", op.getBody(), argTypes))) {
    op.erase();
    return failure();
  }
  ValueRange yielded = getYield(op.getBody()).getOperands();
  if (failed(checkCarried(n, ValueRange(inputs).take_front(numStates),
                          yielded.take_front(numStates)))) {
    op.erase();
    return failure();
  }
  // Outputs moved off axis 0 take their declared type after the move.
  SmallVector<Type> hints = getOutputHints(n);
  SmallVector<int64_t> axes(numScanOutputs, 0);
  for (int64_t k = 0; k < numScanOutputs; ++k) {
    if (!outputAxes)
      break;
    int64_t rank =
        cast<RankedTensorType>(yielded[numStates + k].getType()).getRank() + 1;
    int64_t axis = (*outputAxes)[k];
    if (!g::isValidAxis(axis, rank)) {
      op.erase();
      return n.emitError() << "Scan '" << n.getNodeName()
                           << "': scan_output_axes holds axis " << axis
                           << " for rank " << rank;
    }
    axes[k] = g::normalizeAxis(axis, rank);
    if (axes[k] != 0)
      hints[numStates + k] = Type();
  }
  if (failed(n.refineResultTypes(op, hints)))
    return failure();
  for (auto [i, result] : llvm::enumerate(op.getResults())) {
    int64_t k = static_cast<int64_t>(i) - numStates;
    if (k < 0 || axes[k] == 0) {
      n.setOutput(i, result);
      continue;
    }
    int64_t rank = cast<RankedTensorType>(result.getType()).getRank();
    FailureOr<Value> moved = n.createValue<g::TransposeOp>(
        n.getOutputHint(i), {result},
        {n.namedAttr("perm", builder.getDenseI64ArrayAttr(getAxisPermutation(
                                 axes[k], rank, /*toFront=*/false)))});
    if (failed(moved))
      return failure();
    n.setOutput(i, *moved);
  }
  return success();
}

} // namespace

void registerControlFlowOps(OpTable &table) {
  // Versions 11 to 25 add element types and sequence / optional values
  // (refused where they appear); the semantics of tensors stay.
  table.add("If", {1, 11, 13, 16, 19, 21, 23, 24, 25}, importIf);
  table.add("Loop", {1, 11, 13, 16, 19, 21, 23, 24, 25}, importLoop);
  // Scan-8 has a batch dim first; it is not imported.
  table.add("Scan", {9, 11, 16, 19, 21, 23, 24, 25}, importScan);
}

} // namespace kiln::onnxfe
