//===- Matmul.h - Shapes of a batched, broadcast GEMM -----------*- C++ -*-===//
//
//   out[b] (M, N) = alpha * op(a[b]) op(b[b]) + beta * out[b]
//
// a is (..., M, K) or (..., K, M) with transA, b is (..., K, N) or (..., N, K)
// with transB; the batch dims broadcast to out's. The drivers hand each
// batch to BLAS with the matrix offsets below.
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

  int64_t aOffset(int64_t batch) const {
    return broadcastOffset(batch, batchRank, batchShape, aBatchStrides);
  }
  int64_t bOffset(int64_t batch) const {
    return broadcastOffset(batch, batchRank, batchShape, bBatchStrides);
  }
  int64_t outOffset(int64_t batch) const { return batch * m * n; }
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
  KILN_RETURN_IF_ERROR(checkDtype(kernel, "a", a, DType::Float));
  KILN_RETURN_IF_ERROR(checkDtype(kernel, "b", b, DType::Float));
  KILN_RETURN_IF_ERROR(checkDtype(kernel, "out", out, DType::Float));
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

} // namespace kiln

#endif // KILN_KERNELS_COMMON_MATMUL_H
