//===- LowerViews.cpp - Ops that only reshape, as kernel.view ---*- C++ -*-===//
//
// reshape(x), flatten(x), squeeze(x), unsqueeze(x) => view(x)
// identity(x), dropout(x)                          => x
//
// A dense row-major buffer seen with another shape holds the same elements
// in the same order, so none of these ops moves data. A reshape to sizes
// known only at run time checks there that it keeps the element count.
//
//===----------------------------------------------------------------------===//

#include "passes/conversion/GraphToKernel/LoweringState.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::graph_to_kernel;

/// The product of `dims`, multiplied at run time where they are dynamic.
static Value product(LoweringState &state, Location loc, ArrayRef<Value> dims) {
  Value result = state.getIndex(1);
  for (Value dim : dims)
    result = getConstantIntValue(result) == 1
                 ? dim
                 : arith::MulIOp::create(state.getBuilder(), loc, result, dim);
  return result;
}

/// Whether `a` and `b` multiply to the same size as products of the same
/// factors (arith.muli operands, constants folded in); false when that does
/// not show.
static bool haveSameProduct(ArrayRef<Value> a, ArrayRef<Value> b) {
  struct Factors {
    SmallVector<Value> values;
    int64_t constant = 1;
    bool overflowed = false;
    void add(Value dim) {
      if (std::optional<int64_t> known = getConstantIntValue(dim)) {
        overflowed |= __builtin_mul_overflow(constant, *known, &constant);
        return;
      }
      if (auto mul = dim.getDefiningOp<arith::MulIOp>()) {
        add(mul.getLhs());
        add(mul.getRhs());
        return;
      }
      values.push_back(dim);
    }
  };
  Factors lhs, rhs;
  for (Value dim : a)
    lhs.add(dim);
  for (Value dim : b)
    rhs.add(dim);
  auto byAddress = [](Value x, Value y) {
    return x.getAsOpaquePointer() < y.getAsOpaquePointer();
  };
  llvm::sort(lhs.values, byAddress);
  llvm::sort(rhs.values, byAddress);
  return !lhs.overflowed && !rhs.overflowed && lhs.constant == rhs.constant &&
         lhs.values == rhs.values;
}

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
  SmallVector<Value> sourceDims = state.getBufferDims(*source);
  if (isa<graph::ReshapeOp>(op) && !haveSameProduct(*dims, sourceDims)) {
    // A shape computed at run time must keep the element count: the view
    // reads no further than its source.
    // One statement each: the IR comes out in the same order whichever
    // order a compiler evaluates arguments in.
    Value sourceElements = product(state, op->getLoc(), sourceDims);
    Value elements = product(state, op->getLoc(), *dims);
    kernel::AssertDimOp::create(state.getBuilder(), op->getLoc(),
                                sourceElements, elements, "element count");
  }
  state.map(result, state.createView(op->getLoc(), *source, *dims));
  return success();
}
