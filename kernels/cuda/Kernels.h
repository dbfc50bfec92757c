//===- Kernels.h - The CUDA kernel library ----------------------*- C++ -*-===//
//
// The same callees as kernels/cpu/Kernels.h, with the same names and
// parameters after a leading Context (the stream to launch on and the
// cuBLAS handle). Pointers are device memory. Launches are asynchronous on
// ctx.stream; a Status reports argument errors and launch failures.
//
// Generated code builds the context from what the runtime hands to `run`
// (runtime/CudaContext.h):
//
//   kiln::cuda::Context kctx = kiln::cuda::makeContext(ctx);
//   KILN_RETURN_IF_ERROR(kiln::cuda::softmax(kctx, x, y, 1));
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_CUDA_KERNELS_H
#define KILN_KERNELS_CUDA_KERNELS_H

#include "kernels/common/Tensor.h"

// The CUDA handle types, declared as cuda_runtime.h and cublas_v2.h do, so
// that this header does not pull in either.
struct CUstream_st;
struct cublasContext;

namespace kiln::cuda {

struct Context {
  CUstream_st *stream; // cudaStream_t; null is the legacy default stream
  cublasContext *blas; // cublasHandle_t; needed by matmul only
};

// x is (N, C, D1..Dn), w is (M, C / group, k1..kn), b is (M), y is
// (N, M, O1..On).
Status conv(const Context &ctx, const TensorView &x, const TensorView &w,
            const TensorView *b, const TensorView &y,
            Span<const int64_t> strides, Span<const int64_t> pads,
            Span<const int64_t> dilations, int64_t group);

Status max_pool(const Context &ctx, const TensorView &x, const TensorView &y,
                Span<const int64_t> kernel_shape, Span<const int64_t> strides,
                Span<const int64_t> pads, Span<const int64_t> dilations);
Status average_pool(const Context &ctx, const TensorView &x,
                    const TensorView &y, Span<const int64_t> kernel_shape,
                    Span<const int64_t> strides, Span<const int64_t> pads,
                    Span<const int64_t> dilations, bool count_include_pad);
Status global_average_pool(const Context &ctx, const TensorView &x,
                           const TensorView &y);
Status global_max_pool(const Context &ctx, const TensorView &x,
                       const TensorView &y);

Status softmax(const Context &ctx, const TensorView &x, const TensorView &y,
               int64_t axis);
Status log_softmax(const Context &ctx, const TensorView &x, const TensorView &y,
                   int64_t axis);
Status layer_norm(const Context &ctx, const TensorView &x,
                  const TensorView &scale, const TensorView *bias,
                  const TensorView &y, const TensorView *mean,
                  const TensorView *invStdDev, int64_t axis, float epsilon);

Status reduce(const Context &ctx, const TensorView &x, const TensorView &y,
              const char *kind, Span<const int64_t> axes);
Status arg_max(const Context &ctx, const TensorView &x, const TensorView &y,
               int64_t axis, bool select_last_index);
Status arg_min(const Context &ctx, const TensorView &x, const TensorView &y,
               int64_t axis, bool select_last_index);

Status transpose(const Context &ctx, const TensorView &x, const TensorView &y,
                 Span<const int64_t> perm);
Status concat(const Context &ctx, Span<const TensorView> inputs,
              const TensorView &y, int64_t axis);
Status split(const Context &ctx, const TensorView &x,
             Span<const TensorView> outputs, int64_t axis);
Status slice(const Context &ctx, const TensorView &x, const TensorView &y,
             Span<const int64_t> starts, Span<const int64_t> steps);
// Indices live on the device and are not checked before the launch: an
// out-of-range index yields zeros (the CPU driver reports an error).
Status gather(const Context &ctx, const TensorView &x,
              const TensorView &indices, const TensorView &y, int64_t axis);
Status tile(const Context &ctx, const TensorView &x, const TensorView &y);
// The indices are copied to the host and checked before the launch (the
// stream is synchronized for it), so an index out of range is an error
// as on the CPU.
Status gather_elements(const Context &ctx, const TensorView &x,
                       const TensorView &indices, const TensorView &y,
                       int64_t axis);
Status scatter_elements(const Context &ctx, const TensorView &x,
                        const TensorView &indices, const TensorView &updates,
                        const TensorView &y, int64_t axis,
                        const char *reduction);
Status gather_nd(const Context &ctx, const TensorView &x,
                 const TensorView &indices, const TensorView &y,
                 int64_t batch_dims);
Status scatter_nd(const Context &ctx, const TensorView &x,
                  const TensorView &indices, const TensorView &updates,
                  const TensorView &y, const char *reduction);
// k is read on the device.
Status trilu(const Context &ctx, const TensorView &x, const TensorView *k,
             const TensorView &y, bool upper);
Status cumsum(const Context &ctx, const TensorView &x, const TensorView &y,
              int64_t axis, bool exclusive, bool reverse);
// The pad value is read on the device.
Status pad(const Context &ctx, const TensorView &x, const TensorView *value,
           const TensorView &y, Span<const int64_t> pads, const char *mode);
Status range(const Context &ctx, const TensorView &start,
             const TensorView &limit, const TensorView &delta,
             const TensorView &y);

// out = alpha * op(a) op(b) + beta * out via cublasSgemmStridedBatched.
Status matmul(const Context &ctx, const TensorView &a, const TensorView &b,
              const TensorView &out, float alpha, float beta, bool transA,
              bool transB);

/// Checks the last launch (cudaGetLastError); `what` names the kernel.
Status checkLaunch(const char *what, const char *file, int line);

} // namespace kiln::cuda

#endif // KILN_KERNELS_CUDA_KERNELS_H
