//===- Matmul.cpp - Batched GEMM on the CPU -------------------------------===//
//
// One GEMM per batch, or a single one when b is shared by every batch and
// a's batches are contiguous rows: then (B, M, K) @ (K, N) is one
// (B * M, K) @ (K, N). With at least as many batches as workers, the
// batches run in parallel, each GEMM on one worker.
//
// Each f32 or f64 GEMM runs on Kiln's workers (Gemm.h); f16 and bf16 run
// matmulElement (kernels/common/Matmul.h) per output element, in f32. An
// f32 matmul's epilogue runs on each slab of each GEMM (Gemm.h).
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Matmul.h"
#include "kernels/cpu/Gemm.h"
#include "kernels/cpu/Kernels.h"
#include "kernels/cpu/ParallelFor.h"

#include <type_traits>

namespace kiln::cpu {
namespace {

template <typename T>
void runBlasMatmul(const MatmulParams &p, const TensorView &a,
                   const TensorView &b, const TensorView &out, T alpha, T beta,
                   const Epilogue *epilogue) {
  bool transA = p.transA, transB = p.transB;
  const T *aData = a.as<const T>();
  const T *bData = b.as<const T>();
  T *outData = out.as<T>();
  // BLAS wants leading dimensions of at least 1, even for empty matrices.
  int64_t lda = transA ? p.m : p.k;
  int64_t ldb = transB ? p.k : p.n;
  lda = lda < 1 ? 1 : lda;
  ldb = ldb < 1 ? 1 : ldb;
  // (rows, N) of out = op(a) op(b); only f32 GEMMs take an epilogue.
  auto run = [&](int64_t rows, const T *aRows, const T *bData, T *outRows) {
    if constexpr (std::is_same_v<T, float>)
      gemm(transA, transB, rows, p.n, p.k, alpha, aRows, lda, bData, ldb, beta,
           outRows, p.n, epilogue);
    else
      gemm(transA, transB, rows, p.n, p.k, alpha, aRows, lda, bData, ldb, beta,
           outRows, p.n);
  };
  if (!transA && p.isBroadcast(p.bBatchStrides) &&
      p.isUniform(p.aBatchStrides, p.m * p.k)) {
    run(p.batchCount * p.m, aData, bData, outData);
    return;
  }
  auto oneBatch = [&](int64_t batch) {
    run(p.m, aData + p.aOffset(batch), bData + p.bOffset(batch),
        outData + p.outOffset(batch));
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
              float alpha, float beta, bool transA, bool transB,
              const Epilogue *epilogue) {
  MatmulParams p;
  KILN_RETURN_IF_ERROR(makeMatmulParams(a, b, out, transA, transB, p));
  if (epilogue && a.dtype != DType::Float)
    return KILN_ERROR("matmul: an epilogue needs f32 operands");
  if (p.m == 0 || p.n == 0)
    return Status::success();
  switch (a.dtype) {
  case DType::Double:
    runBlasMatmul<double>(p, a, b, out, alpha, beta, nullptr);
    break;
  case DType::Float16:
    runHalfMatmul<half>(p, a, b, out, alpha, beta);
    break;
  case DType::BFloat16:
    runHalfMatmul<bfloat16>(p, a, b, out, alpha, beta);
    break;
  default:
    runBlasMatmul<float>(p, a, b, out, alpha, beta, epilogue);
    break;
  }
  return Status::success();
}

} // namespace kiln::cpu
