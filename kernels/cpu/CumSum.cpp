//===- CumSum.cpp - cumsum, cumprod on the CPU----------------------------===//
//
// One row of kernels/common/CumSum.h per step of the parallel loop.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/CumSum.h"
#include "kernels/cpu/Kernels.h"

namespace kiln::cpu {

static Status runCumSum(const char *kernel, const TensorView &x,
                        const TensorView &y, int64_t axis, bool exclusive,
                        bool reverse) {
  CumSumParams p;
  KILN_RETURN_IF_ERROR(
      makeCumSumParams(kernel, x, y, axis, exclusive, reverse, p));
  return dispatchCumSum(kernel, x.dtype, [&](auto zero) {
    using T = decltype(zero);
    const T *xData = x.as<const T>();
    T *yData = y.as<T>();
    int64_t grain = 4096 / (p.axis.axisSize ? p.axis.axisSize : 1);
    parallelFor(
        p.axis.numRows(),
        [&](int64_t row) { cumSumRow<T>(p, xData, yData, row); },
        grain < 1 ? 1 : grain);
    return Status::success();
  });
}

Status cumsum(const TensorView &x, const TensorView &y, int64_t axis,
              bool exclusive, bool reverse) {
  return runCumSum("cumsum", x, y, axis, exclusive, reverse);
}

Status cumprod(const TensorView &x, const TensorView &y, int64_t axis,
               bool exclusive, bool reverse) {
  return runCumSum("cumprod", x, y, axis, exclusive, reverse);
}

} // namespace kiln::cpu
