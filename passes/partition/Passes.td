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
    Option<"minSplitElements", "min-split-elements", "int64_t", "1024",
           "the fewest elements of a weight that tensor parallelism splits">,
  ];
  let statistics = [
    Statistic<"numAllReduce", "all-reduces", "dist.all_reduce ops inserted">,
    Statistic<"numAllGather", "all-gathers", "dist.all_gather ops inserted">,
    Statistic<"numSplitWeights", "split-weights", "weights split over tp">,
  ];
}

#endif // KILN_PASSES_PARTITION_PASSES
