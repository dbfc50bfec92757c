//===- CumSum.cu - cumsum, cumprod on the device--------------------------===//
//
// One thread per row of kernels/common/CumSum.h.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/CumSum.h"
#include "kernels/cuda/Kernels.h"
#include "kernels/cuda/ParallelFor.cuh"

namespace kiln::cuda {

// The device lambda lives in a named template: nvcc rejects extended
// lambdas inside the generic lambda dispatchCumSum takes.
template <typename T>
static Status launchCumSum(T, const Context &ctx, const char *kernel,
                           const CumSumParams &p, const TensorView &x,
                           const TensorView &y) {
  const T *xData = x.as<const T>();
  T *yData = y.as<T>();
  return KILN_CUDA_PARALLEL_FOR(
      ctx, p.axis.numRows(),
      [=] __device__(int64_t row) { cumSumRow<T>(p, xData, yData, row); },
      kernel);
}

static Status runCumSum(const Context &ctx, const char *kernel,
                        const TensorView &x, const TensorView &y, int64_t axis,
                        bool exclusive, bool reverse) {
  CumSumParams p;
  KILN_RETURN_IF_ERROR(
      makeCumSumParams(kernel, x, y, axis, exclusive, reverse, p));
  return dispatchCumSum(kernel, x.dtype, [&](auto zero) {
    return launchCumSum(zero, ctx, kernel, p, x, y);
  });
}

Status cumsum(const Context &ctx, const TensorView &x, const TensorView &y,
              int64_t axis, bool exclusive, bool reverse) {
  return runCumSum(ctx, "cumsum", x, y, axis, exclusive, reverse);
}

Status cumprod(const Context &ctx, const TensorView &x, const TensorView &y,
               int64_t axis, bool exclusive, bool reverse) {
  return runCumSum(ctx, "cumprod", x, y, axis, exclusive, reverse);
}

} // namespace kiln::cuda
