//===- CudaCheck.cuh - CUDA and cuBLAS errors as Status ---------*- C++ -*-===//
//
// Vendor error codes become a Status at the boundary, with the file and line
// of the failing call:
//
//   KILN_CUDA_RETURN_IF_ERROR(cudaMemsetAsync(p, 0, n, stream));
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_CUDA_CUDACHECK_CUH
#define KILN_KERNELS_CUDA_CUDACHECK_CUH

#include "kernels/common/Status.h"

#include <cublas_v2.h>
#include <cuda_runtime.h>

namespace kiln::cuda {

inline Status cudaStatus(cudaError_t error, const char *what, const char *file,
                         int line) {
  if (error == cudaSuccess)
    return Status::success();
  return Status::error("%s:%d: %s failed: %s (%s)", file, line, what,
                       cudaGetErrorString(error), cudaGetErrorName(error));
}

inline Status cublasStatus(cublasStatus_t error, const char *what,
                           const char *file, int line) {
  if (error == CUBLAS_STATUS_SUCCESS)
    return Status::success();
  return Status::error("%s:%d: %s failed: %s", file, line, what,
                       cublasGetStatusString(error));
}

} // namespace kiln::cuda

#define KILN_CUDA_RETURN_IF_ERROR(expr)                                        \
  KILN_RETURN_IF_ERROR(                                                        \
      ::kiln::cuda::cudaStatus((expr), #expr, __FILE__, __LINE__))
#define KILN_CUBLAS_RETURN_IF_ERROR(expr)                                      \
  KILN_RETURN_IF_ERROR(                                                        \
      ::kiln::cuda::cublasStatus((expr), #expr, __FILE__, __LINE__))

#endif // KILN_KERNELS_CUDA_CUDACHECK_CUH
