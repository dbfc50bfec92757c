//===- CostModel.h - The time and memory of one rank's forward pass -*- C++
//-*-===//
//
// A static-shape graph-dialect @main (after the graph phase, partitioned or
// not) as a list of op costs in program order:
//
//   compute op      FLOPs and bytes moved; time = max(FLOPs / peak FLOP/s,
//                   bytes / memory bandwidth)  (the roofline)
//   dist collective the bytes it carries, on a mesh axis
//
//   FLOPs: matmul / gemm 2*M*N*K (with batch); conv 2*N*Cout*Hout*Wout*
//   Cin/group*kh*kw; conv-transpose 2*N*Cin*Hin*Win*Cout/group*kh*kw;
//   elementwise 1 per result element; reductions 1 per input element;
//   softmax 5, layer/RMS norm 8, batch norm 2 per element; data movement 0.
//   Bytes: operands + results; a weight (constant) is read whole by each op
//   that uses it, but a Gather from a table reads only the rows it gathers;
//   views (reshape, squeeze ...) move nothing.
//
// Weight bytes are the constants (a constant that only feeds dist.shard
// counts as its shards: a split weight); activation memory is the peak of
// the live intermediate bytes in program order, where a view shares its
// source's buffer. The collective time models (ring, two-level) sit here
// too, so that any tool can price a partitioned program.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_PARTITION_COSTMODEL_H
#define KILN_PASSES_PARTITION_COSTMODEL_H

#include "dialects/dist/DistDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <string>

namespace kiln::cost {

enum class OpKind { Compute, AllReduce, AllGather };

/// What one top-level op of @main costs, for the whole batch it sees.
struct OpCost {
  mlir::Operation *op = nullptr;
  OpKind kind = OpKind::Compute;
  /// Element type of the op's work ("f32", "bf16", ...): picks the peak.
  std::string dtype;
  double flops = 0;
  /// Bytes of activations read and written (scale with the batch).
  double activationBytes = 0;
  /// Bytes of weights the op reads (do not scale with the batch): all of
  /// each weight, but only the gathered rows of a Gather's table.
  double weightBytes = 0;
  /// The weights it needs resident (indices into GraphCost::weights).
  llvm::SmallVector<unsigned, 2> weights;
  /// For a collective: the tensor's bytes (all_reduce: the reduced tensor;
  /// all_gather: the whole result), its axis and group size.
  double commBytes = 0;
  dist::Axis axis = dist::Axis::dp;
  int64_t parts = 1;
  /// Activation bytes live while the op runs (its operands and results
  /// included).
  double liveBytes = 0;
};

/// An activation buffer: defined by op `def` (-1: a function input), last
/// read by op `lastUse` (indices into GraphCost::ops).
struct LiveRange {
  int64_t def = -1;
  int64_t lastUse = -1;
  double bytes = 0;
};

struct GraphCost {
  llvm::SmallVector<OpCost> ops;
  llvm::SmallVector<LiveRange> buffers;
  /// The bytes of each weight (a constant, or one rank's shard of it).
  llvm::SmallVector<double> weights;
  double flops = 0;
  double weightBytes = 0;
  double peakActivationBytes = 0;
  /// Payload bytes of the collectives, by axis (indexed by dist::Axis).
  double commBytes[4] = {0, 0, 0, 0};
};

/// The costs of `func`, whose tensors must all be static; an error on
/// `func` otherwise.
mlir::FailureOr<GraphCost> analyzeFunction(mlir::func::FuncOp func);

/// The bytes of a static tensor type (0 for anything else).
double getTensorBytes(mlir::Type type);

/// Roofline time of `cost` run as one of `microBatches` equal parts of its
/// batch: activations and FLOPs divide, weights are read again each time.
double getComputeTime(const OpCost &cost, double peakFlops,
                      double memoryBandwidth, int64_t microBatches = 1);

/// A link between devices.
struct Link {
  double bandwidth = 0; // bytes/s, per direction per device
  double latency = 0;   // s per message step
};

/// Ring all-reduce of `bytes` on `ranks`: 2(P-1)/P * N / bw + 2(P-1) * lat.
double getRingAllReduceTime(double bytes, int64_t ranks, Link link);
/// Ring all-gather of a `totalBytes` result: (P-1)/P * N / bw + (P-1) * lat.
double getRingAllGatherTime(double totalBytes, int64_t ranks, Link link);
/// Ring reduce-scatter of `bytes`: as the all-gather.
double getRingReduceScatterTime(double bytes, int64_t ranks, Link link);
/// Two-level all-reduce over `nodes` x `perNode` ranks: intra-node
/// reduce-scatter, inter-node ring all-reduce of N / perNode among the
/// nodes, intra-node all-gather (the 2-D torus / hierarchical all-reduce).
double getTwoLevelAllReduceTime(double bytes, int64_t nodes, int64_t perNode,
                                Link intra, Link inter);
/// Point-to-point send of `bytes`: N / bw + lat.
double getSendTime(double bytes, Link link);

/// Splits `times` (per op, program order) into `stages` contiguous,
/// non-empty ranges minimizing the largest sum; the start index of each
/// stage. `stages` must not exceed `times.size()`.
llvm::SmallVector<size_t> splitStages(llvm::ArrayRef<double> times,
                                      int64_t stages);

/// Activation bytes defined before op `boundary` and read at or after it
/// (what a pipeline stage boundary there sends; function inputs excluded,
/// every stage reads those itself).
double getCrossingBytes(const GraphCost &graph, size_t boundary);

} // namespace kiln::cost

#endif // KILN_PASSES_PARTITION_COSTMODEL_H
