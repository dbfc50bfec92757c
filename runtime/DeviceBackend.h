//===- DeviceBackend.h - What the runtime needs from a device ---*- C++ -*-===//
//
// kiln_runtime itself knows only the host. A model whose target is "cuda"
// gets its device through this interface, implemented in
// libkiln_runtime_cuda.so (runtime/CudaBackend.cpp), which the runtime
// dlopens on demand; a CPU-only installation never loads it.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_DEVICEBACKEND_H
#define KILN_RUNTIME_DEVICEBACKEND_H

#include "kernels/common/Status.h"

#include <stddef.h>
#include <stdint.h>

namespace kiln {

class DeviceBackend {
public:
  virtual ~DeviceBackend() = default;

  virtual Status allocate(size_t bytes, void **out) = 0;
  virtual void release(void *pointer) = 0;
  virtual Status copyToDevice(void *device, const void *host, size_t bytes) = 0;
  virtual Status copyToHost(void *host, const void *device, size_t bytes) = 0;
  /// Waits for all work on the stream.
  virtual Status synchronize() = 0;

  /// What the generated code receives in kiln_exec_context.
  virtual void *stream() = 0;
  virtual void *blasHandle() = 0;
};

} // namespace kiln

namespace kiln {
class Communicator;
} // namespace kiln

/// The entry point of libkiln_runtime_cuda.so: a backend on the current
/// device, or null with a message in `error`.
extern "C" kiln::DeviceBackend *kiln_create_cuda_backend(char *error,
                                                         int errorSize);

/// A partitioned run's device: makes device `localRank` mod the device
/// count current (one rank per GPU) and writes its ordinal into *device.
/// Returns 0, or non-zero with a message in `error`.
extern "C" int kiln_cuda_select_device(int32_t localRank, int32_t *device,
                                       char *error, int errorSize);

/// A communicator whose all_reduce and all_gather run through NCCL on
/// `stream` (a cudaStream_t) over device buffers: one NCCL communicator per
/// mesh axis and one for the world, whose unique ids travel over `host`
/// (an MPI communicator of the same mesh). Takes `host` over, also when it
/// fails: then null with a message in `error`.
extern "C" kiln::Communicator *
kiln_create_nccl_communicator(kiln::Communicator *host, void *stream,
                              char *error, int errorSize);

#endif // KILN_RUNTIME_DEVICEBACKEND_H
