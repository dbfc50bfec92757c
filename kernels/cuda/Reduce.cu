//===- Reduce.cu - reduce, arg_max, arg_min on CUDA ----------------------===//
//
// One thread per output element runs kernels/common/Reduce.h.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Reduce.h"
#include "kernels/cuda/Kernels.h"
#include "kernels/cuda/ParallelFor.cuh"

namespace kiln::cuda {

template <typename T>
static Status launchReduce(const Context &ctx, const ReduceParams &p,
                           const TensorView &x, const TensorView &y) {
  const T *xData = x.as<const T>();
  T *yData = y.as<T>();
  return KILN_CUDA_PARALLEL_FOR(
      ctx, y.numElements(),
      [=] __device__(int64_t i) { yData[i] = reduceElement<T>(p, xData, i); },
      "reduce");
}

Status reduce(const Context &ctx, const TensorView &x, const TensorView &y,
              const char *kind, Span<const int64_t> axes) {
  ReduceParams p;
  KILN_RETURN_IF_ERROR(makeReduceParams(x, y, kind, axes, p));
  switch (x.dtype) {
  case DType::Float:
    return launchReduce<float>(ctx, p, x, y);
  case DType::Double:
    return launchReduce<double>(ctx, p, x, y);
  case DType::Int64:
    return launchReduce<int64_t>(ctx, p, x, y);
  case DType::Bool:
    return launchReduce<bool>(ctx, p, x, y);
  default:
    return launchReduce<int32_t>(ctx, p, x, y);
  }
}

template <typename T>
static Status launchArg(const Context &ctx, const char *kernel,
                        const AxisParams &p, const TensorView &x,
                        const TensorView &y, bool isMax, bool selectLast) {
  const T *xData = x.as<const T>();
  int64_t *yData = y.as<int64_t>();
  return KILN_CUDA_PARALLEL_FOR(
      ctx, p.numRows(),
      [=] __device__(int64_t row) {
        yData[row] = argRow<T>(xData + p.rowBase(row), p.axisSize, p.inner,
                               isMax, selectLast);
      },
      kernel);
}

static Status argReduce(const Context &ctx, const char *kernel,
                        const TensorView &x, const TensorView &y, int64_t axis,
                        bool isMax, bool selectLast) {
  AxisParams p;
  KILN_RETURN_IF_ERROR(makeArgParams(kernel, x, y, axis, p));
  switch (x.dtype) {
  case DType::Float:
    return launchArg<float>(ctx, kernel, p, x, y, isMax, selectLast);
  case DType::Int64:
    return launchArg<int64_t>(ctx, kernel, p, x, y, isMax, selectLast);
  default:
    return launchArg<int32_t>(ctx, kernel, p, x, y, isMax, selectLast);
  }
}

Status arg_max(const Context &ctx, const TensorView &x, const TensorView &y,
               int64_t axis, bool select_last_index) {
  return argReduce(ctx, "arg_max", x, y, axis, /*isMax=*/true,
                   select_last_index);
}

Status arg_min(const Context &ctx, const TensorView &x, const TensorView &y,
               int64_t axis, bool select_last_index) {
  return argReduce(ctx, "arg_min", x, y, axis, /*isMax=*/false,
                   select_last_index);
}

} // namespace kiln::cuda
