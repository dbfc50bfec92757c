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

#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::graph_to_kernel;

namespace {

/// The library GEMMs of both drivers take f32 and f64, and f16 and bf16
/// (accumulated in f32).
LogicalResult checkMatmulType(Operation *op, Type elementType) {
  if (elementType.isF32() || elementType.isF64() || elementType.isF16() ||
      elementType.isBF16())
    return success();
  return op->emitError("kernel.matmul does not support element type ")
         << elementType;
}

/// numpy matmul: 1-d operands are promoted to matrices, the batch dims
/// broadcast.
LogicalResult lowerMatmul(graph::MatMulOp op, LoweringState &state) {
  if (failed(checkMatmulType(op, op.getOutput().getType().getElementType())))
    return failure();
  FailureOr<Value> lhs = state.getBuffer(op.getLhs());
  FailureOr<Value> rhs = state.getBuffer(op.getRhs());
  if (failed(lhs) || failed(rhs))
    return failure();
  Location loc = op.getLoc();
  Value a = *lhs, b = *rhs;
  SmallVector<Value> aDims = state.getBufferDims(a);
  SmallVector<Value> bDims = state.getBufferDims(b);
  // a (K) is (1, K); b (K) is (K, 1).
  bool vectorA = aDims.size() == 1, vectorB = bDims.size() == 1;
  if (vectorA) {
    aDims.insert(aDims.begin(), state.getIndex(1));
    a = state.createView(loc, a, aDims);
  }
  if (vectorB) {
    bDims.push_back(state.getIndex(1));
    b = state.createView(loc, b, bDims);
  }

  int64_t batchRank = std::max(aDims.size(), bDims.size()) - 2;
  SmallVector<Value> outDims = state.broadcastDims(
      loc,
      {SmallVector<Value>(aDims.begin(), aDims.end() - 2),
       SmallVector<Value>(bDims.begin(), bDims.end() - 2)},
      batchRank);
  outDims.push_back(aDims[aDims.size() - 2]);
  outDims.push_back(bDims.back());

  // The result drops the unit dims of promoted vectors.
  SmallVector<Value> resultDims(outDims.begin(), outDims.end() - 2);
  if (!vectorA)
    resultDims.push_back(outDims[outDims.size() - 2]);
  if (!vectorB)
    resultDims.push_back(outDims.back());
  auto resultType = op.getOutput().getType();
  if (static_cast<int64_t>(resultDims.size()) != resultType.getRank())
    return op.emitError("matmul result type ")
           << resultType << " disagrees with its operands' ranks";
  for (int64_t d = 0; d < resultType.getRank(); ++d)
    if (!resultType.isDynamicDim(d))
      resultDims[d] = state.getIndex(resultType.getDimSize(d));
  Value out = state.createResultBuffer(op.getOutput(), ArrayRef<Value>(resultDims));
  if (resultType.hasStaticShape() && LoweringState::isStatic(outDims)) {
    int64_t elements = 1;
    for (Value dim : outDims)
      elements *= *getConstantIntValue(dim);
    if (elements != resultType.getNumElements())
      return op.emitError("matmul result type ")
             << resultType << " disagrees with its operands' shapes";
  }
  Value outView = state.createView(loc, out, outDims);
  OpBuilder &builder = state.getBuilder();
  kernel::MatmulOp::create(
      builder, loc, a, b, outView, ValueRange(), builder.getF32FloatAttr(1.0),
      builder.getF32FloatAttr(0.0), builder.getBoolAttr(false),
      builder.getBoolAttr(false));
  return success();
}

/// y = alpha * op(a) op(b), then y += beta * c.
LogicalResult lowerGemm(graph::GemmOp op, LoweringState &state) {
  if (failed(checkMatmulType(op, op.getOutput().getType().getElementType())))
    return failure();
  FailureOr<Value> a = state.getBuffer(op.getA());
  FailureOr<Value> b = state.getBuffer(op.getB());
  if (failed(a) || failed(b))
    return failure();
  Location loc = op.getLoc();
  OpBuilder &builder = state.getBuilder();
  Value out = state.createResultBuffer(op.getOutput());
  if (!out)
    return failure();
  kernel::MatmulOp::create(
      builder, loc, *a, *b, out, ValueRange(),
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
