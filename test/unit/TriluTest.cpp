//===- TriluTest.cpp - trilu against the triangle of its definition -------===//

#include "kernels/cpu/Kernels.h"
#include "test/unit/TestUtil.h"

namespace kiln::test {
namespace {

void checkTrilu(bool upper, int64_t k) {
  std::mt19937 rng(13);
  HostTensor<float> x = randomFloats(rng, {2, 3, 5});
  HostTensor<float> y(x.shape, -7.0f), expected(x.shape);
  for (int64_t i = 0; i < x.size(); ++i) {
    std::vector<int64_t> c = unflattenIndex(i, x.shape);
    int64_t diagonal = c[2] - c[1];
    bool keep = upper ? diagonal >= k : diagonal <= k;
    expected.data[i] = keep ? x.data[i] : 0.0f;
  }
  HostTensor<int64_t> kTensor({}, k);
  TensorView kView = kTensor.view();
  ASSERT_OK(cpu::trilu(x.view(), &kView, y.view(), upper));
  EXPECT_EQ(y.data, expected.data) << (upper ? "upper" : "lower") << " k " << k;
}

TEST(Trilu, UpperAndLowerForEveryDiagonal) {
  for (int64_t k = -4; k <= 6; ++k) {
    checkTrilu(true, k);
    checkTrilu(false, k);
  }
}

TEST(Trilu, WithoutKKeepsTheMainDiagonal) {
  HostTensor<int32_t> x({3, 3}, 5), y({3, 3});
  ASSERT_OK(cpu::trilu(x.view(), nullptr, y.view(), /*upper=*/false));
  EXPECT_EQ(y.data, (std::vector<int32_t>{5, 0, 0, 5, 5, 0, 5, 5, 5}));
}

TEST(Trilu, RejectsVectors) {
  HostTensor<float> x({4}), y({4});
  EXPECT_ERROR(cpu::trilu(x.view(), nullptr, y.view(), true),
               "trilu: x has rank 1, expected 2 to 8");
}

} // namespace
} // namespace kiln::test
