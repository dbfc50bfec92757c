//===- Resize.h - The math of resize ----------------------------*- C++ -*-===//
//
// Each output coordinate o of dim d maps to a source coordinate x by the
// coordinate transformation (scale s, input size L, output size s * L):
//
//   half_pixel            (o + 0.5) / s - 0.5
//   half_pixel_symmetric  as half_pixel, shifted so that the centers meet
//   pytorch_half_pixel    as half_pixel, or -0.5 for a single output
//   align_corners         o * (L - 1) / (s * L - 1), or 0
//   asymmetric            o / s
//   tf_half_pixel_for_nn  (o + 0.5) / s
//   tf_crop_and_resize    roi begin * (L - 1) + o * (roi end - roi begin)
//                         * (L - 1) / (s * L - 1); outside [0, L - 1] the
//                         output is extrapolation_value
//
// Nearest reads one element (x rounded per nearest_mode); linear and cubic
// read n taps around x per dim with weights w(j), n = 2 or 4 (more with
// antialias, whose kernel stretches by 1 / s when downsampling), indices
// clamped to [0, L), the weights renormalized without the taps outside
// with exclude_outside. The taps are ONNX's: x integral counts as ratio 1
// from the left pixel. An output element is the sum over the tap product
// of all dims; dims with scale 1 and no roi read one tap.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_RESIZE_H
#define KILN_KERNELS_COMMON_RESIZE_H

#include "kernels/common/Checks.h"

#include <math.h>
#include <string.h>

namespace kiln {

enum class ResizeMode : int32_t { Nearest, Linear, Cubic };
enum class ResizeTransform : int32_t {
  HalfPixel,
  HalfPixelSymmetric,
  PytorchHalfPixel,
  AlignCorners,
  Asymmetric,
  TfHalfPixelForNN,
  TfCropAndResize,
};
enum class ResizeNearest : int32_t {
  RoundPreferFloor,
  RoundPreferCeil,
  Floor,
  Ceil
};

struct ResizeParams {
  int32_t rank;
  int64_t inDims[kMaxRank], outDims[kMaxRank];
  double scales[kMaxRank], roiBegin[kMaxRank], roiEnd[kMaxRank];
  /// Dims that read input coordinate o for output coordinate o.
  bool identity[kMaxRank];
  ResizeMode mode;
  ResizeTransform transform;
  ResizeNearest nearest;
  double cubicA;
  bool excludeOutside, antialias;
  float extrapolation;
  int64_t elementSize;
};

/// Checks resize's operands and fills `p`.
inline Status makeResizeParams(const TensorView &x, const TensorView &y,
                               const char *mode, const char *transform,
                               const char *nearestMode,
                               Span<const double> scales,
                               Span<const double> roi, float cubicA,
                               bool excludeOutside, float extrapolation,
                               bool antialias, ResizeParams &p) {
  const char *kernel = "resize";
  KILN_RETURN_IF_ERROR(checkValidRank(kernel, "x", x, 1));
  KILN_RETURN_IF_ERROR(checkRank(kernel, "y", y, x.rank));
  KILN_RETURN_IF_ERROR(checkSameDtype(kernel, "y", y, x));
  KILN_RETURN_IF_ERROR(checkSize(kernel, "scales", scales.size(), x.rank));
  if (!roi.empty())
    KILN_RETURN_IF_ERROR(checkSize(kernel, "roi", roi.size(), 2 * x.rank));
  auto is = [](const char *a, const char *b) { return strcmp(a, b) == 0; };
  if (is(mode, "nearest"))
    p.mode = ResizeMode::Nearest;
  else if (is(mode, "linear"))
    p.mode = ResizeMode::Linear;
  else if (is(mode, "cubic"))
    p.mode = ResizeMode::Cubic;
  else
    return Status::error("resize: unknown mode '%s'", mode);
  const char *transforms[] = {"half_pixel",         "half_pixel_symmetric",
                              "pytorch_half_pixel", "align_corners",
                              "asymmetric",         "tf_half_pixel_for_nn",
                              "tf_crop_and_resize"};
  int32_t t = 0;
  while (t < 7 && !is(transform, transforms[t]))
    ++t;
  if (t == 7)
    return Status::error("resize: unknown coordinate_transformation_mode "
                         "'%s'",
                         transform);
  p.transform = static_cast<ResizeTransform>(t);
  const char *nearests[] = {"round_prefer_floor", "round_prefer_ceil", "floor",
                            "ceil"};
  int32_t r = 0;
  while (r < 4 && !is(nearestMode, nearests[r]))
    ++r;
  if (r == 4)
    return Status::error("resize: unknown nearest_mode '%s'", nearestMode);
  p.nearest = static_cast<ResizeNearest>(r);
  if (p.mode != ResizeMode::Nearest ||
      p.transform == ResizeTransform::TfCropAndResize)
    KILN_RETURN_IF_ERROR(checkDtype(kernel, "x", x, DType::Float));
  if (p.transform == ResizeTransform::TfCropAndResize && roi.empty())
    return Status::error("resize: tf_crop_and_resize needs a roi");
  p.elementSize = x.elementSize();
  if (p.elementSize == 0)
    return Status::error("resize: unsupported dtype %s", dtypeName(x.dtype));
  p.rank = x.rank;
  p.cubicA = cubicA;
  p.excludeOutside = excludeOutside;
  p.antialias = antialias && p.mode != ResizeMode::Nearest;
  p.extrapolation = extrapolation;
  for (int32_t d = 0; d < x.rank; ++d) {
    p.inDims[d] = x.shape[d];
    p.outDims[d] = y.shape[d];
    p.scales[d] = scales[d];
    // A scale of 0 is y's dim over x's: a resize to sizes over dynamic dims.
    if (scales[d] == 0.0 && p.inDims[d] > 0)
      p.scales[d] = static_cast<double>(p.outDims[d]) /
                    static_cast<double>(p.inDims[d]);
    else if (scales[d] == 0.0)
      p.scales[d] = 1.0;
    if (!(p.scales[d] > 0.0) || isinf(p.scales[d]))
      return Status::error("resize: scale %g of dim %d is not positive",
                           p.scales[d], d);
    if (p.inDims[d] == 0 && p.outDims[d] != 0)
      return Status::error("resize: dim %d is empty in x but not in y", d);
    p.roiBegin[d] = roi.empty() ? 0.0 : roi[d];
    p.roiEnd[d] = roi.empty() ? 1.0 : roi[d + x.rank];
    bool plainRoi = p.transform != ResizeTransform::TfCropAndResize ||
                    (p.roiBegin[d] == 0.0 && p.roiEnd[d] == 1.0);
    p.identity[d] =
        p.scales[d] == 1.0 && p.inDims[d] == p.outDims[d] && plainRoi;
  }
  // The taps each output element reads must stay countable: antialias
  // widens the kernel by 1 / scale.
  double combinations = 1.0;
  for (int32_t d = 0; d < x.rank; ++d) {
    double taps = p.mode == ResizeMode::Nearest  ? 1.0
                  : p.mode == ResizeMode::Linear ? 2.0
                                                 : 4.0;
    if (p.antialias && p.scales[d] < 1.0)
      taps = 2.0 * ceil(taps / 2.0 / p.scales[d]) + 2.0;
    if (!p.identity[d])
      combinations *= taps;
  }
  if (combinations > 4294967296.0)
    return Status::error("resize: antialias reads more than 2^32 taps per "
                         "element");
  return Status::success();
}

/// The source coordinate of output coordinate `o` along dim `d`; sets
/// `outside` when tf_crop_and_resize maps it out of the input.
KILN_HD inline double resizeSource(const ResizeParams &p, int32_t d, int64_t o,
                                   bool &outside) {
  double s = p.scales[d], in = static_cast<double>(p.inDims[d]);
  double outWidth = s * in, x = static_cast<double>(o);
  switch (p.transform) {
  case ResizeTransform::HalfPixel:
    return (x + 0.5) / s - 0.5;
  case ResizeTransform::HalfPixelSymmetric: {
    double adjustment = static_cast<double>(p.outDims[d]) / outWidth;
    double offset = in / 2 * (1 - adjustment);
    return offset + (x + 0.5) / s - 0.5;
  }
  case ResizeTransform::PytorchHalfPixel:
    return outWidth == 1.0 ? -0.5 : (x + 0.5) / s - 0.5;
  case ResizeTransform::AlignCorners:
    return outWidth == 1.0 ? 0.0 : x * (in - 1) / (outWidth - 1);
  case ResizeTransform::Asymmetric:
    return x / s;
  case ResizeTransform::TfHalfPixelForNN:
    return (x + 0.5) / s;
  case ResizeTransform::TfCropAndResize: {
    double span = p.roiEnd[d] - p.roiBegin[d];
    double source = outWidth == 1.0 ? span * (in - 1) / 2
                                    : x * span * (in - 1) / (outWidth - 1);
    source += p.roiBegin[d] * (in - 1);
    outside = outside || source < 0 || source > in - 1;
    return source;
  }
  }
  return x;
}

/// The nearest input index of source coordinate x, clamped.
KILN_HD inline int64_t resizeNearestIndex(const ResizeParams &p, int32_t d,
                                          double x) {
  double base = floor(x);
  int64_t index = static_cast<int64_t>(base);
  double ratio = x - base;
  if (ratio != 0.0) {
    bool up = false;
    switch (p.nearest) {
    case ResizeNearest::RoundPreferFloor:
      up = ratio > 0.5;
      break;
    case ResizeNearest::RoundPreferCeil:
      up = ratio >= 0.5;
      break;
    case ResizeNearest::Floor:
      up = false;
      break;
    case ResizeNearest::Ceil:
      up = true;
      break;
    }
    index += up ? 1 : 0;
  }
  if (index < 0)
    index = 0;
  if (index > p.inDims[d] - 1)
    index = p.inDims[d] - 1;
  return index;
}

/// The cubic convolution kernel with coefficient a at distance t.
KILN_HD inline double cubicKernel(double t, double a) {
  t = fabs(t);
  if (t <= 1)
    return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2)
    return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a;
  return 0.0;
}

/// The taps of one dim for an interpolating mode: indices first .. first +
/// count - 1 (before clamping), weight(j) / norm.
struct ResizeTaps {
  int64_t first;
  int32_t count;
  double ratio;   // in (0, 1]
  double stretch; // min(scale, 1) with antialias, else 1
  int32_t offset; // the kernel's first tap relative to the left pixel
  double norm;
};

/// The unnormalized weight of tap j (0 when excluded).
KILN_HD inline double resizeTapWeight(const ResizeParams &p, int32_t d,
                                      const ResizeTaps &taps, int32_t j) {
  int64_t index = taps.first + j;
  if (p.excludeOutside && (index < 0 || index >= p.inDims[d]))
    return 0.0;
  // Distance of the tap from the source coordinate, in input pixels.
  double distance = (taps.offset + j - taps.ratio) * taps.stretch;
  if (p.mode == ResizeMode::Linear) {
    double w = 1 - fabs(distance);
    return w > 0 ? w : 0.0;
  }
  return cubicKernel(distance, p.cubicA);
}

/// The taps of dim d around source coordinate x.
KILN_HD inline ResizeTaps resizeTaps(const ResizeParams &p, int32_t d,
                                     double x) {
  ResizeTaps taps;
  double base = floor(x);
  bool integral = x == base;
  taps.ratio = integral ? 1.0 : x - base;
  taps.stretch = 1.0;
  double support = p.mode == ResizeMode::Linear ? 1.0 : 2.0;
  int32_t half = p.mode == ResizeMode::Linear ? 1 : 2;
  if (p.antialias) {
    taps.stretch = p.scales[d] < 1.0 ? p.scales[d] : 1.0;
    // The kernel's first tap: floor(-support / stretch) + 1.
    half = 1 - static_cast<int32_t>(floor(-support / taps.stretch) + 1);
  }
  taps.count = 2 * half;
  taps.offset = 1 - half;
  // The left pixel is floor(x), or x - 1 when x is integral (ratio 1).
  int64_t left = static_cast<int64_t>(base) - (integral ? 1 : 0);
  taps.first = left + taps.offset;
  taps.norm = 1.0;
  if (p.antialias || p.excludeOutside) {
    double sum = 0.0;
    for (int32_t j = 0; j < taps.count; ++j)
      sum += resizeTapWeight(p, d, taps, j);
    taps.norm = sum == 0.0 ? 1.0 : sum;
  }
  return taps;
}

/// y at flat index `index`, for the nearest mode of any dtype (as bytes):
/// copies the element it reads, or writes extrapolation_value (f32 only).
KILN_HD inline void resizeNearestElement(const ResizeParams &p, const char *x,
                                         char *y, int64_t index) {
  int64_t rest = index, source = 0, stride = 1;
  bool outside = false;
  for (int32_t d = p.rank - 1; d >= 0; --d) {
    int64_t o = rest % p.outDims[d];
    rest /= p.outDims[d];
    int64_t i = o;
    if (!p.identity[d])
      i = resizeNearestIndex(p, d, resizeSource(p, d, o, outside));
    source += i * stride;
    stride *= p.inDims[d];
  }
  if (outside) {
    memcpy(y + index * p.elementSize, &p.extrapolation, sizeof(float));
    return;
  }
  memcpy(y + index * p.elementSize, x + source * p.elementSize,
         static_cast<size_t>(p.elementSize));
}

/// y at flat index `index`, for linear and cubic over f32.
KILN_HD inline float resizeInterpolatedElement(const ResizeParams &p,
                                               const float *x, int64_t index) {
  ResizeTaps taps[kMaxRank];
  int64_t coords[kMaxRank];
  int64_t rest = index;
  bool outside = false;
  int64_t combinations = 1;
  for (int32_t d = p.rank - 1; d >= 0; --d) {
    coords[d] = rest % p.outDims[d];
    rest /= p.outDims[d];
    if (p.identity[d]) {
      taps[d] = ResizeTaps{coords[d], 1, 1.0, 1.0, 0, 1.0};
      continue;
    }
    taps[d] = resizeTaps(p, d, resizeSource(p, d, coords[d], outside));
    combinations *= taps[d].count;
  }
  if (outside)
    return p.extrapolation;
  int32_t j[kMaxRank];
  for (int32_t d = 0; d < p.rank; ++d)
    j[d] = 0;
  double acc = 0.0;
  for (int64_t c = 0; c < combinations; ++c) {
    double weight = 1.0;
    int64_t source = 0;
    for (int32_t d = 0; d < p.rank; ++d) {
      int64_t i = taps[d].first + j[d];
      if (!p.identity[d])
        weight *= resizeTapWeight(p, d, taps[d], j[d]) / taps[d].norm;
      if (i < 0)
        i = 0;
      if (i > p.inDims[d] - 1)
        i = p.inDims[d] - 1;
      source = source * p.inDims[d] + i;
    }
    if (weight != 0.0)
      acc += weight * static_cast<double>(x[source]);
    for (int32_t d = p.rank - 1; d >= 0; --d) {
      if (++j[d] < taps[d].count)
        break;
      j[d] = 0;
    }
  }
  return static_cast<float>(acc);
}

} // namespace kiln

#endif // KILN_KERNELS_COMMON_RESIZE_H
