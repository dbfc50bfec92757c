//===- Passes.td - Partitioning passes -----------------------*- tablegen -*-===//
//
// Splitting a model over a device mesh (docs/partitioning.md).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_PARTITION_PASSES
#define KILN_PASSES_PARTITION_PASSES

include "mlir/Pass/PassBase.td"

def PartitionPass : Pass<"kiln-partition", "mlir::ModuleOp"> {
  let summary = "split @main into the SPMD program one rank of a mesh runs";
  let description = [{
    main(x) -> y  =>  main(x) -> y where each value is this rank's piece,
    with dist.shard, dist.all_gather and dist.all_reduce where a consumer
    needs another piece than its producer gives.

    Every value gets a sharding: for each mesh axis (dp, tp) either whole
    (replicated), one `#dist.split` factor of one dim (a block per
    coordinate), or a partial sum. Inputs are whole on every rank; with
    dp > 1 each takes its block of the batch (dim 0). With tp > 1 a GEMM of
    a whole activation by a constant weight splits the weight's columns
    (by thirds, quarters ... when its result is Split into equal parts, as
    a fused QKV projection is), and a GEMM of a column-split activation by a
    constant splits the weight's rows and gives a partial sum: the Megatron
    split of attention and MLP blocks, found by propagation rather than by
    pattern. Per-op rules say which pieces an op can compute on; where an
    operand's piece differs, a collective or a local slice converts it.
    Outputs are made whole. Needs static shapes; the module gets
    `dist.mesh = array<i64: dp, tp, pp, micro>`.
  }];
  let dependentDialects = ["::kiln::dist::DistDialect",
                           "::kiln::graph::GraphDialect"];
  let options = [
    Option<"dp", "dp", "int64_t", "1", "data-parallel ranks">,
    Option<"tp", "tp", "int64_t", "1", "tensor-parallel ranks">,
    Option<"pp", "pp", "int64_t", "1",
           "pipeline stages (kiln-pipeline-stages splits the program)">,
    Option<"microBatches", "micro-batches", "int64_t", "1",
           "micro-batches each pipeline stage runs in turn">,
    Option<"minSplitElements", "min-split-elements", "int64_t", "1024",
           "the fewest elements of a weight that tensor parallelism splits">,
  ];
  let statistics = [
    Statistic<"numAllReduce", "all-reduces", "dist.all_reduce ops inserted">,
    Statistic<"numAllGather", "all-gathers", "dist.all_gather ops inserted">,
    Statistic<"numSplitWeights", "split-weights", "weights split over tp">,
  ];
}

def PipelineStagesPass : Pass<"kiln-pipeline-stages", "mlir::ModuleOp"> {
  let summary = "split @main into the contiguous stages of a pipeline";
  let description = [{
    main(x) -> y  =>  stage0(x) -> (b0..), stage1(x, b0..) -> (b1..), ...,
    stage<pp-1>(x, b..) -> y

    Cuts the ops of @main, in order, into `pp` contiguous stages whose
    largest cost (roofline time, CostModel.h) is least. A value made in one stage and read in a
    later one (or returned) leaves the stage that makes it as a result and
    enters every later stage up to its last reader as an argument, after
    the model's inputs, which every stage takes. Constants, and per-rank
    blocks of constants and inputs, are cloned into each stage that reads
    them. Each stage gets `kiln.stage`; the runtime runs stage s on the
    ranks of pp coordinate s, micro-batch after micro-batch, and sends each
    stage's results to the next.
  }];
  let dependentDialects = ["::kiln::dist::DistDialect",
                           "::kiln::graph::GraphDialect"];
  let options = [
    Option<"pp", "pp", "int64_t", "1", "pipeline stages">,
  ];
}

#endif // KILN_PASSES_PARTITION_PASSES
