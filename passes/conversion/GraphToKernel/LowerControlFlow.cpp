//===- LowerControlFlow.cpp - If, Loop and Scan to scf over buffers -------===//
//
// graph.if    => scf.if on the loaded condition; each branch copies what it
//                yields into the result buffers
// graph.loop  => scf.while over an i64 iteration number; the carried values
//                live in one buffer each, which the body reads and which
//                its yields are copied back into at the end of an iteration
// graph.scan  => scf.for over dim 0 of the scan inputs; slices are copied
//                out of the inputs and scan elements into the outputs
//
// Host control flow over kernel ops: the bodies keep the kernel ops the
// rest of the lowering makes. Every buffer of a body is a kernel.alloc that
// hoistOutOfControlFlow moves in front of the outermost control-flow op, so
// the plan (which sees one block) keeps it live through the whole loop and
// codegen computes its size before the run; a buffer whose size changes per
// iteration is refused there.
//
//===----------------------------------------------------------------------===//

#include "passes/conversion/GraphToKernel/LoweringState.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/ADT/DenseSet.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::graph_to_kernel;

namespace {

/// The name of the node `op` was imported from, for diagnostics.
std::string getOpName(Operation *op) {
  if (auto name = dyn_cast<NameLoc>(op->getLoc()))
    return name.getName().str();
  return op->getName().getStringRef().str();
}

/// The alloc `buffer` is, or is a view of; null for inputs and weights.
Value getRoot(Value buffer) {
  while (auto view = buffer.getDefiningOp<kernel::ViewOp>())
    buffer = view.getSource();
  return buffer;
}

/// A fresh buffer for `value` with the dims of `like` (a buffer of the same
/// shape), mapped to it.
Value createBufferLike(Value value, Value like, LoweringState &state) {
  SmallVector<Value> dims = state.getBufferDims(like);
  return state.createResultBuffer(value, ArrayRef<Value>(dims));
}

/// Copies the buffers `yields` into `targets` as if at once: a yield that
/// reads one of the targets (a carried value passed on to another) goes
/// through a temporary first. Dims that are not the same size value are
/// checked to agree before the run.
void copyYields(Location loc, ArrayRef<Value> yields, ArrayRef<Value> targets,
                LoweringState &state) {
  OpBuilder &builder = state.getBuilder();
  llvm::SmallDenseSet<Value, 8> targetRoots;
  for (Value target : targets)
    targetRoots.insert(getRoot(target));
  SmallVector<Value> sources(yields);
  for (auto [source, target] : llvm::zip_equal(sources, targets)) {
    // A condition of shape [1] is copied into one of shape [].
    SmallVector<Value> dims = state.getBufferDims(source);
    SmallVector<Value> targetDims = state.getBufferDims(target);
    if (dims.size() == targetDims.size())
      for (auto [size, expected] : llvm::zip_equal(dims, targetDims))
        if (size != expected)
          kernel::AssertDimOp::create(builder, loc, size, expected);
    if (source == target || !targetRoots.contains(getRoot(source)))
      continue;
    auto type = cast<MemRefType>(source.getType());
    Value temporary = state.createAlloc(loc, type.getElementType(), dims);
    kernel::CopyOp::create(builder, loc, source, temporary);
    source = temporary;
  }
  for (auto [source, target] : llvm::zip_equal(sources, targets))
    if (source != target)
      kernel::CopyOp::create(builder, loc, source, target);
}

/// The buffers of the values `yield` passes on, lowered already.
FailureOr<SmallVector<Value>> getYieldBuffers(graph::YieldOp yield,
                                              LoweringState &state) {
  SmallVector<Value> buffers;
  for (Value value : yield.getValues()) {
    FailureOr<Value> buffer = state.getBuffer(value);
    if (failed(buffer))
      return failure();
    buffers.push_back(*buffer);
  }
  return buffers;
}

/// Lowers the ops of `block` at the end of `target` (before its
/// terminator); returns the buffers of what `block` yields.
FailureOr<SmallVector<Value>> lowerBody(Block &block, Block &target,
                                        LoweringState &state) {
  OpBuilder &builder = state.getBuilder();
  builder.setInsertionPoint(target.getTerminator());
  if (failed(lowerBlock(block, state)))
    return failure();
  return getYieldBuffers(cast<graph::YieldOp>(block.getTerminator()), state);
}

/// Loads the single element of `buffer` as an i1 or i64 host scalar.
Value loadScalar(Location loc, Value buffer, LoweringState &state) {
  auto type = cast<MemRefType>(buffer.getType());
  if (type.getRank() != 0)
    buffer = state.createView(loc, buffer, ArrayRef<int64_t>{});
  return kernel::LoadScalarOp::create(state.getBuilder(), loc,
                                      type.getElementType(), buffer);
}

//===----------------------------------------------------------------------===//
// If
//===----------------------------------------------------------------------===//

LogicalResult lowerIf(graph::IfOp op, LoweringState &state) {
  OpBuilder &builder = state.getBuilder();
  Location loc = op.getLoc();
  FailureOr<Value> condBuffer = state.getBuffer(op.getCond());
  if (failed(condBuffer))
    return failure();
  Value cond = loadScalar(loc, *condBuffer, state);
  auto ifOp = scf::IfOp::create(builder, loc, TypeRange(), cond,
                                /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(builder);

  // The results take the then branch's dims; the else branch must agree.
  FailureOr<SmallVector<Value>> thenBuffers =
      lowerBody(op.getThenBranch().front(), *ifOp.thenBlock(), state);
  if (failed(thenBuffers))
    return failure();
  SmallVector<Value> results;
  for (auto [result, buffer] : llvm::zip_equal(op.getResults(), *thenBuffers))
    results.push_back(createBufferLike(result, buffer, state));
  copyYields(loc, *thenBuffers, results, state);

  FailureOr<SmallVector<Value>> elseBuffers =
      lowerBody(op.getElseBranch().front(), *ifOp.elseBlock(), state);
  if (failed(elseBuffers))
    return failure();
  copyYields(loc, *elseBuffers, results, state);
  return success();
}

//===----------------------------------------------------------------------===//
// Loop
//===----------------------------------------------------------------------===//

LogicalResult lowerLoop(graph::LoopOp op, LoweringState &state) {
  OpBuilder &builder = state.getBuilder();
  Location loc = op.getLoc();
  Block &body = op.getBody().front();
  Type i64 = builder.getI64Type();
  Type i1 = builder.getI1Type();
  unsigned numCarried = op.getNumCarried();

  // One buffer per carried value, holding the initial value first.
  SmallVector<Value> carried;
  for (auto [result, init] :
       llvm::zip(op.getResults().take_front(numCarried), op.getInits())) {
    FailureOr<Value> initBuffer = state.getBuffer(init);
    if (failed(initBuffer))
      return failure();
    Value buffer = createBufferLike(result, *initBuffer, state);
    kernel::CopyOp::create(builder, loc, *initBuffer, buffer);
    carried.push_back(buffer);
  }
  for (auto [arg, buffer] :
       llvm::zip_equal(body.getArguments().drop_front(2), carried))
    state.map(arg, buffer);
  Value iteration = state.createResultBuffer(body.getArgument(0));
  Value condition = state.createResultBuffer(body.getArgument(1));
  if (Value cond = op.getCond()) {
    FailureOr<Value> condBuffer = state.getBuffer(cond);
    if (failed(condBuffer))
      return failure();
    kernel::CopyOp::create(builder, loc, *condBuffer, condition);
  } else {
    Value yes = arith::ConstantIntOp::create(builder, loc, i1, 1);
    kernel::StoreScalarOp::create(builder, loc, yes, condition);
  }
  Value tripCount;
  if (Value max = op.getMaxTripCount()) {
    FailureOr<Value> maxBuffer = state.getBuffer(max);
    if (failed(maxBuffer))
      return failure();
    tripCount = loadScalar(loc, *maxBuffer, state);
  }

  // while (cond && i < trip count) { body; i += 1; }
  Value zero = arith::ConstantIntOp::create(builder, loc, i64, 0);
  auto whileOp =
      scf::WhileOp::create(builder, loc, TypeRange{i64}, ValueRange{zero});
  OpBuilder::InsertionGuard guard(builder);
  Block *before = builder.createBlock(&whileOp.getBefore(), {}, {i64}, {loc});
  Value i = before->getArgument(0);
  Value go = arith::ConstantIntOp::create(builder, loc, i1, 1);
  // Without the input cond, the condition the body yields is ignored.
  if (op.getCond())
    go = loadScalar(loc, condition, state);
  if (tripCount)
    go = arith::AndIOp::create(builder, loc, go,
                               arith::CmpIOp::create(builder, loc,
                                                     arith::CmpIPredicate::slt,
                                                     i, tripCount));
  scf::ConditionOp::create(builder, loc, go, ValueRange{i});

  Block *after = builder.createBlock(&whileOp.getAfter(), {}, {i64}, {loc});
  i = after->getArgument(0);
  Value next = arith::AddIOp::create(
      builder, loc, i, arith::ConstantIntOp::create(builder, loc, i64, 1));
  scf::YieldOp::create(builder, loc, ValueRange{next});
  builder.setInsertionPointToStart(after);
  kernel::StoreScalarOp::create(builder, loc, i, iteration);
  FailureOr<SmallVector<Value>> yields = lowerBody(body, *after, state);
  if (failed(yields))
    return failure();

  // Scan outputs hold one row per iteration: their length must be known.
  SmallVector<Value> scanOutputs;
  for (auto [k, result, element] :
       llvm::enumerate(op.getResults().drop_front(numCarried),
                       ArrayRef<Value>(*yields).drop_front(1 + numCarried))) {
    auto type = cast<RankedTensorType>(result.getType());
    if (type.isDynamicDim(0))
      return op.emitError("Loop '")
             << getOpName(op) << "': scan output #" << k
             << " needs a constant trip count or a declared static length "
                "(scan outputs of data-dependent length are not supported)";
    SmallVector<Value> dims{state.getIndex(type.getDimSize(0))};
    llvm::append_range(dims, state.getBufferDims(element));
    scanOutputs.push_back(state.createResultBuffer(result, ArrayRef(dims)));
    kernel::InsertRowOp::create(builder, loc, element, scanOutputs.back(), i,
                                /*reverse=*/false);
  }
  SmallVector<Value> targets(carried), sources;
  sources.append(yields->begin() + 1, yields->begin() + 1 + numCarried);
  if (op.getCond()) {
    targets.push_back(condition);
    sources.push_back((*yields)[0]);
  }
  copyYields(loc, sources, targets, state);

  builder.setInsertionPointAfter(whileOp);
  if (!scanOutputs.empty()) {
    int64_t length =
        cast<MemRefType>(scanOutputs.front().getType()).getDimSize(0);
    kernel::CheckTripCountOp::create(builder, loc, whileOp.getResult(0),
                                     length);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Scan
//===----------------------------------------------------------------------===//

LogicalResult lowerScan(graph::ScanOp op, LoweringState &state) {
  OpBuilder &builder = state.getBuilder();
  Location loc = op.getLoc();
  Block &body = op.getBody().front();
  unsigned numStates = op.getNumStates();

  SmallVector<Value> states;
  for (auto [result, init] :
       llvm::zip(op.getResults().take_front(numStates), op.getInits())) {
    FailureOr<Value> initBuffer = state.getBuffer(init);
    if (failed(initBuffer))
      return failure();
    Value buffer = createBufferLike(result, *initBuffer, state);
    kernel::CopyOp::create(builder, loc, *initBuffer, buffer);
    states.push_back(buffer);
  }
  for (auto [arg, buffer] :
       llvm::zip_equal(body.getArguments().take_front(numStates), states))
    state.map(arg, buffer);
  SmallVector<Value> inputs, slices;
  for (auto [m, input] : llvm::enumerate(op.getScanInputs())) {
    FailureOr<Value> buffer = state.getBuffer(input);
    if (failed(buffer))
      return failure();
    inputs.push_back(*buffer);
    SmallVector<Value> dims = state.getBufferDims(*buffer);
    slices.push_back(state.createResultBuffer(body.getArgument(numStates + m),
                                              ArrayRef(dims).drop_front()));
  }
  Value length = state.getBufferDims(inputs.front())[0];

  auto forOp = scf::ForOp::create(builder, loc, state.getIndex(0), length,
                                  state.getIndex(1));
  OpBuilder::InsertionGuard guard(builder);
  Value t = forOp.getInductionVar();
  builder.setInsertionPointToStart(forOp.getBody());
  for (auto [m, input, slice] : llvm::enumerate(inputs, slices))
    kernel::ExtractRowOp::create(builder, loc, input, t, slice,
                                 op.isInputReversed(m));
  FailureOr<SmallVector<Value>> yields =
      lowerBody(body, *forOp.getBody(), state);
  if (failed(yields))
    return failure();
  for (auto [k, result, element] :
       llvm::enumerate(op.getResults().drop_front(numStates),
                       ArrayRef<Value>(*yields).drop_front(numStates))) {
    SmallVector<Value> dims{length};
    llvm::append_range(dims, state.getBufferDims(element));
    Value output = state.createResultBuffer(result, ArrayRef(dims));
    kernel::InsertRowOp::create(builder, loc, element, output, t,
                                op.isOutputReversed(k));
  }
  copyYields(loc, ArrayRef<Value>(*yields).take_front(numStates), states,
             state);
  return success();
}

//===----------------------------------------------------------------------===//
// Hoisting
//===----------------------------------------------------------------------===//

/// Whether `op` is planned before the run rather than run in order: a
/// buffer, or a size (codegen computes sizes before any op runs).
bool isPlannedOp(Operation *op) {
  if (isa<kernel::AllocOp, kernel::DimOp, kernel::BroadcastDimOp,
          kernel::AssertDimOp, kernel::WeightOp>(op))
    return true;
  return isa_and_present<arith::ArithDialect>(op->getDialect()) &&
         op->getNumResults() == 1 && op->getResult(0).getType().isIndex();
}

} // namespace

std::optional<LogicalResult>
kiln::graph_to_kernel::lowerControlFlowOp(Operation *op, LoweringState &state) {
  if (auto ifOp = dyn_cast<graph::IfOp>(op))
    return lowerIf(ifOp, state);
  if (auto loop = dyn_cast<graph::LoopOp>(op))
    return lowerLoop(loop, state);
  if (auto scan = dyn_cast<graph::ScanOp>(op))
    return lowerScan(scan, state);
  return std::nullopt;
}

LogicalResult kiln::graph_to_kernel::hoistOutOfControlFlow(func::FuncOp func) {
  Block &entry = func.getBody().front();
  SmallVector<Operation *> nested;
  func.walk<WalkOrder::PreOrder>([&](Operation *op) {
    if (op->getBlock() != &entry && isPlannedOp(op))
      nested.push_back(op);
  });
  // In order, so that a size is hoisted before the buffers that take it.
  for (Operation *op : nested) {
    bool invariant = llvm::all_of(op->getOperands(), [&](Value operand) {
      return operand.getParentBlock() == &entry;
    });
    if (!invariant)
      return op->emitError("a buffer or size inside If, Loop or Scan "
                           "depends on the iteration (shapes that change "
                           "between iterations are not supported)");
    op->moveBefore(entry.findAncestorOpInBlock(*op));
  }
  return success();
}
