//===- GraphCanonicalization.cpp - Graph rewrite patterns -----------------===//
//
// Registers the DRR patterns of GraphCanonicalization.td with the ops they
// canonicalize, and the native helpers those patterns call.
//
//===----------------------------------------------------------------------===//

#include "dialects/graph/GraphOps.h"
#include "dialects/graph/GraphUtils.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;

namespace kiln::graph {

/// Whether a reshape to `shape` reads no dims of its input (see
/// Graph_ShapeCopiesNoDims).
static bool shapeCopiesNoDims(Value shape, BoolAttr allowzero) {
  if (allowzero && allowzero.getValue())
    return true;
  std::optional<SmallVector<int64_t>> dims = getConstantIntValues(shape);
  return dims && !llvm::is_contained(*dims, 0);
}

/// The permutation of transpose(transpose(x, inner), outer): result dim i is
/// x dim inner[outer[i]].
static DenseI64ArrayAttr composePermutations(Builder &builder,
                                             DenseI64ArrayAttr inner,
                                             DenseI64ArrayAttr outer) {
  SmallVector<int64_t> perm;
  for (int64_t p : outer.asArrayRef())
    perm.push_back(inner[p]);
  return builder.getDenseI64ArrayAttr(perm);
}

namespace {
#include "dialects/graph/GraphCanonicalization.inc"
} // namespace

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<Graph_ReshapeOfReshape>(context);
}

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<Graph_TransposeOfTranspose>(context);
}

} // namespace kiln::graph
