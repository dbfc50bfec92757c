//===- Resize.cu - resize on CUDA ----------------------------------------===//
//
// One thread per output element runs the math of kernels/common/Resize.h.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Resize.h"
#include "kernels/cuda/Kernels.h"
#include "kernels/cuda/ParallelFor.cuh"

namespace kiln::cuda {

//===----------------------------------------------------------------------===//
// Launchers
//===----------------------------------------------------------------------===//

Status resize(const Context &ctx, const TensorView &x, const TensorView &y,
              const char *mode, const char *coordinate_transformation_mode,
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
    return KILN_CUDA_PARALLEL_FOR(
        ctx, y.numElements(),
        [=] __device__(int64_t i) { resizeNearestElement(p, xData, yData, i); },
        "resize");
  }
  const float *xData = x.as<const float>();
  float *yData = y.as<float>();
  return KILN_CUDA_PARALLEL_FOR(
      ctx, y.numElements(),
      [=] __device__(int64_t i) {
        yData[i] = resizeInterpolatedElement(p, xData, i);
      },
      "resize");
}

} // namespace kiln::cuda
