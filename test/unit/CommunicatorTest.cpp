//===- CommunicatorTest.cpp - Mesh layout, chunks, sums, the C glue -------===//
//
// What needs no second process; the collectives themselves run under
// mpirun in test/runtime/communicator.test.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Tensor.h"
#include "runtime/Communicator.h"
#include "runtime/kiln.h"
#include "test/unit/ModelFixture.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kiln::test {
namespace {

// rank = (pp_c * dp + dp_c) * tp + tp_c on a 2 x 3 x 2 (dp, tp, pp) mesh.
TEST(Communicator, MeshCoordinatesAndGroups) {
  MeshLayout layout;
  layout.mesh[KILN_AXIS_DP] = 2;
  layout.mesh[KILN_AXIS_TP] = 3;
  layout.mesh[KILN_AXIS_PP] = 2;
  ASSERT_EQ(layout.numRanks(), 12);
  int32_t coords[KILN_NUM_AXES];
  layout.coordsOf(11, coords);
  EXPECT_EQ(coords[KILN_AXIS_TP], 2);
  EXPECT_EQ(coords[KILN_AXIS_DP], 1);
  EXPECT_EQ(coords[KILN_AXIS_PP], 1);
  for (int32_t rank = 0; rank < 12; ++rank) {
    layout.coordsOf(rank, coords);
    EXPECT_EQ(layout.rankOf(coords), rank);
  }
  // Rank 4 = (dp 1, tp 1, pp 0).
  EXPECT_EQ(layout.group(4, KILN_AXIS_TP), (std::vector<int32_t>{3, 4, 5}));
  EXPECT_EQ(layout.group(4, KILN_AXIS_DP), (std::vector<int32_t>{1, 4}));
  EXPECT_EQ(layout.group(4, KILN_AXIS_PP), (std::vector<int32_t>{4, 10}));
  EXPECT_EQ(layout.group(4, kWorldAxis).size(), 12u);
}

// Chunks cover the count once, the first count % P one longer.
TEST(Communicator, RingChunks) {
  for (int64_t count : {0, 1, 7, 12, 13})
    for (int32_t parts : {1, 2, 3, 4}) {
      int64_t next = 0;
      for (int32_t c = 0; c < parts; ++c) {
        int64_t begin, end;
        chunkRange(count, parts, c, begin, end);
        EXPECT_EQ(begin, next);
        EXPECT_EQ(end - begin, count / parts + (c < count % parts ? 1 : 0));
        next = end;
      }
      EXPECT_EQ(next, count);
    }
}

TEST(Communicator, SumsPerDtype) {
  half a[2] = {half(1.5f), half(2048.0f)}, b[2] = {half(0.25f), half(1.0f)};
  ASSERT_TRUE(sumInto(DType::Float16, a, b, 2));
  EXPECT_EQ(static_cast<float>(a[0]), 1.75f);
  // 2049 is no float16: rounded once to even.
  EXPECT_EQ(static_cast<float>(a[1]), 2048.0f);
  int32_t i[1] = {INT32_MAX}, j[1] = {1};
  ASSERT_TRUE(sumInto(DType::Int32, i, j, 1));
  EXPECT_EQ(i[0], INT32_MIN);
  bfloat16 c[1] = {bfloat16(3.0f)}, d[1] = {bfloat16(-1.0f)};
  ASSERT_TRUE(sumInto(DType::BFloat16, c, d, 1));
  EXPECT_EQ(static_cast<float>(c[0]), 2.0f);
  EXPECT_FALSE(sumInto(DType::Bool, i, j, 1));
}

TEST(Communicator, Names) {
  Algorithm algorithm;
  EXPECT_TRUE(parseAlgorithm("ring", algorithm));
  EXPECT_EQ(algorithm, Algorithm::Ring);
  EXPECT_TRUE(parseAlgorithm("ps", algorithm));
  EXPECT_EQ(algorithm, Algorithm::ParameterServer);
  EXPECT_FALSE(parseAlgorithm("nccl", algorithm));
  EXPECT_FALSE(parseAlgorithm("tree", algorithm));
  EXPECT_STREQ(axisName(KILN_AXIS_TP), "tp");
  EXPECT_STREQ(axisName(kWorldAxis), "world");
}

// Generated code calling a collective in a run without a communicator, or
// over an axis that names no group, gets an error, not a crash.
TEST(Communicator, GlueWithoutCommunicator) {
  char error[256] = "";
  kiln_exec_context ctx = {};
  ctx.error = error;
  ctx.error_size = sizeof(error);
  float x = 1;
  EXPECT_NE(runtimeCollectives.all_reduce(&ctx, KILN_AXIS_TP, DType::Float, &x,
                                          &x, 1),
            0);
  EXPECT_NE(std::string(error).find("all_reduce: this run has no "
                                    "communicator"),
            std::string::npos)
      << error;
  ctx.communicator = &ctx; // never reached: the axis is checked first
  EXPECT_NE(runtimeCollectives.all_gather(&ctx, KILN_AXIS_MICRO, &x, &x, 4), 0);
  EXPECT_NE(std::string(error).find("axis 3 names no group"),
            std::string::npos)
      << error;
}

// A plain model: one rank, no collectives, any algorithm name checked.
TEST(Communicator, PlainModelRanks) {
  EXPECT_EQ(kiln_model_set_collectives(nullptr, "ring"), KILN_ERROR);
  ModelDir dir;
  dir.link(KILN_FAKE_MODEL);
  dir.writeWeights();
  kiln_model *model = nullptr;
  ASSERT_EQ(kiln_model_create(dir.path().c_str(), &model), KILN_OK)
      << kiln_last_error();
  EXPECT_EQ(kiln_model_rank(model), 0);
  EXPECT_EQ(kiln_model_world_size(model), 1);
  EXPECT_EQ(kiln_model_mesh(model, KILN_AXIS_TP), 1);
  EXPECT_EQ(kiln_model_mesh(model, 7), 0);
  EXPECT_EQ(kiln_model_set_collectives(model, "ring"), KILN_OK);
  EXPECT_EQ(kiln_model_set_collectives(model, "tree"), KILN_ERROR);
  EXPECT_NE(std::string(kiln_last_error()).find("unknown algorithm 'tree'"),
            std::string::npos)
      << kiln_last_error();
  EXPECT_EQ(kiln_model_collective_profile(model, nullptr, 0), 0);
  kiln_model_destroy(model);
}

} // namespace
} // namespace kiln::test
