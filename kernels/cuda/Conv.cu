//===- Conv.cu - Convolution and pooling on CUDA -------------------------===//
//
// One thread per output element runs the window math of
// kernels/common/Conv.h and kernels/common/Pool.h; the global pools run one
// thread per (n, c) plane.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Pool.h"
#include "kernels/cuda/Kernels.h"
#include "kernels/cuda/ParallelFor.cuh"

namespace kiln::cuda {

//===----------------------------------------------------------------------===//
// Launchers
//===----------------------------------------------------------------------===//

Status conv(const Context &ctx, const TensorView &x, const TensorView &w,
            const TensorView *b, const TensorView &y,
            Span<const int64_t> strides, Span<const int64_t> pads,
            Span<const int64_t> dilations, int64_t group) {
  WindowParams p;
  KILN_RETURN_IF_ERROR(
      makeConvParams(x, w, b, y, strides, pads, dilations, group, p));
  const float *xData = x.as<const float>();
  const float *wData = w.as<const float>();
  const float *bData = b ? b->as<const float>() : nullptr;
  float *yData = y.as<float>();
  return KILN_CUDA_PARALLEL_FOR(
      ctx, y.numElements(),
      [=] __device__(int64_t i) {
        yData[i] = convElement(p, xData, wData, bData, i);
      },
      "conv");
}

template <typename T>
static Status launchMaxPool(const Context &ctx, const WindowParams &p,
                            const TensorView &x, const TensorView &y) {
  const T *xData = x.as<const T>();
  T *yData = y.as<T>();
  return KILN_CUDA_PARALLEL_FOR(
      ctx, y.numElements(),
      [=] __device__(int64_t i) { yData[i] = maxPoolElement<T>(p, xData, i); },
      "max_pool");
}

Status max_pool(const Context &ctx, const TensorView &x, const TensorView &y,
                Span<const int64_t> kernel_shape, Span<const int64_t> strides,
                Span<const int64_t> pads, Span<const int64_t> dilations) {
  WindowParams p;
  KILN_RETURN_IF_ERROR(makePoolParams("max_pool", x, y, kernel_shape, strides,
                                      pads, dilations, p));
  switch (x.dtype) {
  case DType::Float:
    return launchMaxPool<float>(ctx, p, x, y);
  case DType::Int8:
    return launchMaxPool<int8_t>(ctx, p, x, y);
  case DType::UInt8:
    return launchMaxPool<uint8_t>(ctx, p, x, y);
  default:
    return Status::error("max_pool: unsupported dtype %s", dtypeName(x.dtype));
  }
}

Status average_pool(const Context &ctx, const TensorView &x,
                    const TensorView &y, Span<const int64_t> kernel_shape,
                    Span<const int64_t> strides, Span<const int64_t> pads,
                    Span<const int64_t> dilations, bool count_include_pad) {
  WindowParams p;
  KILN_RETURN_IF_ERROR(checkDtype("average_pool", "x", x, DType::Float));
  KILN_RETURN_IF_ERROR(makePoolParams("average_pool", x, y, kernel_shape,
                                      strides, pads, dilations, p));
  const float *xData = x.as<const float>();
  float *yData = y.as<float>();
  bool includePad = count_include_pad;
  return KILN_CUDA_PARALLEL_FOR(
      ctx, y.numElements(),
      [=] __device__(int64_t i) {
        yData[i] = averagePoolElement(p, includePad, xData, i);
      },
      "average_pool");
}

Status global_average_pool(const Context &ctx, const TensorView &x,
                           const TensorView &y) {
  int64_t size;
  KILN_RETURN_IF_ERROR(makeGlobalPoolParams("global_average_pool", x, y, size));
  const float *xData = x.as<const float>();
  float *yData = y.as<float>();
  return KILN_CUDA_PARALLEL_FOR(
      ctx, y.numElements(),
      [=] __device__(int64_t plane) {
        yData[plane] = globalPoolPlane(xData + plane * size, size, false);
      },
      "global_average_pool");
}

Status global_max_pool(const Context &ctx, const TensorView &x,
                       const TensorView &y) {
  int64_t size;
  KILN_RETURN_IF_ERROR(makeGlobalPoolParams("global_max_pool", x, y, size));
  const float *xData = x.as<const float>();
  float *yData = y.as<float>();
  return KILN_CUDA_PARALLEL_FOR(
      ctx, y.numElements(),
      [=] __device__(int64_t plane) {
        yData[plane] = globalPoolPlane(xData + plane * size, size, true);
      },
      "global_max_pool");
}

} // namespace kiln::cuda
