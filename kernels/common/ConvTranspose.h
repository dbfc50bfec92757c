//===- ConvTranspose.h - The math of transposed convolution -----*- C++ -*-===//
//
// Each input position scatters its kernel window into the output:
//
//   y[n, m, o] = b[m] + sum_{c, k : o = i * s + k * d - p} x[n, c, i]
//                                                           * w[c, m', k]
//
// for input channels c of group g = m / (M / group), m' = m % (M / group);
// gathered per output position, i = (o + p - k * d) / s where that divides
// and lands inside the input. W is (C, M / group, k1..kn).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_CONVTRANSPOSE_H
#define KILN_KERNELS_COMMON_CONVTRANSPOSE_H

#include "kernels/common/Checked.h"
#include "kernels/common/Conv.h"

namespace kiln {

/// Checks conv_transpose's operands and fills `p` (WindowParams of
/// kernels/common/Conv.h, with inDims the input's and outDims the output's
/// spatial dims). pads are begins then ends; the ends are what the output
/// size says: y dim = s * (x dim - 1) + d * (k - 1) + 1 - begin - end.
inline Status makeConvTransposeParams(const TensorView &x, const TensorView &w,
                                      const TensorView *b, const TensorView &y,
                                      Span<const int64_t> strides,
                                      Span<const int64_t> pads,
                                      Span<const int64_t> dilations,
                                      int64_t group, WindowParams &p) {
  const char *kernel = "conv_transpose";
  KILN_RETURN_IF_ERROR(checkDtype(kernel, "x", x, DType::Float));
  KILN_RETURN_IF_ERROR(checkDtype(kernel, "w", w, DType::Float));
  KILN_RETURN_IF_ERROR(checkDtype(kernel, "y", y, DType::Float));
  KILN_RETURN_IF_ERROR(checkValidRank(kernel, "x", x, 3));
  KILN_RETURN_IF_ERROR(checkRank(kernel, "w", w, x.rank));
  KILN_RETURN_IF_ERROR(checkRank(kernel, "y", y, x.rank));
  int32_t n = x.rank - 2;
  KILN_RETURN_IF_ERROR(checkSize(kernel, "strides", strides.size(), n));
  KILN_RETURN_IF_ERROR(checkSize(kernel, "pads", pads.size(), 2 * n));
  KILN_RETURN_IF_ERROR(checkSize(kernel, "dilations", dilations.size(), n));
  p.spatialRank = n;
  p.batch = x.shape[0];
  p.inChannels = x.shape[1];
  p.outChannels = y.shape[1];
  if (group < 1 || p.inChannels % group || p.outChannels % group)
    return Status::error("conv_transpose: group %lld does not divide channels "
                         "%lld and %lld",
                         static_cast<long long>(group),
                         static_cast<long long>(p.inChannels),
                         static_cast<long long>(p.outChannels));
  p.group = group;
  KILN_RETURN_IF_ERROR(checkDim(kernel, "y", y, 0, p.batch));
  KILN_RETURN_IF_ERROR(checkDim(kernel, "w", w, 0, p.inChannels));
  KILN_RETURN_IF_ERROR(checkDim(kernel, "w", w, 1, p.outChannels / group));
  p.inSpatialSize = p.outSpatialSize = p.kernelSize = 1;
  for (int32_t i = 0; i < n; ++i) {
    p.inDims[i] = x.shape[i + 2];
    p.outDims[i] = y.shape[i + 2];
    p.kernelDims[i] = w.shape[i + 2];
    p.strides[i] = strides[i];
    p.dilations[i] = dilations[i];
    p.padsBegin[i] = pads[i];
    p.padsEnd[i] = pads[i + n];
    if (p.strides[i] < 1 || p.dilations[i] < 1 || p.kernelDims[i] < 1)
      return Status::error("conv_transpose: non-positive stride, dilation or "
                           "kernel size in spatial dim %d",
                           i);
    int64_t spread, extent, natural, expected;
    if (!checkedMul(p.inDims[i] - 1, p.strides[i], spread) ||
        !checkedMul(p.kernelDims[i] - 1, p.dilations[i], extent) ||
        !checkedAdd(extent, 1, extent) ||
        !checkedAdd(spread, extent, natural) ||
        !checkedAdd(natural, -p.padsBegin[i], expected) ||
        !checkedAdd(expected, -p.padsEnd[i], expected))
      return Status::error("conv_transpose: window of spatial dim %d is too "
                           "large",
                           i);
    KILN_RETURN_IF_ERROR(checkDim(kernel, "y", y, i + 2, expected));
    p.inSpatialSize *= p.inDims[i];
    p.outSpatialSize *= p.outDims[i];
    p.kernelSize *= p.kernelDims[i];
  }
  if (b) {
    KILN_RETURN_IF_ERROR(checkDtype(kernel, "b", *b, DType::Float));
    KILN_RETURN_IF_ERROR(checkRank(kernel, "b", *b, 1));
    KILN_RETURN_IF_ERROR(checkDim(kernel, "b", *b, 0, p.outChannels));
  }
  return Status::success();
}

/// y at flat index `index` (over N, M, O...). b may be null.
KILN_HD inline float convTransposeElement(const WindowParams &p, const float *x,
                                          const float *w, const float *b,
                                          int64_t index) {
  int64_t m = (index / p.outSpatialSize) % p.outChannels;
  int64_t n = index / (p.outSpatialSize * p.outChannels);
  int64_t groupIn = p.inChannels / p.group;
  int64_t groupOut = p.outChannels / p.group;
  int64_t g = m / groupOut;
  const float *xGroup = x + (n * p.inChannels + g * groupIn) * p.inSpatialSize;
  // w[c, m', k] for c of the group: stride groupOut * K between channels.
  const float *wCol =
      w + (g * groupIn * groupOut + m % groupOut) * p.kernelSize;
  int64_t wChannelStride = groupOut * p.kernelSize;
  int64_t o[kMaxSpatialRank], k[kMaxSpatialRank];
  unflatten(index % p.outSpatialSize, p.spatialRank, p.outDims, o);
  for (int32_t d = 0; d < p.spatialRank; ++d)
    k[d] = 0;
  float acc = b ? b[m] : 0.0f;
  for (int64_t tap = 0; tap < p.kernelSize; ++tap) {
    int64_t inPos = 0;
    bool hit = true;
    for (int32_t d = 0; hit && d < p.spatialRank; ++d) {
      int64_t t = o[d] + p.padsBegin[d] - k[d] * p.dilations[d];
      int64_t i = t / p.strides[d];
      hit = t >= 0 && i * p.strides[d] == t && i < p.inDims[d];
      inPos = inPos * p.inDims[d] + i;
    }
    if (hit)
      for (int64_t c = 0; c < groupIn; ++c)
        acc += xGroup[c * p.inSpatialSize + inPos] *
               wCol[c * wChannelStride + tap];
    for (int32_t d = p.spatialRank - 1; d >= 0; --d) {
      if (++k[d] < p.kernelDims[d])
        break;
      k[d] = 0;
    }
  }
  return acc;
}

} // namespace kiln

#endif // KILN_KERNELS_COMMON_CONVTRANSPOSE_H
