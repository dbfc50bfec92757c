//===- PropagateShapes.cpp - Refine types by shape inference --------------===//
//
// type(r) := join(type(r), infer(op)) for every graph op in order, then fold
// constants and canonicalize, until nothing changes; the function returns
// the refined types. The block arguments of a loop body take the types of
// the values they receive before the body's ops are refined.
//
//===----------------------------------------------------------------------===//

#include "passes/graph/Passes.h"

#include "dialects/graph/GraphOps.h"
#include "dialects/graph/GraphUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_PROPAGATESHAPESPASS
#include "passes/graph/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

/// The join of a declared type and inferred components: the declared
/// encoding, the inferred element type when there is one, and per dim the
/// static size of either side. Fails when the two conflict.
static FailureOr<RankedTensorType>
joinTypes(RankedTensorType declared, const ShapedTypeComponents &inferred) {
  if (inferred.getElementType() &&
      inferred.getElementType() != declared.getElementType())
    return failure();
  if (!inferred.hasRank())
    return declared;
  ArrayRef<int64_t> dims = inferred.getDims();
  if (static_cast<int64_t>(dims.size()) != declared.getRank())
    return failure();
  SmallVector<int64_t> joined;
  for (auto [old, dim] : llvm::zip_equal(declared.getShape(), dims)) {
    std::optional<int64_t> size = graph::joinDims(old, dim);
    if (!size)
      return failure();
    joined.push_back(*size);
  }
  return RankedTensorType::get(joined, declared.getElementType(),
                               declared.getEncoding());
}

/// Refines the result types of `op` from its inference; counts the results
/// whose type changes in `refined`.
static LogicalResult refineResults(Operation *op, int64_t &refined) {
  SmallVector<ShapedTypeComponents> inferred;
  if (failed(graph::inferResultComponents(op, inferred, /*emitErrors=*/true)))
    return failure();
  if (inferred.size() != op->getNumResults())
    return op->emitOpError("has ")
           << op->getNumResults() << " results, inferred " << inferred.size();
  for (auto [index, result, components] :
       llvm::enumerate(op->getResults(), inferred)) {
    auto declared = llvm::dyn_cast<RankedTensorType>(result.getType());
    if (!declared)
      continue;
    FailureOr<RankedTensorType> joined = joinTypes(declared, components);
    if (failed(joined)) {
      auto inferredType =
          components.hasRank()
              ? Type(RankedTensorType::get(components.getDims(),
                                           components.getElementType()
                                               ? components.getElementType()
                                               : declared.getElementType()))
              : Type(UnrankedTensorType::get(declared.getElementType()));
      return op->emitOpError("result #")
             << index << " of type " << declared
             << " conflicts with the inferred type " << inferredType;
    }
    if (*joined == declared)
      continue;
    result.setType(*joined);
    ++refined;
  }
  return success();
}

struct PropagateShapesPass
    : impl::PropagateShapesPassBase<PropagateShapesPass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *context) override {
    RewritePatternSet set(context);
    Dialect *dialect = context->getLoadedDialect<graph::GraphDialect>();
    dialect->getCanonicalizationPatterns(set);
    for (RegisteredOperationName op : context->getRegisteredOperations())
      if (&op.getDialect() == dialect)
        op.getCanonicalizationPatterns(set, context);
    patterns = FrozenRewritePatternSet(std::move(set));
    return success();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    for (int64_t round = 0; round < maxIterations; ++round) {
      ++numRounds;
      int64_t refined = 0;
      // Pre-order: a loop body's arguments are refined before its ops.
      WalkResult walk = func.walk<WalkOrder::PreOrder>([&](Operation *op) {
        refined += graph::refineBodyArgumentTypes(op);
        if (!llvm::isa_and_present<graph::GraphDialect>(op->getDialect()) ||
            !llvm::isa<InferShapedTypeOpInterface>(op))
          return WalkResult::advance();
        return failed(refineResults(op, refined)) ? WalkResult::interrupt()
                                                  : WalkResult::advance();
      });
      if (walk.wasInterrupted())
        return signalPassFailure();
      numRefined += refined;
      // Not converging within the driver's limit is no error: the next
      // round continues where it stopped.
      bool folded = false;
      (void)applyPatternsGreedily(func, patterns, GreedyRewriteConfig(),
                                  &folded);
      if (refined == 0 && !folded)
        break;
    }
    updateResultTypes(func);
  }

  /// Gives `func` the types of the values it returns.
  static void updateResultTypes(func::FuncOp func) {
    if (func.getBody().empty())
      return;
    auto ret =
        llvm::dyn_cast<func::ReturnOp>(func.getBody().back().getTerminator());
    if (!ret)
      return;
    func.setType(FunctionType::get(func.getContext(), func.getArgumentTypes(),
                                   ret.getOperandTypes()));
  }

  FrozenRewritePatternSet patterns;
};

} // namespace
} // namespace kiln
