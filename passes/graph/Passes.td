//===- Passes.td - Passes of the graph dialect ---------------*- tablegen -*-===//
//
// Shape specialization and propagation, and the recognition of fused
// patterns, over the graph dialect.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_GRAPH_PASSES
#define KILN_PASSES_GRAPH_PASSES

include "mlir/Pass/PassBase.td"

def SpecializeShapesPass : Pass<"kiln-specialize-shapes", "mlir::ModuleOp"> {
  let summary = "fix the shapes of @main's inputs";
  let description = [{
    `main(%x: tensor<?x3x?x?xf32> {graph.name = "x"})` with
    `shapes=x=1x3x224x224` becomes `main(%x: tensor<1x3x224x224xf32>)`.

    Each entry of `shapes` is `name=d0xd1x...` (`name=` for a scalar, `?`
    keeps a dim dynamic) and names an argument by its `graph.name`. A name
    that matches no argument, a rank that differs from the argument's, or a
    size that conflicts with a static one is an error. Results that are
    arguments returned as they are take the new types; run
    `kiln-propagate-shapes` next to refine the rest of the function.
  }];
  let options = [
    ListOption<"shapes", "shapes", "std::string",
               "input shapes as name=d0xd1x... (e.g. x=1x3x224x224)">,
  ];
}

def PropagateShapesPass : Pass<"kiln-propagate-shapes", "mlir::func::FuncOp"> {
  let summary = "refine result types by shape inference and fold constants";
  let description = [{
    Walks the function in order and gives every graph op the join of its
    declared result types and the types its shape inference gives:
    `type(r) := join(type(r), infer(op))`, where a static size wins over `?`
    and two different static sizes are an error naming the op. Between walks
    it folds constants and applies the graph canonicalization patterns, so
    that shape computations (graph.shape, gather, concat, ...) become
    constants that the next walk reads; it stops at a fixed point and gives
    the function the types of the values it returns. With static input
    shapes, every tensor of a model is static afterwards.
  }];
  let dependentDialects = ["::kiln::graph::GraphDialect"];
  let options = [
    Option<"maxIterations", "max-iterations", "int64_t", "32",
           "the most rounds of inference and folding">,
  ];
  let statistics = [
    Statistic<"numRounds", "rounds", "rounds of inference and folding">,
    Statistic<"numRefined", "refined-results", "result types refined">,
  ];
}

def FuseAttentionPass : Pass<"kiln-fuse-attention", "mlir::func::FuncOp"> {
  let summary = "recognize scaled dot-product attention";
  let description = [{
    `matmul(softmax(matmul(q · a, kᵀ · b) · c + mask), v)`
    `=> attention(q, k, v, mask) {scale = a · b · c}`

    Each of a, b and c is a mul or div by a one-element float constant, or
    absent; the mask (optional) is an additive f32 tensor that broadcasts
    to the scores, whatever computes it (an attention_mask turned into
    -3.4e38 / 0, a causal where or trilu). The softmax is over the last
    axis and may be guarded by `where(is_nan(p), 0, p)`, as the exports of
    PyTorch's scaled_dot_product_attention are, or by
    `where(reduce_max(mask) == -inf, 0, p)`, as the importer writes ONNX
    Attention (graph.attention gives zeros for rows whose scores are all
    -inf). kᵀ is recognized as the transpose
    of k when it is `transpose(k)` of the last two dims or the
    reshape / transpose / reshape around it that exporters write; any other
    kᵀ is transposed by a new `graph.transpose`. q, k and v have the same
    batch dims (a dynamic one dynamic in all three; the kernel checks at
    run time that they agree). Left alone: a softmax over another axis, a scale that
    is not a constant, a scale after the mask, scores or probabilities with
    another user, and element types other than f32.

    `kiln-compile-pipeline` runs it first in the kernel phase, after
    partitioning, so that partitioning and kiln-plan see the unfused ops
    and each rank fuses the attention of its own heads.
  }];
  let dependentDialects = ["::kiln::graph::GraphDialect"];
}

#endif // KILN_PASSES_GRAPH_PASSES
