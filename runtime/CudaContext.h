//===- CudaContext.h - The CUDA kernels' context from a run -----*- C++ -*-===//
//
// The bridge between the model ABI and the CUDA kernel library: generated
// CUDA code builds the kernels' Context from what the runtime hands to
// `run`,
//
//   const kiln::cuda::Context kctx = kiln::cuda::makeContext(ctx);
//
// It lives with the runtime so that the kernel library does not include the
// layer above it.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_CUDACONTEXT_H
#define KILN_RUNTIME_CUDACONTEXT_H

#include "kernels/cuda/Kernels.h"
#include "runtime/ModelAbi.h"

namespace kiln::cuda {

inline Context makeContext(const kiln_exec_context *ctx) {
  return Context{static_cast<CUstream_st *>(ctx->cuda_stream),
                 static_cast<cublasContext *>(ctx->cublas_handle)};
}

} // namespace kiln::cuda

#endif // KILN_RUNTIME_CUDACONTEXT_H
