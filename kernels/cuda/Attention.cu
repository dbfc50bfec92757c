//===- Attention.cu - Fused attention on CUDA -----------------------------===//
//
// One thread block per (batch, block of kRowsPerBlock query rows), one
// thread per query row running attentionRow of kernels/common/Attention.h:
// the same online softmax over tiles of keys that the CPU driver runs, with
// the row of out as the accumulator. Straightforward rather than fast: the
// threads of a block read the same k and v rows, through the cache.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Attention.h"
#include "kernels/cuda/Kernels.h"

#include <cuda_runtime.h>

namespace kiln::cuda {
namespace {

constexpr int kRowsPerBlock = 64;

//===----------------------------------------------------------------------===//
// Kernels
//===----------------------------------------------------------------------===//

/// Block `blockIdx.x` is query block blockIdx.x % rowBlocks of batch
/// blockIdx.x / rowBlocks.
__global__ void attentionKernel(AttentionParams p, const float *q,
                                const float *k, const float *v,
                                const float *mask, float *out,
                                int64_t rowBlocks) {
  int64_t block = blockIdx.x;
  int64_t b = block / rowBlocks;
  int64_t i = block % rowBlocks * kRowsPerBlock + threadIdx.x;
  if (i < p.sq)
    attentionRow(p, q, k, v, mask, out, b, i);
}

} // namespace

//===----------------------------------------------------------------------===//
// Launchers
//===----------------------------------------------------------------------===//

Status attention(const Context &ctx, const TensorView &q, const TensorView &k,
                 const TensorView &v, const TensorView *mask,
                 const TensorView &out, float scale) {
  AttentionParams p;
  KILN_RETURN_IF_ERROR(makeAttentionParams(q, k, v, mask, out, scale, p));
  int64_t rowBlocks = (p.sq + kRowsPerBlock - 1) / kRowsPerBlock;
  int64_t blocks = p.numBatches() * rowBlocks;
  if (blocks == 0 || p.dv == 0)
    return Status::success();
  // One block per grid entry: the grid's x dim holds 2^31 - 1.
  if (blocks > 0x7fffffff)
    return Status::error("attention: %lld thread blocks, more than a grid "
                         "holds",
                         static_cast<long long>(blocks));
  attentionKernel<<<static_cast<unsigned>(blocks), kRowsPerBlock, 0,
                    ctx.stream>>>(
      p, q.as<const float>(), k.as<const float>(), v.as<const float>(),
      mask ? mask->as<const float>() : nullptr, out.as<float>(), rowBlocks);
  return checkLaunch("attention", __FILE__, __LINE__);
}

} // namespace kiln::cuda
