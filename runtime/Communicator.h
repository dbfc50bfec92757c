//===- Communicator.h - The ranks of a partitioned run ----------*- C++ -*-===//
//
// A Communicator connects the ranks of one partitioned run: it knows the
// model's mesh (runtime/ModelAbi.h), this rank's coordinates on it, and the
// group of ranks along each axis, and it moves bytes between them.
//
//   rank = (pp_c * dp + dp_c) * tp + tp_c
//   group(axis): the ranks whose coordinates differ from this rank's only
//                on `axis`, ordered by their coordinate on it; kWorldAxis
//                names every rank, ordered by rank.
//
// The collectives the generated code calls (all_reduce, all_gather) run
// with one of several algorithms; every call is counted per (collective,
// axis, algorithm): calls, payload, bytes this rank sent and received, and
// wall time. The traffic formulas the counters meet are in
// docs/partitioning.md.
//
// Errors are Status values naming the collective, the axis and the peer.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_COMMUNICATOR_H
#define KILN_RUNTIME_COMMUNICATOR_H

#include "kernels/common/Status.h"
#include "runtime/ModelAbi.h"

#include <stdint.h>

#include <memory>
#include <string>
#include <vector>

namespace kiln {

/// The axis of the group of every rank.
constexpr int32_t kWorldAxis = -1;

enum class Collective { AllReduce, AllGather, Broadcast, Send, Recv, Barrier };

/// How a collective moves its bytes.
///   Library:         the communication library's own collective
///                    (MPI_Allreduce on the axis' communicator).
///   Ring:            reduce-scatter then all-gather around the group's
///                    ring, P - 1 steps each, over point-to-point messages.
///   ParameterServer: coordinate 0 of the group gathers, sums and sends
///                    back.
///   Nccl:            NCCL's collectives between GPUs (the CUDA target).
enum class Algorithm { Library, Ring, ParameterServer, Nccl };

const char *collectiveName(Collective kind);
const char *algorithmName(Algorithm algorithm);
/// "library", "ring" or "ps" (what a user chooses); false otherwise.
bool parseAlgorithm(const std::string &name, Algorithm &out);
/// "dp", "tp", "pp", "micro" or "world".
const char *axisName(int32_t axis);

/// A mesh and the coordinates of its ranks.
struct MeshLayout {
  int32_t mesh[KILN_NUM_AXES] = {1, 1, 1, 1};

  /// The ranks of the mesh: dp * tp * pp.
  int32_t numRanks() const { return mesh[0] * mesh[1] * mesh[2]; }
  /// The coordinates of `rank` (KILN_AXIS_MICRO: 0).
  void coordsOf(int32_t rank, int32_t coords[KILN_NUM_AXES]) const;
  int32_t rankOf(const int32_t coords[KILN_NUM_AXES]) const;
  /// The ranks of `rank`'s group along `axis`, in coordinate order.
  std::vector<int32_t> group(int32_t rank, int32_t axis) const;
};

/// What one rank counted for one (collective, axis, algorithm).
struct CollectiveStats {
  Collective kind;
  int32_t axis;
  Algorithm algorithm;
  int32_t groupSize;
  int64_t calls = 0;
  /// The bytes the callers handed in: all_reduce's count * element size,
  /// all_gather's block, broadcast's / send's / recv's buffer.
  int64_t payloadBytes = 0;
  /// What this rank put on and took off its links. For the library
  /// algorithm, whose wire traffic the library decides, the payload in and
  /// the result out.
  int64_t bytesSent = 0;
  int64_t bytesReceived = 0;
  double seconds = 0;
};

class Communicator {
public:
  Communicator(int32_t rank, const MeshLayout &layout);
  virtual ~Communicator();
  Communicator(const Communicator &) = delete;
  Communicator &operator=(const Communicator &) = delete;

  int32_t rank() const { return rank_; }
  int32_t size() const { return layout_.numRanks(); }
  const MeshLayout &layout() const { return layout_; }
  const int32_t *coords() const { return coords_; }
  /// The size of this rank's group along `axis` and this rank's index in it.
  int32_t groupSize(int32_t axis) const;
  int32_t groupIndex(int32_t axis) const;

  Algorithm algorithm() const { return algorithm_; }
  /// Fails for an algorithm the communicator does not implement.
  virtual Status setAlgorithm(Algorithm algorithm);

  /// out[i] = the sum over the group of in[i]: `count` elements of ONNX
  /// dtype `dtype` (float, double, float16, bfloat16, int8/16/32/64,
  /// uint8/16/32/64); float16 and bfloat16 add in float per element.
  /// in == out is allowed.
  virtual Status allReduce(int32_t axis, int32_t dtype, const void *in,
                           void *out, int64_t count) = 0;
  /// out = every member's `bytes`-byte block in coordinate order.
  virtual Status allGather(int32_t axis, const void *in, void *out,
                           int64_t bytes) = 0;
  /// Every rank's `buffer` receives rank `root`'s.
  virtual Status broadcast(int32_t root, void *buffer, int64_t bytes) = 0;
  /// Point-to-point between ranks of the world; a send is matched by the
  /// peer's recv of the same size.
  virtual Status send(int32_t peer, const void *buffer, int64_t bytes) = 0;
  virtual Status recv(int32_t peer, void *buffer, int64_t bytes) = 0;
  virtual Status barrier() = 0;

  /// The counters so far, in the order they were first used.
  virtual std::vector<CollectiveStats> stats();
  void resetStats() { stats_.clear(); }

protected:
  /// Fails unless `axis` names a group (an axis of the mesh or kWorldAxis).
  Status checkAxis(const char *what, int32_t axis) const;
  CollectiveStats &statsFor(Collective kind, int32_t axis,
                            Algorithm algorithm);

  int32_t rank_;
  MeshLayout layout_;
  int32_t coords_[KILN_NUM_AXES];
  Algorithm algorithm_ = Algorithm::Library;
  std::vector<CollectiveStats> stats_;
};

/// acc[i] += x[i] for `count` elements of `dtype`; false if the dtype has
/// no sum here. float16 and bfloat16 add in float and round once.
bool sumInto(int32_t dtype, void *acc, const void *x, int64_t count);

/// The elements [begin, end) of chunk `c` when `count` elements are split
/// into `parts` chunks as evenly as possible (the first count % parts
/// chunks one longer): with count % parts == 0 every chunk is count / parts.
void chunkRange(int64_t count, int32_t parts, int32_t c, int64_t &begin,
                int64_t &end);

/// The collectives table generated code calls through
/// kiln_exec_context::collectives; ctx->communicator is a Communicator.
extern const kiln_collectives runtimeCollectives;

//===----------------------------------------------------------------------===//
// MPI (runtime/MpiCommunicator.cpp)
//===----------------------------------------------------------------------===//

/// Whether this process was started by an MPI launcher (mpirun, srun) or
/// MPI is already initialized.
bool mpiLaunched();
/// Initializes MPI if this process was launched by mpirun and nobody has
/// yet (then finalized at exit), and reports this rank and the world size;
/// 0 and 1 without a launcher.
Status mpiWorld(int32_t &rank, int32_t &size);
/// This rank's index among the ranks of its node (device selection).
int32_t mpiLocalRank();

/// A communicator over MPI_COMM_WORLD for `layout`, whose rank count must
/// be the world's; its axis groups are MPI_Comm_split of the world.
Status createMpiCommunicator(const MeshLayout &layout,
                             std::unique_ptr<Communicator> &out);

} // namespace kiln

#endif // KILN_RUNTIME_COMMUNICATOR_H
