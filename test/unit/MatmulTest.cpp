//===- MatmulTest.cpp - Batched broadcast GEMM against naive loops --------===//

#include "kernels/cpu/Kernels.h"
#include "test/unit/TestUtil.h"

#include <algorithm>

namespace kiln::test {
namespace {

struct MatmulCase {
  std::vector<int64_t> aShape, bShape, outShape;
  bool transA, transB;
  float alpha, beta;
};

/// out[batch] = alpha * op(a) op(b) + beta * out, batch dims broadcast
/// numpy-style.
std::vector<float> referenceMatmul(const MatmulCase &c,
                                   const HostTensor<float> &a,
                                   const HostTensor<float> &b,
                                   const HostTensor<float> &out) {
  size_t rank = c.outShape.size();
  int64_t k = c.aShape[c.aShape.size() - (c.transA ? 2 : 1)];
  std::vector<float> result(out.data.size());
  for (size_t i = 0; i < result.size(); ++i) {
    std::vector<int64_t> oc =
        unflattenIndex(static_cast<int64_t>(i), c.outShape);
    // Operand coordinates: right-aligned batch dims, 0 where broadcast.
    auto operandIndex = [&](const std::vector<int64_t> &shape, int64_t row,
                            int64_t col) {
      std::vector<int64_t> coords(shape.size());
      size_t lead = rank - shape.size();
      for (size_t d = 0; d + 2 < shape.size(); ++d)
        coords[d] = shape[d] == 1 ? 0 : oc[lead + d];
      coords[shape.size() - 2] = row;
      coords[shape.size() - 1] = col;
      int64_t flat = 0;
      for (size_t d = 0; d < shape.size(); ++d)
        flat = flat * shape[d] + coords[d];
      return flat;
    };
    int64_t row = oc[rank - 2], col = oc[rank - 1];
    double acc = 0;
    for (int64_t j = 0; j < k; ++j) {
      float av = a.data[c.transA ? operandIndex(c.aShape, j, row)
                                 : operandIndex(c.aShape, row, j)];
      float bv = b.data[c.transB ? operandIndex(c.bShape, col, j)
                                 : operandIndex(c.bShape, j, col)];
      acc += static_cast<double>(av) * bv;
    }
    result[i] = static_cast<float>(c.alpha * acc + c.beta * out.data[i]);
  }
  return result;
}

class MatmulTest : public ::testing::TestWithParam<MatmulCase> {};

TEST_P(MatmulTest, MatchesReference) {
  const MatmulCase &c = GetParam();
  std::mt19937 rng(21);
  HostTensor<float> a = randomFloats(rng, c.aShape);
  HostTensor<float> b = randomFloats(rng, c.bShape);
  HostTensor<float> out = randomFloats(rng, c.outShape);
  std::vector<float> expected = referenceMatmul(c, a, b, out);
  ASSERT_OK(cpu::matmul(a.view(), b.view(), out.view(), c.alpha, c.beta,
                        c.transA, c.transB));
  EXPECT_TRUE(allClose(out.data, expected, 1e-5f, 1e-4f));
}

/// A bias (N) add + ReLU as a fused kernel.matmul runs it: out[i] =
/// max(out[i] + bias[i % N], 0), each element visited once.
struct BiasRelu {
  float *out;
  const float *bias;
  int64_t n;
  std::vector<int> *visits;

  static void apply(const void *self, float *y, int64_t count) {
    const auto &e = *static_cast<const BiasRelu *>(self);
    for (int64_t j = 0, i = y - e.out; j < count; ++j, ++i) {
      y[j] = std::max(y[j] + e.bias[i % e.n], 0.0f);
      ++(*e.visits)[i];
    }
  }
};

TEST_P(MatmulTest, EpilogueMatchesApplyingItAfter) {
  const MatmulCase &c = GetParam();
  std::mt19937 rng(23);
  HostTensor<float> a = randomFloats(rng, c.aShape);
  HostTensor<float> b = randomFloats(rng, c.bShape);
  HostTensor<float> out = randomFloats(rng, c.outShape);
  int64_t n = c.outShape.back();
  HostTensor<float> bias = randomFloats(rng, {n});
  std::vector<float> expected = referenceMatmul(c, a, b, out);
  for (size_t i = 0; i < expected.size(); ++i)
    expected[i] = std::max(expected[i] + bias.data[i % n], 0.0f);
  std::vector<int> visits(expected.size(), 0);
  BiasRelu state{out.data.data(), bias.data.data(), n, &visits};
  cpu::Epilogue epilogue{&BiasRelu::apply, &state};
  ASSERT_OK(cpu::matmul(a.view(), b.view(), out.view(), c.alpha, c.beta,
                        c.transA, c.transB, &epilogue));
  EXPECT_TRUE(allClose(out.data, expected, 1e-5f, 1e-4f));
  EXPECT_TRUE(
      std::all_of(visits.begin(), visits.end(), [](int v) { return v == 1; }));
}

/// The case in element type T: the f32 operands rounded to T, the
/// reference computed from the rounded values, out compared within
/// `tolerance` (relative and absolute).
template <typename T> void checkMatmulIn(const MatmulCase &c, float tolerance) {
  std::mt19937 rng(22);
  HostTensor<float> a = randomFloats(rng, c.aShape);
  HostTensor<float> b = randomFloats(rng, c.bShape);
  HostTensor<float> out = randomFloats(rng, c.outShape);
  HostTensor<T> at(c.aShape), bt(c.bShape), outt(c.outShape);
  for (size_t i = 0; i < a.data.size(); ++i)
    a.data[i] = static_cast<float>(at.data[i] = T(a.data[i]));
  for (size_t i = 0; i < b.data.size(); ++i)
    b.data[i] = static_cast<float>(bt.data[i] = T(b.data[i]));
  for (size_t i = 0; i < out.data.size(); ++i)
    out.data[i] = static_cast<float>(outt.data[i] = T(out.data[i]));
  std::vector<float> expected = referenceMatmul(c, a, b, out);
  ASSERT_OK(cpu::matmul(at.view(), bt.view(), outt.view(), c.alpha, c.beta,
                        c.transA, c.transB));
  std::vector<float> actual(outt.data.begin(), outt.data.end());
  EXPECT_TRUE(allClose(actual, expected, tolerance, tolerance));
}

TEST_P(MatmulTest, Float64) { checkMatmulIn<double>(GetParam(), 1e-5f); }
TEST_P(MatmulTest, Float16) { checkMatmulIn<half>(GetParam(), 4e-3f); }
TEST_P(MatmulTest, BFloat16) { checkMatmulIn<bfloat16>(GetParam(), 2e-2f); }

INSTANTIATE_TEST_SUITE_P(
    Shapes, MatmulTest,
    ::testing::Values(
        // Plain 2-d.
        MatmulCase{{5, 7}, {7, 3}, {5, 3}, false, false, 1.0f, 0.0f},
        // Gemm-style: transposes, alpha and beta.
        MatmulCase{{7, 5}, {3, 7}, {5, 3}, true, true, 0.5f, 2.0f},
        // Batched a, shared b: the folded single-GEMM path.
        MatmulCase{
            {2, 3, 4, 6}, {6, 5}, {2, 3, 4, 5}, false, false, 1.0f, 0.0f},
        // Shared a, batched b with transB.
        MatmulCase{{4, 6}, {3, 5, 6}, {3, 4, 5}, false, true, 1.0f, 0.0f},
        // Both batched with broadcasting dims of size 1.
        MatmulCase{
            {2, 1, 3, 4}, {1, 3, 4, 2}, {2, 3, 3, 2}, false, false, 1.0f, 0.0f},
        // transA on a batched a with a shared b: not the folded path.
        MatmulCase{{2, 4, 3}, {4, 5}, {2, 3, 5}, true, false, 1.0f, 0.0f},
        // transA on a batched a.
        MatmulCase{{2, 4, 3}, {2, 4, 5}, {2, 3, 5}, true, false, 1.0f, 1.0f},
        // Large enough to split into slabs of rows of C ...
        MatmulCase{{100, 64}, {64, 48}, {100, 48}, false, false, 1.0f, 0.0f},
        // ... and into slabs of columns, when N is the longer side.
        MatmulCase{{8, 256}, {256, 300}, {8, 300}, false, false, 1.0f, 0.0f}));

TEST(MatmulErrors, RejectsMismatchedK) {
  HostTensor<float> a({2, 3}), b({4, 5}), out({2, 5});
  EXPECT_ERROR(cpu::matmul(a.view(), b.view(), out.view(), 1, 0, false, false),
               "a has K = 3, b has K = 4");
}

TEST(MatmulErrors, RejectsMixedAndIntegerTypes) {
  HostTensor<float> a({2, 3}), out({2, 5});
  HostTensor<double> b({3, 5});
  HostTensor<int32_t> ai({2, 3}), bi({3, 5}), outi({2, 5});
  EXPECT_ERROR(cpu::matmul(a.view(), b.view(), out.view(), 1, 0, false, false),
               "b has dtype float64");
  EXPECT_ERROR(
      cpu::matmul(ai.view(), bi.view(), outi.view(), 1, 0, false, false),
      "unsupported dtype int32");
}

TEST(MatmulErrors, RejectsBatchThatDoesNotBroadcast) {
  HostTensor<float> a({3, 2, 3}), b({2, 3, 4}), out({3, 2, 4});
  EXPECT_ERROR(cpu::matmul(a.view(), b.view(), out.view(), 1, 0, false, false),
               "does not broadcast");
}

} // namespace
} // namespace kiln::test
