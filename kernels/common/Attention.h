//===- Attention.h - The math of fused attention ----------------*- C++ -*-===//
//
//   out = softmax(q kᵀ · scale + mask) v
//
// q is (B..., S_q, D), k is (B..., S_k, D), v is (B..., S_k, D_v), out is
// (B..., S_q, D_v); mask is added to the scores, broadcast to
// (B..., S_q, S_k). One query row streams over the keys in tiles
// (FlashAttention's online softmax), so the S_q x S_k scores are never
// stored. A row keeps its running max m, its running sum l and its
// accumulator acc (the row of out itself); for each tile of scores s_j
// (scaled and masked):
//
//   m' = max(m, max_j s_j),  c = e^(m - m'),  p_j = e^(s_j - m')
//   l' = c l + sum_j p_j,    acc' = c acc + sum_j p_j v_j
//
// and at the end out = acc / l. A row whose scores are all -inf (l = 0)
// gives zeros, as PyTorch's exported where(isnan(p), 0, p) does.
//
// The CUDA driver runs attentionRow per query row; the CPU driver forms a
// block's tile of scores and its products with v as GEMMs, and runs the
// same per-row step (attentionOnlineStep) and end (attentionFinishRow).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_ATTENTION_H
#define KILN_KERNELS_COMMON_ATTENTION_H

#include "kernels/common/Broadcast.h"
#include "kernels/common/Checks.h"
#include "kernels/common/FastMath.h"

#include <math.h>

namespace kiln {

/// Keys per tile of attentionRow: the scores of one tile live in registers
/// or local memory of the thread.
constexpr int64_t kAttentionRowTile = 32;

/// Sizes and element strides of one attention call. Every operand is seen
/// as (batch dims, rows, cols) with strides per batch dim and per row; its
/// cols are contiguous, except the mask's, whose col stride is 0 or 1.
struct AttentionParams {
  int32_t batchRank;
  int64_t batchDims[kMaxRank];
  int64_t sq, sk, d, dv;
  float scale;
  int64_t qBatch[kMaxRank], kBatch[kMaxRank], vBatch[kMaxRank],
      outBatch[kMaxRank], maskBatch[kMaxRank];
  int64_t qRow, kRow, vRow, outRow, maskRow, maskCol;
  bool hasMask;

  /// The product of the batch dims: the number of (batch, head) pairs.
  KILN_HD int64_t numBatches() const {
    int64_t n = 1;
    for (int32_t i = 0; i < batchRank; ++i)
      n *= batchDims[i];
    return n;
  }
  /// The element offset of flat batch index `b` in an operand with batch
  /// strides `strides`.
  KILN_HD int64_t batchOffset(int64_t b, const int64_t *strides) const {
    return batchRank == 0 ? 0
                          : broadcastOffset(b, batchRank, batchDims, strides);
  }
};

/// Checks the operands of `attention` and fills `p` for dense row-major
/// q, k, v, out and a mask broadcast to the scores.
inline Status makeAttentionParams(const TensorView &q, const TensorView &k,
                                  const TensorView &v, const TensorView *mask,
                                  const TensorView &out, float scale,
                                  AttentionParams &p) {
  const char *kernel = "attention";
  for (const TensorView *t : {&q, &k, &v, &out})
    KILN_RETURN_IF_ERROR(checkDtype(kernel, "operand", *t, DType::Float));
  KILN_RETURN_IF_ERROR(checkValidRank(kernel, "q", q, 2));
  int32_t rank = q.rank;
  KILN_RETURN_IF_ERROR(checkRank(kernel, "k", k, rank));
  KILN_RETURN_IF_ERROR(checkRank(kernel, "v", v, rank));
  KILN_RETURN_IF_ERROR(checkRank(kernel, "out", out, rank));
  p.batchRank = rank - 2;
  for (int32_t i = 0; i < p.batchRank; ++i) {
    p.batchDims[i] = q.shape[i];
    if (k.shape[i] != q.shape[i] || v.shape[i] != q.shape[i] ||
        out.shape[i] != q.shape[i])
      return Status::error("attention: batch dim %d of q, k, v and out "
                           "differs",
                           i);
  }
  p.sq = q.shape[rank - 2];
  p.d = q.shape[rank - 1];
  p.sk = k.shape[rank - 2];
  p.dv = v.shape[rank - 1];
  p.scale = scale;
  if (k.shape[rank - 1] != p.d || v.shape[rank - 2] != p.sk ||
      out.shape[rank - 2] != p.sq || out.shape[rank - 1] != p.dv)
    return Status::error("attention: q (.., %lld, %lld), k (.., %lld, %lld), "
                         "v (.., %lld, %lld) and out (.., %lld, %lld) "
                         "disagree",
                         static_cast<long long>(p.sq),
                         static_cast<long long>(p.d),
                         static_cast<long long>(k.shape[rank - 2]),
                         static_cast<long long>(k.shape[rank - 1]),
                         static_cast<long long>(v.shape[rank - 2]),
                         static_cast<long long>(p.dv),
                         static_cast<long long>(out.shape[rank - 2]),
                         static_cast<long long>(out.shape[rank - 1]));
  // Dense operands: a batch dim's stride is the product of the dims after
  // it.
  auto dense = [&](const TensorView &t, int64_t *batch, int64_t &row) {
    int64_t strides[kMaxRank];
    contiguousStrides(t.shape, rank, strides);
    for (int32_t i = 0; i < p.batchRank; ++i)
      batch[i] = strides[i];
    row = strides[rank - 2];
  };
  dense(q, p.qBatch, p.qRow);
  dense(k, p.kBatch, p.kRow);
  dense(v, p.vBatch, p.vRow);
  dense(out, p.outBatch, p.outRow);
  p.hasMask = mask != nullptr;
  p.maskRow = p.maskCol = 0;
  for (int32_t i = 0; i < p.batchRank; ++i)
    p.maskBatch[i] = 0;
  if (!mask)
    return Status::success();
  KILN_RETURN_IF_ERROR(checkDtype(kernel, "mask", *mask, DType::Float));
  if (mask->rank > rank)
    return Status::error("attention: mask has rank %d, more than q's %d",
                         mask->rank, rank);
  int64_t scores[kMaxRank];
  for (int32_t i = 0; i < rank; ++i)
    scores[i] = q.shape[i];
  scores[rank - 1] = p.sk;
  for (int32_t i = 0; i < mask->rank; ++i) {
    int64_t size = mask->shape[i], target = scores[rank - mask->rank + i];
    if (size != 1 && size != target)
      return Status::error("attention: mask dim %d of size %lld does not "
                           "broadcast to %lld",
                           i, static_cast<long long>(size),
                           static_cast<long long>(target));
  }
  int64_t strides[kMaxRank];
  broadcastStrides(mask->shape, mask->rank, rank, strides);
  for (int32_t i = 0; i < p.batchRank; ++i)
    p.maskBatch[i] = strides[i];
  p.maskRow = strides[rank - 2];
  p.maskCol = strides[rank - 1];
  return Status::success();
}

/// One tile of the online softmax for one row: `s` holds the n scaled and
/// masked scores of the tile and becomes p_j = e^(s_j - m'); `m` and `l`
/// are updated. Returns c = e^(m - m'), the factor the caller applies to
/// the row's accumulator before adding p v.
KILN_HD inline float attentionOnlineStep(float *s, int64_t n, float &m,
                                         float &l) {
  float next = rowMax(s, n, 1);
  next = next > m ? next : m;
  // Every score so far -inf: nothing to add, nothing to rescale (and
  // -inf - -inf would be NaN).
  float shift = next == -INFINITY ? 0.0f : next;
  for (int64_t j = 0; j < n; ++j)
    s[j] = fastExp(s[j] - shift);
  float c = fastExp(m - shift);
  l = c * l + rowSum(s, n, 1);
  m = next;
  return c;
}

/// acc = acc / l; zeros where l = 0 (every score -inf).
KILN_HD inline void attentionFinishRow(float *acc, int64_t dv, float l) {
  float inv = l > 0.0f ? 1.0f / l : 0.0f;
  for (int64_t j = 0; j < dv; ++j)
    acc[j] *= inv;
}

/// out row (b, i) of the attention, by tiles of kAttentionRowTile keys;
/// `b` is the flat batch index. The row of out is the accumulator.
KILN_HD inline void attentionRow(const AttentionParams &p, const float *q,
                                 const float *k, const float *v,
                                 const float *mask, float *out, int64_t b,
                                 int64_t i) {
  const float *qRow = q + p.batchOffset(b, p.qBatch) + i * p.qRow;
  const float *kBase = k + p.batchOffset(b, p.kBatch);
  const float *vBase = v + p.batchOffset(b, p.vBatch);
  const float *maskRow =
      p.hasMask ? mask + p.batchOffset(b, p.maskBatch) + i * p.maskRow
                : nullptr;
  float *acc = out + p.batchOffset(b, p.outBatch) + i * p.outRow;
  for (int64_t j = 0; j < p.dv; ++j)
    acc[j] = 0.0f;
  float m = -INFINITY, l = 0.0f;
  float s[kAttentionRowTile];
  for (int64_t start = 0; start < p.sk; start += kAttentionRowTile) {
    int64_t n = p.sk - start < kAttentionRowTile ? p.sk - start
                                                 : kAttentionRowTile;
    // s = q kᵀ · scale + mask over the tile's keys.
    for (int64_t j = 0; j < n; ++j) {
      const float *kRow = kBase + (start + j) * p.kRow;
      float dot = 0.0f;
      for (int64_t t = 0; t < p.d; ++t)
        dot += qRow[t] * kRow[t];
      s[j] = dot * p.scale +
             (maskRow ? maskRow[(start + j) * p.maskCol] : 0.0f);
    }
    float c = attentionOnlineStep(s, n, m, l);
    for (int64_t t = 0; t < p.dv; ++t)
      acc[t] *= c;
    for (int64_t j = 0; j < n; ++j) {
      const float *vRow = vBase + (start + j) * p.vRow;
      for (int64_t t = 0; t < p.dv; ++t)
        acc[t] += s[j] * vRow[t];
    }
  }
  attentionFinishRow(acc, p.dv, l);
}

} // namespace kiln

#endif // KILN_KERNELS_COMMON_ATTENTION_H
