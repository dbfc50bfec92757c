//===- SupportTest.cpp - Status, broadcast index maps, parallelFor --------===//

#include "kernels/common/Broadcast.h"
#include "kernels/cpu/ParallelFor.h"
#include "test/unit/TestUtil.h"

#include <atomic>
#include <cstring>

namespace kiln::test {
namespace {

TEST(Status, OkAndErrorsCopyAndMove) {
  Status ok = Status::success();
  EXPECT_TRUE(ok.ok());
  EXPECT_STREQ(ok.message(), "");
  Status error = Status::error("bad %s at %d\nsecond line", "thing", 7);
  EXPECT_FALSE(error.ok());
  // A message is one line.
  EXPECT_STREQ(error.message(), "bad thing at 7 second line");
  Status copy = error;
  EXPECT_STREQ(copy.message(), error.message());
  Status moved = std::move(copy);
  EXPECT_STREQ(moved.message(), "bad thing at 7 second line");
  char small[8];
  moved.copyTo(small, sizeof(small));
  EXPECT_STREQ(small, "bad thi");
}

TEST(Status, ErrorMacroNamesFileAndLine) {
  Status status = KILN_ERROR("launch failed: %d", 3);
  std::string message = status.message();
  EXPECT_NE(message.find("SupportTest.cpp:"), std::string::npos) << message;
  EXPECT_NE(message.find(": launch failed: 3"), std::string::npos) << message;
}

TEST(Broadcast, StridesAndOffsets) {
  // (3, 1) broadcast to (2, 3, 4): leading dim missing, last dim size 1.
  int64_t inShape[] = {3, 1}, outShape[] = {2, 3, 4}, strides[3];
  broadcastStrides(inShape, 2, 3, strides);
  EXPECT_EQ(strides[0], 0);
  EXPECT_EQ(strides[1], 1);
  EXPECT_EQ(strides[2], 0);
  for (int64_t i = 0; i < 24; ++i) {
    int64_t row = (i / 4) % 3;
    EXPECT_EQ(broadcastOffset(i, 3, outShape, strides), row) << i;
  }
  int64_t contiguous[3];
  contiguousStrides(outShape, 3, contiguous);
  EXPECT_EQ(contiguous[0], 12);
  EXPECT_EQ(contiguous[1], 4);
  EXPECT_EQ(contiguous[2], 1);
  EXPECT_EQ(broadcastOffset(17, 3, outShape, contiguous), 17);
}

TEST(ParallelFor, VisitsEveryIndexOnceForAnyThreadCount) {
  for (int32_t threads : {1, 2, 3, 8}) {
    cpu::setNumThreads(threads);
    EXPECT_EQ(cpu::getNumThreads(), threads);
    for (int64_t n : {0, 1, 7, 1000, 100003}) {
      std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
      cpu::parallelFor(
          n, [&](int64_t i) { hits[i].fetch_add(1); }, /*grain=*/64);
      for (int64_t i = 0; i < n; ++i)
        ASSERT_EQ(hits[i].load(), 1) << "n " << n << " threads " << threads;
    }
  }
  cpu::setNumThreads(0);
  EXPECT_GE(cpu::getNumThreads(), 1);
}

TEST(ParallelFor, NestedLoopsRunInline) {
  cpu::setNumThreads(4);
  std::vector<std::atomic<int>> hits(64 * 64);
  cpu::parallelFor(
      64,
      [&](int64_t i) {
        cpu::parallelFor(
            64, [&](int64_t j) { hits[i * 64 + j].fetch_add(1); },
            /*grain=*/1);
      },
      /*grain=*/1);
  for (std::atomic<int> &hit : hits)
    ASSERT_EQ(hit.load(), 1);
  cpu::setNumThreads(0);
}

} // namespace
} // namespace kiln::test
