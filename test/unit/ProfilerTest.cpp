//===- ProfilerTest.cpp - Per-kernel times of a model's runs --------------===//
//
// The marks of a run become calls (each from its mark to the next), and the
// Profiler sums them per site and keeps the calls of the last run.
//
//===----------------------------------------------------------------------===//

#include "runtime/Profiler.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

const kiln_kernel_site kSites[] = {{"matmul", "proj"}, {"elementwise", ""}};
const kiln_entry_desc kEntry = {"main", 0, nullptr, 0, nullptr, nullptr,
                                nullptr, 2, kSites};

/// A run of the two sites starting at `start`: matmul for 50 ns, then the
/// elementwise kernel for 25.
void markRun(RunProfile &run, int64_t start) {
  run.markAt(0, 100, 1000, start);
  run.markAt(1, 8, 0, start + 50);
  run.markAt(-1, 0, 0, start + 75);
}

TEST(Profiler, MarksBecomeCalls) {
  RunProfile run(&kEntry);
  markRun(run, 1000);
  ASSERT_EQ(run.events().size(), 2u);
  const KernelEvent &first = run.events()[0];
  EXPECT_EQ(first.site, 0);
  EXPECT_EQ(first.startNs, 1000);
  EXPECT_EQ(first.endNs, 1050);
  EXPECT_EQ(first.bytes, 100);
  EXPECT_EQ(first.flops, 1000);
  EXPECT_EQ(run.events()[1].startNs, 1050);
  EXPECT_EQ(run.events()[1].endNs, 1075);
}

// A site outside the entry's table ends the open call and opens none.
TEST(Profiler, UnknownSiteOnlyEnds) {
  RunProfile run(&kEntry);
  run.markAt(0, 1, 1, 0);
  run.markAt(7, 1, 1, 10);
  run.markAt(-1, 0, 0, 20);
  ASSERT_EQ(run.events().size(), 1u);
  EXPECT_EQ(run.events()[0].endNs, 10);
}

// The hook generated code calls records with the steady clock.
TEST(Profiler, HookTakesTheClock) {
  RunProfile run(&kEntry);
  kiln_profiler *hook = &run;
  int64_t before = steadyNowNs();
  hook->mark(hook, 1, 4, 0);
  hook->mark(hook, -1, 0, 0);
  ASSERT_EQ(run.events().size(), 1u);
  EXPECT_GE(run.events()[0].startNs, before);
  EXPECT_GE(run.events()[0].endNs, run.events()[0].startNs);
}

TEST(Profiler, SumsRunsAndKeepsTheLast) {
  Profiler profiler;
  RunProfile first(&kEntry), second(&kEntry);
  markRun(first, 0);
  markRun(second, 500);
  profiler.startRun();
  profiler.addRun(first);
  profiler.startRun();
  profiler.addRun(second);

  auto totals = profiler.totals();
  ASSERT_EQ(totals.size(), 2u);
  EXPECT_EQ(totals[0].first.second, 0);
  EXPECT_EQ(totals[0].second.calls, 2);
  EXPECT_EQ(totals[0].second.nanoseconds, 100);
  EXPECT_EQ(totals[0].second.bytes, 200);
  EXPECT_EQ(totals[0].second.flops, 2000);
  EXPECT_EQ(totals[1].second.nanoseconds, 50);

  std::vector<KernelEvent> last = profiler.lastRun();
  ASSERT_EQ(last.size(), 2u);
  EXPECT_EQ(last[0].startNs, 500);

  profiler.reset();
  EXPECT_TRUE(profiler.totals().empty());
  EXPECT_TRUE(profiler.lastRun().empty());
}

// The stage runs of one pipeline run (no startRun between) are all the
// last run.
TEST(Profiler, StagesOfOneRunAddUp) {
  Profiler profiler;
  RunProfile stage0(&kEntry), stage1(&kEntry);
  markRun(stage0, 0);
  markRun(stage1, 100);
  profiler.startRun();
  profiler.addRun(stage0);
  profiler.addRun(stage1);
  EXPECT_EQ(profiler.lastRun().size(), 4u);
}

} // namespace
} // namespace kiln
