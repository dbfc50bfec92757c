//===- LowerAttention.cpp - attention as kernel.attention -------*- C++ -*-===//
//
// attention(q, k, v, [mask]) {scale} => kernel.attention q, k, v, [mask]
//                                       into y {scale}
//
// y is (B..., S_q, D_v): q's dims but the last, then v's last.
//
//===----------------------------------------------------------------------===//

#include "passes/conversion/GraphToKernel/LoweringState.h"

#include "dialects/graph/GraphOps.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::graph_to_kernel;

namespace {

LogicalResult lowerAttention(graph::AttentionOp op, LoweringState &state) {
  Type elementType = op.getOutput().getType().getElementType();
  if (!elementType.isF32())
    return op.emitError("kernel.attention does not support element type ")
           << elementType;
  FailureOr<Value> q = state.getBuffer(op.getQ());
  FailureOr<Value> k = state.getBuffer(op.getK());
  FailureOr<Value> v = state.getBuffer(op.getV());
  if (failed(q) || failed(k) || failed(v))
    return failure();
  Value mask;
  if (op.getMask()) {
    FailureOr<Value> buffer = state.getBuffer(op.getMask());
    if (failed(buffer))
      return failure();
    mask = *buffer;
  }
  SmallVector<Value> dims = state.getBufferDims(*q);
  dims.back() = state.getBufferDims(*v).back();
  Value out = state.createResultBuffer(op.getOutput(), ArrayRef<Value>(dims));
  if (!out)
    return failure();
  OpBuilder &builder = state.getBuilder();
  kernel::AttentionOp::create(builder, op.getLoc(), *q, *k, *v, mask, out,
                              op.getScaleAttr());
  return success();
}

} // namespace

std::optional<LogicalResult>
kiln::graph_to_kernel::lowerAttentionOp(Operation *op, LoweringState &state) {
  if (auto attention = dyn_cast<graph::AttentionOp>(op))
    return lowerAttention(attention, state);
  return std::nullopt;
}
