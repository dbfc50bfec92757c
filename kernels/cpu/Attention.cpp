//===- Attention.cpp - Fused attention on the CPU -------------------------===//
//
// One unit of the parallel loop is a block of kQueryBlock query rows of one
// (batch, head); it walks the keys in tiles of kKeyTile:
//
//   s (rows, tile)  = scale · q_blk k_tileᵀ + mask     GEMM, then a row loop
//   p, c            = attentionOnlineStep(s row)        per row
//   acc (rows, D_v) = c · acc + p v_tile                 row scaling, GEMM
//
// with acc the block's rows of out, and out = acc / l at the end
// (kernels/common/Attention.h). A block's scores take kQueryBlock x kKeyTile
// floats on the worker's stack; the GEMMs run single-threaded inside the
// parallel loop (Gemm.cpp).
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Attention.h"
#include "kernels/cpu/Gemm.h"
#include "kernels/cpu/Kernels.h"
#include "kernels/cpu/Targets.h"

namespace kiln::cpu {
namespace {

constexpr int64_t kQueryBlock = 64;
constexpr int64_t kKeyTile = 128;

/// For each of `rows` rows of scores `s` (kKeyTile apart) over a tile of
/// n keys: adds the mask, takes the online-softmax step and rescales the
/// row's accumulator. Cloned per vector width (Targets.h): the
/// exponentials are most of the kernel's time outside the GEMMs.
KILN_CPU_CLONES void softmaxTile(const AttentionParams &p, float *s, const float *mask,
            int64_t rows, int64_t n, float *m, float *l, float *acc) {
  for (int64_t r = 0; r < rows; ++r) {
    float *sRow = s + r * kKeyTile;
    if (mask) {
      const float *maskRow = mask + r * p.maskRow;
      if (p.maskCol == 1)
        for (int64_t j = 0; j < n; ++j)
          sRow[j] += maskRow[j];
      else
        for (int64_t j = 0; j < n; ++j)
          sRow[j] += maskRow[0];
    }
    float c = attentionOnlineStep(sRow, n, m[r], l[r]);
    float *accRow = acc + r * p.outRow;
    if (c != 1.0f)
      for (int64_t t = 0; t < p.dv; ++t)
        accRow[t] *= c;
  }
}

/// Rows [first, first + rows) of batch b.
void attentionBlock(const AttentionParams &p, const float *q, const float *k,
                    const float *v, const float *mask, float *out, int64_t b,
                    int64_t first, int64_t rows) {
  const float *qBlock = q + p.batchOffset(b, p.qBatch) + first * p.qRow;
  const float *kBase = k + p.batchOffset(b, p.kBatch);
  const float *vBase = v + p.batchOffset(b, p.vBatch);
  const float *maskBlock =
      p.hasMask ? mask + p.batchOffset(b, p.maskBatch) + first * p.maskRow
                : nullptr;
  float *acc = out + p.batchOffset(b, p.outBatch) + first * p.outRow;
  float m[kQueryBlock], l[kQueryBlock];
  float s[kQueryBlock * kKeyTile];
  for (int64_t r = 0; r < rows; ++r) {
    m[r] = -INFINITY;
    l[r] = 0.0f;
    for (int64_t t = 0; t < p.dv; ++t)
      acc[r * p.outRow + t] = 0.0f;
  }
  for (int64_t start = 0; start < p.sk; start += kKeyTile) {
    int64_t n = p.sk - start < kKeyTile ? p.sk - start : kKeyTile;
    // s = scale · q_blk k_tileᵀ: k's rows are the columns of kᵀ.
    gemm(false, true, rows, n, p.d, p.scale, qBlock, p.qRow,
         kBase + start * p.kRow, p.kRow, 0.0f, s, kKeyTile);
    softmaxTile(p, s, maskBlock ? maskBlock + start * p.maskCol : nullptr,
                rows, n, m, l, acc);
    // acc += p v_tile.
    gemm(false, false, rows, p.dv, n, 1.0f, s, kKeyTile,
         vBase + start * p.vRow, p.vRow, 1.0f, acc, p.outRow);
  }
  for (int64_t r = 0; r < rows; ++r)
    attentionFinishRow(acc + r * p.outRow, p.dv, l[r]);
}

} // namespace

Status attention(const TensorView &q, const TensorView &k, const TensorView &v,
                 const TensorView *mask, const TensorView &out, float scale) {
  AttentionParams p;
  KILN_RETURN_IF_ERROR(makeAttentionParams(q, k, v, mask, out, scale, p));
  const float *qData = q.as<const float>();
  const float *kData = k.as<const float>();
  const float *vData = v.as<const float>();
  const float *maskData = mask ? mask->as<const float>() : nullptr;
  float *outData = out.as<float>();
  if (p.sq == 0 || p.dv == 0)
    return Status::success();
  int64_t blocks = (p.sq + kQueryBlock - 1) / kQueryBlock;
  parallelFor(
      p.numBatches() * blocks,
      [&](int64_t unit) {
        int64_t b = unit / blocks, first = unit % blocks * kQueryBlock;
        int64_t rows = p.sq - first < kQueryBlock ? p.sq - first : kQueryBlock;
        attentionBlock(p, qData, kData, vData, maskData, outData, b, first,
                       rows);
      },
      /*grain=*/1);
  return Status::success();
}

} // namespace kiln::cpu
