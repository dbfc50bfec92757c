//===- Reduce.cpp - reduce, arg_max, arg_min on the CPU ------------------===//
//
// One output element per iteration; the math is kernels/common/Reduce.h.
// Float sums and means over x's innermost dims run rowSum's vector loop.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Reduce.h"
#include "kernels/cpu/Kernels.h"
#include "kernels/cpu/Targets.h"

#include <type_traits>

namespace kiln::cpu {

/// Elements [begin, end) of a float sum or mean over contiguous blocks.
KILN_CPU_CLONES static void sumBlocks(const ReduceParams &p, const float *x,
                                      float *y, int64_t begin, int64_t end) {
  for (int64_t i = begin; i < end; ++i)
    y[i] = reduceContiguous(p, x, i);
}

template <typename T>
static Status runReduce(const ReduceParams &p, const TensorView &x,
                        const TensorView &y) {
  const T *xData = x.as<const T>();
  T *yData = y.as<T>();
  int64_t grain = 4096 / (p.reducedCount ? p.reducedCount : 1);
  if constexpr (std::is_same<T, float>::value) {
    if (isContiguousSum(p)) {
      parallelForChunks(
          y.numElements(),
          [&](int64_t begin, int64_t end) {
            sumBlocks(p, xData, yData, begin, end);
          },
          grain < 1 ? 1 : grain);
      return Status::success();
    }
  }
  parallelFor(
      y.numElements(),
      [&](int64_t i) { yData[i] = reduceElement<T>(p, xData, i); },
      grain < 1 ? 1 : grain);
  return Status::success();
}

Status reduce(const TensorView &x, const TensorView &y, const char *kind,
              Span<const int64_t> axes) {
  ReduceParams p;
  KILN_RETURN_IF_ERROR(makeReduceParams(x, y, kind, axes, p));
  switch (x.dtype) {
  case DType::Float:
    return runReduce<float>(p, x, y);
  case DType::Double:
    return runReduce<double>(p, x, y);
  case DType::Int64:
    return runReduce<int64_t>(p, x, y);
  case DType::Bool:
    return runReduce<bool>(p, x, y);
  default:
    return runReduce<int32_t>(p, x, y);
  }
}

template <typename T>
static void runArg(const AxisParams &p, const TensorView &x,
                   const TensorView &y, bool isMax, bool selectLast) {
  const T *xData = x.as<const T>();
  int64_t *yData = y.as<int64_t>();
  parallelFor(
      p.numRows(),
      [&](int64_t row) {
        yData[row] = argRow<T>(xData + p.rowBase(row), p.axisSize, p.inner,
                               isMax, selectLast);
      },
      /*grain=*/256);
}

static Status argReduce(const char *kernel, const TensorView &x,
                        const TensorView &y, int64_t axis, bool isMax,
                        bool selectLast) {
  AxisParams p;
  KILN_RETURN_IF_ERROR(makeArgParams(kernel, x, y, axis, p));
  switch (x.dtype) {
  case DType::Float:
    runArg<float>(p, x, y, isMax, selectLast);
    return Status::success();
  case DType::Int64:
    runArg<int64_t>(p, x, y, isMax, selectLast);
    return Status::success();
  case DType::Int32:
    runArg<int32_t>(p, x, y, isMax, selectLast);
    return Status::success();
  default:
    return Status::error("%s: unsupported dtype %s", kernel,
                         dtypeName(x.dtype));
  }
}

Status arg_max(const TensorView &x, const TensorView &y, int64_t axis,
               bool select_last_index) {
  return argReduce("arg_max", x, y, axis, /*isMax=*/true, select_last_index);
}

Status arg_min(const TensorView &x, const TensorView &y, int64_t axis,
               bool select_last_index) {
  return argReduce("arg_min", x, y, axis, /*isMax=*/false, select_last_index);
}

} // namespace kiln::cpu
