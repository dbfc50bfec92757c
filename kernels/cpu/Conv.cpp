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
// whose M would be the channel multiplier (1): at stride 1 each plane is
// one vector multiply-add per tap over a zero-padded copy of its input
// (depthwiseConvPaddedPlane), at other strides each output row a few
// along input rows (depthwiseConvRow).
//
// An epilogue (Epilogue.h) runs on each block of y as soon as the block is
// complete: after the bias of a 2-d block, after each depthwise plane or
// row, and after the bias of each plane on the other paths.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Conv.h"
#include "kernels/cpu/Gemm.h"
#include "kernels/cpu/Kernels.h"
#include "kernels/cpu/Targets.h"


#include <algorithm>
#include <memory>
#include <string.h>

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

/// The input channel that output plane `plane` (n * M + m) reads.
static const float *depthwiseInput(const WindowParams &p, const float *x,
                                   int64_t plane) {
  int64_t m = plane % p.outChannels, n = plane / p.outChannels;
  int64_t multiplier = p.outChannels / p.group;
  return x + (n * p.inChannels + m / multiplier) * p.inSpatialSize;
}

/// Output planes [begin, end) of a stride-1 depthwise conv, each through
/// the worker's zero-padded copy of its input channel.
KILN_CPU_CLONES static void depthwisePlanes(const WindowParams &p,
                                            const float *x, const float *w,
                                            const float *b, float *y,
                                            int64_t begin, int64_t end,
                                            const Epilogue *epilogue) {
  int64_t height, width, flat;
  paddedPlaneSizes(p, height, width, flat);
  // The worker's im2col buffer (no conv of this worker needs both at once).
  float *padded = colBuffer(height * width + flat);
  float *acc = padded + height * width;
  for (int64_t plane = begin; plane < end; ++plane) {
    const float *xPlane = depthwiseInput(p, x, plane);
    for (int64_t i = 0; i < height * width; ++i)
      padded[i] = 0.0f;
    for (int64_t h = 0; h < p.inDims[0]; ++h)
      memcpy(padded + (h + p.padsBegin[0]) * width + p.padsBegin[1],
             xPlane + h * p.inDims[1], p.inDims[1] * sizeof(float));
    int64_t m = plane % p.outChannels;
    depthwiseConvPaddedPlane(p, padded, w + m * p.kernelSize, b ? b[m] : 0.0f,
                             acc);
    float *yPlane = y + plane * p.outSpatialSize;
    for (int64_t oh = 0; oh < p.outDims[0]; ++oh)
      memcpy(yPlane + oh * p.outDims[1], acc + oh * width,
             p.outDims[1] * sizeof(float));
    if (epilogue)
      (*epilogue)(yPlane, p.outSpatialSize);
  }
}

/// Output rows [begin, end) (over N, M and OH) of a depthwise conv.
KILN_CPU_CLONES static void depthwiseRows(const WindowParams &p, const float *x,
                                          const float *w, const float *b,
                                          float *y, int64_t begin, int64_t end,
                                          const Epilogue *epilogue) {
  int64_t rows = p.outDims[0], width = p.outDims[1];
  for (int64_t row = begin; row < end; ++row) {
    int64_t plane = row / rows, m = plane % p.outChannels;
    float *yRow = y + plane * p.outSpatialSize + (row % rows) * width;
    depthwiseConvRow(p, depthwiseInput(p, x, plane), w + m * p.kernelSize,
                     b ? b[m] : 0.0f, row % rows, yRow);
    if (epilogue)
      (*epilogue)(yRow, width);
  }
}

/// y = depthwise conv(x, w) + b: a plane per unit of work at stride 1, an
/// output row per unit otherwise.
static void depthwiseConv(const WindowParams &p, const float *x, const float *w,
                          const float *b, float *y, const Epilogue *epilogue) {
  if (p.strides[0] == 1 && p.strides[1] == 1) {
    parallelForChunks(
        p.batch * p.outChannels,
        [&](int64_t begin, int64_t end) {
          depthwisePlanes(p, x, w, b, y, begin, end, epilogue);
        },
        /*grain=*/1);
    return;
  }
  parallelForChunks(
      p.batch * p.outChannels * p.outDims[0],
      [&](int64_t begin, int64_t end) {
        depthwiseRows(p, x, w, b, y, begin, end, epilogue);
      },
      /*grain=*/8);
}

/// Rows [begin, end) of the im2col matrix of one group of one image.
KILN_CPU_CLONES static void im2colRows(const WindowParams &p,
                                       const float *xGroup, float *col,
                                       int64_t begin, int64_t end) {
  for (int64_t r = begin; r < end; ++r)
    im2colRow(p, xGroup + (r / p.kernelSize) * p.inSpatialSize,
              r % p.kernelSize, col + r * p.outSpatialSize);
}

/// Columns [begin, end) of the im2col matrix of a 2-d conv (one group of
/// one image) into col, (depth, end - begin): row (c, kh, kw) holds, for
/// each output position o in the block, x[c] at tap (kh, kw) of o's window.
/// A block runs along output rows; each tap of each row is zeros, a copy
/// (strided at stride > 1) and zeros, split where the tap leaves the input.
KILN_CPU_CLONES static void im2colBlock2d(const WindowParams &p,
                                          const float *xGroup, int64_t groupIn,
                                          int64_t begin, int64_t end,
                                          float *col) {
  int64_t cols = end - begin;
  int64_t height = p.inDims[0], width = p.inDims[1];
  int64_t outWidth = p.outDims[1], stride = p.strides[1];
  for (int64_t c = 0; c < groupIn; ++c) {
    const float *xPlane = xGroup + c * p.inSpatialSize;
    for (int64_t kh = 0; kh < p.kernelDims[0]; ++kh) {
      for (int64_t kw = 0; kw < p.kernelDims[1]; ++kw) {
        float *row =
            col + ((c * p.kernelDims[0] + kh) * p.kernelDims[1] + kw) * cols;
        // Output column ow reads input column ow * stride + offset, inside
        // the input for ow in [lo, hi).
        int64_t offset = kw * p.dilations[1] - p.padsBegin[1];
        int64_t lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int64_t hi =
            width - offset <= 0 ? 0 : (width - offset + stride - 1) / stride;
        int64_t oh = begin / outWidth, ow = begin % outWidth;
        for (int64_t j = 0; j < cols; ++oh, ow = 0) {
          int64_t run = std::min(outWidth - ow, cols - j);
          float *out = row + j - ow; // out[ow'] for ow' in [ow, ow + run)
          int64_t h = oh * p.strides[0] + kh * p.dilations[0] - p.padsBegin[0];
          int64_t first = std::max(ow, lo), last = std::min(ow + run, hi);
          if (h < 0 || h >= height || first >= last) {
            for (int64_t t = ow; t < ow + run; ++t)
              out[t] = 0.0f;
          } else {
            const float *xLine = xPlane + h * width + offset;
            for (int64_t t = ow; t < first; ++t)
              out[t] = 0.0f;
            for (int64_t t = first; t < last; ++t)
              out[t] = xLine[t * stride];
            for (int64_t t = last; t < ow + run; ++t)
              out[t] = 0.0f;
          }
          j += run;
        }
      }
    }
  }
}

/// A 2-d conv in blocks of output positions, one block per unit of work:
/// each worker fills its own im2col block (about 256 KiB, so it stays in
/// the core's cache), multiplies it by the group's weights and adds the
/// bias to the block of y it wrote and runs the epilogue on it, while that is
/// still in cache.
static void convBlocked2d(const WindowParams &p, const float *x, const float *w,
                          const float *b, float *y, const Epilogue *epilogue) {
  int64_t groupIn = p.inChannels / p.group;
  int64_t groupOut = p.outChannels / p.group;
  int64_t depth = groupIn * p.kernelSize;
  int64_t outSize = p.outSpatialSize;
  int64_t images = p.batch * p.group;
  int64_t blockCols = std::max<int64_t>(16, 65536 / depth / 16 * 16);
  // At least one block per worker.
  int64_t workers = getNumThreads();
  if (images * ((outSize + blockCols - 1) / blockCols) < workers) {
    int64_t perImage = (workers + images - 1) / images;
    int64_t cols = (outSize + perImage - 1) / perImage;
    blockCols = std::max<int64_t>(16, (cols + 15) / 16 * 16);
  }
  int64_t blocks = (outSize + blockCols - 1) / blockCols;
  parallelForChunks(
      images * blocks,
      [&](int64_t firstUnit, int64_t lastUnit) {
        for (int64_t unit = firstUnit; unit < lastUnit; ++unit) {
          int64_t image = unit / blocks; // n * group + g
          int64_t g = image % p.group;
          int64_t begin = (unit % blocks) * blockCols;
          int64_t end = std::min(outSize, begin + blockCols);
          int64_t cols = end - begin;
          float *col = colBuffer(depth * cols);
          im2colBlock2d(p,
                        x + (image / p.group * p.inChannels + g * groupIn) *
                                p.inSpatialSize,
                        groupIn, begin, end, col);
          float *yBlock =
              y + (image / p.group * p.outChannels + g * groupOut) * outSize +
              begin;
          gemm(/*transA=*/false, /*transB=*/false, groupOut, cols, depth, 1.0f,
               w + g * groupOut * depth, depth, col, cols, 0.0f, yBlock,
               outSize);
          if (b)
            for (int64_t m = 0; m < groupOut; ++m) {
              float bias = b[g * groupOut + m];
              for (int64_t o = 0; o < cols; ++o)
                yBlock[m * outSize + o] += bias;
            }
          if (epilogue)
            for (int64_t m = 0; m < groupOut; ++m)
              (*epilogue)(yBlock + m * outSize, cols);
        }
      },
      /*grain=*/1);
}

/// y[plane] += b[plane % M] (when there is a b), then the epilogue, for
/// planes [begin, end).
KILN_CPU_CLONES static void addBias(const WindowParams &p, const float *b,
                                    float *y, int64_t begin, int64_t end,
                                    const Epilogue *epilogue) {
  for (int64_t plane = begin; plane < end; ++plane) {
    float *row = y + plane * p.outSpatialSize;
    if (b) {
      float bias = b[plane % p.outChannels];
      for (int64_t o = 0; o < p.outSpatialSize; ++o)
        row[o] += bias;
    }
    if (epilogue)
      (*epilogue)(row, p.outSpatialSize);
  }
}

Status conv(const TensorView &x, const TensorView &w, const TensorView *b,
            const TensorView &y, Span<const int64_t> strides,
            Span<const int64_t> pads, Span<const int64_t> dilations,
            int64_t group, const Epilogue *epilogue) {
  WindowParams p;
  KILN_RETURN_IF_ERROR(
      makeConvParams(x, w, b, y, strides, pads, dilations, group, p));
  const float *xData = x.as<const float>();
  const float *wData = w.as<const float>();
  float *yData = y.as<float>();
  if (isDepthwise2d(p)) {
    depthwiseConv(p, xData, wData, b ? b->as<const float>() : nullptr, yData,
                  epilogue);
    return Status::success();
  }
  bool pointwise = isPointwise(p);
  if (p.spatialRank == 2 && !pointwise) {
    convBlocked2d(p, xData, wData, b ? b->as<const float>() : nullptr, yData,
                  epilogue);
    return Status::success();
  }
  int64_t groupIn = p.inChannels / p.group;
  int64_t groupOut = p.outChannels / p.group;
  int64_t depth = groupIn * p.kernelSize; // GEMM K
  int64_t outSize = p.outSpatialSize;     // GEMM N
  float *col = pointwise ? nullptr : colBuffer(depth * outSize);
  for (int64_t n = 0; n < p.batch; ++n) {
    for (int64_t g = 0; g < p.group; ++g) {
      const float *xGroup =
          xData + (n * p.inChannels + g * groupIn) * p.inSpatialSize;
      const float *colData = xGroup;
      if (!pointwise) {
        parallelForChunks(
            depth,
            [&](int64_t begin, int64_t end) {
              im2colRows(p, xGroup, col, begin, end);
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
  if (b || epilogue)
    parallelForChunks(
        p.batch * p.outChannels,
        [&](int64_t begin, int64_t end) {
          addBias(p, b ? b->as<const float>() : nullptr, yData, begin, end,
                  epilogue);
        },
        /*grain=*/16);
  return Status::success();
}

} // namespace kiln::cpu
