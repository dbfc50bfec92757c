//===- GraphCanonicalization.td - Graph rewrite patterns -----*- tablegen -*-===//
//
// Canonicalization patterns of the graph dialect, as data.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_GRAPH_CANONICALIZATION
#define KILN_GRAPH_CANONICALIZATION

include "dialects/graph/GraphOps.td"
include "mlir/IR/PatternBase.td"

// The reshape target `shape` does not copy dims of the reshape's input: it is
// a constant without 0 entries, or `allowzero` is set.
def Graph_ShapeCopiesNoDims :
    Constraint<CPred<"::kiln::graph::shapeCopiesNoDims($0, $1)">,
               "shape copies no input dims">;

def Graph_ComposePermutations :
    NativeCodeCall<"::kiln::graph::composePermutations($_builder, $0, $1)">;

// reshape(reshape(x, s0), s1) -> reshape(x, s1)
def Graph_ReshapeOfReshape :
    Pat<(Graph_ReshapeOp (Graph_ReshapeOp $x, $s0, $allowzero0), $s1,
                         $allowzero1),
        (Graph_ReshapeOp $x, $s1, $allowzero1),
        [(Graph_ShapeCopiesNoDims $s1, $allowzero1)]>;

// transpose(transpose(x, p0), p1) -> transpose(x, p0[p1[i]])
def Graph_TransposeOfTranspose :
    Pat<(Graph_TransposeOp (Graph_TransposeOp $x, $p0), $p1),
        (Graph_TransposeOp $x, (Graph_ComposePermutations $p0, $p1))>;

#endif // KILN_GRAPH_CANONICALIZATION
