//===- DataMovementTest.cpp - transpose, slice, gather, concat, ... -------===//

#include "kernels/cpu/Kernels.h"
#include "test/unit/TestUtil.h"

#include <numeric>

namespace kiln::test {
namespace {

/// Values that are distinct and name their flat position.
template <typename T> HostTensor<T> iota(std::vector<int64_t> shape) {
  HostTensor<T> t(std::move(shape));
  for (int64_t i = 0; i < t.size(); ++i)
    t.data[i] = static_cast<T>(i + 1);
  return t;
}

template <typename T>
void checkTranspose(std::vector<int64_t> shape, std::vector<int64_t> perm) {
  HostTensor<T> x = iota<T>(shape);
  std::vector<int64_t> yShape;
  for (int64_t p : perm)
    yShape.push_back(shape[p]);
  HostTensor<T> y(yShape), expected(yShape);
  for (int64_t i = 0; i < y.size(); ++i) {
    std::vector<int64_t> yc = unflattenIndex(i, yShape), xc(shape.size());
    for (size_t d = 0; d < perm.size(); ++d)
      xc[perm[d]] = yc[d];
    expected.data[i] = x.at(xc);
  }
  ASSERT_OK(cpu::transpose(x.view(), y.view(),
                           {perm.data(), static_cast<int64_t>(perm.size())}));
  EXPECT_EQ(y.data, expected.data);
}

TEST(Transpose, EveryElementSize) {
  checkTranspose<float>({2, 3, 4}, {2, 0, 1});
  checkTranspose<int64_t>({2, 3, 4, 5}, {0, 2, 3, 1});
  checkTranspose<uint16_t>({3, 5}, {1, 0});
  checkTranspose<uint8_t>({2, 2, 3}, {1, 2, 0});
  // Large enough for the parallel loop.
  checkTranspose<float>({64, 33, 17}, {1, 2, 0});
}

TEST(Transpose, RejectsNonPermutation) {
  HostTensor<float> x({2, 3}), y({3, 2});
  EXPECT_ERROR(cpu::transpose(x.view(), y.view(), {1, 1}),
               "perm is not a permutation");
}

TEST(Slice, PositiveAndNegativeSteps) {
  HostTensor<int32_t> x = iota<int32_t>({4, 6, 5});
  std::vector<int64_t> starts = {1, 5, 0}, steps = {2, -2, 1};
  HostTensor<int32_t> y({2, 3, 5}), expected({2, 3, 5});
  for (int64_t i = 0; i < y.size(); ++i) {
    std::vector<int64_t> c = unflattenIndex(i, y.shape);
    expected.data[i] =
        x.at({starts[0] + c[0] * steps[0], starts[1] + c[1] * steps[1],
              starts[2] + c[2] * steps[2]});
  }
  ASSERT_OK(cpu::slice(x.view(), y.view(), {1, 5, 0}, {2, -2, 1}));
  EXPECT_EQ(y.data, expected.data);
}

TEST(Slice, RejectsReadsOutsideInput) {
  HostTensor<float> x({4}), y({3});
  EXPECT_ERROR(cpu::slice(x.view(), y.view(), {2}, {1}),
               "slice: dim 0 reads outside x");
}

template <typename Index> void checkGather(int64_t axis) {
  HostTensor<float> x = iota<float>({3, 4, 5});
  HostTensor<Index> indices({2, 2});
  indices.data = {0, -1, 2, 1};
  std::vector<int64_t> yShape;
  for (int64_t d = 0; d < axis; ++d)
    yShape.push_back(x.shape[d]);
  yShape.insert(yShape.end(), {2, 2});
  for (int64_t d = axis + 1; d < 3; ++d)
    yShape.push_back(x.shape[d]);
  HostTensor<float> y(yShape), expected(yShape);
  for (int64_t i = 0; i < y.size(); ++i) {
    std::vector<int64_t> yc = unflattenIndex(i, yShape), xc;
    int64_t index = indices.at({yc[axis], yc[axis + 1]});
    if (index < 0)
      index += x.shape[axis];
    for (int64_t d = 0; d < 3; ++d)
      xc.push_back(d < axis ? yc[d] : d == axis ? index : yc[d + 1]);
    expected.data[i] = x.at(xc);
  }
  ASSERT_OK(cpu::gather(x.view(), indices.view(), y.view(), axis));
  EXPECT_EQ(y.data, expected.data) << "axis " << axis;
}

TEST(Gather, EveryAxisBothIndexTypes) {
  for (int64_t axis = 0; axis < 3; ++axis) {
    checkGather<int64_t>(axis);
    checkGather<int32_t>(axis);
  }
}

TEST(Gather, RejectsOutOfRangeIndex) {
  HostTensor<float> x({3, 2}), y({1, 2});
  HostTensor<int64_t> indices({1}, 3);
  EXPECT_ERROR(cpu::gather(x.view(), indices.view(), y.view(), 0),
               "index 3 out of range for axis 0 of size 3");
}

TEST(ConcatSplit, RoundTripAlongEachAxis) {
  for (int64_t axis = 0; axis < 3; ++axis) {
    std::vector<int64_t> base = {2, 3, 4};
    std::vector<HostTensor<int64_t>> pieces;
    std::vector<int64_t> sizes = {1, 3, 2};
    int64_t offset = 0;
    for (int64_t s : sizes) {
      std::vector<int64_t> shape = base;
      shape[axis] = s;
      HostTensor<int64_t> piece(shape);
      for (int64_t i = 0; i < piece.size(); ++i)
        piece.data[i] = 1000 * offset + i;
      offset += 1;
      pieces.push_back(piece);
    }
    std::vector<int64_t> wholeShape = base;
    wholeShape[axis] = 6;
    HostTensor<int64_t> whole(wholeShape), expected(wholeShape);
    // expected[c] = the piece holding c along axis.
    for (int64_t i = 0; i < expected.size(); ++i) {
      std::vector<int64_t> c = unflattenIndex(i, wholeShape);
      int64_t p = 0, a = c[axis];
      while (a >= sizes[p])
        a -= sizes[p++];
      c[axis] = a;
      expected.data[i] = pieces[p].at(c);
    }
    std::vector<TensorView> views;
    for (HostTensor<int64_t> &piece : pieces)
      views.push_back(piece.view());
    ASSERT_OK(cpu::concat({views.data(), 3}, whole.view(), axis));
    EXPECT_EQ(whole.data, expected.data) << "axis " << axis;

    std::vector<HostTensor<int64_t>> outs;
    std::vector<TensorView> outViews;
    for (HostTensor<int64_t> &piece : pieces)
      outs.emplace_back(piece.shape, -1);
    for (HostTensor<int64_t> &out : outs)
      outViews.push_back(out.view());
    ASSERT_OK(cpu::split(whole.view(), {outViews.data(), 3}, axis));
    for (size_t p = 0; p < pieces.size(); ++p)
      EXPECT_EQ(outs[p].data, pieces[p].data) << "axis " << axis;
  }
}

TEST(ConcatSplit, RejectsMismatchedPieces) {
  HostTensor<float> a({2, 3}), b({3, 3}), y({4, 3});
  EXPECT_ERROR(cpu::concat({a.view(), b.view()}, y.view(), 0),
               "pieces add up to 5 along axis 0, expected 4");
  HostTensor<float> c({2, 2});
  EXPECT_ERROR(cpu::concat({a.view(), c.view()}, y.view(), 0),
               "a piece has size 2 in dim 1, expected 3");
}

TEST(Tile, RepeatsEveryDim) {
  HostTensor<uint8_t> x = iota<uint8_t>({2, 3});
  HostTensor<uint8_t> y({4, 9}), expected({4, 9});
  for (int64_t i = 0; i < y.size(); ++i) {
    std::vector<int64_t> c = unflattenIndex(i, y.shape);
    expected.data[i] = x.at({c[0] % 2, c[1] % 3});
  }
  ASSERT_OK(cpu::tile(x.view(), y.view()));
  EXPECT_EQ(y.data, expected.data);
  HostTensor<uint8_t> bad({4, 8});
  EXPECT_ERROR(cpu::tile(x.view(), bad.view()), "is not a multiple");
}

TEST(Range, FloatAndIntegers) {
  HostTensor<float> start({}, 1.0f), limit({}, 2.0f), delta({}, 0.25f);
  HostTensor<float> y({4});
  ASSERT_OK(cpu::range(start.view(), limit.view(), delta.view(), y.view()));
  EXPECT_TRUE(allClose(y.data, {1.0f, 1.25f, 1.5f, 1.75f}, 0, 0));

  HostTensor<int64_t> s({}, 10), l({}, 3), d({}, -3);
  HostTensor<int64_t> yi({3});
  ASSERT_OK(cpu::range(s.view(), l.view(), d.view(), yi.view()));
  EXPECT_EQ(yi.data, (std::vector<int64_t>{10, 7, 4}));

  HostTensor<int64_t> wrong({2});
  EXPECT_ERROR(cpu::range(s.view(), l.view(), d.view(), wrong.view()),
               "y has size 2 in dim 0, expected 3");
}

} // namespace
} // namespace kiln::test
