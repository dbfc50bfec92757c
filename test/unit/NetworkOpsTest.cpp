//===- NetworkOpsTest.cpp - Network ops of exported models vs naive loops -===//
//
// top_k against a stable sort of each row; conv_transpose (GEMM + col2im)
// against a naive scatter and against the per-element body the CUDA driver
// runs; resize's opset 18/19 features (antialias, half_pixel_symmetric),
// which the ONNX test data of the conformance suite does not cover, against
// values of ONNX's reference evaluator (onnx 1.23.2); rnn's directions and
// sequence lengths against a recurrence worked by hand.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/ConvTranspose.h"
#include "kernels/common/Recurrent.h"
#include "kernels/cpu/Kernels.h"
#include "test/unit/TestUtil.h"

#include <algorithm>
#include <numeric>

namespace kiln::test {
namespace {

/// top_k by a stable sort of each row of x along `axis`.
template <typename T>
void referenceTopK(HostTensor<T> &x, int64_t axis, int64_t k, bool largest,
                   HostTensor<T> &values, HostTensor<int64_t> &indices) {
  for (int64_t i = 0; i < values.size(); ++i) {
    std::vector<int64_t> coords = unflattenIndex(i, values.shape);
    int64_t j = coords[axis];
    std::vector<int64_t> order(x.shape[axis]);
    std::iota(order.begin(), order.end(), 0);
    auto at = [&](int64_t a) {
      std::vector<int64_t> c = coords;
      c[axis] = a;
      return x.at(c);
    };
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
      return largest ? at(a) > at(b) : at(a) < at(b);
    });
    values.data[i] = at(order[j]);
    indices.data[i] = order[j];
  }
}

TEST(TopK, MatchesStableSortWithTies) {
  std::mt19937 rng(4);
  // Few distinct values, so ties are common.
  HostTensor<int32_t> xi = randomInts<int32_t>(rng, {3, 7, 4}, 0, 3);
  HostTensor<float> xf = randomFloats(rng, {3, 7, 4});
  for (int64_t axis = 0; axis < 3; ++axis) {
    for (int64_t k :
         {int64_t(0), int64_t(1), xi.shape[axis] - 1, xi.shape[axis]}) {
      std::vector<int64_t> shape = xi.shape;
      shape[axis] = k;
      for (bool largest : {true, false}) {
        HostTensor<int32_t> vi(shape), wantVi(shape);
        HostTensor<float> vf(shape), wantVf(shape);
        HostTensor<int64_t> ii(shape, -1), wantIi(shape), fi(shape, -1),
            wantFi(shape);
        ASSERT_OK(cpu::top_k(xi.view(), vi.view(), ii.view(), axis, largest));
        referenceTopK(xi, axis, k, largest, wantVi, wantIi);
        EXPECT_EQ(vi.data, wantVi.data);
        EXPECT_EQ(ii.data, wantIi.data);
        ASSERT_OK(cpu::top_k(xf.view(), vf.view(), fi.view(), axis, largest));
        referenceTopK(xf, axis, k, largest, wantVf, wantFi);
        EXPECT_EQ(vf.data, wantVf.data);
        EXPECT_EQ(fi.data, wantFi.data);
      }
    }
  }
}

TEST(TopK, RejectsKLargerThanAxis) {
  HostTensor<float> x({2, 3}), values({2, 4});
  HostTensor<int64_t> indices({2, 4});
  EXPECT_ERROR(cpu::top_k(x.view(), values.view(), indices.view(), 1, true),
               "k = 4 is larger than axis 1 of size 3");
}

TEST(TopK, RejectsNonInt64Indices) {
  HostTensor<float> x({2, 3}), values({2, 2});
  HostTensor<int32_t> indices({2, 2});
  EXPECT_ERROR(cpu::top_k(x.view(), values.view(), indices.view(), 1, true),
               "indices has dtype int32, expected int64");
}

/// conv_transpose by scattering every input element into y, 1-d or 2-d.
HostTensor<float>
referenceConvTranspose(HostTensor<float> &x, HostTensor<float> &w,
                       HostTensor<float> *b, std::vector<int64_t> yShape,
                       std::vector<int64_t> strides,
                       std::vector<int64_t> padsBegin,
                       std::vector<int64_t> dilations, int64_t group) {
  HostTensor<float> y(yShape, 0.0f);
  int64_t channels = x.shape[1], groupIn = channels / group;
  int64_t groupOut = w.shape[1];
  size_t rank = x.shape.size() - 2;
  for (int64_t i = 0; i < x.size(); ++i) {
    std::vector<int64_t> xc = unflattenIndex(i, x.shape);
    int64_t c = xc[1], g = c / groupIn;
    std::vector<int64_t> kShape(w.shape.begin() + 2, w.shape.end());
    for (int64_t tap = 0; tap < product(kShape); ++tap) {
      std::vector<int64_t> k = unflattenIndex(tap, kShape);
      std::vector<int64_t> yc = {xc[0], 0};
      bool inside = true;
      for (size_t d = 0; d < rank; ++d) {
        int64_t o = xc[d + 2] * strides[d] + k[d] * dilations[d] - padsBegin[d];
        inside = inside && o >= 0 && o < yShape[d + 2];
        yc.push_back(o);
      }
      if (!inside)
        continue;
      for (int64_t mg = 0; mg < groupOut; ++mg) {
        yc[1] = g * groupOut + mg;
        std::vector<int64_t> wc = {c, mg};
        wc.insert(wc.end(), k.begin(), k.end());
        y.at(yc) += x.data[i] * w.at(wc);
      }
    }
  }
  if (b)
    for (int64_t i = 0; i < y.size(); ++i)
      y.data[i] += b->data[unflattenIndex(i, yShape)[1]];
  return y;
}

Span<const int64_t> span(const std::vector<int64_t> &values) {
  return {values.data(), static_cast<int64_t>(values.size())};
}

TEST(ConvTranspose, GroupsStridesDilationsAndOutputPadding) {
  std::mt19937 rng(11);
  struct Case {
    std::vector<int64_t> xShape, wShape, strides, pads, dilations;
    int64_t group;
    std::vector<int64_t> outputPadding;
  };
  const Case cases[] = {
      {{2, 4, 5, 3}, {4, 3, 3, 2}, {2, 1}, {1, 0, 0, 1}, {1, 2}, 2, {1, 0}},
      {{1, 3, 7}, {3, 2, 4}, {3}, {2, 1}, {2}, 1, {2}},
      {{1, 2, 3, 3}, {2, 1, 1, 1}, {1, 1}, {0, 0, 0, 0}, {1, 1}, 2, {0, 0}},
  };
  for (const Case &c : cases) {
    size_t rank = c.xShape.size() - 2;
    HostTensor<float> x = randomFloats(rng, c.xShape);
    HostTensor<float> w = randomFloats(rng, c.wShape);
    HostTensor<float> b = randomFloats(rng, {c.wShape[1] * c.group});
    // The output padding is an end pad taken off.
    std::vector<int64_t> yShape = {c.xShape[0], c.wShape[1] * c.group};
    std::vector<int64_t> pads = c.pads,
                         begins(c.pads.begin(), c.pads.begin() + rank);
    for (size_t d = 0; d < rank; ++d) {
      pads[d + rank] -= c.outputPadding[d];
      yShape.push_back((c.xShape[d + 2] - 1) * c.strides[d] +
                       (c.wShape[d + 2] - 1) * c.dilations[d] + 1 - pads[d] -
                       pads[d + rank]);
    }
    for (HostTensor<float> *bias :
         {&b, static_cast<HostTensor<float> *>(nullptr)}) {
      HostTensor<float> want = referenceConvTranspose(
          x, w, bias, yShape, c.strides, begins, c.dilations, c.group);
      HostTensor<float> y(yShape, -7.0f);
      TensorView bView = b.view();
      ASSERT_OK(cpu::conv_transpose(x.view(), w.view(), bias ? &bView : nullptr,
                                    y.view(), span(c.strides), span(pads),
                                    span(c.dilations), c.group));
      EXPECT_TRUE(allClose(y.data, want.data));
      // The body of the CUDA driver, run on the host.
      WindowParams p;
      ASSERT_OK(makeConvTransposeParams(
          x.view(), w.view(), bias ? &bView : nullptr, y.view(),
          span(c.strides), span(pads), span(c.dilations), c.group, p));
      HostTensor<float> body(yShape);
      for (int64_t i = 0; i < body.size(); ++i)
        body.data[i] = convTransposeElement(p, x.data.data(), w.data.data(),
                                            bias ? b.data.data() : nullptr, i);
      EXPECT_TRUE(allClose(body.data, want.data));
    }
  }
}

TEST(ConvTranspose, RejectsWrongOutputSize) {
  HostTensor<float> x({1, 2, 4}), w({2, 3, 3}), y({1, 3, 7});
  EXPECT_ERROR(cpu::conv_transpose(x.view(), w.view(), nullptr, y.view(), {1},
                                   {0, 0}, {1}, 1),
               "y has size 7 in dim 2, expected 6");
}

/// The 4x4 input of the resize cases: (i * i) % 7 for i = 0..15.
HostTensor<float> resizeInput() {
  HostTensor<float> x({1, 1, 4, 4});
  for (int64_t i = 0; i < 16; ++i)
    x.data[i] = static_cast<float>((i * i) % 7);
  return x;
}

TEST(Resize, AntialiasLinearAndCubic) {
  HostTensor<float> x = resizeInput();
  HostTensor<float> linear({1, 1, 2, 2}), cubic({1, 1, 2, 2});
  ASSERT_OK(cpu::resize(x.view(), linear.view(), "linear", "half_pixel",
                        "round_prefer_floor", {1.0, 1.0, 0.5, 0.5}, {}, -0.75f,
                        false, 0.0f, /*antialias=*/true));
  EXPECT_TRUE(
      allClose(linear.data, {1.703125f, 1.921875f, 2.359375f, 1.265625f}));
  ASSERT_OK(cpu::resize(x.view(), cubic.view(), "cubic", "half_pixel",
                        "round_prefer_floor", {1.0, 1.0, 0.6, 0.5}, {}, -0.75f,
                        false, 0.0f, /*antialias=*/true));
  EXPECT_TRUE(
      allClose(cubic.data, {1.6514448f, 2.1025279f, 2.6276984f, 1.4776771f}));
}

TEST(Resize, HalfPixelSymmetric) {
  HostTensor<float> x = resizeInput();
  // Scales 1.7 and 1.3 give 6x5 (floor of 6.8 and 5.2).
  HostTensor<float> y({1, 1, 6, 5});
  ASSERT_OK(cpu::resize(x.view(), y.view(), "linear", "half_pixel_symmetric",
                        "round_prefer_floor", {1.0, 1.0, 1.7, 1.3}, {}, -0.75f,
                        false, 0.0f, false));
  EXPECT_TRUE(allClose(
      y.data,
      {0.05882361f, 0.81108606f, 2.5f,        3.3812215f,  1.9411764f,
       1.2352942f,  2.4174209f,  2.5f,        1.7748867f,  0.76470584f,
       1.7941177f,  3.4061086f,  2.6029413f,  0.99208146f, 0.4117647f,
       1.2058823f,  3.2477374f,  2.8970587f,  1.7386878f,  1.5882353f,
       2.1470587f,  2.662896f,   2.0441177f,  1.3382354f,  1.617647f,
       3.9117646f,  1.8484164f,  0.57352954f, 0.32013583f, 1.0294118f}));
}

TEST(Resize, NearestMovesAnyDtype) {
  // asymmetric, floor: y[i] = x[floor(i / 2)] along the last dim.
  HostTensor<uint8_t> x({2, 3});
  for (int64_t i = 0; i < 6; ++i)
    x.data[i] = static_cast<uint8_t>(200 + i);
  HostTensor<uint8_t> y({2, 6});
  ASSERT_OK(cpu::resize(x.view(), y.view(), "nearest", "asymmetric", "floor",
                        {1.0, 2.0}, {}, -0.75f, false, 0.0f, false));
  EXPECT_EQ(y.data, (std::vector<uint8_t>{200, 200, 201, 201, 202, 202, 203,
                                          203, 204, 204, 205, 205}));
}

TEST(Resize, ZeroScaleIsOutputOverInput) {
  // A resize to sizes over dynamic dims passes scale 0: y's dim over x's,
  // the same as the factors 1.5 and 0.5 given.
  HostTensor<float> x = resizeInput();
  HostTensor<float> given({1, 1, 6, 2}), derived({1, 1, 6, 2});
  ASSERT_OK(cpu::resize(x.view(), given.view(), "linear", "half_pixel",
                        "round_prefer_floor", {1.0, 1.0, 1.5, 0.5}, {}, -0.75f,
                        false, 0.0f, false));
  ASSERT_OK(cpu::resize(x.view(), derived.view(), "linear", "half_pixel",
                        "round_prefer_floor", {0.0, 0.0, 0.0, 0.0}, {}, -0.75f,
                        false, 0.0f, false));
  EXPECT_TRUE(allClose(derived.data, given.data, 0, 0));
}

TEST(Resize, RejectsAntialiasBeyondCountableTaps) {
  // Downscaling by 1e-10 would widen the kernel to 4e10 taps per element.
  HostTensor<float> x({1, 4}), y({1, 1});
  EXPECT_ERROR(cpu::resize(x.view(), y.view(), "cubic", "half_pixel",
                           "round_prefer_floor", {1.0, 1e-10}, {}, -0.75f,
                           false, 0.0f, true),
               "antialias reads more than 2^32 taps per element");
}

TEST(Resize, RejectsInterpolatingIntegers) {
  HostTensor<int32_t> x({2, 3}), y({2, 6});
  EXPECT_ERROR(cpu::resize(x.view(), y.view(), "linear", "half_pixel",
                           "round_prefer_floor", {1.0, 2.0}, {}, -0.75f, false,
                           0.0f, false),
               "x has dtype int32, expected float32");
}

TEST(Recurrent, BidirectionalWithSequenceLengths) {
  // h_t = x_t + 0.5 h_{t-1} (Affine with alpha 1, beta 0), both directions;
  // batch entry 1 is 2 steps long.
  HostTensor<float> x({3, 2, 1});
  x.data = {1, 1, 2, 2, 3, 3};
  HostTensor<float> w({2, 1, 1}, 1.0f), r({2, 1, 1}, 0.5f);
  HostTensor<int32_t> lens({2});
  lens.data = {3, 2};
  HostTensor<float> y({3, 2, 2, 1}, -1.0f), yh({2, 2, 1}, -1.0f);
  TensorView inputs[] = {x.view(), w.view(), r.view(), lens.view()};
  int64_t roles[] = {0, 1, 2, 4};
  int64_t affine = static_cast<int64_t>(RecurrentActivation::Affine);
  ASSERT_OK(cpu::rnn(inputs, y.view(), yh.view(), roles, "bidirectional",
                     {affine, affine}, {1.0, 1.0}, {0.0, 0.0}, 0.0f));
  // Y is (seq, dirs, batch, hidden): forward 1, 2.5, 4.25 and 1, 2.5, 0;
  // reverse 2.75, 3.5, 3 and 2, 2, 0.
  EXPECT_EQ(y.data, (std::vector<float>{1, 1, 2.75f, 2, 2.5f, 2.5f, 3.5f, 2,
                                        4.25f, 0, 3, 0}));
  // Y_h is the last valid step: forward t = len - 1, reverse t = 0.
  EXPECT_EQ(yh.data, (std::vector<float>{4.25f, 2.5f, 2.75f, 2}));
}

TEST(Recurrent, RejectsAMissingRequiredInput) {
  HostTensor<float> x({3, 2, 1}), w({1, 1, 1});
  HostTensor<float> y({3, 1, 2, 1}), yh({1, 2, 1});
  TensorView inputs[] = {x.view(), w.view()};
  int64_t roles[] = {0, 1};
  EXPECT_ERROR(cpu::rnn(inputs, y.view(), yh.view(), roles, "forward", {1},
                        {0.0}, {0.0}, 0.0f),
               "X, W and R are required");
}

} // namespace
} // namespace kiln::test
