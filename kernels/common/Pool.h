//===- Pool.h - The math of max and average pooling -------------*- C++ -*-===//
//
//   max_pool:     y[n, c, o] = max_k x[n, c, o * s + k * d - p]
//   average_pool: y[n, c, o] = sum_k x[...] / count
//
// where taps in the padding are skipped; count is the full kernel size with
// count_include_pad (clipped to the padded extent) and the number of taps
// inside the input otherwise.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_POOL_H
#define KILN_KERNELS_COMMON_POOL_H

#include "kernels/common/Conv.h"
#include "kernels/common/FastMath.h"

#include <math.h>

namespace kiln {

/// The max over the window starting at `origin` of one (n, c) plane: NaN if
/// any tap is NaN (the NaN the last one), T() for a window wholly in the
/// padding.
template <typename T>
KILN_HD inline T maxPoolAt(const WindowParams &p, const T *xPlane,
                           const int64_t *origin) {
  bool any = false;
  T best = T();
  forEachWindowTap(p, origin, [&](int64_t, int64_t inPos, bool) {
    if (inPos < 0)
      return;
    T v = xPlane[inPos];
    best = !any || v > best || v != v ? v : best;
    any = true;
  });
  return best;
}

/// The average over the window starting at `origin` of one plane.
KILN_HD inline float averagePoolAt(const WindowParams &p, bool countIncludePad,
                                   const float *xPlane, const int64_t *origin) {
  float sum = 0.0f;
  int64_t count = 0;
  forEachWindowTap(p, origin, [&](int64_t, int64_t inPos, bool inPadded) {
    if (inPos >= 0) {
      sum += xPlane[inPos];
      ++count;
    } else if (countIncludePad && inPadded) {
      ++count;
    }
  });
  return count ? sum / static_cast<float>(count) : 0.0f;
}

/// y at flat index `index` (over N, C, O...) of a max pool.
template <typename T>
KILN_HD inline T maxPoolElement(const WindowParams &p, const T *x,
                                int64_t index) {
  int64_t origin[kMaxSpatialRank];
  windowOrigin(p, index % p.outSpatialSize, origin);
  return maxPoolAt(p, x + (index / p.outSpatialSize) * p.inSpatialSize, origin);
}

/// y at flat index `index` of an average pool.
KILN_HD inline float averagePoolElement(const WindowParams &p,
                                        bool countIncludePad, const float *x,
                                        int64_t index) {
  int64_t origin[kMaxSpatialRank];
  windowOrigin(p, index % p.outSpatialSize, origin);
  return averagePoolAt(p, countIncludePad,
                       x + (index / p.outSpatialSize) * p.inSpatialSize,
                       origin);
}

/// Calls f(i, plane, origin) for each output element i of output row `row`
/// (a row runs along the last spatial dim; rows are numbered over N, C and
/// the leading spatial dims), where plane is i's (n, c) plane: the CPU
/// drivers' walk, with the divisions paid once per row.
template <typename F>
inline void forEachWindowInRow(const WindowParams &p, int64_t row, F &&f) {
  int32_t last = p.spatialRank - 1;
  int64_t inner = p.outDims[last];
  int64_t first = row * inner;
  int64_t plane = first / p.outSpatialSize;
  int64_t origin[kMaxSpatialRank];
  windowOrigin(p, first % p.outSpatialSize, origin);
  for (int64_t j = 0; j < inner; ++j) {
    origin[last] = j * p.strides[last] - p.padsBegin[last];
    f(first + j, plane, origin);
  }
}

/// One tap of a max pool row: for output columns o in [lo, hi), chunk
/// entry o - begin takes xRow[o * stride + offset] where it is the first
/// (seen is 0), larger or NaN. seen has T's width, so that the loop
/// vectorizes (a bool array does not).
template <typename T>
KILN_HD_ROW void maxPoolTap(const T *xRow, int64_t stride, int64_t offset,
                            T *best, T *seen, int64_t begin, int64_t lo,
                            int64_t hi) {
  for (int64_t o = lo; o < hi; ++o) {
    T v = xRow[o * stride + offset];
    T current = best[o - begin];
    bool take = (seen[o - begin] == T(0)) | (v > current) | (v != v);
    best[o - begin] = take ? v : current;
    seen[o - begin] = T(1);
  }
}

/// Row `oh` of one (n, c) plane of a 2-d max pool, `maxPoolAt` for every
/// output column at once: the taps in the same order, each a pass along the
/// input row over the columns [lo, hi) it reaches (as depthwiseConvRow), so
/// the passes vectorize and no select becomes a branch.
template <typename T>
KILN_HD_ROW void maxPoolRow(const WindowParams &p, const T *xPlane,
                               int64_t oh, T *yRow) {
  constexpr int64_t kChunk = 256;
  int64_t width = p.inDims[1], outWidth = p.outDims[1];
  int64_t stride = p.strides[1];
  for (int64_t begin = 0; begin < outWidth; begin += kChunk) {
    int64_t end = begin + kChunk < outWidth ? begin + kChunk : outWidth;
    T best[kChunk], seen[kChunk];
    for (int64_t o = 0; o < end - begin; ++o) {
      best[o] = T();
      seen[o] = T(0);
    }
    for (int64_t a = 0; a < p.kernelDims[0]; ++a) {
      int64_t h = oh * p.strides[0] + a * p.dilations[0] - p.padsBegin[0];
      if (h < 0 || h >= p.inDims[0])
        continue;
      const T *xRow = xPlane + h * width;
      for (int64_t b = 0; b < p.kernelDims[1]; ++b) {
        int64_t offset = b * p.dilations[1] - p.padsBegin[1];
        int64_t lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int64_t hi =
            width - offset <= 0 ? 0 : (width - offset + stride - 1) / stride;
        lo = lo > begin ? lo : begin;
        hi = hi < end ? hi : end;
        // Strides 1 and 2 as constants: their loads vectorize.
        if (stride == 1)
          maxPoolTap(xRow, 1, offset, best, seen, begin, lo, hi);
        else if (stride == 2)
          maxPoolTap(xRow, 2, offset, best, seen, begin, lo, hi);
        else
          maxPoolTap(xRow, stride, offset, best, seen, begin, lo, hi);
      }
    }
    for (int64_t o = begin; o < end; ++o)
      yRow[o] = best[o - begin];
  }
}

/// Checks a pool's operands and fills `p`.
inline Status makePoolParams(const char *kernel, const TensorView &x,
                             const TensorView &y,
                             Span<const int64_t> kernelShape,
                             Span<const int64_t> strides,
                             Span<const int64_t> pads,
                             Span<const int64_t> dilations, WindowParams &p) {
  KILN_RETURN_IF_ERROR(checkValidRank(kernel, "x", x, 3));
  KILN_RETURN_IF_ERROR(
      checkSize(kernel, "kernel_shape", kernelShape.size(), x.rank - 2));
  KILN_RETURN_IF_ERROR(checkSameDtype(kernel, "y", y, x));
  KILN_RETURN_IF_ERROR(makeWindowParams(kernel, x, y, kernelShape.data(),
                                        strides, pads, dilations, p));
  p.group = 1;
  return checkDim(kernel, "y", y, 1, p.inChannels);
}

/// Checks a global pool's operands; `size` is the size of one (n, c) plane.
inline Status makeGlobalPoolParams(const char *kernel, const TensorView &x,
                                   const TensorView &y, int64_t &size) {
  KILN_RETURN_IF_ERROR(checkDtype(kernel, "x", x, DType::Float));
  KILN_RETURN_IF_ERROR(checkDtype(kernel, "y", y, DType::Float));
  KILN_RETURN_IF_ERROR(checkValidRank(kernel, "x", x, 2));
  KILN_RETURN_IF_ERROR(checkRank(kernel, "y", y, x.rank));
  KILN_RETURN_IF_ERROR(checkDim(kernel, "y", y, 0, x.shape[0]));
  KILN_RETURN_IF_ERROR(checkDim(kernel, "y", y, 1, x.shape[1]));
  for (int32_t d = 2; d < x.rank; ++d)
    KILN_RETURN_IF_ERROR(checkDim(kernel, "y", y, d, 1));
  size = x.dimProduct(2, x.rank);
  return Status::success();
}

/// The mean (or max) of one contiguous plane; a NaN anywhere makes the max
/// NaN.
KILN_HD inline float globalPoolPlane(const float *x, int64_t size, bool isMax) {
  if (!isMax)
    return size ? rowSum(x, size, 1) / static_cast<float>(size) : 0.0f;
  float acc = -INFINITY;
  for (int64_t i = 0; i < size; ++i) {
    float v = x[i];
    if (v > acc || v != v)
      acc = acc != acc ? acc : v;
  }
  return acc;
}

} // namespace kiln

#endif // KILN_KERNELS_COMMON_POOL_H
