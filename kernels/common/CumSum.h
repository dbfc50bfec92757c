//===- CumSum.h - Running sums along one axis -------------------*- C++ -*-===//
//
// cumsum sees x as rows along `axis` (kernels/common/Axis.h) and writes
// each row's running sum: y[i] = x[0] + ... + x[i], or with `exclusive`
// x[0] + ... + x[i - 1] (y[0] = 0); with `reverse` the sums run from the
// end of the row. Each row is summed in order, one row per step of the
// driver's loop, so both drivers add in the same order.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_CUMSUM_H
#define KILN_KERNELS_COMMON_CUMSUM_H

#include "kernels/common/Axis.h"

namespace kiln {

struct CumSumParams {
  AxisParams axis;
  bool exclusive, reverse;
};

template <typename T>
KILN_HD inline void cumSumRow(const CumSumParams &p, const T *x, T *y,
                              int64_t row) {
  int64_t base = p.axis.rowBase(row), stride = p.axis.inner;
  int64_t n = p.axis.axisSize;
  T sum = T(0);
  for (int64_t t = 0; t < n; ++t) {
    int64_t at = base + (p.reverse ? n - 1 - t : t) * stride;
    T value = x[at];
    if (!p.exclusive)
      sum = static_cast<T>(sum + value);
    y[at] = sum;
    if (p.exclusive)
      sum = static_cast<T>(sum + value);
  }
}

inline Status makeCumSumParams(const TensorView &x, const TensorView &y,
                               int64_t axis, bool exclusive, bool reverse,
                               CumSumParams &p) {
  const char *kernel = "cumsum";
  KILN_RETURN_IF_ERROR(makeAxisParams(kernel, x, axis, p.axis));
  KILN_RETURN_IF_ERROR(checkSameShape(kernel, "y", y, x));
  KILN_RETURN_IF_ERROR(checkSameDtype(kernel, "y", y, x));
  p.exclusive = exclusive;
  p.reverse = reverse;
  return Status::success();
}

/// Calls f(T()) with the C type of a dtype cumsum adds: f32, f64, i64, i32.
template <typename F> Status dispatchCumSum(int32_t dtype, F &&f) {
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
    return Status::error("cumsum: unsupported dtype %s", dtypeName(dtype));
  }
}

} // namespace kiln

#endif // KILN_KERNELS_COMMON_CUMSUM_H
