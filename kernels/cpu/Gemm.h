//===- Gemm.h - f32 and f64 GEMM on Kiln's workers --------------*- C++ -*-===//
//
//   C (m, n) = alpha * op(A) op(B) + beta * C, row-major
//
// The GEMM of the CPU kernels (matmul, conv): oneDNN's or OpenBLAS's, run
// on the calling run's worker threads (see Gemm.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_CPU_GEMM_H
#define KILN_KERNELS_CPU_GEMM_H

#include "kernels/cpu/Epilogue.h"

#include <stdint.h>

namespace kiln::cpu {

/// The library that runs f32 GEMMs: KILN_GEMM=openblas or onednn (the
/// default), read once per process.
enum class GemmBackend { OneDnn, OpenBlas };
GemmBackend getGemmBackend();

/// With an epilogue, each slab of C runs it right after its GEMM.
void gemm(bool transA, bool transB, int64_t m, int64_t n, int64_t k,
          float alpha, const float *a, int64_t lda, const float *b, int64_t ldb,
          float beta, float *c, int64_t ldc,
          const Epilogue *epilogue = nullptr);
void gemm(bool transA, bool transB, int64_t m, int64_t n, int64_t k,
          double alpha, const double *a, int64_t lda, const double *b,
          int64_t ldb, double beta, double *c, int64_t ldc);

} // namespace kiln::cpu

#endif // KILN_KERNELS_CPU_GEMM_H
