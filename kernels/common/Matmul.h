//===- Matmul.h - Shapes of a batched, broadcast GEMM -----------*- C++ -*-===//
//
//   out[b] (M, N) = alpha * op(a[b]) op(b[b]) + beta * out[b]
//
// a is (..., M, K) or (..., K, M) with transA, b is (..., K, N) or (..., N, K)
// with transB; the batch dims broadcast to out's. The drivers hand each
// batch to BLAS with the matrix offsets below: f32 and f64 as they are;
// f16 and bf16 accumulate in f32 (cuBLAS's f32 compute type on CUDA,
// matmulElement below on the CPU).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_MATMUL_H
#define KILN_KERNELS_COMMON_MATMUL_H

#include "kernels/common/Broadcast.h"
#include "kernels/common/Checks.h"

namespace kiln {

struct MatmulParams {
  int64_t m, n, k;
  bool transA, transB;
  int32_t batchRank;
  int64_t batchCount;
  int64_t batchShape[kMaxRank];
  // Element offsets between consecutive matrices along each batch dim; 0
  // where the operand is broadcast.
  int64_t aBatchStrides[kMaxRank];
  int64_t bBatchStrides[kMaxRank];

  KILN_HD int64_t aOffset(int64_t batch) const {
    return broadcastOffset(batch, batchRank, batchShape, aBatchStrides);
  }
  KILN_HD int64_t bOffset(int64_t batch) const {
    return broadcastOffset(batch, batchRank, batchShape, bBatchStrides);
  }
  KILN_HD int64_t outOffset(int64_t batch) const { return batch * m * n; }
  /// Whether every batch of `strides` is `step` matrices after the last.
  bool isUniform(const int64_t *strides, int64_t matrix) const {
    int64_t expected = matrix;
    for (int32_t d = batchRank - 1; d >= 0; --d) {
      if (batchShape[d] != 1 && strides[d] != expected)
        return false;
      expected *= batchShape[d];
    }
    return true;
  }
  bool isBroadcast(const int64_t *strides) const {
    for (int32_t d = 0; d < batchRank; ++d)
      if (batchShape[d] != 1 && strides[d] != 0)
        return false;
    return true;
  }
};

/// Fills the batch strides of an operand of shape `shape` (rank `rank`,
/// matrices of `matrix` elements) aligned to out's batch dims.
inline Status matmulBatchStrides(const char *operand, const TensorView &t,
                                 const MatmulParams &p, int64_t *strides) {
  int32_t rank = t.rank - 2;
  int64_t stride = t.shape[t.rank - 2] * t.shape[t.rank - 1];
  for (int32_t d = p.batchRank - 1; d >= 0; --d) {
    int32_t td = d - (p.batchRank - rank);
    if (td < 0) {
      strides[d] = 0;
      continue;
    }
    if (t.shape[td] != 1 && t.shape[td] != p.batchShape[d])
      return Status::error("matmul: %s batch dim %d (%lld) does not "
                           "broadcast to %lld",
                           operand, td, static_cast<long long>(t.shape[td]),
                           static_cast<long long>(p.batchShape[d]));
    strides[d] = t.shape[td] == 1 ? 0 : stride;
    stride *= t.shape[td];
  }
  return Status::success();
}

inline Status makeMatmulParams(const TensorView &a, const TensorView &b,
                               const TensorView &out, bool transA, bool transB,
                               MatmulParams &p) {
  const char *kernel = "matmul";
  if (!isAnyOf(a.dtype, DType::Float, DType::Double, DType::Float16,
               DType::BFloat16))
    return Status::error("matmul: unsupported dtype %s", dtypeName(a.dtype));
  KILN_RETURN_IF_ERROR(checkSameDtype(kernel, "b", b, a));
  KILN_RETURN_IF_ERROR(checkSameDtype(kernel, "out", out, a));
  KILN_RETURN_IF_ERROR(checkValidRank(kernel, "a", a, 2));
  KILN_RETURN_IF_ERROR(checkValidRank(kernel, "b", b, 2));
  KILN_RETURN_IF_ERROR(checkValidRank(kernel, "out", out, 2));
  if (a.rank > out.rank || b.rank > out.rank)
    return Status::error("matmul: out has rank %d, lower than a (%d) or b "
                         "(%d)",
                         out.rank, a.rank, b.rank);
  p.transA = transA;
  p.transB = transB;
  p.m = a.shape[a.rank - (transA ? 1 : 2)];
  p.k = a.shape[a.rank - (transA ? 2 : 1)];
  p.n = b.shape[b.rank - (transB ? 2 : 1)];
  int64_t kb = b.shape[b.rank - (transB ? 1 : 2)];
  if (kb != p.k)
    return Status::error("matmul: a has K = %lld, b has K = %lld",
                         static_cast<long long>(p.k),
                         static_cast<long long>(kb));
  KILN_RETURN_IF_ERROR(checkDim(kernel, "out", out, out.rank - 2, p.m));
  KILN_RETURN_IF_ERROR(checkDim(kernel, "out", out, out.rank - 1, p.n));
  p.batchRank = out.rank - 2;
  p.batchCount = 1;
  for (int32_t d = 0; d < p.batchRank; ++d) {
    p.batchShape[d] = out.shape[d];
    p.batchCount *= out.shape[d];
  }
  KILN_RETURN_IF_ERROR(matmulBatchStrides("a", a, p, p.aBatchStrides));
  return matmulBatchStrides("b", b, p, p.bBatchStrides);
}

/// Element `index` of out (B, M, N) for 16-bit floats: the dot product of a
/// row of op(a) and a column of op(b) accumulated in f32. With beta 0, out's
/// old value is not read (it may be uninitialized), as in BLAS.
template <typename T>
KILN_HD inline void matmulElement(const MatmulParams &p, const T *a, const T *b,
                                  T *out, float alpha, float beta,
                                  int64_t index) {
  int64_t batch = index / (p.m * p.n);
  int64_t i = index / p.n % p.m, j = index % p.n;
  const T *aMatrix = a + p.aOffset(batch);
  const T *bMatrix = b + p.bOffset(batch);
  float acc = 0.0f;
  for (int64_t k = 0; k < p.k; ++k) {
    float av = aMatrix[p.transA ? k * p.m + i : i * p.k + k];
    float bv = bMatrix[p.transB ? j * p.k + k : k * p.n + j];
    acc += av * bv;
  }
  float result = alpha * acc;
  if (beta != 0.0f)
    result += beta * static_cast<float>(out[index]);
  out[index] = T(result);
}

} // namespace kiln

#endif // KILN_KERNELS_COMMON_MATMUL_H
