//===- Peaks.cpp - kiln-run --profile: this machine's measured peaks ------===//
//
// A GEMM peak times the runtime's own GEMM on one worker: OpenBLAS on one
// thread, as each of Kiln's workers runs it, times the worker count (the
// kernel profile's parallel kernels run on that many). The bandwidth peak
// times memcpy on every worker at once, each a slice of one large buffer:
// bytes read plus bytes written over the time.
//
//===----------------------------------------------------------------------===//

#include "tools/kiln-run/Peaks.h"

#include "kernels/cpu/Gemm.h"
#include "kernels/cpu/ParallelFor.h"

#include <string.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace kiln::run {
namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                       start)
      .count();
}

/// The least time of `repeats` calls of `f`, after one to warm up.
template <typename F> double bestTime(int repeats, const F &f) {
  f();
  double best = 1e30;
  for (int i = 0; i < repeats; ++i) {
    auto start = std::chrono::steady_clock::now();
    f();
    best = std::min(best, secondsSince(start));
  }
  return best;
}

} // namespace

Peaks measurePeaks(int32_t threads) {
  Peaks peaks;
  peaks.threads = std::max(threads, 1);

  constexpr int64_t n = 1024;
  peaks.gemmSize = n;
  std::vector<float> a(n * n, 1.0f), b(n * n, 0.5f), c(n * n, 0.0f);
  double gemmSeconds = bestTime(3, [&] {
    kiln::cpu::ScopedNumThreads one(1);
    kiln::cpu::gemm(false, false, n, n, n, 1.0f, a.data(), n, b.data(), n,
                    0.0f, c.data(), n);
  });
  peaks.gemmFlops = 2.0 * n * n * n / gemmSeconds;
  peaks.peakFlops = peaks.gemmFlops * peaks.threads;

  constexpr int64_t bytes = int64_t(128) << 20;
  peaks.copyBytes = bytes;
  std::vector<char> from(bytes, 1), to(bytes, 0);
  struct Copy {
    char *to;
    const char *from;
    int64_t slice;
  } copy{to.data(), from.data(), bytes / peaks.threads};
  double copySeconds = bestTime(5, [&] {
    kiln::cpu::ScopedNumThreads workers(peaks.threads);
    kiln::cpu::parallelForRanges(
        peaks.threads, 1,
        [](void *closure, int64_t begin, int64_t end) {
          auto *copy = static_cast<Copy *>(closure);
          memcpy(copy->to + begin * copy->slice,
                 copy->from + begin * copy->slice,
                 static_cast<size_t>((end - begin) * copy->slice));
        },
        &copy);
  });
  peaks.peakBytes = 2.0 * copy.slice * peaks.threads / copySeconds;
  return peaks;
}

} // namespace kiln::run
