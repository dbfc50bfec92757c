//===- Cluster.h - A cluster description for kiln-plan ----------*- C++ -*-===//
//
// A JSON file (bench/clusters/*.json):
//
//   {
//     "name": "h100x8-nvlink",
//     "devices_per_node": 8, "nodes": 1,
//     "device_memory_bytes": 80e9,
//     "flops": {"f32": 67e12, "bf16": 989e12},   // or one number for all
//     "memory_bandwidth": 3.35e12,                // bytes/s per device
//     "intra_node": {"bandwidth": 450e9, "latency": 3e-6},
//     "inter_node": {"bandwidth": 50e9, "latency": 5e-6},
//     "source": "...", "notes": "...", "measured": {...}
//   }
//
// Bandwidths are bytes/s per direction per device, latencies seconds.
// Every field but source, notes and measured (free text and a free object)
// is required; an unknown field is an error, so a typo is not a default.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TOOLS_KILN_PLAN_CLUSTER_H
#define KILN_TOOLS_KILN_PLAN_CLUSTER_H

#include "passes/partition/CostModel.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace kiln::plan {

struct Cluster {
  std::string name;
  int64_t devicesPerNode = 1;
  int64_t nodes = 1;
  double deviceMemoryBytes = 0;
  /// Peak FLOP/s per device by element type ("f32", "bf16"); "*" when the
  /// file gives one number.
  llvm::StringMap<double> flops;
  double memoryBandwidth = 0;
  cost::Link intraNode, interNode;

  int64_t getNumDevices() const { return devicesPerNode * nodes; }
  /// The peak for `dtype`, or 0 when the file gives none.
  double getPeakFlops(llvm::StringRef dtype) const;
};

/// Reads `path` into `cluster`; "" on success, otherwise the one-line
/// message (`<path>[:line:col]: error: ...`).
std::string readCluster(llvm::StringRef path, Cluster &cluster);

} // namespace kiln::plan

#endif // KILN_TOOLS_KILN_PLAN_CLUSTER_H
