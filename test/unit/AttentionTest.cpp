//===- AttentionTest.cpp - fused attention against naive loops ------------===//
//
// kiln::cpu::attention (GEMM tiles, online softmax) and attentionRow of
// kernels/common/Attention.h (the body the CUDA driver runs) against the
// score matrix computed whole, in double.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Attention.h"
#include "kernels/cpu/Kernels.h"
#include "test/unit/TestUtil.h"

#include <cmath>

namespace kiln::test {
namespace {

/// softmax(q kᵀ · scale + mask) v with the scores of a row stored whole; a
/// row whose scores are all -inf gives zeros. q (B, S_q, D), k (B, S_k, D),
/// v (B, S_k, D_v), mask (B or 1, S_q or 1, S_k or 1) or empty.
std::vector<float> referenceAttention(const HostTensor<float> &q,
                                      const HostTensor<float> &k,
                                      const HostTensor<float> &v,
                                      const HostTensor<float> *mask,
                                      float scale) {
  int64_t batches = q.shape[0], sq = q.shape[1], d = q.shape[2];
  int64_t sk = k.shape[1], dv = v.shape[2];
  std::vector<float> out(batches * sq * dv);
  std::vector<double> s(sk);
  for (int64_t b = 0; b < batches; ++b)
    for (int64_t i = 0; i < sq; ++i) {
      double max = -INFINITY;
      for (int64_t j = 0; j < sk; ++j) {
        double dot = 0;
        for (int64_t t = 0; t < d; ++t)
          dot += double(q.data[(b * sq + i) * d + t]) *
                 k.data[(b * sk + j) * d + t];
        s[j] = dot * scale;
        if (mask) {
          int64_t mb = mask->shape[0] == 1 ? 0 : b;
          int64_t mi = mask->shape[1] == 1 ? 0 : i;
          int64_t mj = mask->shape[2] == 1 ? 0 : j;
          s[j] += mask->data[(mb * mask->shape[1] + mi) * mask->shape[2] + mj];
        }
        max = std::max(max, s[j]);
      }
      double sum = 0;
      for (int64_t j = 0; j < sk; ++j) {
        s[j] = max == -INFINITY ? 0.0 : std::exp(s[j] - max);
        sum += s[j];
      }
      for (int64_t t = 0; t < dv; ++t) {
        double acc = 0;
        for (int64_t j = 0; j < sk; ++j)
          acc += s[j] * v.data[(b * sk + j) * dv + t];
        out[(b * sq + i) * dv + t] = sum > 0 ? float(acc / sum) : 0.0f;
      }
    }
  return out;
}

/// Runs both the CPU driver and the row body on the same operands and
/// compares each with the reference.
void checkAttention(HostTensor<float> q, HostTensor<float> k,
                    HostTensor<float> v, HostTensor<float> *mask,
                    float scale) {
  std::vector<float> want = referenceAttention(q, k, v, mask, scale);
  HostTensor<float> out({q.shape[0], q.shape[1], v.shape[2]}, NAN);
  TensorView maskView = mask ? mask->view() : TensorView{};
  ASSERT_OK(cpu::attention(q.view(), k.view(), v.view(),
                           mask ? &maskView : nullptr, out.view(), scale));
  EXPECT_TRUE(allClose(out.data, want, 1e-5f, 1e-4f)) << "cpu driver";

  HostTensor<float> rows(out.shape, NAN);
  AttentionParams p;
  ASSERT_OK(makeAttentionParams(q.view(), k.view(), v.view(),
                                mask ? &maskView : nullptr, rows.view(), scale,
                                p));
  for (int64_t b = 0; b < p.numBatches(); ++b)
    for (int64_t i = 0; i < p.sq; ++i)
      attentionRow(p, q.data.data(), k.data.data(), v.data.data(),
                   mask ? mask->data.data() : nullptr, rows.data.data(), b, i);
  EXPECT_TRUE(allClose(rows.data, want, 1e-5f, 1e-4f)) << "row body";
}

TEST(Attention, NoMaskMatchesReference) {
  std::mt19937 rng(1);
  checkAttention(randomFloats(rng, {3, 70, 16}), randomFloats(rng, {3, 50, 16}),
                 randomFloats(rng, {3, 50, 16}), nullptr, 0.25f);
}

// S_k = 300 is no multiple of either driver's key tile; D_v != D.
TEST(Attention, RaggedKeyTilesAndValueWidth) {
  std::mt19937 rng(2);
  checkAttention(randomFloats(rng, {2, 130, 24}),
                 randomFloats(rng, {2, 300, 24}),
                 randomFloats(rng, {2, 300, 40}), nullptr, 0.2f);
}

// Scores large enough that a later tile's max rescales the earlier ones.
TEST(Attention, RescalesWhenTheMaxGrows) {
  std::mt19937 rng(3);
  HostTensor<float> k = randomFloats(rng, {1, 400, 8}, -3, 3);
  for (int64_t j = 0; j < 400; ++j)
    for (int64_t t = 0; t < 8; ++t)
      k.data[j * 8 + t] *= 1.0f + j / 40.0f;
  checkAttention(randomFloats(rng, {1, 33, 8}, -3, 3), k,
                 randomFloats(rng, {1, 400, 8}), nullptr, 1.0f);
}

// An additive mask broadcast over the batch with -3.4e38 entries (BERT's
// padding), one row of it wholly masked (uniform weights).
TEST(Attention, LargeNegativeMaskBroadcastOverBatch) {
  std::mt19937 rng(4);
  HostTensor<float> mask({1, 65, 140}, 0.0f);
  for (int64_t i = 0; i < 65; ++i)
    for (int64_t j = 0; j < 140; ++j)
      if (j > 100 || i == 7)
        mask.data[i * 140 + j] = -3.40282347e38f;
  checkAttention(randomFloats(rng, {4, 65, 32}),
                 randomFloats(rng, {4, 140, 32}),
                 randomFloats(rng, {4, 140, 32}), &mask, 0.125f);
}

// A causal -inf mask, whose first key tile is all -inf for no row but whose
// later tiles are for the first rows; one row all -inf gives zeros.
TEST(Attention, CausalInfiniteMaskAndFullyMaskedRow) {
  std::mt19937 rng(5);
  int64_t s = 150;
  HostTensor<float> mask({1, s, s}, 0.0f);
  for (int64_t i = 0; i < s; ++i)
    for (int64_t j = 0; j < s; ++j)
      if (j > i || i == 3)
        mask.data[i * s + j] = -INFINITY;
  checkAttention(randomFloats(rng, {2, s, 16}), randomFloats(rng, {2, s, 16}),
                 randomFloats(rng, {2, s, 16}), &mask, 0.25f);
}

// A key mask (1, 1, S_k) broadcast over the query rows, -inf on a tile's
// worth of leading keys.
TEST(Attention, KeyMaskBroadcastOverRows) {
  std::mt19937 rng(6);
  HostTensor<float> mask({1, 1, 200}, 0.0f);
  for (int64_t j = 0; j < 130; ++j)
    mask.data[j] = -INFINITY;
  checkAttention(randomFloats(rng, {2, 10, 16}), randomFloats(rng, {2, 200, 16}),
                 randomFloats(rng, {2, 200, 16}), &mask, 0.25f);
}

TEST(Attention, RefusesMismatchedShapes) {
  HostTensor<float> q({2, 4, 8}), k({2, 5, 6}), v({2, 5, 8}), out({2, 4, 8});
  EXPECT_ERROR(cpu::attention(q.view(), k.view(), v.view(), nullptr,
                              out.view(), 1.0f),
               "disagree");
  HostTensor<float> k2({2, 5, 8}), mask({3, 4, 5});
  TensorView maskView = mask.view();
  EXPECT_ERROR(cpu::attention(q.view(), k2.view(), v.view(), &maskView,
                              out.view(), 1.0f),
               "does not broadcast");
}

} // namespace
} // namespace kiln::test
