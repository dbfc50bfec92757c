//===- Plan.h - One mesh of a model on a cluster, priced --------*- C++ -*-===//
//
// A candidate is (dp, tp, pp, micro-batches). Its (dp, tp) program is the
// real output of kiln-partition, priced per op by the cost model; pp splits
// that program's op list into contiguous stages of balanced time, run as a
// GPipe schedule:
//
//   stage time  = its ops (roofline, collectives) per micro-batch
//                 + the send of its boundary activations per micro-batch
//   step        = (M + P - 1) * max stage time        bubble (P-1)/(M+P-1)
//   throughput  = batch / step     efficiency = throughput / (N * one device)
//
// Ranks are laid out as rank = (pp_c * dp + dp_c) * tp + tp_c, so a tp
// group is neighbours and shares a node when tp <= devices per node.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TOOLS_KILN_PLAN_PLAN_H
#define KILN_TOOLS_KILN_PLAN_PLAN_H

#include "tools/kiln-plan/Cluster.h"

#include "passes/partition/CostModel.h"

#include <string>
#include <vector>

namespace kiln::plan {

struct MeshShape {
  int64_t dp = 1, tp = 1, pp = 1, micro = 1;
  int64_t getNumRanks() const { return dp * tp * pp; }
};

struct Candidate {
  MeshShape mesh;
  /// Why the mesh cannot run (empty when it can).
  std::string infeasible;
  /// Per device, the device of largest total.
  double weightBytes = 0, activationBytes = 0, bufferBytes = 0, totalBytes = 0;
  bool fits = false;
  /// Per step, on the slowest stage's device.
  double computeTime = 0, commTime = 0;
  /// Payload bytes per rank per step: dp, tp, pp (sends).
  double commBytes[3] = {0, 0, 0};
  double bubble = 0, stepTime = 0, throughput = 0, efficiency = 0;
  /// Lines for --details: collectives, stages.
  std::vector<std::string> details;
};

/// Prices `mesh` whose (dp, tp) program costs `graph` per rank on
/// `cluster`; `batch` samples per step. With `ranksPerDevice` > 1 ranks
/// share a device's FLOP/s and memory bandwidth (an oversubscribed run).
Candidate evaluate(const cost::GraphCost &graph, const MeshShape &mesh,
                   const Cluster &cluster, int64_t batch,
                   int64_t ranksPerDevice);

/// "1.23 ms", "456 us" ...; "12.3 MB" ... (decimal units).
std::string formatTime(double seconds);
std::string formatBytes(double bytes);

} // namespace kiln::plan

#endif // KILN_TOOLS_KILN_PLAN_PLAN_H
