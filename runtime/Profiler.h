//===- Profiler.h - Per-kernel times of a model's runs ----------*- C++ -*-===//
//
// When a model's kernel profile is on, each run gets a RunProfile, the
// kiln_profiler (runtime/ModelAbi.h) its generated code marks before every
// kernel site. A site's call lasts from its mark to the next; the marks of
// one run stay in that run's RunProfile, with no lock, and a run that
// succeeds hands them to the model's Profiler, which sums them per site
// and keeps the calls of the last run for a trace (docs/profiling.md).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_PROFILER_H
#define KILN_RUNTIME_PROFILER_H

#include "runtime/ModelAbi.h"

#include <stdint.h>

#include <atomic>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

namespace kiln {

/// The monotonic clock of profiles, in nanoseconds.
int64_t steadyNowNs();

/// One call of a kernel site.
struct KernelEvent {
  const kiln_entry_desc *entry;
  int32_t site;
  int64_t startNs, endNs;
  double bytes, flops;
};

/// The marks of one run of one entry.
class RunProfile : public kiln_profiler {
public:
  explicit RunProfile(const kiln_entry_desc *entry);
  RunProfile(const RunProfile &) = delete;
  RunProfile &operator=(const RunProfile &) = delete;

  /// Ends the open call (if any) at `nowNs` and opens one of `site` (none
  /// for a site outside the entry's table, such as -1).
  void markAt(int32_t site, double bytes, double flops, int64_t nowNs);
  const std::vector<KernelEvent> &events() const { return calls; }

private:
  const kiln_entry_desc *entry;
  KernelEvent open;
  bool isOpen = false;
  std::vector<KernelEvent> calls;
};

/// What the calls of one site add up to.
struct SiteTotals {
  int64_t calls = 0;
  int64_t nanoseconds = 0;
  double bytes = 0, flops = 0;
};

/// The kernel profile of one model: totals per (entry, site) over the runs
/// since the last reset, and the calls of the last run.
class Profiler {
public:
  void setEnabled(bool on) { enabled = on; }
  bool isEnabled() const { return enabled; }

  /// A new top-level run starts: the next run added replaces the calls of
  /// the last one. (A pipeline-parallel run adds one run per stage and
  /// micro-batch.)
  void startRun();
  /// Adds the calls of a run that succeeded.
  void addRun(const RunProfile &run);
  void reset();

  using SiteKey = std::pair<const kiln_entry_desc *, int32_t>;
  /// Totals per site, ordered by entry and site.
  std::vector<std::pair<SiteKey, SiteTotals>> totals() const;
  /// The calls of the last run, in order.
  std::vector<KernelEvent> lastRun() const;

private:
  std::atomic<bool> enabled{false};
  mutable std::mutex mutex;
  std::map<SiteKey, SiteTotals> sites;
  std::vector<KernelEvent> lastCalls;
  bool freshRun = true;
};

} // namespace kiln

#endif // KILN_RUNTIME_PROFILER_H
