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
Status cumprod(const Context &ctx, const TensorView &x, const TensorView &y,
               int64_t axis, bool exclusive, bool reverse);
// The pad value is read on the device.
Status pad(const Context &ctx, const TensorView &x, const TensorView *value,
           const TensorView &y, Span<const int64_t> pads, const char *mode);
Status range(const Context &ctx, const TensorView &start,
             const TensorView &limit, const TensorView &delta,
             const TensorView &y);

//===--- Network ops of exported models ---------------------------------===//

// values and indices (i64) have x's shape with dim `axis` of size k: the k
// largest (or smallest) entries of each row along `axis`, sorted, equal
// values in index order. f32, i64, i32.
Status top_k(const Context &ctx, const TensorView &x, const TensorView &values,
             const TensorView &indices, int64_t axis, bool largest);

// x is (N, C, D1..Dn), w is (C, M / group, k1..kn), b is (M), y is
// (N, M, O1..On) with O = s * (D - 1) + d * (k - 1) + 1 - pad begin - pad end
// (an end pad may be negative: output padding).
Status conv_transpose(const Context &ctx, const TensorView &x,
                      const TensorView &w, const TensorView *b,
                      const TensorView &y, Span<const int64_t> strides,
                      Span<const int64_t> pads, Span<const int64_t> dilations,
                      int64_t group);

// y = x resampled per dim with factor scales[d], or y's dim over x's where
// it is 0 (mode "nearest", "linear" or "cubic"; ONNX's
// coordinate_transformation_mode and nearest_mode); roi
// (begins then ends) is read by "tf_crop_and_resize" only and may be empty
// otherwise. Nearest moves any dtype, linear and cubic f32.
Status resize(const Context &ctx, const TensorView &x, const TensorView &y,
              const char *mode, const char *coordinate_transformation_mode,
              const char *nearest_mode, Span<const double> scales,
              Span<const double> roi, float cubic_coeff_a, bool exclude_outside,
              float extrapolation_value, bool antialias);

// Recurrent layers in ONNX's layout 0: `inputs` are the present ONNX inputs
// in order and input_roles their ONNX indices (X, W, R, B, sequence_lens
// (i32), initial_h, initial_c, P = 0..7); y is (seq, dirs, batch, hidden),
// y_h and y_c (dirs, batch, hidden). activations are the codes of
// kernels/common/Recurrent.h, per direction (f, g, h), each with an alpha
// and a beta; clip 0 is none. f32.
Status rnn(const Context &ctx, Span<const TensorView> inputs,
           const TensorView &y, const TensorView &y_h,
           Span<const int64_t> input_roles, const char *direction,
           Span<const int64_t> activations, Span<const double> activation_alpha,
           Span<const double> activation_beta, float clip);
Status gru(const Context &ctx, Span<const TensorView> inputs,
           const TensorView &y, const TensorView &y_h,
           Span<const int64_t> input_roles, const char *direction,
           Span<const int64_t> activations, Span<const double> activation_alpha,
           Span<const double> activation_beta, float clip,
           bool linear_before_reset);
Status lstm(const Context &ctx, Span<const TensorView> inputs,
            const TensorView &y, const TensorView &y_h, const TensorView &y_c,
            Span<const int64_t> input_roles, const char *direction,
            Span<const int64_t> activations,
            Span<const double> activation_alpha,
            Span<const double> activation_beta, float clip, bool input_forget);

// kernel.attention, as kiln::cpu::attention; one thread per query row.
Status attention(const Context &ctx, const TensorView &q, const TensorView &k,
                 const TensorView &v, const TensorView *mask,
                 const TensorView &out, float scale);

// out = alpha * op(a) op(b) + beta * out via cublasGemmStridedBatchedEx;
// f32, f64, and f16 or bf16 accumulated in f32.
Status matmul(const Context &ctx, const TensorView &a, const TensorView &b,
              const TensorView &out, float alpha, float beta, bool transA,
              bool transB);

/// Checks the last launch (cudaGetLastError); `what` names the kernel.
Status checkLaunch(const char *what, const char *file, int line);

} // namespace kiln::cuda

#endif // KILN_KERNELS_CUDA_KERNELS_H
