//===- PadTest.cpp - pad in every mode against numpy's definitions --------===//

#include "kernels/cpu/Kernels.h"
#include "test/unit/TestUtil.h"

#include <string>

namespace kiln::test {
namespace {

/// The x coordinate numpy's np.pad reads for y coordinate c along a dim of
/// n padded by `begin`, by stepping outward one reflection at a time; -1
/// for the constant.
int64_t referenceCoord(const std::string &mode, int64_t c, int64_t begin,
                       int64_t n) {
  int64_t i = c - begin;
  if (i >= 0 && i < n)
    return i;
  if (mode == "constant")
    return -1;
  if (mode == "edge")
    return i < 0 ? 0 : n - 1;
  if (mode == "wrap") {
    while (i < 0)
      i += n;
    return i % n;
  }
  // reflect: bounce between 0 and n - 1.
  if (n == 1)
    return 0;
  while (i < 0 || i >= n)
    i = i < 0 ? -i : 2 * (n - 1) - i;
  return i;
}

void checkPad(const std::string &mode, std::vector<int64_t> pads) {
  std::mt19937 rng(23);
  HostTensor<float> x = randomFloats(rng, {3, 4});
  std::vector<int64_t> yShape = {3 + pads[0] + pads[2], 4 + pads[1] + pads[3]};
  HostTensor<float> value({}, 2.5f);
  HostTensor<float> y(yShape), expected(yShape);
  for (int64_t i = 0; i < y.size(); ++i) {
    std::vector<int64_t> c = unflattenIndex(i, yShape);
    int64_t r = referenceCoord(mode, c[0], pads[0], 3);
    int64_t s = referenceCoord(mode, c[1], pads[1], 4);
    expected.data[i] = r < 0 || s < 0 ? 2.5f : x.at({r, s});
  }
  TensorView valueView = value.view();
  ASSERT_OK(cpu::pad(x.view(), &valueView, y.view(),
                     {pads.data(), static_cast<int64_t>(pads.size())},
                     mode.c_str()));
  EXPECT_EQ(y.data, expected.data) << mode;
}

TEST(Pad, EveryModeWithWidePadsAndCrops) {
  for (const char *mode : {"constant", "reflect", "edge", "wrap"}) {
    checkPad(mode, {1, 2, 2, 1});
    // Pads wider than the dim reflect and wrap more than once.
    checkPad(mode, {4, 9, 5, 7});
    // Negative pads crop.
    checkPad(mode, {-1, 3, 0, -2});
  }
}

TEST(Pad, ConstantDefaultsToZero) {
  HostTensor<int64_t> x({2}, 7), y({4}, 9);
  ASSERT_OK(cpu::pad(x.view(), nullptr, y.view(), {1, 1}, "constant"));
  EXPECT_EQ(y.data, (std::vector<int64_t>{0, 7, 7, 0}));
}

TEST(Pad, Errors) {
  HostTensor<float> x({2, 3}), y({2, 5}), empty({0, 3}), grown({2, 3});
  EXPECT_ERROR(cpu::pad(x.view(), nullptr, y.view(), {0, 1, 0, 1}, "mirror"),
               "pad: unknown mode 'mirror'");
  EXPECT_ERROR(cpu::pad(x.view(), nullptr, y.view(), {0, 1, 0, 0}, "edge"),
               "pad: y has size 5 in dim 1, expected 4");
  EXPECT_ERROR(
      cpu::pad(empty.view(), nullptr, grown.view(), {1, 0, 1, 0}, "reflect"),
      "dim 0 of x is empty");
}

} // namespace
} // namespace kiln::test
