//===- NormalizationTest.cpp - softmax, log_softmax, layer_norm -----------===//

#include "kernels/cpu/Kernels.h"
#include "test/unit/TestUtil.h"

#include <algorithm>
#include <utility>

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

/// The mean and 1 / sqrt(var + epsilon) of each row of x.shape[axis:].
std::pair<std::vector<float>, std::vector<float>>
referenceRowStatistics(const HostTensor<float> &x, int64_t axis,
                       float epsilon) {
  int64_t rows = 1;
  for (int64_t d = 0; d < axis; ++d)
    rows *= x.shape[d];
  int64_t size = x.size() / rows;
  std::vector<float> means, invStdDevs;
  for (int64_t r = 0; r < rows; ++r) {
    const float *row = x.data.data() + r * size;
    double mean = 0, var = 0;
    for (int64_t j = 0; j < size; ++j)
      mean += row[j];
    mean /= size;
    for (int64_t j = 0; j < size; ++j)
      var += (row[j] - mean) * (row[j] - mean);
    var /= size;
    means.push_back(static_cast<float>(mean));
    invStdDevs.push_back(static_cast<float>(1.0 / std::sqrt(var + epsilon)));
  }
  return {means, invStdDevs};
}

/// x's shape with the dims [axis, rank) set to 1.
std::vector<int64_t> rowStatisticShape(std::vector<int64_t> shape,
                                       int64_t axis) {
  std::fill(shape.begin() + axis, shape.end(), 1);
  return shape;
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
                            hasBias ? &biasView : nullptr, y.view(), nullptr,
                            nullptr, c.axis, 1e-5f));
  EXPECT_TRUE(allClose(
      y.data,
      referenceLayerNorm(x, c.axis, scale, hasBias ? &bias : nullptr, 1e-5f),
      1e-4f, 1e-4f));
}

TEST_P(LayerNormTest, StatisticsMatchReference) {
  const LayerNormCase &c = GetParam();
  std::mt19937 rng(6);
  HostTensor<float> x = randomFloats(rng, c.xShape, -3, 3);
  HostTensor<float> scale = randomFloats(rng, c.scaleShape);
  HostTensor<float> bias = randomFloats(rng, c.biasShape);
  bool hasBias = !c.biasShape.empty();
  std::vector<int64_t> statShape = rowStatisticShape(c.xShape, c.axis);
  HostTensor<float> y(c.xShape, NAN), mean(statShape, NAN),
      invStdDev(statShape, NAN), meanOnly(statShape, NAN);
  TensorView biasView = bias.view(), meanView = mean.view(),
             invStdDevView = invStdDev.view(), meanOnlyView = meanOnly.view();
  ASSERT_OK(cpu::layer_norm(x.view(), scale.view(),
                            hasBias ? &biasView : nullptr, y.view(), &meanView,
                            &invStdDevView, c.axis, 1e-3f));
  auto [expectedMean, expectedInvStdDev] =
      referenceRowStatistics(x, c.axis, 1e-3f);
  EXPECT_TRUE(allClose(mean.data, expectedMean, 1e-5f, 1e-5f));
  EXPECT_TRUE(allClose(invStdDev.data, expectedInvStdDev, 1e-4f, 1e-4f));
  // The statistics do not change y.
  EXPECT_TRUE(allClose(
      y.data,
      referenceLayerNorm(x, c.axis, scale, hasBias ? &bias : nullptr, 1e-3f),
      1e-4f, 1e-4f));
  // The mean alone, without inv_std_dev.
  HostTensor<float> y2(c.xShape, NAN);
  ASSERT_OK(cpu::layer_norm(x.view(), scale.view(),
                            hasBias ? &biasView : nullptr, y2.view(),
                            &meanOnlyView, nullptr, c.axis, 1e-3f));
  EXPECT_TRUE(allClose(meanOnly.data, expectedMean, 1e-5f, 1e-5f));
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
  EXPECT_ERROR(cpu::layer_norm(x.view(), scale.view(), nullptr, y.view(),
                               nullptr, nullptr, 1, 1e-5f),
               "scale does not broadcast");
}

TEST(LayerNormErrors, RejectsStatisticsOfTheWrongShape) {
  HostTensor<float> x({2, 3, 4}), scale({4}), y({2, 3, 4});
  // Right for axis 1, not for axis 2.
  HostTensor<float> mean({2, 1, 1}), invStdDev({2, 3, 1});
  TensorView meanView = mean.view(), invStdDevView = invStdDev.view();
  EXPECT_ERROR(cpu::layer_norm(x.view(), scale.view(), nullptr, y.view(),
                               &meanView, nullptr, 2, 1e-5f),
               "layer_norm: mean must have x's shape with dims [2, 3) set "
               "to 1");
  EXPECT_ERROR(cpu::layer_norm(x.view(), scale.view(), nullptr, y.view(),
                               nullptr, &invStdDevView, 1, 1e-5f),
               "layer_norm: inv_std_dev must have x's shape with dims [1, 3) "
               "set to 1");
}

} // namespace
} // namespace kiln::test
