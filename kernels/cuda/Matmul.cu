//===- Matmul.cu - Batched GEMM on CUDA via cuBLAS -----------------------===//
//
// cuBLAS is column-major: the row-major out (M, N) = a (M, K) b (K, N) is
// the column-major out^T (N, M) = b^T (N, K) a^T (K, M), so a and b swap
// places. Batches go to cublasSgemmStridedBatched when each operand's
// matrices are evenly spaced (or shared: stride 0), else one call each.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Matmul.h"
#include "kernels/cuda/CudaCheck.cuh"
#include "kernels/cuda/Kernels.h"

namespace kiln::cuda {

Status matmul(const Context &ctx, const TensorView &a, const TensorView &b,
              const TensorView &out, float alpha, float beta, bool transA,
              bool transB) {
  MatmulParams p;
  KILN_RETURN_IF_ERROR(makeMatmulParams(a, b, out, transA, transB, p));
  if (!ctx.blas)
    return KILN_ERROR("matmul: no cuBLAS handle in the context");
  if (p.m == 0 || p.n == 0)
    return Status::success();
  if (p.m > INT32_MAX || p.n > INT32_MAX || p.k > INT32_MAX ||
      p.batchCount > INT32_MAX)
    return KILN_ERROR("matmul: sizes exceed cuBLAS's 32-bit limits");
  cublasHandle_t handle = ctx.blas;
  KILN_CUBLAS_RETURN_IF_ERROR(cublasSetStream(handle, ctx.stream));
  int m = static_cast<int>(p.m), n = static_cast<int>(p.n),
      k = static_cast<int>(p.k);
  cublasOperation_t opA = transA ? CUBLAS_OP_T : CUBLAS_OP_N;
  cublasOperation_t opB = transB ? CUBLAS_OP_T : CUBLAS_OP_N;
  int lda = transA ? m : k, ldb = transB ? k : n;
  lda = lda < 1 ? 1 : lda;
  ldb = ldb < 1 ? 1 : ldb;
  const float *aData = a.as<const float>();
  const float *bData = b.as<const float>();
  float *outData = out.as<float>();

  auto batchStride = [&](const int64_t *strides, int64_t matrix,
                         long long &stride) {
    if (p.isBroadcast(strides)) {
      stride = 0;
      return true;
    }
    stride = matrix;
    return p.isUniform(strides, matrix);
  };
  long long strideA, strideB;
  if (batchStride(p.aBatchStrides, p.m * p.k, strideA) &&
      batchStride(p.bBatchStrides, p.k * p.n, strideB)) {
    KILN_CUBLAS_RETURN_IF_ERROR(cublasSgemmStridedBatched(
        handle, opB, opA, n, m, k, &alpha, bData, ldb, strideB, aData, lda,
        strideA, &beta, outData, n, p.m * p.n, static_cast<int>(p.batchCount)));
    return Status::success();
  }
  for (int64_t batch = 0; batch < p.batchCount; ++batch)
    KILN_CUBLAS_RETURN_IF_ERROR(cublasSgemm(
        handle, opB, opA, n, m, k, &alpha, bData + p.bOffset(batch), ldb,
        aData + p.aOffset(batch), lda, &beta, outData + p.outOffset(batch), n));
  return Status::success();
}

} // namespace kiln::cuda
