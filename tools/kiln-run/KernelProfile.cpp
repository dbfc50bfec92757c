//===- KernelProfile.cpp - kiln-run --profile and --trace: kernels --------===//
//
//   kernels: 175 sites, 875 calls, 1019.606 ms
//   peaks (threads=1): 97.6 GFLOP/s (sgemm 1024^3 on one thread: ...), ...
//   kind      sites    calls   total_ms  share%   bytes_MB  GB/s  GFLOP/s ...
//   conv         53      265    690.293   67.70      905.2  1.31    59.21 ...
//   ...
//   top 10 sites:
//   site      kind     calls   total_ms  share%  ...  name
//   main#7    conv         5     30.466    2.99  ...  node_conv2d_2
//
// Shares are of the profiled time, the sum over sites, which covers each
// run from its first kernel to its end (runtime/ModelAbi.h: a call lasts
// from its mark to the next).
//
//===----------------------------------------------------------------------===//

#include "tools/kiln-run/KernelProfile.h"

#include "runtime/AtomicFile.h"
#include "tools/kiln-run/Profile.h"
#include "tools/support/EscapeForTerminal.h"

#include <nlohmann/json.hpp>

#include <stdarg.h>
#include <stdio.h>

#include <algorithm>
#include <map>
#include <vector>

namespace kiln::run {
namespace {

/// Calls, time, bytes and flops of a kind or a site.
struct Totals {
  int64_t sites = 0, calls = 0;
  double seconds = 0, bytes = 0, flops = 0;

  void add(const kiln_kernel_profile &row) {
    sites += 1;
    calls += row.calls;
    seconds += row.seconds;
    bytes += row.bytes;
    flops += row.flops;
  }
};

const char *const kColumns = "%8s %10s %7s %10s %9s %9s %8s %7s";

/// The columns every row shares: calls ... bw%pk.
std::string columns(const Totals &t, double totalSeconds, const Peaks *peaks) {
  double gbps = t.seconds > 0 ? t.bytes / t.seconds / 1e9 : 0;
  double gflops = t.seconds > 0 ? t.flops / t.seconds / 1e9 : 0;
  std::string flopShare = "-", bytesShare = "-";
  if (peaks && t.flops > 0)
    flopShare = format("%.1f", 100 * gflops * 1e9 / peaks->peakFlops);
  if (peaks && t.bytes > 0)
    bytesShare = format("%.1f", 100 * gbps * 1e9 / peaks->peakBytes);
  std::string flopRate = t.flops > 0 ? format("%.2f", gflops) : "-";
  return format("%8lld %10.3f %7.2f %10.1f %9.2f %9s %8s %7s",
                static_cast<long long>(t.calls), t.seconds * 1e3,
                totalSeconds > 0 ? 100 * t.seconds / totalSeconds : 0.0,
                t.bytes / 1e6, gbps, flopRate.c_str(), flopShare.c_str(),
                bytesShare.c_str());
}

std::string header() {
  return format(kColumns, "calls", "total_ms", "share%", "bytes_MB", "GB/s",
                "GFLOP/s", "flop%pk", "bw%pk");
}

} // namespace

std::string kernelProfileTable(kiln_model *model, const Peaks *peaks,
                               int topSites) {
  std::vector<kiln_kernel_profile> rows(
      kiln_model_kernel_profile(model, nullptr, 0));
  rows.resize(kiln_model_kernel_profile(model, rows.data(),
                                        static_cast<int32_t>(rows.size())));
  Totals all;
  std::map<std::string, Totals> kinds;
  for (const kiln_kernel_profile &row : rows) {
    all.add(row);
    kinds[row.kind].add(row);
  }
  std::string text = format("kernels: %lld sites, %lld calls, %.3f ms\n",
                            static_cast<long long>(all.sites),
                            static_cast<long long>(all.calls),
                            all.seconds * 1e3);
  if (peaks)
    text += format("peaks (threads=%d): %.1f GFLOP/s (sgemm %lld^3 on one "
                   "thread: %.1f, x %d), %.1f GB/s (memcpy of %lld MiB)\n",
                   peaks->threads, peaks->peakFlops / 1e9,
                   static_cast<long long>(peaks->gemmSize),
                   peaks->gemmFlops / 1e9, peaks->threads,
                   peaks->peakBytes / 1e9,
                   static_cast<long long>(peaks->copyBytes >> 20));
  else
    text += "peaks: not measured (the model runs on a GPU)\n";
  if (rows.empty())
    return text + "  no kernel calls\n";

  // Kinds by time, most first.
  std::vector<std::pair<std::string, Totals>> byKind(kinds.begin(),
                                                     kinds.end());
  std::stable_sort(byKind.begin(), byKind.end(), [](auto &a, auto &b) {
    return a.second.seconds > b.second.seconds;
  });
  text += format("%-20s %6s ", "kind", "sites") + header() + "\n";
  for (const auto &[kind, totals] : byKind)
    text += format("%-20s %6lld ", escapeForTerminal(kind).c_str(),
                   static_cast<long long>(totals.sites)) +
            columns(totals, all.seconds, peaks) + "\n";

  std::vector<const kiln_kernel_profile *> bySite;
  for (const kiln_kernel_profile &row : rows)
    bySite.push_back(&row);
  std::stable_sort(bySite.begin(), bySite.end(), [](auto *a, auto *b) {
    return a->seconds > b->seconds;
  });
  if (static_cast<int>(bySite.size()) > topSites)
    bySite.resize(topSites);
  text += format("top %zu sites:\n", bySite.size());
  text += format("%-12s %-20s ", "site", "kind") + header() + " name\n";
  for (const kiln_kernel_profile *row : bySite) {
    Totals totals;
    totals.add(*row);
    std::string site = escapeForTerminal(row->entry) + "#" +
                       std::to_string(row->site);
    text += format("%-12s %-20s ", site.c_str(),
                   escapeForTerminal(row->kind).c_str()) +
            columns(totals, all.seconds, peaks) + " " +
            escapeForTerminal(row->name) + "\n";
  }
  return text;
}

std::string writeKernelTrace(kiln_model *model, const std::string &path,
                             int32_t rank) {
  std::vector<kiln_kernel_event> events(
      kiln_model_kernel_events(model, nullptr, 0));
  events.resize(kiln_model_kernel_events(model, events.data(),
                                         static_cast<int32_t>(events.size())));
  int64_t origin = events.empty() ? 0 : events.front().start_ns;
  nlohmann::json list = nlohmann::json::array();
  for (const kiln_kernel_event &event : events)
    list.push_back({{"name", event.name[0] ? event.name : event.kind},
                    {"cat", event.kind},
                    {"ph", "X"},
                    {"ts", (event.start_ns - origin) / 1e3},
                    {"dur", (event.end_ns - event.start_ns) / 1e3},
                    {"pid", rank},
                    {"tid", 0},
                    {"args",
                     {{"entry", event.entry},
                      {"site", event.site},
                      {"bytes", event.bytes},
                      {"flops", event.flops}}}});
  nlohmann::json trace = {{"traceEvents", std::move(list)},
                          {"displayTimeUnit", "ms"},
                          {"otherData", {{"producer", "kiln-run --trace"}}}};
  // A name from the model that is not UTF-8 is written with U+FFFD.
  std::string text =
      trace.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) +
      "\n";
  return writeFileAtomically(path, {{text.data(), text.size()}});
}

} // namespace kiln::run
