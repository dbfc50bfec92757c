//===- LowerDist.cpp - Collectives and per-rank blocks to kernels -*- C++ -*-===//
//
//   dist.shard(graph.constant)  =>  kernel.weight split(...)  (a split weight)
//   dist.shard(x)               =>  kernel.shard x, %block
//   dist.all_gather(x)          =>  kernel.all_gather x, %whole [scratch]
//   dist.all_reduce(x)          =>  kernel.all_reduce x, %sum
//
//===----------------------------------------------------------------------===//

#include "passes/conversion/GraphToKernel/LoweringState.h"

#include "dialects/dist/DistDialect.h"
#include "dialects/graph/GraphOps.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::graph_to_kernel;

namespace {

/// Whether the blocks of `split` in a buffer of `shape` lie one after
/// another in the whole buffer (nothing outside the split factor).
bool blocksAreContiguous(ArrayRef<int64_t> shape, dist::SplitAttr split) {
  int64_t before = split.getOuter();
  for (int64_t d = 0; d < split.getDim(); ++d)
    before *= shape[d];
  return before == 1;
}

LogicalResult lowerShard(dist::ShardOp op, LoweringState &state) {
  if (auto constant = op.getInput().getDefiningOp<graph::ConstantOp>()) {
    Value weight = state.createWeight(constant, constant.getValue(),
                                      op.getSplit(), op.getType());
    state.map(op.getOutput(), weight);
    return success();
  }
  FailureOr<Value> source = state.getBuffer(op.getInput());
  if (failed(source))
    return failure();
  Value target = state.createResultBuffer(op.getOutput());
  kernel::ShardOp::create(state.getBuilder(), op.getLoc(), *source, target,
                          op.getSplit());
  return success();
}

LogicalResult lowerAllGather(dist::AllGatherOp op, LoweringState &state) {
  FailureOr<Value> source = state.getBuffer(op.getInput());
  if (failed(source))
    return failure();
  Value target = state.createResultBuffer(op.getOutput());
  Value scratch;
  if (!blocksAreContiguous(op.getType().getShape(), op.getSplit()))
    scratch = state.createAlloc(op.getLoc(), op.getType());
  kernel::AllGatherOp::create(state.getBuilder(), op.getLoc(), *source, target,
                              scratch, op.getSplit());
  return success();
}

LogicalResult lowerAllReduce(dist::AllReduceOp op, LoweringState &state) {
  FailureOr<Value> source = state.getBuffer(op.getInput());
  if (failed(source))
    return failure();
  Value target = state.createResultBuffer(op.getOutput());
  kernel::AllReduceOp::create(state.getBuilder(), op.getLoc(), *source,
                              target, op.getAxisAttr(), op.getPartsAttr());
  return success();
}

} // namespace

std::optional<LogicalResult>
kiln::graph_to_kernel::lowerDistOp(Operation *op, LoweringState &state) {
  if (auto shard = dyn_cast<dist::ShardOp>(op))
    return lowerShard(shard, state);
  if (auto gather = dyn_cast<dist::AllGatherOp>(op))
    return lowerAllGather(gather, state);
  if (auto reduce = dyn_cast<dist::AllReduceOp>(op))
    return lowerAllReduce(reduce, state);
  return std::nullopt;
}
