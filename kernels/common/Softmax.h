//===- Softmax.h - The math of softmax and log_softmax ----------*- C++ -*-===//
//
//   softmax:     y_i = exp(x_i - max) / sum_j exp(x_j - max)
//   log_softmax: y_i = x_i - max - log(sum_j exp(x_j - max))
//
// over one row of n elements, `stride` apart.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_SOFTMAX_H
#define KILN_KERNELS_COMMON_SOFTMAX_H

#include "kernels/common/Axis.h"
#include "kernels/common/FastMath.h"

#include <math.h>

namespace kiln {

/// Checks softmax's (or log_softmax's) operands and fills `p`.
inline Status makeSoftmaxParams(const char *kernel, const TensorView &x,
                                const TensorView &y, int64_t axis,
                                AxisParams &p) {
  KILN_RETURN_IF_ERROR(checkDtype(kernel, "x", x, DType::Float));
  KILN_RETURN_IF_ERROR(checkDtype(kernel, "y", y, DType::Float));
  KILN_RETURN_IF_ERROR(checkSameShape(kernel, "y", y, x));
  return makeAxisParams(kernel, x, axis, p);
}

KILN_HD_ROW void softmaxRow(const float *x, float *y, int64_t n,
                               int64_t stride, bool log) {
  float max = rowMax(x, n, stride);
  if (log) {
    float partial[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int64_t i = 0; i < n; ++i)
      partial[i % 8] += fastExp(x[i * stride] - max);
    float shift = max + logf(rowSum(partial, 8, 1));
    for (int64_t i = 0; i < n; ++i)
      y[i * stride] = x[i * stride] - shift;
    return;
  }
  // y holds the exponentials until the sum is known: one exp per element.
  for (int64_t i = 0; i < n; ++i)
    y[i * stride] = fastExp(x[i * stride] - max);
  float inv = 1.0f / rowSum(y, n, stride);
  for (int64_t i = 0; i < n; ++i)
    y[i * stride] *= inv;
}

} // namespace kiln

#endif // KILN_KERNELS_COMMON_SOFTMAX_H
