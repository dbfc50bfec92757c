//===- Gemm.cpp - f32 and f64 GEMM on Kiln's workers ---------------------===//
//
// A GEMM is split into slabs of rows of C (or of columns, when N is the
// longer side) over Kiln's own workers, and the BLAS runs single-threaded
// in each: the thread count is then the run's (per model, ParallelFor.h),
// not the library's process-wide one, and two models running at once do not
// share a BLAS thread pool.
//
// f32 slabs run on oneDNN's JIT sgemm by default, OpenBLAS's when
// KILN_GEMM=openblas; f64 always on OpenBLAS. The default is a measured
// choice (bench/gemm, bench/results/gemm.md): on AVX-512 oneDNN runs the
// transformer and conv GEMM shapes at 1.1 to 3.7 times OpenBLAS's speed.
//
// An f32 GEMM's epilogue (Epilogue.h) runs on each slab as soon as the
// slab's GEMM returns, on the same worker, while the slab is in cache.
//
//===----------------------------------------------------------------------===//

#include "kernels/cpu/Gemm.h"

#include "kernels/cpu/ParallelFor.h"

#include <cblas.h>
#include <oneapi/dnnl/dnnl.h>
#include <omp.h>

#include <mutex>
#include <stdlib.h>
#include <string.h>

namespace kiln::cpu {
namespace {

/// Rows (or columns) per unit of work: a multiple of OpenBLAS's kernel
/// tiles.
constexpr int64_t kSlab = 16;
/// Below this many multiply-adds a GEMM is not worth splitting.
constexpr double kMinSplitWork = 1 << 18;

/// Reads KILN_GEMM once: "openblas" or "onednn" (the default).
GemmBackend backendFromEnvironment() {
  const char *name = getenv("KILN_GEMM");
  if (name && strcmp(name, "openblas") == 0)
    return GemmBackend::OpenBlas;
  return GemmBackend::OneDnn;
}

/// oneDNN's sgemm on the calling thread alone: inside a parallel region it
/// runs on one thread, outside one on omp_get_max_threads() of them.
bool oneDnnGemm(CBLAS_TRANSPOSE opA, CBLAS_TRANSPOSE opB, int64_t m, int64_t n,
                int64_t k, float alpha, const float *a, int64_t lda,
                const float *b, int64_t ldb, float beta, float *c,
                int64_t ldc) {
  char transA = opA == CblasTrans ? 'T' : 'N';
  char transB = opB == CblasTrans ? 'T' : 'N';
  if (omp_in_parallel())
    return dnnl_sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c,
                      ldc) == dnnl_success;
  int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  dnnl_status_t status = dnnl_sgemm(transA, transB, m, n, k, alpha, a, lda, b,
                                    ldb, beta, c, ldc);
  omp_set_num_threads(saved);
  return status == dnnl_success;
}

void blasGemm(CBLAS_TRANSPOSE opA, CBLAS_TRANSPOSE opB, int64_t m, int64_t n,
              int64_t k, float alpha, const float *a, int64_t lda,
              const float *b, int64_t ldb, float beta, float *c, int64_t ldc) {
  // OpenBLAS when chosen, or when oneDNN refuses the call (it checks only
  // the arguments, which Kiln's callers have already checked).
  if (getGemmBackend() == GemmBackend::OneDnn &&
      oneDnnGemm(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc))
    return;
  cblas_sgemm(CblasRowMajor, opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c,
              ldc);
}

void blasGemm(CBLAS_TRANSPOSE opA, CBLAS_TRANSPOSE opB, int64_t m, int64_t n,
              int64_t k, double alpha, const double *a, int64_t lda,
              const double *b, int64_t ldb, double beta, double *c,
              int64_t ldc) {
  cblas_dgemm(CblasRowMajor, opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c,
              ldc);
}

/// Runs `epilogue` on the (rows, cols) block of C at c.
void runEpilogue(const Epilogue *epilogue, float *c, int64_t rows, int64_t cols,
                 int64_t ldc) {
  if (!epilogue || rows == 0 || cols == 0)
    return;
  if (cols == ldc) {
    (*epilogue)(c, rows * cols);
    return;
  }
  for (int64_t r = 0; r < rows; ++r)
    (*epilogue)(c + r * ldc, cols);
}

/// f64 GEMMs take no epilogue.
void runEpilogue(const Epilogue *, double *, int64_t, int64_t, int64_t) {}

/// OpenBLAS runs on one thread in each of Kiln's workers.
void useOneBlasThread() {
  static std::once_flag singleThreaded;
  std::call_once(singleThreaded, [] { openblas_set_num_threads(1); });
}

template <typename T>
void gemmOnWorkers(bool transA, bool transB, int64_t m, int64_t n, int64_t k,
                   T alpha, const T *a, int64_t lda, const T *b, int64_t ldb,
                   T beta, T *c, int64_t ldc, const Epilogue *epilogue) {
  useOneBlasThread();
  CBLAS_TRANSPOSE opA = transA ? CblasTrans : CblasNoTrans;
  CBLAS_TRANSPOSE opB = transB ? CblasTrans : CblasNoTrans;
  bool splitRows = m >= n;
  int64_t length = splitRows ? m : n;
  // In double: m * n * k of valid tensors may still pass int64.
  double work = static_cast<double>(m) * n * (k > 0 ? k : 1);
  if (work < kMinSplitWork || length <= kSlab) {
    blasGemm(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    runEpilogue(epilogue, c, m, n, ldc);
    return;
  }
  int64_t slabs = (length + kSlab - 1) / kSlab;
  auto body = [&](int64_t first, int64_t last) {
    int64_t begin = first * kSlab;
    int64_t end = last * kSlab < length ? last * kSlab : length;
    if (splitRows) {
      // Rows [begin, end) of C read rows of op(A): A's rows, or its columns.
      const T *aSlab = transA ? a + begin : a + begin * lda;
      blasGemm(opA, opB, end - begin, n, k, alpha, aSlab, lda, b, ldb, beta,
               c + begin * ldc, ldc);
      runEpilogue(epilogue, c + begin * ldc, end - begin, n, ldc);
    } else {
      // Columns [begin, end) of C read columns of op(B).
      const T *bSlab = transB ? b + begin * ldb : b + begin;
      blasGemm(opA, opB, m, end - begin, k, alpha, a, lda, bSlab, ldb, beta,
               c + begin, ldc);
      runEpilogue(epilogue, c + begin, m, end - begin, ldc);
    }
  };
  parallelForRanges(
      slabs, 1,
      [](void *closure, int64_t first, int64_t last) {
        (*static_cast<decltype(body) *>(closure))(first, last);
      },
      &body);
}

} // namespace

GemmBackend getGemmBackend() {
  static const GemmBackend backend = backendFromEnvironment();
  return backend;
}

void gemm(bool transA, bool transB, int64_t m, int64_t n, int64_t k,
          float alpha, const float *a, int64_t lda, const float *b, int64_t ldb,
          float beta, float *c, int64_t ldc, const Epilogue *epilogue) {
  gemmOnWorkers(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc,
                epilogue);
}

void gemm(bool transA, bool transB, int64_t m, int64_t n, int64_t k,
          double alpha, const double *a, int64_t lda, const double *b,
          int64_t ldb, double beta, double *c, int64_t ldc) {
  gemmOnWorkers(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc,
                nullptr);
}

} // namespace kiln::cpu
