//===- Kernels.h - The CPU kernel library -----------------------*- C++ -*-===//
//
// One function per callee of docs/kernel-library.md, named after the callee,
// with its operands and attributes in the order of the table: ins, outs,
// attributes. Pointers are host memory. Integer attributes are int64_t,
// arrays Span<const int64_t> (float arrays Span<const double>), floats
// float, flags bool, strings const char *.
// An optional operand is a pointer that may be null. Every function checks
// the shapes and dtypes it relies on and returns a Status.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_CPU_KERNELS_H
#define KILN_KERNELS_CPU_KERNELS_H

#include "kernels/common/Tensor.h"
#include "kernels/cpu/Epilogue.h"
#include "kernels/cpu/ParallelFor.h"

namespace kiln::cpu {

// x is (N, C, D1..Dn), w is (M, C / group, k1..kn), b is (M), y is
// (N, M, O1..On). An epilogue runs on each block of y once it is complete.
Status conv(const TensorView &x, const TensorView &w, const TensorView *b,
            const TensorView &y, Span<const int64_t> strides,
            Span<const int64_t> pads, Span<const int64_t> dilations,
            int64_t group, const Epilogue *epilogue = nullptr);

// x is (N, C, D1..Dn), y is (N, C, O1..On).
Status max_pool(const TensorView &x, const TensorView &y,
                Span<const int64_t> kernel_shape, Span<const int64_t> strides,
                Span<const int64_t> pads, Span<const int64_t> dilations);
Status average_pool(const TensorView &x, const TensorView &y,
                    Span<const int64_t> kernel_shape,
                    Span<const int64_t> strides, Span<const int64_t> pads,
                    Span<const int64_t> dilations, bool count_include_pad);

// x is (N, C, D1..Dn), y is (N, C, 1..1).
Status global_average_pool(const TensorView &x, const TensorView &y);
Status global_max_pool(const TensorView &x, const TensorView &y);

// Normalizes over the single dim `axis`; y has x's shape.
Status softmax(const TensorView &x, const TensorView &y, int64_t axis);
Status log_softmax(const TensorView &x, const TensorView &y, int64_t axis);

// Normalizes over dims [axis, rank); scale and bias broadcast to
// x.shape[axis:]. mean and invStdDev (1 / sqrt(var + epsilon)), when not
// null, get one value per row: x's shape with dims [axis, rank) set to 1.
Status layer_norm(const TensorView &x, const TensorView &scale,
                  const TensorView *bias, const TensorView &y,
                  const TensorView *mean, const TensorView *invStdDev,
                  int64_t axis, float epsilon);

// kind is one of "sum", "mean", "max", "min", "prod", "sum_square", "l1",
// "l2", "log_sum_exp"; y has x's rank with the reduced dims of size 1.
Status reduce(const TensorView &x, const TensorView &y, const char *kind,
              Span<const int64_t> axes);

// y is i64 with x's rank and dim `axis` of size 1.
Status arg_max(const TensorView &x, const TensorView &y, int64_t axis,
               bool select_last_index);
Status arg_min(const TensorView &x, const TensorView &y, int64_t axis,
               bool select_last_index);

// Data movement; any dtype. y dim i is x dim perm[i].
Status transpose(const TensorView &x, const TensorView &y,
                 Span<const int64_t> perm);
Status concat(Span<const TensorView> inputs, const TensorView &y, int64_t axis);
Status split(const TensorView &x, Span<const TensorView> outputs, int64_t axis);
// y[i] = x[starts + i * steps] per dim.
Status slice(const TensorView &x, const TensorView &y,
             Span<const int64_t> starts, Span<const int64_t> steps);
// indices is i64 or i32; negative indices count from the end.
Status gather(const TensorView &x, const TensorView &indices,
              const TensorView &y, int64_t axis);
// y.shape = x.shape * repeats.
Status tile(const TensorView &x, const TensorView &y);

// Gathers and scatters by index tensors (kernels/common/GatherScatter.h);
// any dtype, indices i64 (or i32 for the *_elements kernels); negative
// indices count from the end, and an index out of range is an error.
// reduction is "none", "add", "mul", "max" or "min" (not "none": f32, f64,
// i64, i32). y of a scatter has x's shape.
Status gather_elements(const TensorView &x, const TensorView &indices,
                       const TensorView &y, int64_t axis);
Status scatter_elements(const TensorView &x, const TensorView &indices,
                        const TensorView &updates, const TensorView &y,
                        int64_t axis, const char *reduction);
Status gather_nd(const TensorView &x, const TensorView &indices,
                 const TensorView &y, int64_t batch_dims);
Status scatter_nd(const TensorView &x, const TensorView &indices,
                  const TensorView &updates, const TensorView &y,
                  const char *reduction);

// Keeps the upper (j - i >= k) or lower (j - i <= k) triangle of the last
// two dims, 0 elsewhere; k is a rank-0 i64 (0 when null). Any dtype.
Status trilu(const TensorView &x, const TensorView *k, const TensorView &y,
             bool upper);

// Running sums (products) along `axis` (exclusive: without the element
// itself; reverse: from the end); f32, f64, i64, i32.
Status cumsum(const TensorView &x, const TensorView &y, int64_t axis,
              bool exclusive, bool reverse);
Status cumprod(const TensorView &x, const TensorView &y, int64_t axis,
               bool exclusive, bool reverse);

// pads holds rank begins, then rank ends (negative ones crop); mode is
// "constant" (value, a rank-0 tensor of x's dtype, or 0 when null),
// "reflect", "edge" or "wrap". Any dtype.
Status pad(const TensorView &x, const TensorView *value, const TensorView &y,
           Span<const int64_t> pads, const char *mode);

// start, limit and delta are rank 0; y is 1-d.
Status range(const TensorView &start, const TensorView &limit,
             const TensorView &delta, const TensorView &y);

//===--- Network ops of exported models ---------------------------------===//

// values and indices (i64) have x's shape with dim `axis` of size k: the k
// largest (or smallest) entries of each row along `axis`, sorted, equal
// values in index order. f32, i64, i32.
Status top_k(const TensorView &x, const TensorView &values,
             const TensorView &indices, int64_t axis, bool largest);

// x is (N, C, D1..Dn), w is (C, M / group, k1..kn), b is (M), y is
// (N, M, O1..On) with O = s * (D - 1) + d * (k - 1) + 1 - pad begin - pad end
// (an end pad may be negative: output padding).
Status conv_transpose(const TensorView &x, const TensorView &w,
                      const TensorView *b, const TensorView &y,
                      Span<const int64_t> strides, Span<const int64_t> pads,
                      Span<const int64_t> dilations, int64_t group);

// y = x resampled per dim with factor scales[d], or y's dim over x's where
// it is 0 (mode "nearest", "linear" or "cubic"; ONNX's
// coordinate_transformation_mode and nearest_mode); roi
// (begins then ends) is read by "tf_crop_and_resize" only and may be empty
// otherwise. Nearest moves any dtype, linear and cubic f32.
Status resize(const TensorView &x, const TensorView &y, const char *mode,
              const char *coordinate_transformation_mode,
              const char *nearest_mode, Span<const double> scales,
              Span<const double> roi, float cubic_coeff_a, bool exclude_outside,
              float extrapolation_value, bool antialias);

// Recurrent layers in ONNX's layout 0: `inputs` are the present ONNX inputs
// in order and input_roles their ONNX indices (X, W, R, B, sequence_lens
// (i32), initial_h, initial_c, P = 0..7); y is (seq, dirs, batch, hidden),
// y_h and y_c (dirs, batch, hidden). activations are the codes of
// kernels/common/Recurrent.h, per direction (f, g, h), each with an alpha
// and a beta; clip 0 is none. f32.
Status rnn(Span<const TensorView> inputs, const TensorView &y,
           const TensorView &y_h, Span<const int64_t> input_roles,
           const char *direction, Span<const int64_t> activations,
           Span<const double> activation_alpha,
           Span<const double> activation_beta, float clip);
Status gru(Span<const TensorView> inputs, const TensorView &y,
           const TensorView &y_h, Span<const int64_t> input_roles,
           const char *direction, Span<const int64_t> activations,
           Span<const double> activation_alpha,
           Span<const double> activation_beta, float clip,
           bool linear_before_reset);
Status lstm(Span<const TensorView> inputs, const TensorView &y,
            const TensorView &y_h, const TensorView &y_c,
            Span<const int64_t> input_roles, const char *direction,
            Span<const int64_t> activations,
            Span<const double> activation_alpha,
            Span<const double> activation_beta, float clip, bool input_forget);

// kernel.attention: out = softmax(q kᵀ · scale + mask) v, the softmax
// over the keys, never storing the scores; f32. q is (B..., S_q, D), k is
// (B..., S_k, D), v is (B..., S_k, D_v), out is (B..., S_q, D_v); mask, if
// not null, broadcasts to (B..., S_q, S_k). A row whose scores are all
// -inf gives zeros.
Status attention(const TensorView &q, const TensorView &k, const TensorView &v,
                 const TensorView *mask, const TensorView &out, float scale);

// kernel.matmul: out = alpha * op(a) op(b) + beta * out; f32, f64, and f16
// or bf16 accumulated in f32. a is
// (..., M, K) ((..., K, M) with transA), b is (..., K, N) ((..., N, K) with
// transB), out is (..., M, N); batch dims broadcast. An epilogue (f32 only)
// runs on each block of out once it is complete.
Status matmul(const TensorView &a, const TensorView &b, const TensorView &out,
              float alpha, float beta, bool transA, bool transB,
              const Epilogue *epilogue = nullptr);

} // namespace kiln::cpu

#endif // KILN_KERNELS_CPU_KERNELS_H
