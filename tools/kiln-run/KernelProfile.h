//===- KernelProfile.h - kiln-run --profile and --trace: kernels -*- C++ -*-===//

#ifndef KILN_TOOLS_KILN_RUN_KERNELPROFILE_H
#define KILN_TOOLS_KILN_RUN_KERNELPROFILE_H

#include "runtime/kiln.h"
#include "tools/kiln-run/Peaks.h"

#include <string>

namespace kiln::run {

/// This rank's kernel profile (kiln_model_kernel_profile) as two tables:
/// one row per kernel kind, then the `topSites` sites of most time; each
/// with calls, time, share of the profiled time, bytes moved, GB/s,
/// GFLOP/s and their percentages of `peaks` (none when null).
std::string kernelProfileTable(kiln_model *model, const Peaks *peaks,
                               int topSites = 10);

/// The calls of the last profiled run (kiln_model_kernel_events) as Chrome
/// trace-event JSON ("X" events; ts and dur in microseconds from the first
/// call; pid `rank`). The file is written whole or not at all: into a
/// temporary file beside `path`, then renamed over it. Returns "" or the
/// error.
std::string writeKernelTrace(kiln_model *model, const std::string &path,
                             int32_t rank);

} // namespace kiln::run

#endif // KILN_TOOLS_KILN_RUN_KERNELPROFILE_H
