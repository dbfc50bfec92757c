//===- CumSum.h - Running sums and products along one axis ------*- C++ -*-===//
//
// cumsum sees x as rows along `axis` (kernels/common/Axis.h) and writes
// each row's running sum: y[i] = x[0] + ... + x[i], or with `exclusive`
// x[0] + ... + x[i - 1] (y[0] = 0); with `reverse` the sums run from the
// end of the row. cumprod is the same with products (an exclusive y[0] is
// 1). Each row is combined in order, one row per step of the driver's
// loop, so both drivers round in the same order.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_CUMSUM_H
#define KILN_KERNELS_COMMON_CUMSUM_H

#include "kernels/common/Axis.h"

#include <string.h>

namespace kiln {

struct CumSumParams {
  AxisParams axis;
  bool exclusive, reverse;
  /// cumprod rather than cumsum.
  bool product;
};

template <typename T>
KILN_HD inline void cumSumRow(const CumSumParams &p, const T *x, T *y,
                              int64_t row) {
  int64_t base = p.axis.rowBase(row), stride = p.axis.inner;
  int64_t n = p.axis.axisSize;
  T acc = p.product ? T(1) : T(0);
  auto combine = [&](T value) {
    return static_cast<T>(p.product ? acc * value : acc + value);
  };
  for (int64_t t = 0; t < n; ++t) {
    int64_t at = base + (p.reverse ? n - 1 - t : t) * stride;
    T value = x[at];
    if (!p.exclusive)
      acc = combine(value);
    y[at] = acc;
    if (p.exclusive)
      acc = combine(value);
  }
}

/// Checks the operands of `kernel` ("cumsum" or "cumprod") and fills `p`.
inline Status makeCumSumParams(const char *kernel, const TensorView &x,
                               const TensorView &y, int64_t axis,
                               bool exclusive, bool reverse, CumSumParams &p) {
  p.product = strcmp(kernel, "cumprod") == 0;
  KILN_RETURN_IF_ERROR(makeAxisParams(kernel, x, axis, p.axis));
  KILN_RETURN_IF_ERROR(checkSameShape(kernel, "y", y, x));
  KILN_RETURN_IF_ERROR(checkSameDtype(kernel, "y", y, x));
  p.exclusive = exclusive;
  p.reverse = reverse;
  return Status::success();
}

/// Calls f(T()) with the C type of a dtype `kernel` combines: f32, f64,
/// i64, i32.
template <typename F>
Status dispatchCumSum(const char *kernel, int32_t dtype, F &&f) {
  switch (dtype) {
  case DType::Float:
    return f(float());
  case DType::Double:
    return f(double());
  case DType::Int64:
    return f(int64_t());
  case DType::Int32:
    return f(int32_t());
  default:
    return Status::error("%s: unsupported dtype %s", kernel, dtypeName(dtype));
  }
}

} // namespace kiln

#endif // KILN_KERNELS_COMMON_CUMSUM_H
