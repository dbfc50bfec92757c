//===- Normalization.cpp - softmax, log_softmax, layer_norm on the CPU ---===//
//
// One row per iteration of the parallel loop; the row math is in
// kernels/common/Softmax.h and kernels/common/LayerNorm.h.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/LayerNorm.h"
#include "kernels/common/Softmax.h"
#include "kernels/cpu/Kernels.h"

namespace kiln::cpu {

static Status runSoftmax(const char *kernel, const TensorView &x,
                         const TensorView &y, int64_t axis, bool log) {
  AxisParams p;
  KILN_RETURN_IF_ERROR(makeSoftmaxParams(kernel, x, y, axis, p));
  const float *xData = x.as<const float>();
  float *yData = y.as<float>();
  int64_t grain = 4096 / (p.axisSize ? p.axisSize : 1);
  parallelFor(
      p.numRows(),
      [&](int64_t row) {
        int64_t base = p.rowBase(row);
        softmaxRow(xData + base, yData + base, p.axisSize, p.inner, log);
      },
      grain < 1 ? 1 : grain);
  return Status::success();
}

Status softmax(const TensorView &x, const TensorView &y, int64_t axis) {
  return runSoftmax("softmax", x, y, axis, /*log=*/false);
}

Status log_softmax(const TensorView &x, const TensorView &y, int64_t axis) {
  return runSoftmax("log_softmax", x, y, axis, /*log=*/true);
}

Status layer_norm(const TensorView &x, const TensorView &scale,
                  const TensorView *bias, const TensorView &y,
                  const TensorView *mean, const TensorView *invStdDev,
                  int64_t axis, float epsilon) {
  LayerNormParams p;
  KILN_RETURN_IF_ERROR(makeLayerNormParams(x, scale, bias, y, mean, invStdDev,
                                           axis, epsilon, p));
  const float *xData = x.as<const float>();
  const float *scaleData = scale.as<const float>();
  const float *biasData = bias ? bias->as<const float>() : nullptr;
  float *yData = y.as<float>();
  float *meanData = mean ? mean->as<float>() : nullptr;
  float *invStdDevData = invStdDev ? invStdDev->as<float>() : nullptr;
  int64_t grain = 4096 / (p.size ? p.size : 1);
  parallelFor(
      p.rows,
      [&](int64_t row) {
        layerNormRow(p, xData, scaleData, biasData, yData, meanData,
                     invStdDevData, row);
      },
      grain < 1 ? 1 : grain);
  return Status::success();
}

} // namespace kiln::cpu
