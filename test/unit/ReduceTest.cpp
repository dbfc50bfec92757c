//===- ReduceTest.cpp - reduce, arg_max, arg_min against naive loops ------===//

#include "kernels/cpu/Kernels.h"
#include "test/unit/TestUtil.h"

#include <set>

namespace kiln::test {
namespace {

/// The reduced shape (reduced dims set to 1).
std::vector<int64_t> keptShape(const std::vector<int64_t> &shape,
                               const std::set<int64_t> &axes) {
  std::vector<int64_t> out = shape;
  for (int64_t a : axes)
    out[a] = 1;
  return out;
}

/// Folds every x element into the y element it reduces to, in double.
std::vector<double> referenceReduce(const std::vector<double> &x,
                                    const std::vector<int64_t> &shape,
                                    const std::set<int64_t> &axes,
                                    const std::string &kind) {
  std::vector<int64_t> yShape = keptShape(shape, axes);
  int64_t ySize = product(yShape);
  std::vector<std::vector<double>> groups(ySize);
  for (size_t i = 0; i < x.size(); ++i) {
    std::vector<int64_t> c = unflattenIndex(static_cast<int64_t>(i), shape);
    int64_t flat = 0;
    for (size_t d = 0; d < shape.size(); ++d)
      flat = flat * yShape[d] + (axes.count(d) ? 0 : c[d]);
    groups[flat].push_back(x[i]);
  }
  std::vector<double> y;
  for (const std::vector<double> &g : groups) {
    double r = 0;
    if (kind == "sum" || kind == "mean") {
      for (double v : g)
        r += v;
      if (kind == "mean")
        r /= static_cast<double>(g.size());
    } else if (kind == "max" || kind == "min") {
      r = g[0];
      for (double v : g)
        r = kind == "max" ? std::max(r, v) : std::min(r, v);
    } else if (kind == "prod") {
      r = 1;
      for (double v : g)
        r *= v;
    } else if (kind == "sum_square" || kind == "l2") {
      for (double v : g)
        r += v * v;
      if (kind == "l2")
        r = std::sqrt(r);
    } else if (kind == "l1") {
      for (double v : g)
        r += std::fabs(v);
    } else if (kind == "log_sum_exp") {
      for (double v : g)
        r += std::exp(v);
      r = std::log(r);
    }
    y.push_back(r);
  }
  return y;
}

const char *const kinds[] = {"sum",        "mean", "max", "min",        "prod",
                             "sum_square", "l1",   "l2",  "log_sum_exp"};

TEST(Reduce, FloatEveryKindAndAxisSet) {
  std::mt19937 rng(2);
  std::vector<int64_t> shape = {3, 4, 5};
  HostTensor<float> x = randomFloats(rng, shape, 0.5f, 1.5f);
  std::vector<double> xd(x.data.begin(), x.data.end());
  std::vector<std::set<int64_t>> axisSets = {{0},    {1},       {2}, {0, 2},
                                             {1, 2}, {0, 1, 2}, {}};
  for (const char *kind : kinds) {
    for (const std::set<int64_t> &axes : axisSets) {
      std::vector<int64_t> axisList(axes.begin(), axes.end());
      HostTensor<float> y(keptShape(shape, axes), NAN);
      ASSERT_OK(cpu::reduce(
          x.view(), y.view(), kind,
          {axisList.data(), static_cast<int64_t>(axisList.size())}));
      std::vector<double> ref = referenceReduce(xd, shape, axes, kind);
      EXPECT_TRUE(allClose(y.data, std::vector<float>(ref.begin(), ref.end()),
                           1e-5f, 1e-4f))
          << kind << " over " << axisList.size() << " axes";
    }
  }
}

TEST(Reduce, DoubleEveryKind) {
  std::mt19937 rng(3);
  std::vector<int64_t> shape = {2, 3, 4};
  HostTensor<double> x(shape);
  std::uniform_real_distribution<double> dist(0.5, 1.5);
  for (double &v : x.data)
    v = dist(rng);
  for (const char *kind : kinds) {
    for (std::set<int64_t> axes :
         {std::set<int64_t>{1}, std::set<int64_t>{0, 2}}) {
      std::vector<int64_t> axisList(axes.begin(), axes.end());
      HostTensor<double> y(keptShape(shape, axes), NAN);
      ASSERT_OK(cpu::reduce(
          x.view(), y.view(), kind,
          {axisList.data(), static_cast<int64_t>(axisList.size())}));
      std::vector<double> ref = referenceReduce(x.data, shape, axes, kind);
      for (size_t i = 0; i < ref.size(); ++i)
        EXPECT_NEAR(y.data[i], ref[i], 1e-12 * (1 + std::fabs(ref[i])))
            << kind << " at " << i;
    }
  }
}

/// A bool tensor view over `data` (std::vector<bool> has no data()).
TensorView boolView(bool *data, std::vector<int64_t> shape) {
  TensorView v{data, DType::Bool, static_cast<int32_t>(shape.size()), {}};
  for (size_t i = 0; i < shape.size(); ++i)
    v.shape[i] = shape[i];
  return v;
}

TEST(Reduce, BoolMaxIsAnyMinIsAll) {
  // x is (3, 2): rows {0, 0}, {0, 1}, {1, 1}.
  bool x[] = {false, false, false, true, true, true};
  bool y[3] = {};
  int64_t axis = 1;
  ASSERT_OK(
      cpu::reduce(boolView(x, {3, 2}), boolView(y, {3, 1}), "max", {&axis, 1}));
  EXPECT_EQ(std::vector<bool>(y, y + 3),
            (std::vector<bool>{false, true, true}));
  ASSERT_OK(
      cpu::reduce(boolView(x, {3, 2}), boolView(y, {3, 1}), "min", {&axis, 1}));
  EXPECT_EQ(std::vector<bool>(y, y + 3),
            (std::vector<bool>{false, false, true}));
  // Over no elements: max is false, min is true.
  bool empty[1] = {}, out[1] = {true};
  ASSERT_OK(cpu::reduce(boolView(empty, {1, 0}), boolView(out, {1, 1}), "max",
                        {&axis, 1}));
  EXPECT_FALSE(out[0]);
  ASSERT_OK(cpu::reduce(boolView(empty, {1, 0}), boolView(out, {1, 1}), "min",
                        {&axis, 1}));
  EXPECT_TRUE(out[0]);
  EXPECT_ERROR(
      cpu::reduce(boolView(x, {3, 2}), boolView(y, {3, 1}), "sum", {&axis, 1}),
      "bool reduces by max or min only, not 'sum'");
}

template <typename T> void checkIntegerReduce() {
  std::mt19937 rng(4);
  std::vector<int64_t> shape = {2, 3, 4};
  HostTensor<T> x = randomInts<T>(rng, shape, -3, 3);
  std::vector<double> xd(x.data.begin(), x.data.end());
  for (const char *kind : {"sum", "max", "min", "prod", "sum_square", "l1"}) {
    for (std::set<int64_t> axes :
         {std::set<int64_t>{1}, std::set<int64_t>{0, 2}}) {
      std::vector<int64_t> axisList(axes.begin(), axes.end());
      HostTensor<T> y(keptShape(shape, axes), T(-99));
      ASSERT_OK(cpu::reduce(
          x.view(), y.view(), kind,
          {axisList.data(), static_cast<int64_t>(axisList.size())}));
      std::vector<double> ref = referenceReduce(xd, shape, axes, kind);
      EXPECT_EQ(std::vector<T>(y.data.begin(), y.data.end()),
                std::vector<T>(ref.begin(), ref.end()))
          << kind;
    }
  }
}

TEST(Reduce, Int64Kinds) { checkIntegerReduce<int64_t>(); }
TEST(Reduce, Int32Kinds) { checkIntegerReduce<int32_t>(); }

TEST(Reduce, RejectsUnknownKindAndBadShape) {
  HostTensor<float> x({2, 3}), y({2, 1}), bad({2, 3});
  EXPECT_ERROR(cpu::reduce(x.view(), y.view(), "median", {1}),
               "unknown kind 'median'");
  EXPECT_ERROR(cpu::reduce(x.view(), bad.view(), "sum", {1}),
               "y has size 3 in dim 1, expected 1");
}

template <typename T>
std::vector<int64_t> referenceArg(const HostTensor<T> &x, int64_t axis,
                                  bool isMax, bool last) {
  std::vector<int64_t> yShape = x.shape;
  yShape[axis] = 1;
  std::vector<int64_t> y(product(yShape));
  for (size_t i = 0; i < y.size(); ++i) {
    std::vector<int64_t> c = unflattenIndex(static_cast<int64_t>(i), yShape);
    int64_t best = -1;
    T bestValue = T();
    for (int64_t a = 0; a < x.shape[axis]; ++a) {
      c[axis] = a;
      T v = x.data[x.index(c)];
      bool take = best < 0 || (isMax ? v > bestValue : v < bestValue) ||
                  (last && v == bestValue);
      if (take) {
        best = a;
        bestValue = v;
      }
    }
    y[i] = best;
  }
  return y;
}

TEST(ArgReduce, TiesAndSelectLastIndex) {
  std::mt19937 rng(9);
  // Few distinct values, so ties are common.
  HostTensor<int32_t> xi = randomInts<int32_t>(rng, {3, 5, 4}, 0, 2);
  HostTensor<float> xf = randomFloats(rng, {3, 5, 4});
  for (int64_t axis = 0; axis < 3; ++axis) {
    std::vector<int64_t> yShape = xi.shape;
    yShape[axis] = 1;
    for (bool last : {false, true}) {
      HostTensor<int64_t> y(yShape, -1);
      ASSERT_OK(cpu::arg_max(xi.view(), y.view(), axis, last));
      EXPECT_EQ(y.data, referenceArg(xi, axis, true, last));
      ASSERT_OK(cpu::arg_min(xi.view(), y.view(), axis, last));
      EXPECT_EQ(y.data, referenceArg(xi, axis, false, last));
      ASSERT_OK(cpu::arg_max(xf.view(), y.view(), axis, last));
      EXPECT_EQ(y.data, referenceArg(xf, axis, true, last));
    }
  }
}

TEST(ArgReduce, RejectsNonInt64Output) {
  HostTensor<float> x({2, 3});
  HostTensor<int32_t> y({2, 1});
  EXPECT_ERROR(cpu::arg_max(x.view(), y.view(), 1, false),
               "y has dtype int32, expected int64");
}

} // namespace
} // namespace kiln::test
