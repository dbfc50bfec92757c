//===- ConvTranspose.cpp - Transposed convolution on the CPU -------------===//
//
// GEMM + col2im: for each image n and group g,
//
//   col (Mg * K, I) = w_g^T (Mg * K, Cg) @ x[n, g*Cg .. (g+1)*Cg] (Cg, I)
//   y[n, g*Mg + m', o] = b + sum over col rows (m', k) and input positions
//                        i with o = i * s + k * d - p
//
// The col2im scatter runs one output plane per task, so no two tasks write
// the same element. kernels/common/ConvTranspose.h holds the per-element
// math the CUDA driver runs; the tests compare the two.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/ConvTranspose.h"
#include "kernels/cpu/Gemm.h"
#include "kernels/cpu/Kernels.h"

#include <vector>

namespace kiln::cpu {

/// Adds col rows (m', k) for every k into the output plane yPlane.
static void col2imPlane(const WindowParams &p, const float *colRows,
                        float *yPlane) {
  int32_t rank = p.spatialRank;
  int64_t k[kMaxSpatialRank], i[kMaxSpatialRank];
  for (int64_t tap = 0; tap < p.kernelSize; ++tap) {
    unflatten(tap, rank, p.kernelDims, k);
    const float *row = colRows + tap * p.inSpatialSize;
    for (int32_t d = 0; d < rank; ++d)
      i[d] = 0;
    for (int64_t inPos = 0; inPos < p.inSpatialSize; ++inPos) {
      int64_t outPos = 0;
      bool inside = true;
      for (int32_t d = 0; d < rank; ++d) {
        int64_t o =
            i[d] * p.strides[d] + k[d] * p.dilations[d] - p.padsBegin[d];
        inside = inside && o >= 0 && o < p.outDims[d];
        outPos = outPos * p.outDims[d] + o;
      }
      if (inside)
        yPlane[outPos] += row[inPos];
      for (int32_t d = rank - 1; d >= 0; --d) {
        if (++i[d] < p.inDims[d])
          break;
        i[d] = 0;
      }
    }
  }
}

Status conv_transpose(const TensorView &x, const TensorView &w,
                      const TensorView *b, const TensorView &y,
                      Span<const int64_t> strides, Span<const int64_t> pads,
                      Span<const int64_t> dilations, int64_t group) {
  WindowParams p;
  KILN_RETURN_IF_ERROR(
      makeConvTransposeParams(x, w, b, y, strides, pads, dilations, group, p));
  const float *xData = x.as<const float>();
  const float *wData = w.as<const float>();
  const float *bData = b ? b->as<const float>() : nullptr;
  float *yData = y.as<float>();
  int64_t groupIn = p.inChannels / p.group;
  int64_t groupOut = p.outChannels / p.group;
  int64_t rows = groupOut * p.kernelSize; // GEMM M
  std::vector<float> col(rows * p.inSpatialSize);
  for (int64_t n = 0; n < p.batch; ++n) {
    for (int64_t g = 0; g < p.group; ++g) {
      const float *xGroup =
          xData + (n * p.inChannels + g * groupIn) * p.inSpatialSize;
      const float *wGroup = wData + g * groupIn * rows;
      gemm(/*transA=*/true, /*transB=*/false, rows, p.inSpatialSize, groupIn,
           1.0f, wGroup, rows, xGroup, p.inSpatialSize, 0.0f, col.data(),
           p.inSpatialSize);
      parallelFor(
          groupOut,
          [&](int64_t mg) {
            int64_t m = g * groupOut + mg;
            float *yPlane = yData + (n * p.outChannels + m) * p.outSpatialSize;
            float bias = bData ? bData[m] : 0.0f;
            for (int64_t o = 0; o < p.outSpatialSize; ++o)
              yPlane[o] = bias;
            col2imPlane(p, col.data() + mg * p.kernelSize * p.inSpatialSize,
                        yPlane);
          },
          /*grain=*/1);
    }
  }
  return Status::success();
}

} // namespace kiln::cpu
