//===- Resize.cpp - resize on the CPU ------------------------------------===//
//
// One output element per iteration; the math is kernels/common/Resize.h.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Resize.h"
#include "kernels/cpu/Kernels.h"

namespace kiln::cpu {

Status resize(const TensorView &x, const TensorView &y, const char *mode,
              const char *coordinate_transformation_mode,
              const char *nearest_mode, Span<const double> scales,
              Span<const double> roi, float cubic_coeff_a, bool exclude_outside,
              float extrapolation_value, bool antialias) {
  ResizeParams p;
  KILN_RETURN_IF_ERROR(makeResizeParams(
      x, y, mode, coordinate_transformation_mode, nearest_mode, scales, roi,
      cubic_coeff_a, exclude_outside, extrapolation_value, antialias, p));
  if (p.mode == ResizeMode::Nearest) {
    const char *xData = x.as<const char>();
    char *yData = y.as<char>();
    parallelFor(
        y.numElements(),
        [&](int64_t i) { resizeNearestElement(p, xData, yData, i); },
        /*grain=*/1024);
    return Status::success();
  }
  const float *xData = x.as<const float>();
  float *yData = y.as<float>();
  parallelFor(
      y.numElements(),
      [&](int64_t i) { yData[i] = resizeInterpolatedElement(p, xData, i); },
      /*grain=*/256);
  return Status::success();
}

} // namespace kiln::cpu
