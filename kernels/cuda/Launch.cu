//===- Launch.cu - Checking kernel launches ------------------------------===//

#include "kernels/cuda/CudaCheck.cuh"
#include "kernels/cuda/Kernels.h"

namespace kiln::cuda {

Status checkLaunch(const char *what, const char *file, int line) {
  cudaError_t error = cudaGetLastError();
  if (error == cudaSuccess)
    return Status::success();
  return Status::error("%s:%d: launching %s failed: %s (%s)", file, line, what,
                       cudaGetErrorString(error), cudaGetErrorName(error));
}

} // namespace kiln::cuda
