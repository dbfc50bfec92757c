//===- Matmul.cpp - Batched GEMM on the CPU -------------------------------===//
//
// One GEMM per batch, or a single one when b is shared by every batch and
// a's batches are contiguous rows: then (B, M, K) @ (K, N) is one
// (B * M, K) @ (K, N). With at least as many batches as workers, the
// batches run in parallel, each GEMM on one worker.
//
// Each f32 or f64 GEMM runs on Kiln's workers (Gemm.h); f16 and bf16 run
// matmulElement (kernels/common/Matmul.h) per output element, in f32.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Matmul.h"
#include "kernels/cpu/Gemm.h"
#include "kernels/cpu/Kernels.h"
#include "kernels/cpu/ParallelFor.h"

namespace kiln::cpu {
namespace {

template <typename T>
void runBlasMatmul(const MatmulParams &p, const TensorView &a,
                   const TensorView &b, const TensorView &out, T alpha,
                   T beta) {
  bool transA = p.transA, transB = p.transB;
  const T *aData = a.as<const T>();
  const T *bData = b.as<const T>();
  T *outData = out.as<T>();
  // BLAS wants leading dimensions of at least 1, even for empty matrices.
  int64_t lda = transA ? p.m : p.k;
  int64_t ldb = transB ? p.k : p.n;
  lda = lda < 1 ? 1 : lda;
  ldb = ldb < 1 ? 1 : ldb;
  if (!transA && p.isBroadcast(p.bBatchStrides) &&
      p.isUniform(p.aBatchStrides, p.m * p.k)) {
    gemm(transA, transB, p.batchCount * p.m, p.n, p.k, alpha, aData, lda,
         bData, ldb, beta, outData, p.n);
    return;
  }
  auto oneBatch = [&](int64_t batch) {
    gemm(transA, transB, p.m, p.n, p.k, alpha, aData + p.aOffset(batch), lda,
         bData + p.bOffset(batch), ldb, beta, outData + p.outOffset(batch),
         p.n);
  };
  // Enough batches to go round (attention's heads): one worker per batch,
  // each GEMM whole on its worker, one parallel region in all.
  if (p.batchCount > 1 && p.batchCount >= getNumThreads()) {
    parallelFor(p.batchCount, oneBatch, /*grain=*/1);
    return;
  }
  for (int64_t batch = 0; batch < p.batchCount; ++batch)
    oneBatch(batch);
}

template <typename T>
void runHalfMatmul(const MatmulParams &p, const TensorView &a,
                   const TensorView &b, const TensorView &out, float alpha,
                   float beta) {
  const T *aData = a.as<const T>();
  const T *bData = b.as<const T>();
  T *outData = out.as<T>();
  int64_t grain = 4096 / (p.k > 0 ? p.k : 1);
  parallelFor(
      p.batchCount * p.m * p.n,
      [&](int64_t i) {
        matmulElement<T>(p, aData, bData, outData, alpha, beta, i);
      },
      grain < 1 ? 1 : grain);
}

} // namespace

Status matmul(const TensorView &a, const TensorView &b, const TensorView &out,
              float alpha, float beta, bool transA, bool transB) {
  MatmulParams p;
  KILN_RETURN_IF_ERROR(makeMatmulParams(a, b, out, transA, transB, p));
  if (p.m == 0 || p.n == 0)
    return Status::success();
  switch (a.dtype) {
  case DType::Double:
    runBlasMatmul<double>(p, a, b, out, alpha, beta);
    break;
  case DType::Float16:
    runHalfMatmul<half>(p, a, b, out, alpha, beta);
    break;
  case DType::BFloat16:
    runHalfMatmul<bfloat16>(p, a, b, out, alpha, beta);
    break;
  default:
    runBlasMatmul<float>(p, a, b, out, alpha, beta);
    break;
  }
  return Status::success();
}

} // namespace kiln::cpu
