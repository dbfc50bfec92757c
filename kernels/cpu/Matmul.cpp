//===- Matmul.cpp - Batched GEMM on the CPU via OpenBLAS -----------------===//
//
// One GEMM per batch, or a single one when b is shared by every batch and
// a's batches are contiguous rows: then (B, M, K) @ (K, N) is one
// (B * M, K) @ (K, N).
//
// Each GEMM runs on Kiln's workers (Gemm.h).
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Matmul.h"
#include "kernels/cpu/Gemm.h"
#include "kernels/cpu/Kernels.h"

namespace kiln::cpu {

Status matmul(const TensorView &a, const TensorView &b, const TensorView &out,
              float alpha, float beta, bool transA, bool transB) {
  MatmulParams p;
  KILN_RETURN_IF_ERROR(makeMatmulParams(a, b, out, transA, transB, p));
  if (p.m == 0 || p.n == 0)
    return Status::success();
  const float *aData = a.as<const float>();
  const float *bData = b.as<const float>();
  float *outData = out.as<float>();
  // BLAS wants leading dimensions of at least 1, even for empty matrices.
  int64_t lda = transA ? p.m : p.k;
  int64_t ldb = transB ? p.k : p.n;
  lda = lda < 1 ? 1 : lda;
  ldb = ldb < 1 ? 1 : ldb;
  if (!transA && p.isBroadcast(p.bBatchStrides) &&
      p.isUniform(p.aBatchStrides, p.m * p.k)) {
    gemm(transA, transB, p.batchCount * p.m, p.n, p.k, alpha, aData, lda,
         bData, ldb, beta, outData, p.n);
    return Status::success();
  }
  for (int64_t batch = 0; batch < p.batchCount; ++batch)
    gemm(transA, transB, p.m, p.n, p.k, alpha, aData + p.aOffset(batch), lda,
         bData + p.bOffset(batch), ldb, beta, outData + p.outOffset(batch),
         p.n);
  return Status::success();
}

} // namespace kiln::cpu
