//===- CumSumTest.cpp - cumsum, cumprod against sums and products ---------===//

#include "kernels/cpu/Kernels.h"
#include "test/unit/TestUtil.h"

namespace kiln::test {
namespace {

/// Every mode along every axis of a (3, 4, 5) tensor against a direct sum
/// over the elements each output covers.
TEST(CumSum, EveryModeAndAxis) {
  std::mt19937 rng(19);
  HostTensor<int64_t> x = randomInts<int64_t>(rng, {3, 4, 5}, -20, 20);
  for (int64_t axis = 0; axis < 3; ++axis)
    for (bool exclusive : {false, true})
      for (bool reverse : {false, true}) {
        HostTensor<int64_t> y(x.shape, 99), expected(x.shape);
        for (int64_t i = 0; i < x.size(); ++i) {
          std::vector<int64_t> c = unflattenIndex(i, x.shape);
          int64_t at = c[axis], sum = 0;
          for (int64_t t = 0; t < x.shape[axis]; ++t) {
            bool covered = reverse ? t > at || (!exclusive && t == at)
                                   : t < at || (!exclusive && t == at);
            c[axis] = t;
            if (covered)
              sum += x.at(c);
          }
          expected.data[i] = sum;
        }
        ASSERT_OK(cpu::cumsum(x.view(), y.view(), axis, exclusive, reverse));
        EXPECT_EQ(y.data, expected.data) << "axis " << axis << " exclusive "
                                         << exclusive << " reverse " << reverse;
      }
}

/// cumprod in every mode along every axis of a (2, 3, 4) tensor against a
/// direct product over the elements each output covers (1 for none).
TEST(CumProd, EveryModeAndAxis) {
  std::mt19937 rng(23);
  HostTensor<int32_t> x = randomInts<int32_t>(rng, {2, 3, 4}, -3, 3);
  for (int64_t axis = 0; axis < 3; ++axis)
    for (bool exclusive : {false, true})
      for (bool reverse : {false, true}) {
        HostTensor<int32_t> y(x.shape, 99), expected(x.shape);
        for (int64_t i = 0; i < x.size(); ++i) {
          std::vector<int64_t> c = unflattenIndex(i, x.shape);
          int64_t at = c[axis];
          int32_t product = 1;
          for (int64_t t = 0; t < x.shape[axis]; ++t) {
            bool covered = reverse ? t > at || (!exclusive && t == at)
                                   : t < at || (!exclusive && t == at);
            c[axis] = t;
            if (covered)
              product *= x.at(c);
          }
          expected.data[i] = product;
        }
        ASSERT_OK(cpu::cumprod(x.view(), y.view(), axis, exclusive, reverse));
        EXPECT_EQ(y.data, expected.data) << "axis " << axis << " exclusive "
                                         << exclusive << " reverse " << reverse;
      }
}

TEST(CumProd, Doubles) {
  HostTensor<double> x({4}), y({4});
  x.data = {1.5, -2.0, 0.5, 4.0};
  ASSERT_OK(cpu::cumprod(x.view(), y.view(), 0, false, false));
  EXPECT_EQ(y.data, (std::vector<double>{1.5, -3.0, -1.5, -6.0}));
  EXPECT_ERROR(
      cpu::cumprod(x.view(), HostTensor<float>({4}).view(), 0, false, false),
      "cumprod: y has dtype float32");
}

TEST(CumSum, RejectsBytes) {
  HostTensor<uint8_t> x({4}), y({4});
  EXPECT_ERROR(cpu::cumsum(x.view(), y.view(), 0, false, false),
               "cumsum: unsupported dtype uint8");
}

} // namespace
} // namespace kiln::test
