//===- ShardingTest.cpp - The digit arithmetic of partitioning -------------===//
//
// A digit (passes/partition/Sharding.h) is one split factor of one dim; it
// must follow reshapes exactly where a rank's block of the flat index is
// still one block of one result dim, and nowhere else.
//
//===----------------------------------------------------------------------===//

#include "passes/partition/Sharding.h"

#include <gtest/gtest.h>

namespace kiln::partition {
namespace {

using dist::Axis;

TEST(Sharding, ColumnsOfAHiddenDimBecomeHeads) {
  // [2, 16, 768] split by columns -> [2, 16, 12, 64]: the 12 heads.
  Digit columns{Axis::tp, 2, 1, 768};
  std::optional<Digit> heads =
      mapThroughReshape(columns, {2, 16, 768}, {2, 16, 12, 64}, 2);
  ASSERT_TRUE(heads);
  EXPECT_EQ(heads->dim, 2);
  EXPECT_EQ(heads->inner, 1);
  EXPECT_EQ(heads->factor, 12);
  // 8 ranks cannot share 12 heads; the unchecked map says how many.
  EXPECT_FALSE(mapThroughReshape(columns, {2, 16, 768}, {2, 16, 12, 64}, 8));
  std::optional<Digit> unchecked =
      mapThroughReshape(columns, {2, 16, 768}, {2, 16, 12, 64});
  ASSERT_TRUE(unchecked);
  EXPECT_EQ(unchecked->factor, 12);
}

TEST(Sharding, HeadsMergedWithTheBatchStayAnInnerFactor) {
  // [2, 12, 16, 64] split on heads -> [24, 16, 64] and back.
  Digit heads{Axis::tp, 1, 1, 12};
  std::optional<Digit> merged =
      mapThroughReshape(heads, {2, 12, 16, 64}, {24, 16, 64}, 2);
  ASSERT_TRUE(merged);
  EXPECT_EQ(merged->dim, 0);
  EXPECT_EQ(merged->inner, 1);
  EXPECT_EQ(merged->factor, 12);
  std::optional<Digit> back =
      mapThroughReshape(*merged, {24, 16, 64}, {2, 12, 16, 64}, 2);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, heads);
  // The batch digit of the merged dim sits outside the heads.
  Digit batch{Axis::dp, 0, 1, 2};
  std::optional<Digit> outer =
      mapThroughReshape(batch, {2, 12, 16, 64}, {24, 16, 64}, 2);
  ASSERT_TRUE(outer);
  EXPECT_EQ(outer->inner, 12);
  EXPECT_FALSE(overlaps(*outer, *merged));
}

TEST(Sharding, ASplitThatWouldStraddleDimsDoesNotMap) {
  // [6] split in 2 blocks of 3, reshaped to [2, 3]: block 0 is row 0.
  Digit six{Axis::tp, 0, 1, 6};
  std::optional<Digit> rows = mapThroughReshape(six, {6}, {2, 3}, 2);
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->dim, 0);
  // In 3 blocks of 2 it would cut rows in half: no digit of [2, 3] says so.
  EXPECT_FALSE(mapThroughReshape(six, {6}, {2, 3}, 3));
  // Size-1 dims hold nothing.
  std::optional<Digit> padded = mapThroughReshape(six, {6}, {1, 6, 1}, 2);
  ASSERT_TRUE(padded);
  EXPECT_EQ(padded->dim, 1);
}

TEST(Sharding, DigitsWithOneTopAreOneSplit) {
  // 8 query heads, and 2 kv heads each repeated 4 times, on 2 ranks.
  Digit query{Axis::tp, 1, 1, 8};
  Digit repeated{Axis::tp, 1, 4, 2};
  EXPECT_EQ(query, repeated);
  EXPECT_NE(query, (Digit{Axis::tp, 1, 1, 4}));
  EXPECT_NE(query, (Digit{Axis::dp, 1, 1, 8}));
}

TEST(Sharding, LocalTypesAndSplitAttributes) {
  mlir::MLIRContext context;
  context.loadDialect<dist::DistDialect>();
  Mesh mesh;
  mesh.sizes = {2, 2, 1, 1};
  auto whole =
      mlir::RankedTensorType::get({4, 8, 12, 64}, mlir::Float32Type::get(&context));
  Sharding sharding;
  sharding.add(Digit{Axis::dp, 0, 1, 4});
  sharding.add(Digit{Axis::tp, 2, 1, 12});
  EXPECT_EQ(getLocalType(whole, sharding, mesh).getShape(),
            llvm::ArrayRef<int64_t>({2, 8, 6, 64}));
  // Gathering dp while tp's block stays: outer and inner count per-rank
  // elements of the other dims' splits (none share dim 0 here).
  dist::SplitAttr split = getSplitAttr(&context, sharding.digits[0],
                                       sharding.digits, whole.getShape(), mesh);
  EXPECT_EQ(split.getDim(), 0);
  EXPECT_EQ(split.getParts(), 2);
  EXPECT_EQ(split.getOuter(), 1);
  EXPECT_EQ(split.getInner(), 1);
  // Two digits of one dim: the inner one shrinks the outer one's inner.
  Sharding merged;
  merged.add(Digit{Axis::dp, 0, 12, 4});
  merged.add(Digit{Axis::tp, 0, 1, 12});
  auto flat = mlir::RankedTensorType::get({48, 64},
                                          mlir::Float32Type::get(&context));
  dist::SplitAttr outer =
      getSplitAttr(&context, merged.digits[0], merged.digits, flat.getShape(),
                   mesh);
  EXPECT_EQ(outer.getInner(), 6);
  EXPECT_EQ(outer.getOuter(), 1);
}

} // namespace
} // namespace kiln::partition
