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

// The largest relative error of `fast` against `exact` (in double) over
// [from, to), where |exact| >= tiny.
template <typename Fast, typename Exact>
double worstRelative(Fast fast, Exact exact, float from, float to, float step,
                     double tiny, float &at) {
  double worst = 0.0;
  for (float x = from; x < to; x += step) {
    double want = exact(static_cast<double>(x));
    if (std::fabs(want) < tiny)
      continue;
    double error = std::fabs(fast(x) - want) / std::fabs(want);
    if (error > worst) {
      worst = error;
      at = x;
    }
  }
  return worst;
}

TEST(FastTanh, CloseToTanh) {
  float at = 0.0f;
  double worst = worstRelative([](float x) { return fastTanh(x); },
                               [](double x) { return std::tanh(x); }, -20.0f,
                               20.0f, 0.000371f, 1e-30, at);
  EXPECT_LT(worst, 5e-7) << "at x = " << at;
  EXPECT_EQ(fastTanh(0.0f), 0.0f);
  EXPECT_EQ(fastTanh(100.0f), 1.0f);
  EXPECT_EQ(fastTanh(-100.0f), -1.0f);
  EXPECT_EQ(fastTanh(INFINITY), 1.0f);
  EXPECT_TRUE(std::isnan(fastTanh(NAN)));
  EXPECT_NEAR(fastTanh(1e-20f), 1e-20f, 1e-27f);
}

TEST(FastErf, CloseToErf) {
  float at = 0.0f;
  double worst = worstRelative([](float x) { return fastErf(x); },
                               [](double x) { return std::erf(x); }, -10.0f,
                               10.0f, 0.000371f, 1e-30, at);
  EXPECT_LT(worst, 2e-7) << "at x = " << at;
  EXPECT_EQ(fastErf(0.0f), 0.0f);
  EXPECT_EQ(fastErf(10.0f), 1.0f);
  EXPECT_EQ(fastErf(-INFINITY), -1.0f);
  EXPECT_TRUE(std::isnan(fastErf(NAN)));
  EXPECT_NEAR(fastErf(1e-20f) / 1e-20f, 1.1283791670955126, 1e-6);
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
