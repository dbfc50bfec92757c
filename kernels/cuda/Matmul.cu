//===- Matmul.cu - Batched GEMM on CUDA via cuBLAS -----------------------===//
//
// cuBLAS is column-major: the row-major out (M, N) = a (M, K) b (K, N) is
// the column-major out^T (N, M) = b^T (N, K) a^T (K, M), so a and b swap
// places. Batches go to cublasGemmStridedBatchedEx when each operand's
// matrices are evenly spaced (or shared: stride 0), else one
// cublasGemmEx each. f32 and f64 compute in their own type, f16 and bf16
// in f32.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Matmul.h"
#include "kernels/cuda/CudaCheck.cuh"
#include "kernels/cuda/Kernels.h"

namespace kiln::cuda {
namespace {

/// How cuBLAS sees an element type: its data type and compute type, and
/// whether alpha and beta are then doubles.
struct GemmType {
  cudaDataType_t data;
  cublasComputeType_t compute;
  bool doubleScalars;
};

GemmType getGemmType(int32_t dtype) {
  switch (dtype) {
  case DType::Double:
    return {CUDA_R_64F, CUBLAS_COMPUTE_64F, true};
  case DType::Float16:
    return {CUDA_R_16F, CUBLAS_COMPUTE_32F, false};
  case DType::BFloat16:
    return {CUDA_R_16BF, CUBLAS_COMPUTE_32F, false};
  default:
    return {CUDA_R_32F, CUBLAS_COMPUTE_32F, false};
  }
}

} // namespace

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
  GemmType type = getGemmType(a.dtype);
  double alpha64 = alpha, beta64 = beta;
  const void *alphaPtr = type.doubleScalars
                             ? static_cast<const void *>(&alpha64)
                             : static_cast<const void *>(&alpha);
  const void *betaPtr = type.doubleScalars ? static_cast<const void *>(&beta64)
                                           : static_cast<const void *>(&beta);
  int64_t elementSize = a.elementSize();
  const char *aData = a.as<const char>();
  const char *bData = b.as<const char>();
  char *outData = out.as<char>();

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
    KILN_CUBLAS_RETURN_IF_ERROR(cublasGemmStridedBatchedEx(
        handle, opB, opA, n, m, k, alphaPtr, bData, type.data, ldb, strideB,
        aData, type.data, lda, strideA, betaPtr, outData, type.data, n,
        p.m * p.n, static_cast<int>(p.batchCount), type.compute,
        CUBLAS_GEMM_DEFAULT));
    return Status::success();
  }
  for (int64_t batch = 0; batch < p.batchCount; ++batch)
    KILN_CUBLAS_RETURN_IF_ERROR(
        cublasGemmEx(handle, opB, opA, n, m, k, alphaPtr,
                     bData + p.bOffset(batch) * elementSize, type.data, ldb,
                     aData + p.aOffset(batch) * elementSize, type.data, lda,
                     betaPtr, outData + p.outOffset(batch) * elementSize,
                     type.data, n, type.compute, CUBLAS_GEMM_DEFAULT));
  return Status::success();
}

} // namespace kiln::cuda
