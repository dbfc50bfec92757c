//===- Plan.cpp - One mesh of a model on a cluster, priced ----------------===//

#include "tools/kiln-plan/Plan.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <map>

namespace kiln::plan {
namespace {

using cost::OpCost;
using cost::OpKind;

/// How a group of ranks is placed on nodes.
struct Placement {
  int64_t nodes = 1;   // nodes the group spans
  int64_t perNode = 1; // members on each (when even)
  bool even = true;
};

/// The group of rank 0 on an axis: `size` ranks `stride` apart.
Placement place(int64_t stride, int64_t size, const Cluster &cluster,
                int64_t ranksPerDevice) {
  std::map<int64_t, int64_t> members;
  for (int64_t i = 0; i < size; ++i)
    ++members[i * stride / ranksPerDevice / cluster.devicesPerNode];
  Placement placement;
  placement.nodes = static_cast<int64_t>(members.size());
  placement.perNode = members.begin()->second;
  for (auto &[node, count] : members)
    placement.even &= count == placement.perNode;
  return placement;
}

/// The time of a collective carrying `bytes`, and how it runs.
double getCollectiveTime(OpKind kind, double bytes, const Placement &group,
                         int64_t parts, const Cluster &cluster,
                         std::string &how) {
  if (group.nodes == 1) {
    how = "ring, intra-node";
    return kind == OpKind::AllReduce
               ? cost::getRingAllReduceTime(bytes, parts, cluster.intraNode)
               : cost::getRingAllGatherTime(bytes, parts, cluster.intraNode);
  }
  if (kind == OpKind::AllReduce && group.even && group.perNode > 1) {
    how = "two-level, " + std::to_string(group.nodes) + " nodes x " +
          std::to_string(group.perNode);
    return cost::getTwoLevelAllReduceTime(bytes, group.nodes, group.perNode,
                                          cluster.intraNode, cluster.interNode);
  }
  // Across nodes the ring runs at the inter-node link's pace.
  how = "ring, inter-node";
  return kind == OpKind::AllReduce
             ? cost::getRingAllReduceTime(bytes, parts, cluster.interNode)
             : cost::getRingAllGatherTime(bytes, parts, cluster.interNode);
}

const char *getAxisName(dist::Axis axis) {
  return axis == dist::Axis::dp ? "dp" : axis == dist::Axis::tp ? "tp" : "pp";
}

} // namespace

std::string formatTime(double seconds) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (seconds >= 1)
    os << llvm::format("%.3g s", seconds);
  else if (seconds >= 1e-3)
    os << llvm::format("%.3g ms", seconds * 1e3);
  else
    os << llvm::format("%.3g us", seconds * 1e6);
  return text;
}

std::string formatBytes(double bytes) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (bytes >= 1e9)
    os << llvm::format("%.3g GB", bytes / 1e9);
  else if (bytes >= 1e6)
    os << llvm::format("%.3g MB", bytes / 1e6);
  else if (bytes >= 1e3)
    os << llvm::format("%.3g KB", bytes / 1e3);
  else
    os << llvm::format("%.0f B", bytes);
  return text;
}

Candidate evaluate(const cost::GraphCost &graph, const MeshShape &mesh,
                   const Cluster &cluster, int64_t batch,
                   int64_t ranksPerDevice) {
  Candidate candidate;
  candidate.mesh = mesh;
  int64_t numOps = static_cast<int64_t>(graph.ops.size());
  int64_t localBatch = batch / mesh.dp;
  if (mesh.pp > numOps) {
    candidate.infeasible = "pp=" + std::to_string(mesh.pp) + " exceeds the " +
                           std::to_string(numOps) + " ops of the program";
    return candidate;
  }
  if (localBatch % mesh.micro != 0) {
    candidate.infeasible = "micro-batches=" + std::to_string(mesh.micro) +
                           " does not divide the per-rank batch " +
                           std::to_string(localBatch);
    return candidate;
  }
  for (const OpCost &op : graph.ops)
    if (op.kind == OpKind::Compute && op.flops > 0 &&
        cluster.getPeakFlops(op.dtype) == 0) {
      candidate.infeasible =
          "the cluster gives no flops for dtype '" + op.dtype + "'";
      return candidate;
    }

  // Groups of rank 0: tp neighbours, dp tp apart, stages dp * tp apart.
  Placement groups[2] = {place(mesh.tp, mesh.dp, cluster, ranksPerDevice),
                         place(1, mesh.tp, cluster, ranksPerDevice)};
  double share = static_cast<double>(ranksPerDevice);

  // Each op's time per micro-batch.
  int64_t m = mesh.micro;
  std::vector<double> times(graph.ops.size());
  std::vector<bool> isComm(graph.ops.size());
  std::map<std::string, std::pair<int64_t, double>> collectives;
  for (auto [i, op] : llvm::enumerate(graph.ops)) {
    if (op.kind == OpKind::Compute) {
      times[i] =
          share * cost::getComputeTime(op, cluster.getPeakFlops(op.dtype),
                                       cluster.memoryBandwidth, m);
      continue;
    }
    std::string how;
    const Placement &group = groups[op.axis == dist::Axis::tp ? 1 : 0];
    times[i] = getCollectiveTime(op.kind, op.commBytes / m, group, op.parts,
                                 cluster, how);
    isComm[i] = true;
    std::string key;
    llvm::raw_string_ostream os(key);
    os << getAxisName(op.axis) << " "
       << (op.kind == OpKind::AllReduce ? "all_reduce" : "all_gather") << " "
       << llvm::format("%.0f", op.commBytes / m) << " B on " << op.parts
       << " ranks (" << how << "): " << formatTime(times[i]);
    auto &entry = collectives[key];
    ++entry.first;
    entry.second += times[i];
  }
  for (auto &[key, entry] : collectives)
    candidate.details.push_back(key + " x" + std::to_string(entry.first) +
                                (m > 1 ? " per micro-batch" : ""));

  llvm::SmallVector<size_t> starts = {0};
  if (mesh.pp > 1)
    starts = cost::splitStages(times, mesh.pp);
  int64_t stages = static_cast<int64_t>(starts.size());
  auto stageEnd = [&](int64_t s) {
    return s + 1 < stages ? starts[s + 1] : graph.ops.size();
  };

  // The slowest stage sets the pace; the fullest device the memory.
  double slowest = -1;
  for (int64_t s = 0; s < stages; ++s) {
    double compute = 0, comm = 0, weights = 0, live = 0;
    double bytes[3] = {0, 0, 0};
    llvm::SmallDenseSet<unsigned> resident;
    for (size_t i = starts[s]; i < stageEnd(s); ++i) {
      const OpCost &op = graph.ops[i];
      (isComm[i] ? comm : compute) += times[i];
      for (unsigned weight : op.weights)
        if (resident.insert(weight).second)
          weights += graph.weights[weight];
      live = std::max(live, op.liveBytes);
      if (op.kind != OpKind::Compute)
        bytes[op.axis == dist::Axis::tp ? 1 : 0] += op.commBytes;
    }
    double in = s > 0 ? cost::getCrossingBytes(graph, starts[s]) : 0;
    double out =
        s + 1 < stages ? cost::getCrossingBytes(graph, stageEnd(s)) : 0;
    if (out > 0) {
      // The next stage's first rank is dp * tp ranks on.
      int64_t from = s * mesh.dp * mesh.tp / ranksPerDevice;
      int64_t to = (s + 1) * mesh.dp * mesh.tp / ranksPerDevice;
      bool sameNode =
          from / cluster.devicesPerNode == to / cluster.devicesPerNode;
      comm += cost::getSendTime(out / m, sameNode ? cluster.intraNode
                                                  : cluster.interNode);
      bytes[2] = out;
    }
    if (stages > 1)
      candidate.details.push_back(
          "stage " + std::to_string(s) + ": ops " + std::to_string(starts[s]) +
          ".." + std::to_string(stageEnd(s) - 1) + ", " +
          formatTime(compute + comm) + " per micro-batch, weights " +
          formatBytes(weights) + ", sends " + formatBytes(out));

    // One stage holds every weight, read or not.
    if (stages == 1)
      weights = graph.weightBytes;
    double total = weights + live / m + in + out;
    if (total > candidate.totalBytes) {
      candidate.totalBytes = total;
      candidate.weightBytes = weights;
      candidate.activationBytes = live / m;
      candidate.bufferBytes = in + out;
    }
    if (compute + comm > slowest) {
      slowest = compute + comm;
      candidate.computeTime = m * compute;
      candidate.commTime = m * comm;
      std::copy(bytes, bytes + 3, candidate.commBytes);
    }
  }
  candidate.fits = candidate.totalBytes <= cluster.deviceMemoryBytes;
  double p = static_cast<double>(stages);
  candidate.bubble = (p - 1) / (m + p - 1);
  candidate.stepTime = (m + p - 1) * slowest;
  candidate.throughput =
      candidate.stepTime > 0 ? batch / candidate.stepTime : 0;
  return candidate;
}

} // namespace kiln::plan
