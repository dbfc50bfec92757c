//===- Partition.cpp - One rank's program of a partitioned model -*- C++ -*-===//
//
// main(x) -> y  =>  main(x) -> y, each value the piece this rank holds:
//
//   v : whole type T, sharding s   =>   v : getLocalType(T, s)
//   op(v1..vn)                     =>   op(reshard(v1, need1) ..)
//
// An ordered walk over @main: inputs are whole and, with dp > 1, take their
// block of the batch; each op's rule (PartitionRules.cpp) gives the pieces
// it needs, and reshard makes them from what its operands hold:
//
//   partial -> whole             dist.all_reduce
//   split   -> whole             dist.all_gather
//   whole   -> split             dist.shard (a local slice; of a constant,
//                                a split weight)
//
// The op then gets per-rank result types, and its own shape inference must
// agree with them: each rule is checked on every op it partitions. Shape
// operands (Reshape's, Expand's) and Split's sizes become per-rank. Results
// are made whole.
//
//===----------------------------------------------------------------------===//

#include "passes/partition/Passes.h"

#include "passes/partition/PartitionRules.h"
#include "passes/partition/Sharding.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/Transforms/RegionUtils.h"

namespace kiln {
#define GEN_PASS_DEF_PARTITIONPASS
#include "passes/partition/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln::partition;

namespace kiln {
namespace {

std::string describeSharding(const Sharding &sharding) {
  std::string text;
  llvm::raw_string_ostream os(text);
  for (const Digit &digit : sharding.digits)
    os << " " << dist::stringifyAxis(digit.axis) << ":dim" << digit.dim
       << "(inner " << digit.inner << ", factor " << digit.factor << ")";
  for (dist::Axis axis : sharding.partial)
    os << " " << dist::stringifyAxis(axis) << ":partial";
  return text.empty() ? " whole" : text;
}

/// The first op of the chain of dist.shard ops from `arg` to `piece`.
Operation *firstShard(Value piece, Value arg) {
  Operation *op = piece.getDefiningOp();
  while (op && op->getOperand(0) != arg)
    op = op->getOperand(0).getDefiningOp();
  return op;
}

class Partitioner {
public:
  Partitioner(func::FuncOp func, const Mesh &mesh, int64_t minSplitElements)
      : func(func), mesh(mesh), builder(func.getContext()),
        minSplitElements(minSplitElements) {}

  LogicalResult run();

  int64_t numAllReduce = 0, numAllGather = 0, numSplitWeights = 0;

private:
  RankedTensorType wholeType(Value value) {
    auto it = wholeTypes.find(value);
    if (it != wholeTypes.end())
      return it->second;
    return cast<RankedTensorType>(value.getType());
  }
  Sharding sharding(Value value) {
    auto it = shardings.find(value);
    return it == shardings.end() ? Sharding::whole() : it->second;
  }
  void record(Value value, RankedTensorType whole, const Sharding &sharding) {
    wholeTypes[value] = whole;
    shardings[value] = sharding;
  }

  LogicalResult checkStatic();
  LogicalResult shardInputs();
  void splitGemmBiases();
  FailureOr<Value> reshard(Value value, const Sharding &want, Location loc);
  LogicalResult partitionOp(Operation *op);
  LogicalResult makeCapturesWhole(Operation *op);
  void rewriteShapeOperands(Operation *op);
  LogicalResult checkSplitKept(Operation *op, const OpPlan &plan);

  func::FuncOp func;
  Mesh mesh;
  OpBuilder builder;
  int64_t minSplitElements;
  DenseMap<Value, RankedTensorType> wholeTypes;
  DenseMap<Value, Sharding> shardings;
  /// Values already resharded, by source: (wanted sharding, value).
  DenseMap<Value, SmallVector<std::pair<Sharding, Value>, 1>> reshards;
};

LogicalResult Partitioner::checkStatic() {
  auto isStatic = [](Type type) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    return !tensor || tensor.hasStaticShape();
  };
  for (BlockArgument arg : func.getArguments())
    if (!isStatic(arg.getType()))
    {
      auto name = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                    "graph.name");
      return func.emitError("partitioning needs static shapes: input '")
             << (name ? name.getValue() : StringRef("?")) << "' has type "
             << arg.getType() << " (give its dims with --shape)";
    }
  WalkResult result = func.walk([&](Operation *op) {
    for (Value value : op->getResults())
      if (!isStatic(value.getType())) {
        op->emitError("partitioning needs static shapes: result of type ")
            << value.getType();
        return WalkResult::interrupt();
      }
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

/// With dp > 1 or micro-batches, every input whose dim 0 is the batch (the
/// first input's dim 0) is split there: into micro-batches first, each of
/// them over the dp ranks. The rest stay whole.
LogicalResult Partitioner::shardInputs() {
  int64_t parts = mesh.size(dist::Axis::dp);
  int64_t micro = mesh.size(dist::Axis::micro);
  if (parts == 1 && micro == 1)
    return success();
  std::optional<int64_t> batch;
  for (BlockArgument arg : func.getArguments()) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (type && type.getRank() > 0) {
      batch = type.getDimSize(0);
      break;
    }
  }
  if (!batch)
    return func.emitError("dp=")
           << parts << " and " << micro
           << " micro-batches need an input with a batch dim";
  builder.setInsertionPointToStart(&func.getBody().front());
  for (BlockArgument arg : func.getArguments()) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type || type.getRank() == 0 || type.getDimSize(0) != *batch)
      continue;
    auto name = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                  "graph.name");
    StringRef argName = name ? name.getValue() : StringRef("?");
    if (*batch % micro != 0)
      return func.emitError("")
             << micro << " micro-batches do not divide the batch: input '"
             << argName << "' dim 0 is " << *batch;
    if ((*batch / micro) % parts != 0)
      return func.emitError("dp=")
             << parts << " does not divide the batch"
             << (micro > 1 ? " of a micro-batch" : "") << ": input '"
             << argName << "' dim 0 is " << *batch
             << (micro > 1 ? " in " + std::to_string(micro) + " micro-batches"
                           : std::string());
    Sharding want;
    if (micro > 1)
      want.add(Digit{dist::Axis::micro, 0, *batch / micro, micro});
    if (parts > 1)
      want.add(Digit{dist::Axis::dp, 0, 1, *batch / micro});
    FailureOr<Value> shard = reshard(arg, want, arg.getLoc());
    if (failed(shard))
      return failure();
    arg.replaceAllUsesExcept(*shard, firstShard(*shard, arg));
  }
  return success();
}

/// Gemm(a, b, c) = Gemm(a, b) + c when b is a weight tensor parallelism may
/// split by rows: the bias must be added once, after the partial sums meet.
void Partitioner::splitGemmBiases() {
  if (mesh.size(dist::Axis::tp) == 1)
    return;
  SmallVector<graph::GemmOp> gemms(func.getOps<graph::GemmOp>());
  for (graph::GemmOp gemm : gemms) {
    if (!gemm.getC() || gemm.getBeta().convertToFloat() != 1.0f ||
        !gemm.getB().getDefiningOp<graph::ConstantOp>())
      continue;
    builder.setInsertionPoint(gemm);
    auto product = graph::GemmOp::create(
        builder, gemm.getLoc(), gemm.getType(), gemm.getA(), gemm.getB(),
        Value(), gemm.getAlphaAttr(), gemm.getBetaAttr(), gemm.getTransAAttr(),
        gemm.getTransBAttr());
    auto sum = graph::AddOp::create(builder, gemm.getLoc(), gemm.getType(),
                                    product.getResult(), gemm.getC());
    gemm.replaceAllUsesWith(sum.getResult());
    gemm.erase();
  }
}

FailureOr<Value> Partitioner::reshard(Value value, const Sharding &want,
                                      Location loc) {
  Sharding have = sharding(value);
  if (have == want)
    return value;
  for (auto &[done, result] : reshards[value])
    if (done == want)
      return result;
  RankedTensorType whole = wholeType(value);
  ArrayRef<int64_t> shape = whole.getShape();
  MLIRContext *context = func.getContext();
  Value current = value;
  Sharding now = have;

  // Partial sums meet first; then blocks that `want` does not keep are
  // gathered, and blocks it adds are sliced.
  for (dist::Axis axis : have.partial) {
    if (want.isPartial(axis))
      continue;
    current = dist::AllReduceOp::create(
        builder, loc, current.getType(), current,
        dist::AxisAttr::get(context, axis),
        builder.getI64IntegerAttr(mesh.size(axis)));
    llvm::erase(now.partial, axis);
    ++numAllReduce;
  }
  for (const Digit &digit : have.digits) {
    const Digit *kept = want.find(digit.axis);
    if (kept && *kept == digit)
      continue;
    // Micro-batches run one after another: no rank ever holds them all.
    if (digit.axis == dist::Axis::micro)
      return emitError(loc, "micro-batches: this op needs the whole batch (")
             << whole << " split" << describeSharding(have)
             << "), so the model cannot run in micro-batches";
    dist::SplitAttr split = getSplitAttr(context, digit, now.digits, shape, mesh);
    llvm::erase(now.digits, digit);
    current = dist::AllGatherOp::create(builder, loc,
                                        getLocalType(whole, now, mesh),
                                        current, split);
    ++numAllGather;
  }
  for (const Digit &digit : want.digits) {
    if (now.find(digit.axis))
      continue;
    if (!fits(digit, shape, mesh.size(digit.axis)) || !canAdd(now, digit))
      return emitError(loc, "partitioning: cannot split ")
             << whole << " as" << describeSharding(want);
    dist::SplitAttr split = getSplitAttr(context, digit, now.digits, shape, mesh);
    now.add(digit);
    if (value.getDefiningOp<graph::ConstantOp>())
      ++numSplitWeights;
    current = dist::ShardOp::create(builder, loc,
                                    getLocalType(whole, now, mesh), current,
                                    split);
  }
  for (dist::Axis axis : want.partial)
    if (!now.isPartial(axis))
      return emitError(loc, "partitioning: a whole value cannot become a "
                            "partial sum on ")
             << dist::stringifyAxis(axis);
  record(current, whole, now);
  reshards[value].push_back({want, current});
  return current;
}

/// Values that the regions of `op` read from outside are made whole.
LogicalResult Partitioner::makeCapturesWhole(Operation *op) {
  llvm::SetVector<Value> captured;
  for (Region &region : op->getRegions())
    getUsedValuesDefinedAbove(region, captured);
  for (Value value : captured) {
    if (sharding(value).isWhole())
      continue;
    FailureOr<Value> whole = reshard(value, Sharding::whole(), op->getLoc());
    if (failed(whole))
      return failure();
    for (Region &region : op->getRegions())
      replaceAllUsesInRegionWith(value, *whole, region);
  }
  return success();
}

/// A constant of `shape`, for the shape operand of a per-rank op.
Value createShapeConstant(OpBuilder &builder, Location loc,
                          ArrayRef<int64_t> shape) {
  auto type = RankedTensorType::get({static_cast<int64_t>(shape.size())},
                                    builder.getI64Type());
  return graph::ConstantOp::create(builder, loc,
                                   DenseIntElementsAttr::get(type, shape));
}

/// Shape operands and sizes that speak of whole values become per-rank.
void Partitioner::rewriteShapeOperands(Operation *op) {
  if (auto reshape = dyn_cast<graph::ReshapeOp>(op)) {
    auto local = cast<RankedTensorType>(reshape.getOutput().getType());
    reshape.getShapeMutable().assign(
        createShapeConstant(builder, op->getLoc(), local.getShape()));
    // Every size is written out: a 0 is an empty dim, not "copy".
    reshape.setAllowzero(llvm::is_contained(local.getShape(), 0));
  } else if (auto expand = dyn_cast<graph::ExpandOp>(op)) {
    auto local = cast<RankedTensorType>(expand.getOutput().getType());
    expand.getShapeMutable().assign(
        createShapeConstant(builder, op->getLoc(), local.getShape()));
  } else if (auto split = dyn_cast<graph::SplitOp>(op)) {
    auto inputType = cast<RankedTensorType>(split.getInput().getType());
    int64_t axis = split.getAxis() < 0 ? split.getAxis() + inputType.getRank()
                                       : split.getAxis();
    SmallVector<int64_t> sizes;
    for (Value result : split.getOutputs())
      sizes.push_back(cast<RankedTensorType>(result.getType()).getDimSize(axis));
    split.setSplit(sizes);
  }
}

/// A reshape that splits a tensor-parallel dim into blocks (heads) that
/// the tp ranks cannot share evenly is a mesh the model cannot take: say so
/// rather than gathering every layer's activations.
LogicalResult Partitioner::checkSplitKept(Operation *op, const OpPlan &plan) {
  if (!isa<graph::ReshapeOp>(op))
    return success();
  Sharding input = sharding(op->getOperand(0));
  const Digit *digit = input.find(dist::Axis::tp);
  if (!digit || plan.results[0].find(dist::Axis::tp))
    return success();
  ArrayRef<int64_t> to = wholeType(op->getResult(0)).getShape();
  std::optional<Digit> mapped =
      mapThroughReshape(*digit, wholeType(op->getOperand(0)).getShape(), to);
  int64_t parts = mesh.size(dist::Axis::tp);
  if (!mapped || mapped->factor % parts == 0)
    return success();
  return op->emitError("tp=")
         << parts << " does not divide the " << mapped->factor
         << " blocks (attention heads) that dim " << mapped->dim
         << " of this reshape's result " << wholeType(op->getResult(0))
         << " splits into; use a tp that divides " << mapped->factor;
}

LogicalResult Partitioner::partitionOp(Operation *op) {
  if (isa<graph::ConstantOp>(op))
    return success();
  builder.setInsertionPoint(op);
  if (op->getNumRegions() != 0 && failed(makeCapturesWhole(op)))
    return failure();

  RuleContext context;
  context.mesh = mesh;
  context.minSplitElements = minSplitElements;
  auto wholeOf = [&](Value value) { return wholeType(value); };
  auto shardingOf = [&](Value value) { return sharding(value); };
  context.wholeType = wholeOf;
  context.sharding = shardingOf;
  OpPlan plan = planOp(op, context);
  if (failed(checkSplitKept(op, plan)))
    return failure();

  for (auto [index, want] : llvm::enumerate(plan.operands)) {
    Value operand = op->getOperand(index);
    if (!isa<RankedTensorType>(operand.getType()))
      continue;
    FailureOr<Value> piece = reshard(operand, want, op->getLoc());
    if (failed(piece))
      return failure();
    op->setOperand(index, *piece);
  }
  for (auto [result, resultSharding] :
       llvm::zip_equal(op->getResults(), plan.results)) {
    auto whole = dyn_cast<RankedTensorType>(result.getType());
    if (!whole)
      continue;
    RankedTensorType local = getLocalType(whole, resultSharding, mesh);
    record(result, whole, resultSharding);
    result.setType(local);
  }
  rewriteShapeOperands(op);

  // The op's own inference must give the per-rank types the rule gave.
  if (!op->hasTrait<OpTrait::ZeroResults>() && isa<graph::GraphDialect>(
                                                    op->getDialect())) {
    SmallVector<ShapedTypeComponents> inferred;
    if (succeeded(graph::inferResultComponents(op, inferred,
                                               /*emitErrors=*/false)) &&
        inferred.size() == op->getNumResults()) {
      for (auto [result, components] :
           llvm::zip_equal(op->getResults(), inferred)) {
        auto type = cast<RankedTensorType>(result.getType());
        if (components.hasRank() && components.getDims() != type.getShape())
          return op->emitError("partitioning: the per-rank result ")
                 << type << " disagrees with the op's shape inference ("
                 << describeSharding(sharding(result)) << ")";
      }
    }
  }
  return success();
}

LogicalResult Partitioner::run() {
  if (failed(checkStatic()))
    return failure();
  splitGemmBiases();
  if (failed(shardInputs()))
    return failure();
  Block &body = func.getBody().front();
  SmallVector<Operation *> ops;
  for (Operation &op : body.without_terminator())
    if (!isa<dist::ShardOp>(op))
      ops.push_back(&op);
  for (Operation *op : ops)
    if (failed(partitionOp(op)))
      return failure();
  Operation *terminator = body.getTerminator();
  builder.setInsertionPoint(terminator);
  for (OpOperand &operand : terminator->getOpOperands()) {
    if (!isa<RankedTensorType>(operand.get().getType()))
      continue;
    // Outputs are whole, but for the micro-batch a pipeline stage runs:
    // the runtime puts micro-batch m's rows in place.
    Sharding want;
    if (mesh.size(dist::Axis::micro) > 1) {
      Sharding have = sharding(operand.get());
      const Digit *digit = have.find(dist::Axis::micro);
      ArrayRef<int64_t> shape = wholeType(operand.get()).getShape();
      if (!digit || digit->dim != 0 ||
          digit->inner * digit->factor != shape[0])
        return terminator->emitError("output #")
               << operand.getOperandNumber()
               << " does not keep the batch in its dim 0, which "
                  "micro-batches need";
      want.add(*digit);
    }
    FailureOr<Value> whole =
        reshard(operand.get(), want, terminator->getLoc());
    if (failed(whole))
      return failure();
    operand.set(*whole);
  }
  // With micro-batches, @main returns one micro-batch's rows.
  func.setType(FunctionType::get(func.getContext(), func.getArgumentTypes(),
                                 terminator->getOperandTypes()));
  int64_t tp = mesh.size(dist::Axis::tp);
  if (tp > 1 && numSplitWeights == 0)
    return func.emitError("tp=")
           << tp << " splits no weight of this model: no GEMM has a constant "
           << "weight of " << minSplitElements
           << " elements or more whose columns " << tp << " divides";
  return success();
}

struct PartitionPass : public impl::PartitionPassBase<PartitionPass> {
  using PartitionPassBase::PartitionPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (dp < 1 || tp < 1 || pp < 1 || microBatches < 1) {
      module.emitError("partitioning: mesh sizes must be positive");
      return signalPassFailure();
    }
    Mesh mesh;
    mesh.sizes = {dp, tp, pp, microBatches};
    OpBuilder attrBuilder(module.getContext());
    module->setAttr(dist::kMeshAttrName,
                    attrBuilder.getDenseI64ArrayAttr(mesh.sizes));
    if (dp == 1 && tp == 1 && microBatches == 1)
      return;
    auto func = module.lookupSymbol<func::FuncOp>("main");
    if (!func || func.isExternal() || !func.getBody().hasOneBlock()) {
      module.emitError("partitioning expects a func.func @main with one block");
      return signalPassFailure();
    }
    Partitioner partitioner(func, mesh, minSplitElements);
    if (failed(partitioner.run()))
      return signalPassFailure();
    numAllReduce += partitioner.numAllReduce;
    numAllGather += partitioner.numAllGather;
    numSplitWeights += partitioner.numSplitWeights;
  }
};

} // namespace
} // namespace kiln
