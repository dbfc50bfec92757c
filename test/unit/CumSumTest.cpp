//===- CumSumTest.cpp - cumsum against sums written out -------------------===//

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

TEST(CumSum, RejectsBytes) {
  HostTensor<uint8_t> x({4}), y({4});
  EXPECT_ERROR(cpu::cumsum(x.view(), y.view(), 0, false, false),
               "cumsum: unsupported dtype uint8");
}

} // namespace
} // namespace kiln::test
