//===- LowerViews.cpp - Ops that only reshape, as kernel.view ---*- C++ -*-===//
//
// reshape(x), flatten(x), squeeze(x), unsqueeze(x) => view(x)
// identity(x), dropout(x)                          => x
//
// A dense row-major buffer seen with another shape holds the same elements
// in the same order, so none of these ops moves data.
//
//===----------------------------------------------------------------------===//

#include "passes/conversion/GraphToKernel/LoweringState.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::graph_to_kernel;

std::optional<LogicalResult>
kiln::graph_to_kernel::lowerViewOp(Operation *op, LoweringState &state) {
  if (!isa<graph::ReshapeOp, graph::FlattenOp, graph::SqueezeOp,
           graph::UnsqueezeOp, graph::IdentityOp, graph::DropoutOp>(op))
    return std::nullopt;
  FailureOr<Value> source = state.getBuffer(op->getOperand(0));
  if (failed(source))
    return failure();
  Value result = op->getResult(0);
  auto resultType = cast<RankedTensorType>(result.getType());
  if (resultType.hasStaticShape()) {
    // A dynamic source the model gives a static shape must hold that many
    // elements, checked at run time.
    auto sourceType = cast<MemRefType>(source->getType());
    if (!sourceType.hasStaticShape()) {
      SmallVector<Value> dims = state.getBufferDims(*source);
      Value elements = dims.empty() ? state.getIndex(1) : dims.front();
      for (Value dim : llvm::drop_begin(dims))
        elements = arith::MulIOp::create(state.getBuilder(), op->getLoc(),
                                         elements, dim);
      kernel::AssertDimOp::create(state.getBuilder(), op->getLoc(), elements,
                                  state.getIndex(resultType.getNumElements()));
    }
    state.map(result,
              state.createView(op->getLoc(), *source, resultType.getShape()));
    return success();
  }
  FailureOr<SmallVector<Value>> dims = reifyResultDims(result, state);
  if (failed(dims))
    return failure();
  state.map(result, state.createView(op->getLoc(), *source, *dims));
  return success();
}
