//===- Peaks.h - kiln-run --profile: this machine's measured peaks -*- C++ -*-===//

#ifndef KILN_TOOLS_KILN_RUN_PEAKS_H
#define KILN_TOOLS_KILN_RUN_PEAKS_H

#include <stdint.h>

namespace kiln::run {

/// What the kernel profile's percentages are of.
struct Peaks {
  int32_t threads = 1;
  /// The runtime's f32 GEMM (kernels/cpu/Gemm.h) on one worker, n^3 with
  /// n = gemmSize, best of a few; peakFlops = threads * gemmFlops.
  int64_t gemmSize = 0;
  double gemmFlops = 0, peakFlops = 0;
  /// Bytes read and written per second by memcpy of `copyBytes` split over
  /// `threads` workers, best of a few.
  int64_t copyBytes = 0;
  double peakBytes = 0;
};

/// Measures this machine's peaks for `threads` workers (about half a
/// second).
Peaks measurePeaks(int32_t threads);

} // namespace kiln::run

#endif // KILN_TOOLS_KILN_RUN_PEAKS_H
