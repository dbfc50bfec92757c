//===- GatherScatterTest.cpp - gather_elements, scatter_elements, *_nd ----===//
//
// Each kernel against a naive loop over the coordinates of its ONNX
// definition, with negative indices, duplicates under every reduction, and
// the errors for indices out of range.
//
//===----------------------------------------------------------------------===//

#include "kernels/cpu/Kernels.h"
#include "test/unit/TestUtil.h"

#include <algorithm>
#include <string>

namespace kiln::test {
namespace {

/// The index along a dim of `size` that `index` names.
int64_t wrap(int64_t index, int64_t size) {
  return index < 0 ? index + size : index;
}

template <typename T> T combine(const std::string &reduction, T a, T b) {
  if (reduction == "add")
    return a + b;
  if (reduction == "mul")
    return a * b;
  if (reduction == "max")
    return std::max(a, b);
  if (reduction == "min")
    return std::min(a, b);
  return b;
}

TEST(GatherElements, EveryAxisWithNegativeIndices) {
  std::mt19937 rng(3);
  HostTensor<float> x = randomFloats(rng, {3, 4, 5});
  for (int64_t axis = 0; axis < 3; ++axis) {
    std::vector<int64_t> shape = {2, 3, 4};
    HostTensor<int32_t> indices =
        randomInts<int32_t>(rng, shape, -static_cast<int32_t>(x.shape[axis]),
                            static_cast<int32_t>(x.shape[axis]) - 1);
    HostTensor<float> y(shape), expected(shape);
    for (int64_t j = 0; j < y.size(); ++j) {
      std::vector<int64_t> c = unflattenIndex(j, shape);
      c[axis] = wrap(indices.data[j], x.shape[axis]);
      expected.data[j] = x.at(c);
    }
    ASSERT_OK(cpu::gather_elements(x.view(), indices.view(), y.view(), axis));
    EXPECT_EQ(y.data, expected.data) << "axis " << axis;
  }
}

TEST(GatherElements, RejectsOutOfRangeIndex) {
  HostTensor<float> x({2, 3}), y({2, 2});
  HostTensor<int64_t> indices({2, 2});
  indices.data = {0, 1, -4, 2};
  EXPECT_ERROR(
      cpu::gather_elements(x.view(), indices.view(), y.view(), 1),
      "gather_elements: index -4 at position 2 of the indices is out of range "
      "[-3, 3) for axis 1");
}

/// scatter_elements with duplicates along `axis` under `reduction`.
void checkScatterElements(const std::string &reduction, int64_t axis) {
  std::mt19937 rng(5);
  HostTensor<int64_t> x = randomInts<int64_t>(rng, {3, 4, 5}, -9, 9);
  std::vector<int64_t> shape = {3, 4, 5};
  shape[axis] = 6; // more updates than the dim: duplicates are certain
  HostTensor<int64_t> indices =
      randomInts<int64_t>(rng, shape, -x.shape[axis], x.shape[axis] - 1);
  HostTensor<int64_t> updates = randomInts<int64_t>(rng, shape, -9, 9);
  HostTensor<int64_t> y(x.shape), expected = x;
  for (int64_t j = 0; j < indices.size(); ++j) {
    std::vector<int64_t> c = unflattenIndex(j, shape);
    c[axis] = wrap(indices.data[j], x.shape[axis]);
    expected.at(c) = combine(reduction, expected.at(c), updates.data[j]);
  }
  ASSERT_OK(cpu::scatter_elements(x.view(), indices.view(), updates.view(),
                                  y.view(), axis, reduction.c_str()));
  EXPECT_EQ(y.data, expected.data) << reduction << " axis " << axis;
}

TEST(ScatterElements, EveryReductionAndAxis) {
  for (const char *reduction : {"none", "add", "mul", "max", "min"})
    for (int64_t axis = 0; axis < 3; ++axis)
      checkScatterElements(reduction, axis);
}

TEST(ScatterElements, Errors) {
  HostTensor<float> x({2, 3}), y({2, 3}), updates({1, 2});
  HostTensor<int64_t> indices({1, 2});
  indices.data = {0, 2};
  EXPECT_ERROR(cpu::scatter_elements(x.view(), indices.view(), updates.view(),
                                     y.view(), 0, "none"),
               "scatter_elements: index 2 at position 1 of the indices is out "
               "of range [-2, 2) for axis 0");
  indices.data = {0, 1};
  EXPECT_ERROR(cpu::scatter_elements(x.view(), indices.view(), updates.view(),
                                     y.view(), 0, "sum"),
               "unknown reduction 'sum'");
  HostTensor<uint8_t> bytes({2, 3}), byteUpdates({1, 2}), byteY({2, 3});
  EXPECT_ERROR(cpu::scatter_elements(bytes.view(), indices.view(),
                                     byteUpdates.view(), byteY.view(), 0,
                                     "add"),
               "reduction on dtype uint8 is not supported");
}

TEST(GatherNd, BatchDimsAndPartialTuples) {
  std::mt19937 rng(7);
  // x is (B=2, 3, 4, 5); indices (2, 3, k=2) pick (4, 5) -> slices of 5.
  HostTensor<float> x = randomFloats(rng, {2, 3, 4, 5});
  HostTensor<int64_t> indices({2, 3, 2});
  for (int64_t t = 0; t < 6; ++t) {
    indices.data[2 * t] = t % 2 ? -1 : t % 3;
    indices.data[2 * t + 1] = (t * 5) % 4 - 2;
  }
  HostTensor<float> y({2, 3, 5}), expected({2, 3, 5});
  for (int64_t i = 0; i < y.size(); ++i) {
    std::vector<int64_t> c = unflattenIndex(i, y.shape);
    int64_t tuple = c[0] * 3 + c[1];
    expected.data[i] = x.at({c[0], wrap(indices.data[2 * tuple], 3),
                             wrap(indices.data[2 * tuple + 1], 4), c[2]});
  }
  ASSERT_OK(cpu::gather_nd(x.view(), indices.view(), y.view(), 1));
  EXPECT_EQ(y.data, expected.data);

  // Full tuples without batch dims: one element each.
  HostTensor<int64_t> full({2, 4});
  full.data = {1, 2, 3, 4, 0, -1, 0, -5};
  HostTensor<float> z({2});
  ASSERT_OK(cpu::gather_nd(x.view(), full.view(), z.view(), 0));
  EXPECT_EQ(z.data,
            (std::vector<float>{x.at({1, 2, 3, 4}), x.at({0, 2, 0, 0})}));
}

TEST(GatherNd, RejectsOutOfRangeIndex) {
  HostTensor<float> x({3, 4}), y({1, 4});
  HostTensor<int64_t> indices({1, 1}, 3);
  EXPECT_ERROR(cpu::gather_nd(x.view(), indices.view(), y.view(), 0),
               "gather_nd: index 3 at position 0 of the indices is out of "
               "range [-3, 3) for dim 0");
}

TEST(ScatterNd, EveryReductionWithDuplicates) {
  for (const char *name : {"none", "add", "mul", "max", "min"}) {
    std::string reduction = name;
    std::mt19937 rng(11);
    HostTensor<int32_t> x = randomInts<int32_t>(rng, {4, 3, 2}, -9, 9);
    // Tuples of 2 pick (2)-element slices; 5 tuples over 12 slots repeat.
    HostTensor<int64_t> indices({5, 2});
    indices.data = {0, 1, 3, -1, 0, 1, -4, 1, 2, 0};
    HostTensor<int32_t> updates = randomInts<int32_t>(rng, {5, 2}, -9, 9);
    HostTensor<int32_t> y(x.shape), expected = x;
    for (int64_t t = 0; t < 5; ++t)
      for (int64_t e = 0; e < 2; ++e) {
        int32_t &dst = expected.at({wrap(indices.data[2 * t], 4),
                                    wrap(indices.data[2 * t + 1], 3), e});
        dst = combine(reduction, dst, updates.data[2 * t + e]);
      }
    ASSERT_OK(cpu::scatter_nd(x.view(), indices.view(), updates.view(),
                              y.view(), reduction.c_str()));
    EXPECT_EQ(y.data, expected.data) << reduction;
  }
}

TEST(ScatterNd, RejectsOutOfRangeIndex) {
  HostTensor<float> x({4}), y({4}), updates({2});
  HostTensor<int64_t> indices({2, 1});
  indices.data = {1, -5};
  EXPECT_ERROR(cpu::scatter_nd(x.view(), indices.view(), updates.view(),
                               y.view(), "add"),
               "scatter_nd: index -5 at position 1 of the indices is out of "
               "range [-4, 4) for dim 0");
}

} // namespace
} // namespace kiln::test
