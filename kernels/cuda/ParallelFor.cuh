//===- ParallelFor.cuh - The CUDA driver's grid loop ------------*- C++ -*-===//
//
// parallelFor(ctx, n, f) launches a grid-stride kernel that calls f(i) for
// every i in [0, n). f is a functor with a __device__ operator() (or a
// __device__ lambda under --extended-lambda), captured by value.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_CUDA_PARALLELFOR_CUH
#define KILN_KERNELS_CUDA_PARALLELFOR_CUH

#include "kernels/cuda/Kernels.h"

#include <cuda_runtime.h>

namespace kiln::cuda {

template <typename F> __global__ void parallelForKernel(int64_t n, F f) {
  int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
       i < n; i += stride)
    f(i);
}

/// Launches f over [0, n) on ctx.stream and checks the launch.
template <typename F>
Status parallelFor(const Context &ctx, int64_t n, F f, const char *what,
                   const char *file, int line) {
  if (n <= 0)
    return Status::success();
  constexpr int kBlock = 256;
  int64_t blocks = (n + kBlock - 1) / kBlock;
  if (blocks > 65535 * 32)
    blocks = 65535 * 32;
  parallelForKernel<<<static_cast<unsigned>(blocks), kBlock, 0,
                      ctx.stream>>>(n, f);
  return checkLaunch(what, file, line);
}

} // namespace kiln::cuda

/// parallelFor with the launch site's kernel name, file and line.
#define KILN_CUDA_PARALLEL_FOR(ctx, n, f, what)                                \
  ::kiln::cuda::parallelFor((ctx), (n), (f), (what), __FILE__, __LINE__)

#endif // KILN_KERNELS_CUDA_PARALLELFOR_CUH
