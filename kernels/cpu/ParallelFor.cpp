//===- ParallelFor.cpp - The CPU driver's parallel loop ------------------===//
//
// Splits [0, n) into one contiguous chunk per worker (at least `grain`
// iterations each) and runs the chunks in an OpenMP parallel region. The
// worker count is per calling thread, so concurrent runs of models with
// different counts do not change each other's.
//
//===----------------------------------------------------------------------===//

#include "kernels/cpu/ParallelFor.h"

#include <atomic>

#include <omp.h>

namespace kiln::cpu {

// 0 means one thread per core.
static std::atomic<int32_t> defaultNumThreads{0};
// The count of the run on this thread; 0 when none is set.
static thread_local int32_t scopedNumThreads = 0;

void setNumThreads(int32_t numThreads) {
  defaultNumThreads.store(numThreads > 0 ? numThreads : 0);
}

int32_t getNumThreads() {
  int32_t n = scopedNumThreads > 0 ? scopedNumThreads : defaultNumThreads.load();
  return n > 0 ? n : omp_get_num_procs();
}

ScopedNumThreads::ScopedNumThreads(int32_t numThreads)
    : saved(scopedNumThreads) {
  scopedNumThreads = numThreads > 0 ? numThreads : 0;
}

ScopedNumThreads::~ScopedNumThreads() { scopedNumThreads = saved; }

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
