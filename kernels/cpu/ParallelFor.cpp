//===- ParallelFor.cpp - The CPU driver's parallel loop ------------------===//
//
// Splits [0, n) into one contiguous chunk per worker (at least `grain`
// iterations each) and runs the chunks in an OpenMP parallel region.
//
//===----------------------------------------------------------------------===//

#include "kernels/cpu/ParallelFor.h"

#include <atomic>

#include <cblas.h>
#include <omp.h>

namespace kiln::cpu {

// 0 means one thread per core. OpenBLAS starts with its own default, so the
// first setNumThreads always reaches it.
static std::atomic<int32_t> numThreadsSetting{-1};

void setNumThreads(int32_t numThreads) {
  int32_t setting = numThreads > 0 ? numThreads : 0;
  if (numThreadsSetting.exchange(setting) != setting)
    openblas_set_num_threads(getNumThreads());
}

int32_t getNumThreads() {
  int32_t n = numThreadsSetting.load();
  return n > 0 ? n : omp_get_num_procs();
}

void parallelForRanges(int64_t n, int64_t grain, RangeFn fn, void *closure) {
  if (n <= 0)
    return;
  if (grain < 1)
    grain = 1;
  int64_t workers = getNumThreads();
  int64_t chunks = (n + grain - 1) / grain;
  if (chunks > workers)
    chunks = workers;
  // Nested loops (a kernel called inside a parallel region) run serially.
  if (chunks <= 1 || omp_in_parallel()) {
    fn(closure, 0, n);
    return;
  }
#pragma omp parallel for num_threads(static_cast <int>(chunks))                \
    schedule(static, 1)
  for (int64_t c = 0; c < chunks; ++c) {
    int64_t begin = n * c / chunks;
    int64_t end = n * (c + 1) / chunks;
    fn(closure, begin, end);
  }
}

} // namespace kiln::cpu
