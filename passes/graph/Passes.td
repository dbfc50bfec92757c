//===- Passes.td - Passes of the graph dialect ---------------*- tablegen -*-===//
//
// Shape specialization and propagation over the graph dialect.
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

#endif // KILN_PASSES_GRAPH_PASSES
