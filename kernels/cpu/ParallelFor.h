//===- ParallelFor.h - The CPU driver's parallel loop -----------*- C++ -*-===//
//
// parallelFor(n, f) calls f(i) for every i in [0, n), split into contiguous
// chunks over the runtime's worker threads (OpenMP inside kiln_runtime, so
// generated code needs no -fopenmp). The thread count is the calling
// thread's: a model's run sets its own with ScopedNumThreads, so two models
// (or two runs) in one process each keep theirs.
//
//   kiln::cpu::parallelFor(n, [&](int64_t i) { y[i] = x[i] + 1.0f; });
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_CPU_PARALLELFOR_H
#define KILN_KERNELS_CPU_PARALLELFOR_H

#include <stdint.h>

namespace kiln::cpu {

/// Sets the process-wide default number of worker threads for parallel
/// loops; <= 0 means one per core.
void setNumThreads(int32_t numThreads);
/// The worker threads of a loop started on this thread now: the innermost
/// ScopedNumThreads, else the default.
int32_t getNumThreads();

/// Sets this thread's worker count for its lifetime (<= 0: the default).
class ScopedNumThreads {
public:
  explicit ScopedNumThreads(int32_t numThreads);
  ~ScopedNumThreads();
  ScopedNumThreads(const ScopedNumThreads &) = delete;
  ScopedNumThreads &operator=(const ScopedNumThreads &) = delete;

private:
  int32_t saved;
};

/// A chunk [begin, end) of a parallel loop.
using RangeFn = void (*)(void *closure, int64_t begin, int64_t end);

/// Runs fn over [0, n) in chunks of at least `grain` iterations; the loop
/// runs serially when n <= grain.
void parallelForRanges(int64_t n, int64_t grain, RangeFn fn, void *closure);

/// Calls f(i) for each i in [0, n). `grain` is the least number of
/// iterations worth a thread: small for heavy bodies (a conv output row),
/// large for light ones (one addition).
template <typename F>
void parallelFor(int64_t n, const F &f, int64_t grain = 16384) {
  if (n <= 0)
    return;
  if (n <= grain) {
    for (int64_t i = 0; i < n; ++i)
      f(i);
    return;
  }
  parallelForRanges(
      n, grain,
      [](void *closure, int64_t begin, int64_t end) {
        const F &body = *static_cast<const F *>(closure);
        for (int64_t i = begin; i < end; ++i)
          body(i);
      },
      const_cast<void *>(static_cast<const void *>(&f)));
}

/// Calls f(begin, end) for contiguous chunks of [0, n), at least `grain`
/// iterations each: for loops whose body is a function of its own (a
/// KILN_CPU_CLONES row loop, Targets.h).
template <typename F>
void parallelForChunks(int64_t n, const F &f, int64_t grain) {
  if (n <= 0)
    return;
  parallelForRanges(
      n, grain,
      [](void *closure, int64_t begin, int64_t end) {
        (*static_cast<const F *>(closure))(begin, end);
      },
      const_cast<void *>(static_cast<const void *>(&f)));
}

} // namespace kiln::cpu

#endif // KILN_KERNELS_CPU_PARALLELFOR_H
