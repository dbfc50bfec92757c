//===- Conv.cpp - Convolution on the CPU ---------------------------------===//
//
// im2col + GEMM: for each image n and group g,
//
//   col (Cg * K, O) = x[n, g*Cg .. (g+1)*Cg] gathered through the window
//   y[n, g*Mg .. (g+1)*Mg] (Mg, O) = w_g (Mg, Cg * K) @ col + b
//
// where col row (c, k) holds tap k of channel c for every output position
// (the taps of kernels/common/Conv.h); 1x1 convs without stride or padding
// read x directly. The col buffer is the calling thread's, kept between
// calls: a conv allocates only when it needs more than any before it.
//
// Depthwise 2-d convs (one input channel per output channel) skip the GEMM,
// whose M would be the channel multiplier (1): each output row is a few
// vector multiply-adds along input rows (depthwiseConvRow).
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Conv.h"
#include "kernels/cpu/Gemm.h"
#include "kernels/cpu/Kernels.h"


#include <memory>

namespace kiln::cpu {

/// Whether the window maps output position o to input position o.
static bool isPointwise(const WindowParams &p) {
  for (int32_t d = 0; d < p.spatialRank; ++d)
    if (p.kernelDims[d] != 1 || p.strides[d] != 1 || p.padsBegin[d] != 0 ||
        p.padsEnd[d] != 0 || p.inDims[d] != p.outDims[d])
      return false;
  return true;
}

/// Fills one im2col row: tap `tap` of one input plane for every output
/// position. The last spatial dim is the inner loop, so the row is written
/// in order with one bounds check per element.
static void im2colRow(const WindowParams &p, const float *xPlane, int64_t tap,
                      float *row) {
  int32_t rank = p.spatialRank;
  int32_t last = rank - 1;
  int64_t k[kMaxSpatialRank], o[kMaxSpatialRank];
  unflatten(tap, rank, p.kernelDims, k);
  int64_t inner = p.outDims[last];
  int64_t outer = p.outSpatialSize / inner;
  int64_t lastOffset = k[last] * p.dilations[last] - p.padsBegin[last];
  for (int64_t outerPos = 0; outerPos < outer; ++outerPos) {
    float *out = row + outerPos * inner;
    // The leading dims fix a line of x, or put it in the padding.
    unflatten(outerPos, last, p.outDims, o);
    int64_t line = 0;
    bool inside = true;
    for (int32_t d = 0; d < last; ++d) {
      int64_t i = o[d] * p.strides[d] + k[d] * p.dilations[d] - p.padsBegin[d];
      inside = inside && i >= 0 && i < p.inDims[d];
      line = line * p.inDims[d] + i;
    }
    if (!inside) {
      for (int64_t j = 0; j < inner; ++j)
        out[j] = 0.0f;
      continue;
    }
    const float *xLine = xPlane + line * p.inDims[last];
    for (int64_t j = 0; j < inner; ++j) {
      int64_t i = j * p.strides[last] + lastOffset;
      out[j] = i >= 0 && i < p.inDims[last] ? xLine[i] : 0.0f;
    }
  }
}

/// The calling thread's im2col buffer, grown to `size` floats; its contents
/// are whatever the last conv left.
static float *colBuffer(int64_t size) {
  static thread_local std::unique_ptr<float[]> buffer;
  static thread_local int64_t capacity = 0;
  if (size > capacity) {
    buffer.reset(new float[size]);
    capacity = size;
  }
  return buffer.get();
}

/// y = depthwise conv(x, w) + b, one output row per unit of work.
static void depthwiseConv(const WindowParams &p, const float *x,
                          const float *w, const float *b, float *y) {
  int64_t multiplier = p.outChannels / p.group;
  int64_t rows = p.outDims[0];
  int64_t width = p.outDims[1];
  parallelFor(
      p.batch * p.outChannels * rows,
      [&](int64_t row) {
        int64_t plane = row / rows; // n * M + m
        int64_t m = plane % p.outChannels;
        int64_t n = plane / p.outChannels;
        const float *xPlane =
            x + (n * p.inChannels + m / multiplier) * p.inSpatialSize;
        depthwiseConvRow(p, xPlane, w + m * p.kernelSize, b ? b[m] : 0.0f,
                         row % rows, y + plane * p.outSpatialSize +
                                         (row % rows) * width);
      },
      /*grain=*/8);
}

Status conv(const TensorView &x, const TensorView &w, const TensorView *b,
            const TensorView &y, Span<const int64_t> strides,
            Span<const int64_t> pads, Span<const int64_t> dilations,
            int64_t group) {
  WindowParams p;
  KILN_RETURN_IF_ERROR(
      makeConvParams(x, w, b, y, strides, pads, dilations, group, p));
  const float *xData = x.as<const float>();
  const float *wData = w.as<const float>();
  float *yData = y.as<float>();
  if (isDepthwise2d(p)) {
    depthwiseConv(p, xData, wData, b ? b->as<const float>() : nullptr, yData);
    return Status::success();
  }
  int64_t groupIn = p.inChannels / p.group;
  int64_t groupOut = p.outChannels / p.group;
  int64_t depth = groupIn * p.kernelSize; // GEMM K
  int64_t outSize = p.outSpatialSize;     // GEMM N
  bool pointwise = isPointwise(p);
  float *col = pointwise ? nullptr : colBuffer(depth * outSize);
  for (int64_t n = 0; n < p.batch; ++n) {
    for (int64_t g = 0; g < p.group; ++g) {
      const float *xGroup =
          xData + (n * p.inChannels + g * groupIn) * p.inSpatialSize;
      const float *colData = xGroup;
      if (!pointwise) {
        parallelFor(
            depth,
            [&](int64_t r) {
              im2colRow(p, xGroup + (r / p.kernelSize) * p.inSpatialSize,
                        r % p.kernelSize, col + r * outSize);
            },
            /*grain=*/1);
        colData = col;
      }
      float *yGroup = yData + (n * p.outChannels + g * groupOut) * outSize;
      gemm(/*transA=*/false, /*transB=*/false, groupOut, outSize, depth, 1.0f,
           wData + g * groupOut * depth, depth, colData, outSize, 0.0f,
           yGroup, outSize);
    }
  }
  if (b) {
    const float *bData = b->as<const float>();
    parallelFor(
        p.batch * p.outChannels,
        [&](int64_t plane) {
          float bias = bData[plane % p.outChannels];
          float *row = yData + plane * outSize;
          for (int64_t o = 0; o < outSize; ++o)
            row[o] += bias;
        },
        /*grain=*/16);
  }
  return Status::success();
}

} // namespace kiln::cpu
