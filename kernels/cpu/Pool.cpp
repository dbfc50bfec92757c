//===- Pool.cpp - Pooling on the CPU -------------------------------------===//
//
// Each output element runs the window math of kernels/common/Pool.h; 2-d
// max pools run a row at a time (maxPoolRow); the global pools reduce each
// (n, c) plane.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Pool.h"
#include "kernels/cpu/Kernels.h"
#include "kernels/cpu/Targets.h"

#include <math.h>

namespace kiln::cpu {

/// The grain, in output rows, for window loops: a window costs about
/// kernelSize.
static int64_t rowGrain(const WindowParams &p) {
  int64_t work = p.outDims[p.spatialRank - 1] * p.kernelSize;
  return work >= 4096 ? 1 : 4096 / (work ? work : 1);
}

static int64_t numRows(const WindowParams &p, const TensorView &y) {
  int64_t inner = p.outDims[p.spatialRank - 1];
  return inner ? y.numElements() / inner : 0;
}

/// Output rows [begin, end) (over N, C and OH) of a 2-d max pool, one
/// cloned function per element type (clang clones no templates).
#define KILN_MAX_POOL_ROWS(T)                                                  \
  KILN_CPU_CLONES static void maxPoolRows(const WindowParams &p, const T *x,  \
                                          T *y, int64_t begin, int64_t end) { \
    int64_t rows = p.outDims[0];                                               \
    for (int64_t row = begin; row < end; ++row)                                \
      maxPoolRow<T>(p, x + (row / rows) * p.inSpatialSize, row % rows,         \
                    y + row * p.outDims[1]);                                   \
  }
KILN_MAX_POOL_ROWS(float)
KILN_MAX_POOL_ROWS(int8_t)
KILN_MAX_POOL_ROWS(uint8_t)
#undef KILN_MAX_POOL_ROWS

template <typename T>
static Status runMaxPool(const WindowParams &p, const TensorView &x,
                         const TensorView &y) {
  const T *xData = x.as<const T>();
  T *yData = y.as<T>();
  if (p.spatialRank == 2) {
    parallelForChunks(
        p.batch * p.inChannels * p.outDims[0],
        [&](int64_t begin, int64_t end) {
          maxPoolRows(p, xData, yData, begin, end);
        },
        rowGrain(p));
    return Status::success();
  }
  parallelFor(
      numRows(p, y),
      [&](int64_t row) {
        forEachWindowInRow(
            p, row, [&](int64_t i, int64_t plane, const int64_t *origin) {
              yData[i] =
                  maxPoolAt<T>(p, xData + plane * p.inSpatialSize, origin);
            });
      },
      rowGrain(p));
  return Status::success();
}

Status max_pool(const TensorView &x, const TensorView &y,
                Span<const int64_t> kernel_shape, Span<const int64_t> strides,
                Span<const int64_t> pads, Span<const int64_t> dilations) {
  WindowParams p;
  KILN_RETURN_IF_ERROR(makePoolParams("max_pool", x, y, kernel_shape, strides,
                                      pads, dilations, p));
  switch (x.dtype) {
  case DType::Float:
    return runMaxPool<float>(p, x, y);
  case DType::Int8:
    return runMaxPool<int8_t>(p, x, y);
  case DType::UInt8:
    return runMaxPool<uint8_t>(p, x, y);
  default:
    return Status::error("max_pool: unsupported dtype %s", dtypeName(x.dtype));
  }
}

Status average_pool(const TensorView &x, const TensorView &y,
                    Span<const int64_t> kernel_shape,
                    Span<const int64_t> strides, Span<const int64_t> pads,
                    Span<const int64_t> dilations, bool count_include_pad) {
  WindowParams p;
  KILN_RETURN_IF_ERROR(checkDtype("average_pool", "x", x, DType::Float));
  KILN_RETURN_IF_ERROR(makePoolParams("average_pool", x, y, kernel_shape,
                                      strides, pads, dilations, p));
  const float *xData = x.as<const float>();
  float *yData = y.as<float>();
  parallelFor(
      numRows(p, y),
      [&](int64_t row) {
        forEachWindowInRow(
            p, row, [&](int64_t i, int64_t plane, const int64_t *origin) {
              yData[i] = averagePoolAt(p, count_include_pad,
                                       xData + plane * p.inSpatialSize, origin);
            });
      },
      rowGrain(p));
  return Status::success();
}

Status global_average_pool(const TensorView &x, const TensorView &y) {
  int64_t size;
  KILN_RETURN_IF_ERROR(makeGlobalPoolParams("global_average_pool", x, y, size));
  const float *xData = x.as<const float>();
  float *yData = y.as<float>();
  parallelFor(
      y.numElements(),
      [&](int64_t plane) {
        yData[plane] = globalPoolPlane(xData + plane * size, size, false);
      },
      /*grain=*/16);
  return Status::success();
}

Status global_max_pool(const TensorView &x, const TensorView &y) {
  int64_t size;
  KILN_RETURN_IF_ERROR(makeGlobalPoolParams("global_max_pool", x, y, size));
  const float *xData = x.as<const float>();
  float *yData = y.as<float>();
  parallelFor(
      y.numElements(),
      [&](int64_t plane) {
        yData[plane] = globalPoolPlane(xData + plane * size, size, true);
      },
      /*grain=*/16);
  return Status::success();
}

} // namespace kiln::cpu
