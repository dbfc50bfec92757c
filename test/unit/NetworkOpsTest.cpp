//===- NetworkOpsTest.cpp - Network ops of exported models vs naive loops -===//
//
// top_k against a stable sort of each row.
//
//===----------------------------------------------------------------------===//

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
    for (int64_t k : {int64_t(0), int64_t(1), xi.shape[axis] - 1,
                      xi.shape[axis]}) {
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

} // namespace
} // namespace kiln::test
