//===- ConvPoolTest.cpp - conv and pooling against naive loops ------------===//
//
// The references below walk output coordinates and kernel taps directly;
// they share no code with kernels/common.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Conv.h"
#include "kernels/common/Pool.h"
#include "kernels/cpu/Kernels.h"
#include "test/unit/TestUtil.h"

#include <algorithm>

namespace kiln::test {
namespace {

struct WindowCase {
  std::vector<int64_t> xShape;  // N, C, D...
  std::vector<int64_t> kernel;  // k...
  std::vector<int64_t> strides; // per spatial dim
  std::vector<int64_t> pads;    // begins, then ends
  std::vector<int64_t> dilations;
};

std::vector<int64_t> windowOutShape(const WindowCase &c, int64_t channels) {
  size_t n = c.kernel.size();
  std::vector<int64_t> out = {c.xShape[0], channels};
  for (size_t d = 0; d < n; ++d) {
    int64_t span = (c.kernel[d] - 1) * c.dilations[d] + 1;
    out.push_back((c.xShape[d + 2] + c.pads[d] + c.pads[d + n] - span) /
                      c.strides[d] +
                  1);
  }
  return out;
}

/// Input coordinates of tap `k` for output spatial coords `o`; false when
/// the tap is in the padding.
bool tapCoords(const WindowCase &c, const std::vector<int64_t> &o,
               const std::vector<int64_t> &k, std::vector<int64_t> &in) {
  in.resize(o.size());
  for (size_t d = 0; d < o.size(); ++d) {
    in[d] = o[d] * c.strides[d] + k[d] * c.dilations[d] - c.pads[d];
    if (in[d] < 0 || in[d] >= c.xShape[d + 2])
      return false;
  }
  return true;
}

HostTensor<float> referenceConv(const WindowCase &c, HostTensor<float> &x,
                                HostTensor<float> &w, HostTensor<float> *b,
                                int64_t group) {
  int64_t m = w.shape[0], cg = w.shape[1];
  HostTensor<float> y(windowOutShape(c, m));
  std::vector<int64_t> kernelShape = c.kernel;
  for (int64_t i = 0; i < y.size(); ++i) {
    std::vector<int64_t> yc = unflattenIndex(i, y.shape);
    int64_t n = yc[0], oc = yc[1];
    std::vector<int64_t> o(yc.begin() + 2, yc.end());
    int64_t g = oc / (m / group);
    double acc = b ? b->data[oc] : 0.0;
    for (int64_t ic = 0; ic < cg; ++ic) {
      for (int64_t t = 0; t < product(kernelShape); ++t) {
        std::vector<int64_t> k = unflattenIndex(t, kernelShape), in;
        if (!tapCoords(c, o, k, in))
          continue;
        std::vector<int64_t> xc = {n, g * cg + ic}, wc = {oc, ic};
        xc.insert(xc.end(), in.begin(), in.end());
        wc.insert(wc.end(), k.begin(), k.end());
        acc += static_cast<double>(x.at(xc)) * w.at(wc);
      }
    }
    y.data[i] = static_cast<float>(acc);
  }
  return y;
}

struct ConvCase {
  WindowCase window;
  int64_t outChannels, group;
  bool bias;
};

class ConvTest : public ::testing::TestWithParam<ConvCase> {};

TEST_P(ConvTest, MatchesReference) {
  const ConvCase &c = GetParam();
  std::mt19937 rng(7);
  HostTensor<float> x = randomFloats(rng, c.window.xShape);
  std::vector<int64_t> wShape = {c.outChannels, c.window.xShape[1] / c.group};
  wShape.insert(wShape.end(), c.window.kernel.begin(), c.window.kernel.end());
  HostTensor<float> w = randomFloats(rng, wShape);
  HostTensor<float> b = randomFloats(rng, {c.outChannels});
  HostTensor<float> expected =
      referenceConv(c.window, x, w, c.bias ? &b : nullptr, c.group);

  HostTensor<float> y(expected.shape, NAN);
  TensorView bView = b.view();
  ASSERT_OK(cpu::conv(
      x.view(), w.view(), c.bias ? &bView : nullptr, y.view(),
      {c.window.strides.data(), static_cast<int64_t>(c.window.strides.size())},
      {c.window.pads.data(), static_cast<int64_t>(c.window.pads.size())},
      {c.window.dilations.data(),
       static_cast<int64_t>(c.window.dilations.size())},
      c.group));
  EXPECT_TRUE(allClose(y.data, expected.data));

  // The body the CUDA driver runs, one element at a time.
  WindowParams p;
  ASSERT_OK(makeConvParams(
      x.view(), w.view(), c.bias ? &bView : nullptr, y.view(),
      {c.window.strides.data(), static_cast<int64_t>(c.window.strides.size())},
      {c.window.pads.data(), static_cast<int64_t>(c.window.pads.size())},
      {c.window.dilations.data(),
       static_cast<int64_t>(c.window.dilations.size())},
      c.group, p));
  std::vector<float> body(expected.data.size());
  for (size_t i = 0; i < body.size(); ++i)
    body[i] =
        convElement(p, x.data.data(), w.data.data(),
                    c.bias ? b.data.data() : nullptr, static_cast<int64_t>(i));
  EXPECT_TRUE(allClose(body, expected.data));

  // With an epilogue (a residual add + ReLU, as a fused kernel.conv runs
  // it): the result of applying it afterwards, each element visited once.
  struct Residual {
    float *out;
    const float *residual;
    std::vector<int> *visits;
  };
  HostTensor<float> residual = randomFloats(rng, expected.shape);
  std::vector<int> visits(expected.data.size(), 0);
  HostTensor<float> fused(expected.shape, NAN);
  Residual state{fused.data.data(), residual.data.data(), &visits};
  cpu::Epilogue epilogue{[](const void *self, float *y, int64_t count) {
                           const auto &e = *static_cast<const Residual *>(self);
                           for (int64_t j = 0, i = y - e.out; j < count;
                                ++j, ++i) {
                             y[j] = std::max(y[j] + e.residual[i], 0.0f);
                             ++(*e.visits)[i];
                           }
                         },
                         &state};
  ASSERT_OK(cpu::conv(
      x.view(), w.view(), c.bias ? &bView : nullptr, fused.view(),
      {c.window.strides.data(), static_cast<int64_t>(c.window.strides.size())},
      {c.window.pads.data(), static_cast<int64_t>(c.window.pads.size())},
      {c.window.dilations.data(),
       static_cast<int64_t>(c.window.dilations.size())},
      c.group, &epilogue));
  std::vector<float> after(expected.data.size());
  for (size_t i = 0; i < after.size(); ++i)
    after[i] = std::max(expected.data[i] + residual.data[i], 0.0f);
  EXPECT_TRUE(allClose(fused.data, after));
  EXPECT_TRUE(
      std::all_of(visits.begin(), visits.end(), [](int v) { return v == 1; }));
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, ConvTest,
    ::testing::Values(
        // 2-d with strides, asymmetric pads, dilations, two groups, bias.
        ConvCase{
            {{2, 4, 7, 6}, {3, 2}, {2, 1}, {1, 0, 1, 1}, {1, 2}}, 6, 2, true},
        // 1-d, no padding, one group, no bias.
        ConvCase{{{1, 3, 11}, {4}, {1}, {0, 0}, {1}}, 5, 1, false},
        // 3-d.
        ConvCase{{{1, 2, 4, 5, 3},
                  {2, 3, 2},
                  {1, 2, 1},
                  {1, 1, 0, 0, 1, 1},
                  {1, 1, 2}},
                 3,
                 1,
                 true},
        // Depthwise: one group per channel (the direct row kernel).
        ConvCase{
            {{2, 3, 5, 5}, {3, 3}, {1, 1}, {1, 1, 1, 1}, {1, 1}}, 3, 3, true},
        // Depthwise, stride 2, asymmetric pads, a 5x5 kernel, no bias.
        ConvCase{
            {{1, 4, 9, 20}, {5, 5}, {2, 2}, {2, 1, 1, 2}, {1, 1}}, 4, 4, false},
        // Depthwise with dilation, a wide pad and channel multiplier 2.
        ConvCase{
            {{1, 3, 8, 17}, {3, 3}, {1, 3}, {2, 4, 0, 4}, {2, 2}}, 6, 3, true},
        // Depthwise, a kernel wider than the padded row leaves for the
        // middle taps: some taps read no column at all.
        ConvCase{
            {{1, 2, 3, 3}, {1, 5}, {1, 1}, {0, 2, 0, 2}, {1, 1}}, 2, 2, true},
        // Enough input channels that the im2col blocks (of 112 output
        // positions here) start and end inside output rows.
        ConvCase{
            {{1, 64, 20, 20}, {3, 3}, {1, 1}, {1, 1, 1, 1}, {1, 1}}, 8, 1, true},
        // The same with strides, dilation, asymmetric pads and two groups.
        ConvCase{
            {{1, 64, 31, 33}, {3, 3}, {2, 2}, {1, 0, 0, 1}, {1, 2}}, 6, 2, false},
        // Pointwise 1x1: the path without im2col.
        ConvCase{
            {{2, 8, 4, 3}, {1, 1}, {1, 1}, {0, 0, 0, 0}, {1, 1}}, 4, 1, true}));

TEST(ConvErrors, RejectsWrongOutputShape) {
  HostTensor<float> x({1, 2, 5, 5}), w({3, 2, 3, 3}), y({1, 3, 4, 4});
  EXPECT_ERROR(cpu::conv(x.view(), w.view(), nullptr, y.view(), {1, 1},
                         {0, 0, 0, 0}, {1, 1}, 1),
               "conv: y has size 4 in dim 2, expected 3");
}

TEST(ConvErrors, RejectsBadGroup) {
  HostTensor<float> x({1, 3, 5, 5}), w({4, 1, 1, 1}), y({1, 4, 5, 5});
  EXPECT_ERROR(cpu::conv(x.view(), w.view(), nullptr, y.view(), {}, {}, {}, 2),
               "group 2");
}

// A model with dynamic dims sizes y to 0 when the window does not fit the
// padded input; the kernel says so.
TEST(ConvErrors, RejectsWindowLargerThanPaddedInput) {
  HostTensor<float> x({1, 1, 2}), w({1, 1, 5}), y({1, 1, 0});
  EXPECT_ERROR(
      cpu::conv(x.view(), w.view(), nullptr, y.view(), {1}, {1, 1}, {1}, 1),
      "conv: the window of extent 5 does not fit the padded input "
      "of size 4 in spatial dim 0");
}

TEST(ConvErrors, RejectsNonFloat) {
  HostTensor<int64_t> x({1, 1, 3});
  HostTensor<float> w({1, 1, 1}), y({1, 1, 3});
  EXPECT_ERROR(cpu::conv(x.view(), w.view(), nullptr, y.view(), {}, {}, {}, 1),
               "x has dtype int64, expected float32");
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

template <typename T>
HostTensor<T> referenceMaxPool(const WindowCase &c, HostTensor<T> &x) {
  HostTensor<T> y(windowOutShape(c, c.xShape[1]));
  for (int64_t i = 0; i < y.size(); ++i) {
    std::vector<int64_t> yc = unflattenIndex(i, y.shape);
    std::vector<int64_t> o(yc.begin() + 2, yc.end());
    bool any = false;
    T best = T();
    for (int64_t t = 0; t < product(c.kernel); ++t) {
      std::vector<int64_t> k = unflattenIndex(t, c.kernel), in;
      if (!tapCoords(c, o, k, in))
        continue;
      std::vector<int64_t> xc = {yc[0], yc[1]};
      xc.insert(xc.end(), in.begin(), in.end());
      T v = x.at(xc);
      best = any ? std::max(best, v) : v;
      any = true;
    }
    y.data[i] = best;
  }
  return y;
}

HostTensor<float> referenceAveragePool(const WindowCase &c,
                                       HostTensor<float> &x, bool includePad) {
  HostTensor<float> y(windowOutShape(c, c.xShape[1]));
  size_t n = c.kernel.size();
  for (int64_t i = 0; i < y.size(); ++i) {
    std::vector<int64_t> yc = unflattenIndex(i, y.shape);
    std::vector<int64_t> o(yc.begin() + 2, yc.end());
    double sum = 0;
    int64_t count = 0;
    for (int64_t t = 0; t < product(c.kernel); ++t) {
      std::vector<int64_t> k = unflattenIndex(t, c.kernel), in;
      if (tapCoords(c, o, k, in)) {
        std::vector<int64_t> xc = {yc[0], yc[1]};
        xc.insert(xc.end(), in.begin(), in.end());
        sum += x.at(xc);
        ++count;
        continue;
      }
      // In the padding: counted with count_include_pad when it lies within
      // the padded extent.
      bool inPadded = true;
      for (size_t d = 0; d < n; ++d) {
        int64_t pos = o[d] * c.strides[d] + k[d] * c.dilations[d] - c.pads[d];
        inPadded &= pos >= -c.pads[d] && pos < c.xShape[d + 2] + c.pads[d + n];
      }
      if (includePad && inPadded)
        ++count;
    }
    y.data[i] = count ? static_cast<float>(sum / count) : 0.0f;
  }
  return y;
}

Span<const int64_t> span(const std::vector<int64_t> &v) {
  return {v.data(), static_cast<int64_t>(v.size())};
}

class PoolTest : public ::testing::TestWithParam<WindowCase> {};

TEST_P(PoolTest, MaxMatchesReference) {
  const WindowCase &c = GetParam();
  std::mt19937 rng(11);
  HostTensor<float> x = randomFloats(rng, c.xShape);
  HostTensor<float> expected = referenceMaxPool(c, x);
  HostTensor<float> y(expected.shape, NAN);
  ASSERT_OK(cpu::max_pool(x.view(), y.view(), span(c.kernel), span(c.strides),
                          span(c.pads), span(c.dilations)));
  EXPECT_TRUE(allClose(y.data, expected.data, 0, 0));
}

TEST_P(PoolTest, MaxOnInt8MatchesReference) {
  const WindowCase &c = GetParam();
  std::mt19937 rng(12);
  HostTensor<int8_t> x = randomInts<int8_t>(rng, c.xShape, -128, 127);
  HostTensor<int8_t> expected = referenceMaxPool(c, x);
  HostTensor<int8_t> y(expected.shape, 0);
  ASSERT_OK(cpu::max_pool(x.view(), y.view(), span(c.kernel), span(c.strides),
                          span(c.pads), span(c.dilations)));
  EXPECT_EQ(y.data, expected.data);
}

TEST_P(PoolTest, AverageMatchesReference) {
  const WindowCase &c = GetParam();
  std::mt19937 rng(13);
  HostTensor<float> x = randomFloats(rng, c.xShape);
  for (bool includePad : {false, true}) {
    HostTensor<float> expected = referenceAveragePool(c, x, includePad);
    HostTensor<float> y(expected.shape, NAN);
    ASSERT_OK(cpu::average_pool(x.view(), y.view(), span(c.kernel),
                                span(c.strides), span(c.pads),
                                span(c.dilations), includePad));
    EXPECT_TRUE(allClose(y.data, expected.data)) << "includePad " << includePad;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, PoolTest,
    ::testing::Values(
        // 2-d 3x3 stride 2 with padding.
        WindowCase{{2, 3, 7, 8}, {3, 3}, {2, 2}, {1, 1, 1, 1}, {1, 1}},
        // Asymmetric padding and dilation.
        WindowCase{{1, 2, 6, 5}, {2, 2}, {1, 2}, {0, 1, 1, 0}, {2, 1}},
        // Rows wider than the 2-d max pool's chunk of 256 columns.
        WindowCase{{1, 2, 3, 600}, {2, 3}, {1, 1}, {1, 1, 0, 1}, {1, 2}},
        // 1-d.
        WindowCase{{1, 4, 9}, {3}, {3}, {0, 0}, {1}},
        // 3-d.
        WindowCase{{1, 1, 4, 4, 4},
                   {2, 2, 2},
                   {2, 2, 2},
                   {0, 0, 0, 1, 1, 1},
                   {1, 1, 1}}));

// ceil_mode over dynamic dims: the pads are the model's and the one more
// window runs past the end pad. x has length 6, k 3, stride 2, pads 1 and
// 1: windows start at -1, 1, 3 and 5, and the last reads x[5], the end
// pad and a cell past it, which no count includes.
TEST(CeilModePool, LastWindowPastTheEndPad) {
  HostTensor<float> x({1, 1, 6});
  for (int64_t i = 0; i < 6; ++i)
    x.data[i] = static_cast<float>(i + 1);
  HostTensor<float> max({1, 1, 4}), avg({1, 1, 4}), avgPad({1, 1, 4});
  ASSERT_OK(cpu::max_pool(x.view(), max.view(), {3}, {2}, {1, 1}, {1}));
  ASSERT_OK(cpu::average_pool(x.view(), avg.view(), {3}, {2}, {1, 1}, {1},
                              /*count_include_pad=*/false));
  ASSERT_OK(cpu::average_pool(x.view(), avgPad.view(), {3}, {2}, {1, 1}, {1},
                              /*count_include_pad=*/true));
  EXPECT_TRUE(allClose(max.data, {2, 4, 6, 6}, 0, 0));
  EXPECT_TRUE(allClose(avg.data, {1.5f, 3, 5, 6}));
  EXPECT_TRUE(allClose(avgPad.data, {1, 3, 5, 3}));
}

// A NaN anywhere in a window makes its max NaN, in the 2-d row kernel and
// in the per-element body the CUDA driver runs, wherever the NaN sits.
TEST(MaxPool, NaNInAWindowGivesNaN) {
  // x (1, 1, 4, 6), 2x2 windows at stride 2: NaN in the first tap of window
  // (0, 0), the last of window (0, 2); window (1, 1) has none.
  HostTensor<float> x({1, 1, 4, 6});
  for (int64_t i = 0; i < 24; ++i)
    x.data[i] = static_cast<float>(i);
  x.data[0] = NAN;
  x.data[11] = NAN;
  HostTensor<float> y({1, 1, 2, 3});
  ASSERT_OK(cpu::max_pool(x.view(), y.view(), {2, 2}, {2, 2}, {0, 0, 0, 0},
                          {1, 1}));
  WindowParams p;
  std::vector<int64_t> two = {2, 2}, zeros = {0, 0, 0, 0}, ones = {1, 1};
  ASSERT_OK(makePoolParams("max_pool", x.view(), y.view(), span(two),
                           span(two), span(zeros), span(ones), p));
  for (int64_t i = 0; i < 6; ++i) {
    float body = maxPoolElement<float>(p, x.data.data(), i);
    bool nanWindow = i == 0 || i == 2;
    EXPECT_EQ(std::isnan(y.data[i]), nanWindow) << "window " << i;
    EXPECT_EQ(std::isnan(body), nanWindow) << "window " << i;
    if (!nanWindow)
      EXPECT_EQ(y.data[i], body) << "window " << i;
  }
  EXPECT_EQ(y.data[4], 21.0f);
}

TEST(GlobalPool, AverageAndMax) {
  std::mt19937 rng(3);
  HostTensor<float> x = randomFloats(rng, {2, 3, 4, 5});
  HostTensor<float> avg({2, 3, 1, 1}), max({2, 3, 1, 1});
  ASSERT_OK(cpu::global_average_pool(x.view(), avg.view()));
  ASSERT_OK(cpu::global_max_pool(x.view(), max.view()));
  std::vector<float> expectedAvg, expectedMax;
  for (int64_t plane = 0; plane < 6; ++plane) {
    auto begin = x.data.begin() + plane * 20, end = begin + 20;
    double sum = 0;
    for (auto it = begin; it != end; ++it)
      sum += *it;
    expectedAvg.push_back(static_cast<float>(sum / 20));
    expectedMax.push_back(*std::max_element(begin, end));
  }
  EXPECT_TRUE(allClose(avg.data, expectedAvg));
  EXPECT_TRUE(allClose(max.data, expectedMax, 0, 0));
}

TEST(GlobalPool, RejectsNonUnitSpatialOutput) {
  HostTensor<float> x({1, 2, 3, 3}), y({1, 2, 3, 1});
  EXPECT_ERROR(cpu::global_average_pool(x.view(), y.view()),
               "y has size 3 in dim 2, expected 1");
}

} // namespace
} // namespace kiln::test
