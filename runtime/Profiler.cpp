//===- Profiler.cpp - Per-kernel times of a model's runs ------------------===//

#include "runtime/Profiler.h"

#include <chrono>

namespace kiln {

int64_t steadyNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

namespace {

void markNow(kiln_profiler *self, int32_t site, double bytes, double flops) {
  static_cast<RunProfile *>(self)->markAt(site, bytes, flops, steadyNowNs());
}

} // namespace

RunProfile::RunProfile(const kiln_entry_desc *entry) : entry(entry) {
  mark = markNow;
  calls.reserve(entry->num_sites > 0 ? entry->num_sites : 0);
}

void RunProfile::markAt(int32_t site, double bytes, double flops,
                        int64_t nowNs) {
  if (isOpen) {
    open.endNs = nowNs;
    calls.push_back(open);
  }
  isOpen = site >= 0 && site < entry->num_sites;
  if (isOpen)
    open = KernelEvent{entry, site, nowNs, nowNs, bytes, flops};
}

void Profiler::startRun() {
  std::lock_guard<std::mutex> lock(mutex);
  freshRun = true;
}

void Profiler::addRun(const RunProfile &run) {
  std::lock_guard<std::mutex> lock(mutex);
  if (freshRun)
    lastCalls.clear();
  freshRun = false;
  for (const KernelEvent &call : run.events()) {
    SiteTotals &total = sites[{call.entry, call.site}];
    total.calls += 1;
    total.nanoseconds += call.endNs - call.startNs;
    total.bytes += call.bytes;
    total.flops += call.flops;
    lastCalls.push_back(call);
  }
}

void Profiler::reset() {
  std::lock_guard<std::mutex> lock(mutex);
  sites.clear();
  lastCalls.clear();
  freshRun = true;
}

std::vector<std::pair<Profiler::SiteKey, SiteTotals>>
Profiler::totals() const {
  std::lock_guard<std::mutex> lock(mutex);
  return {sites.begin(), sites.end()};
}

std::vector<KernelEvent> Profiler::lastRun() const {
  std::lock_guard<std::mutex> lock(mutex);
  return lastCalls;
}

} // namespace kiln
