//===- Conv.h - The math of N-d grouped convolution -------------*- C++ -*-===//
//
//   y[n, m, o] = b[m] + sum_{c, k} x[n, g * Cg + c, o * s + k * d - p]
//                                  * w[m, c, k]
//
// for group g = m / (M / group), input channels c of that group, kernel
// positions k; taps falling into the padding read zero.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_CONV_H
#define KILN_KERNELS_COMMON_CONV_H

#include "kernels/common/Checks.h"

namespace kiln {

/// Spatial dims a conv or pool supports.
constexpr int32_t kMaxSpatialRank = kMaxRank - 2;

/// Sizes of a conv or pool, read from the operand shapes and attributes.
struct WindowParams {
  int32_t spatialRank;
  int64_t batch, inChannels, outChannels, group;
  int64_t inDims[kMaxSpatialRank], outDims[kMaxSpatialRank];
  int64_t kernelDims[kMaxSpatialRank];
  int64_t strides[kMaxSpatialRank], padsBegin[kMaxSpatialRank];
  int64_t padsEnd[kMaxSpatialRank];
  int64_t dilations[kMaxSpatialRank];
  int64_t inSpatialSize, outSpatialSize, kernelSize;
};

/// Fills the spatial part of `p` from x (N, C, D...) and y (N, C', O...),
/// checking that every attribute has one entry per spatial dim (pads two)
/// and that y's dims match the window arithmetic.
inline Status makeWindowParams(const char *kernel, const TensorView &x,
                               const TensorView &y, const int64_t *kernelDims,
                               Span<const int64_t> strides,
                               Span<const int64_t> pads,
                               Span<const int64_t> dilations, WindowParams &p) {
  KILN_RETURN_IF_ERROR(checkValidRank(kernel, "x", x, 3));
  KILN_RETURN_IF_ERROR(checkRank(kernel, "y", y, x.rank));
  int32_t n = x.rank - 2;
  p.spatialRank = n;
  p.batch = x.shape[0];
  p.inChannels = x.shape[1];
  p.outChannels = y.shape[1];
  KILN_RETURN_IF_ERROR(checkDim(kernel, "y", y, 0, p.batch));
  if (!strides.empty())
    KILN_RETURN_IF_ERROR(checkSize(kernel, "strides", strides.size(), n));
  if (!pads.empty())
    KILN_RETURN_IF_ERROR(checkSize(kernel, "pads", pads.size(), 2 * n));
  if (!dilations.empty())
    KILN_RETURN_IF_ERROR(checkSize(kernel, "dilations", dilations.size(), n));
  p.inSpatialSize = p.outSpatialSize = p.kernelSize = 1;
  for (int32_t i = 0; i < n; ++i) {
    p.inDims[i] = x.shape[i + 2];
    p.outDims[i] = y.shape[i + 2];
    p.kernelDims[i] = kernelDims[i];
    p.strides[i] = strides.empty() ? 1 : strides[i];
    p.padsBegin[i] = pads.empty() ? 0 : pads[i];
    p.dilations[i] = dilations.empty() ? 1 : dilations[i];
    p.padsEnd[i] = pads.empty() ? 0 : pads[i + n];
    if (p.strides[i] < 1 || p.dilations[i] < 1 || p.kernelDims[i] < 1)
      return Status::error("%s: non-positive stride, dilation or kernel size "
                           "in spatial dim %d",
                           kernel, i);
    int64_t span = (p.kernelDims[i] - 1) * p.dilations[i] + 1;
    int64_t room = p.inDims[i] + p.padsBegin[i] + p.padsEnd[i] - span;
    // A model with dynamic dims sizes y to 0 for a window that does not fit.
    if (room < 0)
      return Status::error(
          "%s: the window of extent %lld does not fit the "
          "padded input of size %lld in spatial dim %d",
          kernel, static_cast<long long>(span),
          static_cast<long long>(p.inDims[i] + p.padsBegin[i] + p.padsEnd[i]),
          i);
    int64_t expected = room / p.strides[i] + 1;
    // ceil_mode pools produce one more window when the stride leaves a rest.
    bool ceilMode = room % p.strides[i] != 0 && y.shape[i + 2] == expected + 1;
    if (!ceilMode)
      KILN_RETURN_IF_ERROR(checkDim(kernel, "y", y, i + 2, expected));
    p.inSpatialSize *= p.inDims[i];
    p.outSpatialSize *= p.outDims[i];
    p.kernelSize *= p.kernelDims[i];
  }
  return Status::success();
}

/// Decomposes a flat spatial index into coordinates.
KILN_HD inline void unflatten(int64_t index, int32_t rank, const int64_t *dims,
                              int64_t *coords) {
  for (int32_t d = rank - 1; d >= 0; --d) {
    coords[d] = index % dims[d];
    index /= dims[d];
  }
}

/// The input coordinates where the window of output position `outPos`
/// starts (before dilation): o * stride - padBegin, per spatial dim.
KILN_HD inline void windowOrigin(const WindowParams &p, int64_t outPos,
                                 int64_t *origin) {
  unflatten(outPos, p.spatialRank, p.outDims, origin);
  for (int32_t d = 0; d < p.spatialRank; ++d)
    origin[d] = origin[d] * p.strides[d] - p.padsBegin[d];
}

/// Calls f(tap, inPos, inPadded) for every kernel tap of the window starting
/// at `origin`, taps in row-major order: inPos is the flat input position
/// the tap reads, or -1 when it falls outside the input; inPadded says
/// whether it lies inside the input extended by the pads. No tap costs a
/// division.
template <typename F>
KILN_HD inline void forEachWindowTap(const WindowParams &p,
                                     const int64_t *origin, F &&f) {
  int32_t rank = p.spatialRank;
  if (rank == 2) {
    // The common case as two plain loops.
    int64_t height = p.inDims[0], width = p.inDims[1];
    int64_t tap = 0;
    for (int64_t a = 0; a < p.kernelDims[0]; ++a) {
      int64_t h = origin[0] + a * p.dilations[0];
      bool rowInside = h >= 0 && h < height;
      bool rowPadded = h >= -p.padsBegin[0] && h < height + p.padsEnd[0];
      for (int64_t b = 0; b < p.kernelDims[1]; ++b, ++tap) {
        int64_t w = origin[1] + b * p.dilations[1];
        bool inside = rowInside && w >= 0 && w < width;
        f(tap, inside ? h * width + w : -1,
          rowPadded && w >= -p.padsBegin[1] && w < width + p.padsEnd[1]);
      }
    }
    return;
  }
  int64_t k[kMaxSpatialRank];
  for (int32_t d = 0; d < rank; ++d)
    k[d] = 0;
  for (int64_t tap = 0; tap < p.kernelSize; ++tap) {
    int64_t index = 0;
    bool inside = true, inPadded = true;
    for (int32_t d = 0; d < rank; ++d) {
      int64_t i = origin[d] + k[d] * p.dilations[d];
      inside = inside && i >= 0 && i < p.inDims[d];
      inPadded =
          inPadded && i >= -p.padsBegin[d] && i < p.inDims[d] + p.padsEnd[d];
      index = index * p.inDims[d] + i;
    }
    f(tap, inside ? index : -1, inPadded);
    for (int32_t d = rank - 1; d >= 0; --d) {
      if (++k[d] < p.kernelDims[d])
        break;
      k[d] = 0;
    }
  }
}

/// y at flat index `index` (over N, M, O...). b may be null.
KILN_HD inline float convElement(const WindowParams &p, const float *x,
                                 const float *w, const float *b,
                                 int64_t index) {
  int64_t m = (index / p.outSpatialSize) % p.outChannels;
  int64_t n = index / (p.outSpatialSize * p.outChannels);
  int64_t groupIn = p.inChannels / p.group;
  int64_t g = m / (p.outChannels / p.group);
  const float *xGroup = x + (n * p.inChannels + g * groupIn) * p.inSpatialSize;
  const float *wRow = w + m * groupIn * p.kernelSize;
  int64_t origin[kMaxSpatialRank];
  windowOrigin(p, index % p.outSpatialSize, origin);
  float acc = b ? b[m] : 0.0f;
  forEachWindowTap(p, origin, [&](int64_t tap, int64_t inPos, bool) {
    if (inPos < 0)
      return;
    for (int64_t c = 0; c < groupIn; ++c)
      acc += xGroup[c * p.inSpatialSize + inPos] * wRow[c * p.kernelSize + tap];
  });
  return acc;
}

/// Whether `p` is a depthwise 2-d conv: every output channel reads one
/// input channel (group == input channels), as MobileNet's are.
KILN_HD inline bool isDepthwise2d(const WindowParams &p) {
  return p.spatialRank == 2 && p.group == p.inChannels;
}

/// Row `oh` of output plane `yRow` of a depthwise 2-d conv:
///
///   yRow[o] = bias + sum_{a, b} xPlane[oh * s0 + a * d0 - p0]
///                                     [o * s1 + b * d1 - p1] * wPlane[a, b]
///
/// xPlane is the one input channel (H, W), wPlane its (KH, KW) taps. Tap b
/// of the kernel row reads inside the input row for o in [lo, hi), so the
/// inner loop has no bounds check and, at stride 1, vectorizes.
KILN_HD_ROW void depthwiseConvRow(const WindowParams &p,
                                     const float *xPlane, const float *wPlane,
                                     float bias, int64_t oh, float *yRow) {
  int64_t width = p.inDims[1], outWidth = p.outDims[1];
  int64_t stride = p.strides[1];
  for (int64_t o = 0; o < outWidth; ++o)
    yRow[o] = bias;
  for (int64_t a = 0; a < p.kernelDims[0]; ++a) {
    int64_t h = oh * p.strides[0] + a * p.dilations[0] - p.padsBegin[0];
    if (h < 0 || h >= p.inDims[0])
      continue;
    const float *xRow = xPlane + h * width;
    for (int64_t b = 0; b < p.kernelDims[1]; ++b) {
      float tap = wPlane[a * p.kernelDims[1] + b];
      // Output o reads input column o * stride + offset.
      int64_t offset = b * p.dilations[1] - p.padsBegin[1];
      int64_t lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
      int64_t hi =
          width - offset <= 0 ? 0 : (width - offset + stride - 1) / stride;
      if (hi > outWidth)
        hi = outWidth;
      for (int64_t o = lo; o < hi; ++o)
        yRow[o] += tap * xRow[o * stride + offset];
    }
  }
}

/// The sizes of a zero-padded input plane (H + pads, W + pads), and the
/// length of the flat output that depthwiseConvPaddedPlane computes.
KILN_HD inline void paddedPlaneSizes(const WindowParams &p, int64_t &height,
                                     int64_t &width, int64_t &flat) {
  height = p.inDims[0] + p.padsBegin[0] + p.padsEnd[0];
  width = p.inDims[1] + p.padsBegin[1] + p.padsEnd[1];
  flat = (p.outDims[0] - 1) * width + p.outDims[1];
}

/// One plane of a depthwise 2-d conv at stride 1, over a zero-padded copy
/// `padded` of its input channel (paddedPlaneSizes):
///
///   acc[i] = bias + sum_{a, b} wPlane[a, b] * padded[i + a d0 W' + b d1]
///
/// for i in [0, flat): output (oh, ow) is acc[oh * W' + ow]; the other
/// entries (ow >= OW) are computed and ignored. Each tap is one long vector
/// loop over the whole plane, where the row kernel would run a short loop
/// per output row.
KILN_HD_ROW void depthwiseConvPaddedPlane(const WindowParams &p,
                                             const float *padded,
                                             const float *wPlane, float bias,
                                             float *acc) {
  int64_t height, width, flat;
  paddedPlaneSizes(p, height, width, flat);
  for (int64_t i = 0; i < flat; ++i)
    acc[i] = bias;
  for (int64_t a = 0; a < p.kernelDims[0]; ++a)
    for (int64_t b = 0; b < p.kernelDims[1]; ++b) {
      float tap = wPlane[a * p.kernelDims[1] + b];
      const float *x = padded + a * p.dilations[0] * width + b * p.dilations[1];
      for (int64_t i = 0; i < flat; ++i)
        acc[i] += tap * x[i];
    }
}

/// Checks conv's operands and fills `p`.
inline Status makeConvParams(const TensorView &x, const TensorView &w,
                             const TensorView *b, const TensorView &y,
                             Span<const int64_t> strides,
                             Span<const int64_t> pads,
                             Span<const int64_t> dilations, int64_t group,
                             WindowParams &p) {
  const char *kernel = "conv";
  KILN_RETURN_IF_ERROR(checkDtype(kernel, "x", x, DType::Float));
  KILN_RETURN_IF_ERROR(checkDtype(kernel, "w", w, DType::Float));
  KILN_RETURN_IF_ERROR(checkDtype(kernel, "y", y, DType::Float));
  KILN_RETURN_IF_ERROR(checkValidRank(kernel, "x", x, 3));
  KILN_RETURN_IF_ERROR(checkRank(kernel, "w", w, x.rank));
  KILN_RETURN_IF_ERROR(
      makeWindowParams(kernel, x, y, w.shape + 2, strides, pads, dilations, p));
  if (group < 1 || p.inChannels % group || p.outChannels % group)
    return Status::error("conv: group %lld does not divide channels %lld "
                         "and %lld",
                         static_cast<long long>(group),
                         static_cast<long long>(p.inChannels),
                         static_cast<long long>(p.outChannels));
  p.group = group;
  KILN_RETURN_IF_ERROR(checkDim(kernel, "w", w, 0, p.outChannels));
  KILN_RETURN_IF_ERROR(checkDim(kernel, "w", w, 1, p.inChannels / group));
  if (b) {
    KILN_RETURN_IF_ERROR(checkDtype(kernel, "b", *b, DType::Float));
    KILN_RETURN_IF_ERROR(checkRank(kernel, "b", *b, 1));
    KILN_RETURN_IF_ERROR(checkDim(kernel, "b", *b, 0, p.outChannels));
  }
  return Status::success();
}

} // namespace kiln

#endif // KILN_KERNELS_COMMON_CONV_H
