//===- LayerNorm.h - The math of layer normalization ------------*- C++ -*-===//
//
//   y = (x - mean) / sqrt(var + epsilon) * scale + bias
//
// over each contiguous row of x.shape[axis:]; scale and bias broadcast to
// the row's shape. Each row's mean and 1 / sqrt(var + epsilon) may also be
// stored, in tensors of x's shape with the dims [axis, rank) set to 1.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_LAYERNORM_H
#define KILN_KERNELS_COMMON_LAYERNORM_H

#include "kernels/common/Broadcast.h"
#include "kernels/common/Checks.h"
#include "kernels/common/FastMath.h"

#include <math.h>

namespace kiln {

struct LayerNormParams {
  int64_t rows, size;
  int32_t normRank;
  int64_t normShape[kMaxRank];
  int64_t scaleStrides[kMaxRank];
  int64_t biasStrides[kMaxRank];
  float epsilon;
};

/// Whether `t` broadcasts to `shape` (rank `rank`) in numpy's sense.
inline bool broadcastsTo(const TensorView &t, const int64_t *shape,
                         int32_t rank) {
  if (t.rank > rank)
    return false;
  for (int32_t i = 0; i < t.rank; ++i) {
    int64_t dim = shape[rank - t.rank + i];
    if (t.shape[i] != 1 && t.shape[i] != dim)
      return false;
  }
  return true;
}

/// Checks that the statistic `t` (named `name`) has x's shape with the dims
/// [axis, rank) set to 1.
inline Status checkRowStatistic(const char *name, const TensorView &t,
                                const TensorView &x, int32_t axis) {
  KILN_RETURN_IF_ERROR(checkDtype("layer_norm", name, t, DType::Float));
  bool matches = t.rank == x.rank;
  for (int32_t i = 0; matches && i < x.rank; ++i)
    matches = t.shape[i] == (i < axis ? x.shape[i] : 1);
  if (!matches)
    return Status::error("layer_norm: %s must have x's shape with dims [%d, "
                         "%d) set to 1",
                         name, axis, x.rank);
  return Status::success();
}

/// Checks the operands and fills `p`. bias, mean and invStdDev may be null.
inline Status makeLayerNormParams(const TensorView &x, const TensorView &scale,
                                  const TensorView *bias, const TensorView &y,
                                  const TensorView *mean,
                                  const TensorView *invStdDev, int64_t axis,
                                  float epsilon, LayerNormParams &p) {
  const char *kernel = "layer_norm";
  KILN_RETURN_IF_ERROR(checkDtype(kernel, "x", x, DType::Float));
  KILN_RETURN_IF_ERROR(checkDtype(kernel, "scale", scale, DType::Float));
  KILN_RETURN_IF_ERROR(checkSameShape(kernel, "y", y, x));
  KILN_RETURN_IF_ERROR(checkDtype(kernel, "y", y, DType::Float));
  KILN_RETURN_IF_ERROR(checkValidRank(kernel, "x", x, 1));
  KILN_RETURN_IF_ERROR(checkAxis(kernel, axis, x.rank));
  int32_t a = static_cast<int32_t>(axis);
  p.rows = x.dimProduct(0, a);
  p.size = x.dimProduct(a, x.rank);
  p.normRank = x.rank - a;
  for (int32_t i = 0; i < p.normRank; ++i)
    p.normShape[i] = x.shape[a + i];
  p.epsilon = epsilon;
  if (!broadcastsTo(scale, p.normShape, p.normRank))
    return Status::error("layer_norm: scale does not broadcast to x.shape[%d:]",
                         a);
  broadcastStrides(scale.shape, scale.rank, p.normRank, p.scaleStrides);
  if (bias) {
    KILN_RETURN_IF_ERROR(checkDtype(kernel, "bias", *bias, DType::Float));
    if (!broadcastsTo(*bias, p.normShape, p.normRank))
      return Status::error(
          "layer_norm: bias does not broadcast to x.shape[%d:]", a);
    broadcastStrides(bias->shape, bias->rank, p.normRank, p.biasStrides);
  }
  if (mean)
    KILN_RETURN_IF_ERROR(checkRowStatistic("mean", *mean, x, a));
  if (invStdDev)
    KILN_RETURN_IF_ERROR(checkRowStatistic("inv_std_dev", *invStdDev, x, a));
  return Status::success();
}

/// Normalizes row `row` and stores its statistics in meanOut[row] and
/// invStdDevOut[row]. bias, meanOut and invStdDevOut may be null.
KILN_HD_ROW void layerNormRow(const LayerNormParams &p, const float *x,
                                 const float *scale, const float *bias,
                                 float *y, float *meanOut, float *invStdDevOut,
                                 int64_t row) {
  const float *xRow = x + row * p.size;
  float *yRow = y + row * p.size;
  float mean = rowSum(xRow, p.size, 1) / static_cast<float>(p.size);
  float partial[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 8 <= p.size; i += 8)
    for (int j = 0; j < 8; ++j) {
      float d = xRow[i + j] - mean;
      partial[j] += d * d;
    }
  for (; i < p.size; ++i) {
    float d = xRow[i] - mean;
    partial[0] += d * d;
  }
  float var = rowSum(partial, 8, 1) / static_cast<float>(p.size);
  float invStd = 1.0f / sqrtf(var + p.epsilon);
  if (meanOut)
    meanOut[row] = mean;
  if (invStdDevOut)
    invStdDevOut[row] = invStd;
  // Scale and bias of the row's own shape (or none): plain vector loops.
  bool denseScale = isDenseBroadcast(p.normRank, p.normShape, p.scaleStrides);
  bool denseBias =
      !bias || isDenseBroadcast(p.normRank, p.normShape, p.biasStrides);
  if (denseScale && denseBias) {
    if (bias) {
      for (int64_t k = 0; k < p.size; ++k)
        yRow[k] = (xRow[k] - mean) * invStd * scale[k] + bias[k];
    } else {
      for (int64_t k = 0; k < p.size; ++k)
        yRow[k] = (xRow[k] - mean) * invStd * scale[k];
    }
    return;
  }
  for (int64_t k = 0; k < p.size; ++k) {
    float s =
        scale[broadcastOffset(k, p.normRank, p.normShape, p.scaleStrides)];
    float b =
        bias ? bias[broadcastOffset(k, p.normRank, p.normShape, p.biasStrides)]
             : 0.0f;
    yRow[k] = (xRow[k] - mean) * invStd * s + b;
  }
}

} // namespace kiln

#endif // KILN_KERNELS_COMMON_LAYERNORM_H
