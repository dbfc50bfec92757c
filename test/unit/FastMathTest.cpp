//===- FastMathTest.cpp - fastExp, rowSum and rowMax against libm ---------===//

#include "kernels/common/FastMath.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace kiln::test {
namespace {

// Within 2.5e-7 of exp (in double) relative, wherever e^x is a normal float.
TEST(FastExp, CloseToExpOverTheNormalRange) {
  double worst = 0.0;
  float worstAt = 0.0f;
  for (float x = -87.3f; x <= 88.7f; x += 0.000731f) {
    double want = std::exp(static_cast<double>(x));
    double error = std::fabs(fastExp(x) - want) / want;
    if (error > worst) {
      worst = error;
      worstAt = x;
    }
  }
  EXPECT_LT(worst, 2.5e-7) << "at x = " << worstAt;
}

TEST(FastExp, EdgesOfTheRange) {
  EXPECT_EQ(fastExp(0.0f), 1.0f);
  EXPECT_EQ(fastExp(-0.0f), 1.0f);
  EXPECT_EQ(fastExp(-88.0f), 0.0f);
  EXPECT_EQ(fastExp(-1000.0f), 0.0f);
  EXPECT_EQ(fastExp(-INFINITY), 0.0f);
  EXPECT_EQ(fastExp(89.0f), INFINITY);
  EXPECT_EQ(fastExp(INFINITY), INFINITY);
  EXPECT_TRUE(std::isnan(fastExp(NAN)));
  // The largest finite results stay finite.
  EXPECT_TRUE(std::isfinite(fastExp(88.72f)));
  EXPECT_NEAR(fastExp(88.72f) / std::exp(static_cast<double>(88.72f)), 1.0, 3e-7);
  EXPECT_NEAR(fastExp(-87.33f) / std::exp(static_cast<double>(-87.33f)), 1.0, 3e-7);
}

TEST(RowReductions, MatchPlainLoops) {
  for (int64_t n : {0, 1, 7, 8, 9, 100, 1001}) {
    for (int64_t stride : {1, 3}) {
      std::vector<float> x(static_cast<size_t>(n * stride + 1), 1e6f);
      double sum = 0.0;
      float max = -INFINITY;
      for (int64_t i = 0; i < n; ++i) {
        float v = std::sin(static_cast<float>(i) * 0.37f) * 10.0f;
        x[static_cast<size_t>(i * stride)] = v;
        sum += v;
        max = std::fmax(max, v);
      }
      EXPECT_NEAR(rowSum(x.data(), n, stride), sum, 1e-4 * (n + 1))
          << "n " << n << " stride " << stride;
      EXPECT_EQ(rowMax(x.data(), n, stride), max)
          << "n " << n << " stride " << stride;
    }
  }
}

// NaNs are skipped, as fmaxf skips them.
TEST(RowReductions, MaxSkipsNaN) {
  std::vector<float> x = {1.0f, NAN, 3.0f, NAN, 2.0f, 0.0f, -1.0f, NAN, 5.0f,
                          NAN};
  EXPECT_EQ(rowMax(x.data(), static_cast<int64_t>(x.size()), 1), 5.0f);
  float allNan[3] = {NAN, NAN, NAN};
  EXPECT_EQ(rowMax(allNan, 3, 1), -INFINITY);
}

} // namespace
} // namespace kiln::test
