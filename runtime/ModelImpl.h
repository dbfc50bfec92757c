//===- ModelImpl.h - What a loaded model holds ------------------*- C++ -*-===//
//
// The runtime's side of a loaded model (struct kiln_model), shared by
// Model.cpp (loading, checking, single runs) and Pipeline.cpp (the
// micro-batch schedule of a pipeline-parallel model).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_MODELIMPL_H
#define KILN_RUNTIME_MODELIMPL_H

#include "kernels/common/Checked.h"
#include "kernels/common/Tensor.h"
#include "runtime/Communicator.h"
#include "runtime/DeviceBackend.h"
#include "runtime/ModelAbi.h"
#include "runtime/Profiler.h"
#include "runtime/Safetensors.h"
#include "runtime/kiln.h"

#include <dlfcn.h>
#include <stdlib.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace kiln::model_impl {

struct FreeDeleter {
  void operator()(void *p) const { free(p); }
};
using HostBuffer = std::unique_ptr<void, FreeDeleter>;

/// A 64-byte-aligned host allocation of at least `bytes` (never null).
inline HostBuffer allocateHost(size_t bytes) {
  size_t rounded = (bytes + 63) / 64 * 64;
  return HostBuffer(aligned_alloc(64, rounded ? rounded : 64));
}

inline std::string shapeText(const int64_t *shape, int32_t rank) {
  char buffer[256];
  kiln::formatShape(shape, rank, buffer, sizeof(buffer));
  return buffer;
}

/// The bytes of `rank` dims of `dtype`, or -1 if they overflow 2^62.
inline int64_t byteSize(int32_t dtype, const int64_t *shape, int32_t rank) {
  int64_t bytes = 0;
  if (!kiln::checkedByteSize(shape, rank, kiln::dtypeSize(dtype), bytes))
    return -1;
  return bytes;
}

} // namespace kiln::model_impl

using kiln::model_impl::allocateHost;
using kiln::model_impl::byteSize;
using kiln::model_impl::HostBuffer;
using kiln::model_impl::shapeText;

struct kiln_entry {
  const kiln_entry_desc *desc = nullptr;
  /// The pipeline of a pipeline-parallel model: its stages run as one
  /// entry (Pipeline.cpp); `desc` is the model's pipelineDesc.
  bool pipeline = false;
};

namespace kiln::model_impl {

/// Shapes of one run: the inputs' (given), the outputs' and the arena's
/// (from the entry's `plan`).
struct RunShapes {
  std::vector<std::vector<int64_t>> outputs;
  std::vector<int64_t *> outputPointers;
  std::vector<int64_t> inputBytes, outputBytes;
  int64_t arenaBytes = 0;
};

/// A host arena and its size.
struct Arena {
  HostBuffer buffer;
  int64_t bytes = 0;
};

} // namespace kiln::model_impl

using kiln::model_impl::Arena;
using kiln::model_impl::RunShapes;

struct kiln_model {
  std::string dir;
  void *library = nullptr;
  const kiln_model_desc *desc = nullptr;
  std::vector<kiln_entry> entries;
  bool cuda = false;
  std::atomic<int32_t> numThreads{0};

  kiln::SafetensorsFile weightsFile;
  // What `run` receives: host pointers (into the file's contents or into
  // aligned copies) or device pointers.
  std::vector<void *> weights;
  std::vector<HostBuffer> weightCopies;
  // Arenas of the CPU target that no run holds now.
  std::mutex arenaMutex;
  std::vector<Arena> freeArenas;
  // Runs of the CUDA target take turns on the model's buffers and stream.
  std::mutex deviceMutex;
  // The kernel profile of the runs (kiln_model_set_kernel_profiling).
  kiln::Profiler profiler;

  // A partitioned model's communicator and this rank's place in its mesh;
  // runs of a partitioned model take turns.
  std::unique_ptr<kiln::Communicator> communicator;
  std::mutex collectiveMutex;
  kiln::MeshLayout layout;
  int32_t rank = 0;
  int32_t coords[KILN_NUM_AXES] = {0, 0, 0, 0};
  int32_t deviceOrdinal = 0;
  // The tensor of each weight this rank reads (a split weight's shard).
  std::vector<const kiln::SafetensorsTensor *> weightTensors;

  void *backendLibrary = nullptr;
  std::unique_ptr<kiln::DeviceBackend> backend;
  std::vector<void *> deviceWeights; // released on destroy
  // Device buffers that grow with the runs' shapes: the arena, then one per
  // input and output of the widest entry.
  std::vector<void *> deviceBuffers;
  std::vector<int64_t> deviceBufferBytes;

  ~kiln_model() {
    // A NCCL communicator runs on the backend's stream.
    communicator.reset();
    if (backend) {
      for (void *p : deviceWeights)
        backend->release(p);
      for (void *p : deviceBuffers)
        if (p)
          backend->release(p);
      backend.reset();
    }
    // The backend library stays loaded: CUDA does not survive being
    // unloaded and reloaded in one process.
    if (library)
      dlclose(library);
  }

  std::string where() const { return "model '" + dir + "'"; }
  bool partitioned() const { return layout.numRanks() > 1; }
  /// What `plan` and `run` receive besides their buffers.
  void initContext(kiln_exec_context &ctx, char *error, int32_t errorSize);
  std::string loadLibrary();
  std::string checkDescription();
  std::string checkMesh();
  std::string setUpCommunicator();
  std::string loadWeights();
  std::string setUpDevice();
  /// Checks `inputShapes` against the entry's declaration and plans the
  /// run: output shapes, buffer sizes, arena size.
  std::string planRun(const kiln_entry &entry,
                      const int64_t *const *inputShapes, RunShapes &shapes);
  std::string runOnHost(const kiln_entry &entry, const void *const *inputs,
                        const int64_t *const *inputShapes,
                        void *const *outputs, const RunShapes &shapes);
  std::string runOnDevice(const kiln_entry &entry, const void *const *inputs,
                          const int64_t *const *inputShapes,
                          void *const *outputs, const RunShapes &shapes);
  /// Device buffer `slot` with at least `bytes` bytes, grown if needed.
  std::string deviceBuffer(size_t slot, int64_t bytes, void **out);
  /// An arena of at least `bytes` for one run: a free one, or a new one.
  Arena takeArena(int64_t bytes);
  void giveBackArena(Arena arena);

  // A pipeline-parallel model (pp > 1): entries "stage0" .. run by the ranks
  // of each pp coordinate, and one more, first, that runs them as the
  // model: stage 0's inputs, the last stage's outputs for every
  // micro-batch (Pipeline.cpp).
  bool pipelined() const { return layout.mesh[KILN_AXIS_PP] > 1; }
  kiln_entry_desc pipelineDesc = {};
  std::vector<kiln_io_desc> pipelineOutputs;
  std::vector<std::vector<int64_t>> pipelineShapes;
  /// Checks that the stages chain (each stage's extra inputs are the
  /// previous stage's outputs) and adds the pipeline entry.
  std::string checkPipeline();
  /// Input and output sizes of a pipeline run.
  std::string planPipeline(const int64_t *const *inputShapes,
                           RunShapes &shapes);
  /// Runs this rank's stage on each micro-batch, receiving from the stage
  /// before and sending to the one after; rank 0 ends with the outputs.
  std::string runPipeline(const void *const *inputs, void *const *outputs,
                          const RunShapes &shapes);
};

#endif // KILN_RUNTIME_MODELIMPL_H
