//===- Normalization.cu - softmax, log_softmax, layer_norm on CUDA -------===//
//
// One thread per row runs the row math of kernels/common/Softmax.h and
// kernels/common/LayerNorm.h.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/LayerNorm.h"
#include "kernels/common/Softmax.h"
#include "kernels/cuda/Kernels.h"
#include "kernels/cuda/ParallelFor.cuh"

namespace kiln::cuda {

static Status launchSoftmax(const Context &ctx, const char *kernel,
                            const TensorView &x, const TensorView &y,
                            int64_t axis, bool log) {
  AxisParams p;
  KILN_RETURN_IF_ERROR(makeSoftmaxParams(kernel, x, y, axis, p));
  const float *xData = x.as<const float>();
  float *yData = y.as<float>();
  return KILN_CUDA_PARALLEL_FOR(
      ctx, p.numRows(),
      [=] __device__(int64_t row) {
        int64_t base = p.rowBase(row);
        softmaxRow(xData + base, yData + base, p.axisSize, p.inner, log);
      },
      kernel);
}

Status softmax(const Context &ctx, const TensorView &x, const TensorView &y,
               int64_t axis) {
  return launchSoftmax(ctx, "softmax", x, y, axis, /*log=*/false);
}

Status log_softmax(const Context &ctx, const TensorView &x, const TensorView &y,
                   int64_t axis) {
  return launchSoftmax(ctx, "log_softmax", x, y, axis, /*log=*/true);
}

Status layer_norm(const Context &ctx, const TensorView &x,
                  const TensorView &scale, const TensorView *bias,
                  const TensorView &y, const TensorView *mean,
                  const TensorView *invStdDev, int64_t axis, float epsilon) {
  LayerNormParams p;
  KILN_RETURN_IF_ERROR(makeLayerNormParams(x, scale, bias, y, mean, invStdDev,
                                           axis, epsilon, p));
  const float *xData = x.as<const float>();
  const float *scaleData = scale.as<const float>();
  const float *biasData = bias ? bias->as<const float>() : nullptr;
  float *yData = y.as<float>();
  float *meanData = mean ? mean->as<float>() : nullptr;
  float *invStdDevData = invStdDev ? invStdDev->as<float>() : nullptr;
  return KILN_CUDA_PARALLEL_FOR(
      ctx, p.rows,
      [=] __device__(int64_t row) {
        layerNormRow(p, xData, scaleData, biasData, yData, meanData,
                     invStdDevData, row);
      },
      "layer_norm");
}

} // namespace kiln::cuda
