//===- LowerMatmul.cpp - matmul and gemm as kernel.matmul -------*- C++ -*-===//
//
// matmul(a, b)       => kernel.matmul(a', b') into y', where a 1-d a is
//                       viewed as (1, K), a 1-d b as (K, 1), and y' is y
//                       viewed with those unit dims kept
// gemm(a, b, c)      => kernel.matmul(a, b) {alpha, transA, transB} into y;
//                       y = y + beta * c (broadcast), elementwise
//
//===----------------------------------------------------------------------===//

#include "passes/conversion/GraphToKernel/LoweringState.h"

#include "dialects/graph/GraphOps.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::graph_to_kernel;

namespace {

ArrayRef<int64_t> getShape(Value buffer) {
  return cast<MemRefType>(buffer.getType()).getShape();
}

/// numpy matmul: 1-d operands are promoted to matrices, the batch dims
/// broadcast.
LogicalResult lowerMatmul(graph::MatMulOp op, LoweringState &state) {
  FailureOr<Value> lhs = state.getBuffer(op.getLhs());
  FailureOr<Value> rhs = state.getBuffer(op.getRhs());
  if (failed(lhs) || failed(rhs))
    return failure();
  Location loc = op.getLoc();
  Value a = *lhs, b = *rhs;
  // a (K) is (1, K); b (K) is (K, 1).
  if (getShape(a).size() == 1)
    a = state.createView(loc, a, {1, getShape(a)[0]});
  if (getShape(b).size() == 1)
    b = state.createView(loc, b, {getShape(b)[0], 1});

  ArrayRef<int64_t> aShape = getShape(a), bShape = getShape(b);
  ArrayRef<int64_t> aBatch = aShape.drop_back(2), bBatch = bShape.drop_back(2);
  size_t batchRank = std::max(aBatch.size(), bBatch.size());
  SmallVector<int64_t> outShape;
  for (size_t i = 0; i < batchRank; ++i) {
    auto dimOf = [&](ArrayRef<int64_t> dims) -> int64_t {
      size_t lead = batchRank - dims.size();
      return i < lead ? 1 : dims[i - lead];
    };
    outShape.push_back(dimOf(aBatch) == 1 ? dimOf(bBatch) : dimOf(aBatch));
  }
  outShape.push_back(aShape[aShape.size() - 2]);
  outShape.push_back(bShape.back());

  Value out = state.createResultBuffer(op.getOutput());
  if (getBufferType(op.getOutput().getType()).getNumElements() !=
      MemRefType::get(outShape, op.getOutput().getType().getElementType())
          .getNumElements())
    return op.emitError("matmul result type ")
           << op.getOutput().getType()
           << " disagrees with its operands' shapes";
  Value outView = state.createView(loc, out, outShape);
  OpBuilder &builder = state.getBuilder();
  kernel::MatmulOp::create(
      builder, loc, a, b, outView, builder.getF32FloatAttr(1.0),
      builder.getF32FloatAttr(0.0), builder.getBoolAttr(false),
      builder.getBoolAttr(false));
  return success();
}

/// y = alpha * op(a) op(b), then y += beta * c.
LogicalResult lowerGemm(graph::GemmOp op, LoweringState &state) {
  FailureOr<Value> a = state.getBuffer(op.getA());
  FailureOr<Value> b = state.getBuffer(op.getB());
  if (failed(a) || failed(b))
    return failure();
  Location loc = op.getLoc();
  OpBuilder &builder = state.getBuilder();
  Value out = state.createResultBuffer(op.getOutput());
  kernel::MatmulOp::create(
      builder, loc, *a, *b, out,
      builder.getF32FloatAttr(op.getAlpha().convertToFloat()),
      builder.getF32FloatAttr(0.0), builder.getBoolAttr(op.getTransA()),
      builder.getBoolAttr(op.getTransB()));

  if (!op.getC() || op.getBeta().isZero())
    return success();
  FailureOr<Value> c = state.getBuffer(op.getC());
  if (failed(c))
    return failure();
  Type elementType = op.getOutput().getType().getElementType();
  if (!isa<FloatType>(elementType))
    return op.emitError("gemm with a bias needs a float element type, got ")
           << elementType;
  // y = y + beta * c, in place: each element reads and writes one index.
  auto epilogue = kernel::ElementwiseOp::create(
      builder, loc, ValueRange{out, *c}, ValueRange{out});
  OpBuilder::InsertionGuard guard(builder);
  Block *body = builder.createBlock(&epilogue.getBody(), {},
                                    {elementType, elementType}, {loc, loc});
  Value scaled = body->getArgument(1);
  if (!op.getBeta().isExactlyValue(1.0)) {
    Value beta = arith::ConstantOp::create(
        builder, loc,
        builder.getFloatAttr(elementType, op.getBeta().convertToDouble()));
    scaled = arith::MulFOp::create(builder, loc, beta, scaled);
  }
  Value sum = arith::AddFOp::create(builder, loc, body->getArgument(0), scaled);
  kernel::YieldOp::create(builder, loc, sum);
  return success();
}

} // namespace

std::optional<LogicalResult>
kiln::graph_to_kernel::lowerMatmulOp(Operation *op, LoweringState &state) {
  if (auto matmul = dyn_cast<graph::MatMulOp>(op))
    return lowerMatmul(matmul, state);
  if (auto gemm = dyn_cast<graph::GemmOp>(op))
    return lowerGemm(gemm, state);
  return std::nullopt;
}
