//===- NormalizationTest.cpp - softmax, log_softmax, layer_norm -----------===//

#include "kernels/cpu/Kernels.h"
#include "test/unit/TestUtil.h"

namespace kiln::test {
namespace {

/// The indices of the line through `index` along `axis`.
std::vector<int64_t> lineThrough(const std::vector<int64_t> &shape,
                                 int64_t index, int64_t axis) {
  std::vector<int64_t> coords = unflattenIndex(index, shape), line;
  for (int64_t a = 0; a < shape[axis]; ++a) {
    coords[axis] = a;
    int64_t flat = 0;
    for (size_t d = 0; d < shape.size(); ++d)
      flat = flat * shape[d] + coords[d];
    line.push_back(flat);
  }
  return line;
}

std::vector<float> referenceSoftmax(const HostTensor<float> &x, int64_t axis,
                                    bool log) {
  std::vector<float> y(x.data.size());
  for (int64_t i = 0; i < x.size(); ++i) {
    std::vector<int64_t> line = lineThrough(x.shape, i, axis);
    double max = -INFINITY, sum = 0;
    for (int64_t j : line)
      max = std::max<double>(max, x.data[j]);
    for (int64_t j : line)
      sum += std::exp(x.data[j] - max);
    y[i] = log ? static_cast<float>(x.data[i] - max - std::log(sum))
               : static_cast<float>(std::exp(x.data[i] - max) / sum);
  }
  return y;
}

TEST(Softmax, EveryAxisMatchesReference) {
  std::mt19937 rng(1);
  HostTensor<float> x = randomFloats(rng, {3, 4, 5}, -5, 5);
  for (int64_t axis = 0; axis < 3; ++axis) {
    HostTensor<float> y(x.shape, NAN), logY(x.shape, NAN);
    ASSERT_OK(cpu::softmax(x.view(), y.view(), axis));
    ASSERT_OK(cpu::log_softmax(x.view(), logY.view(), axis));
    EXPECT_TRUE(allClose(y.data, referenceSoftmax(x, axis, false)))
        << "axis " << axis;
    EXPECT_TRUE(allClose(logY.data, referenceSoftmax(x, axis, true)))
        << "axis " << axis;
  }
}

TEST(Softmax, LargeInputsStayFinite) {
  HostTensor<float> x({1, 3}), y({1, 3});
  x.data = {1000.0f, 1000.0f, -1000.0f};
  ASSERT_OK(cpu::softmax(x.view(), y.view(), 1));
  EXPECT_TRUE(allClose(y.data, {0.5f, 0.5f, 0.0f}));
}

TEST(Softmax, RejectsBadAxisAndShape) {
  HostTensor<float> x({2, 3}), y({2, 3}), z({3, 2});
  EXPECT_ERROR(cpu::softmax(x.view(), y.view(), 2),
               "softmax: axis 2 out of range for rank 2");
  EXPECT_ERROR(cpu::log_softmax(x.view(), z.view(), 1),
               "log_softmax: y has shape 3x2, expected 2x3");
}

/// Layer norm over x.shape[axis:] with scale and bias of shape
/// `paramShape`, right-aligned and broadcast to that.
std::vector<float> referenceLayerNorm(const HostTensor<float> &x, int64_t axis,
                                      const HostTensor<float> &scale,
                                      const HostTensor<float> *bias,
                                      float epsilon) {
  int64_t rows = 1, size = 1;
  for (int64_t d = 0; d < axis; ++d)
    rows *= x.shape[d];
  std::vector<int64_t> normShape(x.shape.begin() + axis, x.shape.end());
  size = product(normShape);
  auto paramAt = [&](const HostTensor<float> &p, int64_t j) {
    std::vector<int64_t> coords = unflattenIndex(j, normShape);
    int64_t flat = 0, lead = normShape.size() - p.shape.size();
    for (size_t d = 0; d < p.shape.size(); ++d)
      flat = flat * p.shape[d] + (p.shape[d] == 1 ? 0 : coords[lead + d]);
    return p.data[flat];
  };
  std::vector<float> y(x.data.size());
  for (int64_t r = 0; r < rows; ++r) {
    const float *row = x.data.data() + r * size;
    double mean = 0, var = 0;
    for (int64_t j = 0; j < size; ++j)
      mean += row[j];
    mean /= size;
    for (int64_t j = 0; j < size; ++j)
      var += (row[j] - mean) * (row[j] - mean);
    var /= size;
    for (int64_t j = 0; j < size; ++j)
      y[r * size + j] = static_cast<float>(
          (row[j] - mean) / std::sqrt(var + epsilon) * paramAt(scale, j) +
          (bias ? paramAt(*bias, j) : 0.0f));
  }
  return y;
}

struct LayerNormCase {
  std::vector<int64_t> xShape;
  int64_t axis;
  std::vector<int64_t> scaleShape, biasShape; // empty bias: none
};

class LayerNormTest : public ::testing::TestWithParam<LayerNormCase> {};

TEST_P(LayerNormTest, MatchesReference) {
  const LayerNormCase &c = GetParam();
  std::mt19937 rng(5);
  HostTensor<float> x = randomFloats(rng, c.xShape, -3, 3);
  HostTensor<float> scale = randomFloats(rng, c.scaleShape);
  HostTensor<float> bias = randomFloats(rng, c.biasShape);
  bool hasBias = !c.biasShape.empty();
  HostTensor<float> y(c.xShape, NAN);
  TensorView biasView = bias.view();
  ASSERT_OK(cpu::layer_norm(x.view(), scale.view(),
                            hasBias ? &biasView : nullptr, y.view(), c.axis,
                            1e-5f));
  EXPECT_TRUE(allClose(
      y.data,
      referenceLayerNorm(x, c.axis, scale, hasBias ? &bias : nullptr, 1e-5f),
      1e-4f, 1e-4f));
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, LayerNormTest,
    ::testing::Values(
        // The usual last-axis norm with bias.
        LayerNormCase{{2, 5, 16}, 2, {16}, {16}},
        // Two normalized dims, scale only on the last (broadcast).
        LayerNormCase{{3, 4, 6}, 1, {6}, {1, 6}},
        // No bias; scale of full normalized shape.
        LayerNormCase{{4, 3, 5}, 1, {3, 5}, {}},
        // Normalizing everything (axis 0).
        LayerNormCase{{2, 7}, 0, {2, 7}, {7}}));

TEST(LayerNormErrors, RejectsScaleThatDoesNotBroadcast) {
  HostTensor<float> x({2, 8}), scale({4}), y({2, 8});
  EXPECT_ERROR(
      cpu::layer_norm(x.view(), scale.view(), nullptr, y.view(), 1, 1e-5f),
      "scale does not broadcast");
}

} // namespace
} // namespace kiln::test
