//===- Normalization.cpp - softmax, log_softmax, layer_norm on the CPU ---===//
//
// Chunks of rows over the parallel loop; the row math is in
// kernels/common/Softmax.h and kernels/common/LayerNorm.h, inlined into
// row loops built for the running CPU (Targets.h).
//
//===----------------------------------------------------------------------===//

#include "kernels/common/LayerNorm.h"
#include "kernels/common/Softmax.h"
#include "kernels/cpu/Kernels.h"
#include "kernels/cpu/Targets.h"

namespace kiln::cpu {

KILN_CPU_CLONES static void softmaxRows(const AxisParams &p, const float *x,
                                        float *y, bool log, int64_t begin,
                                        int64_t end) {
  for (int64_t row = begin; row < end; ++row) {
    int64_t base = p.rowBase(row);
    softmaxRow(x + base, y + base, p.axisSize, p.inner, log);
  }
}

KILN_CPU_CLONES static void layerNormRows(const LayerNormParams &p,
                                          const float *x, const float *scale,
                                          const float *bias, float *y,
                                          float *mean, float *invStdDev,
                                          int64_t begin, int64_t end) {
  for (int64_t row = begin; row < end; ++row)
    layerNormRow(p, x, scale, bias, y, mean, invStdDev, row);
}

static Status runSoftmax(const char *kernel, const TensorView &x,
                         const TensorView &y, int64_t axis, bool log) {
  AxisParams p;
  KILN_RETURN_IF_ERROR(makeSoftmaxParams(kernel, x, y, axis, p));
  const float *xData = x.as<const float>();
  float *yData = y.as<float>();
  int64_t grain = 4096 / (p.axisSize ? p.axisSize : 1);
  parallelForChunks(
      p.numRows(),
      [&](int64_t begin, int64_t end) {
        softmaxRows(p, xData, yData, log, begin, end);
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
  parallelForChunks(
      p.rows,
      [&](int64_t begin, int64_t end) {
        layerNormRows(p, xData, scaleData, biasData, yData, meanData,
                      invStdDevData, begin, end);
      },
      grain < 1 ? 1 : grain);
  return Status::success();
}

} // namespace kiln::cpu
