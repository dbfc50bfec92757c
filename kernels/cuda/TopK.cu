//===- TopK.cu - top_k on CUDA -------------------------------------------===//
//
// One thread per row runs the selection of kernels/common/TopK.h.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/TopK.h"
#include "kernels/cuda/Kernels.h"
#include "kernels/cuda/ParallelFor.cuh"

namespace kiln::cuda {

//===----------------------------------------------------------------------===//
// Launchers
//===----------------------------------------------------------------------===//

template <typename T>
static Status launchTopK(const Context &ctx, const AxisParams &p, int64_t k,
                         bool largest, const TensorView &x,
                         const TensorView &values, const TensorView &indices) {
  const T *xData = x.as<const T>();
  T *vData = values.as<T>();
  int64_t *iData = indices.as<int64_t>();
  return KILN_CUDA_PARALLEL_FOR(
      ctx, p.numRows(),
      [=] __device__(int64_t row) {
        // The results are rows of (outer, k, inner).
        int64_t outBase = (row / p.inner) * k * p.inner + row % p.inner;
        topKRow<T>(xData + p.rowBase(row), p.axisSize, p.inner, k, largest,
                   vData + outBase, iData + outBase, p.inner);
      },
      "top_k");
}

Status top_k(const Context &ctx, const TensorView &x, const TensorView &values,
             const TensorView &indices, int64_t axis, bool largest) {
  AxisParams p;
  int64_t k;
  KILN_RETURN_IF_ERROR(makeTopKParams(x, values, indices, axis, p, k));
  // k = 0 (or an empty input) writes nothing: the outputs may be null.
  if (k == 0 || numElements(values) == 0)
    return Status::success();
  switch (x.dtype) {
  case DType::Float:
    return launchTopK<float>(ctx, p, k, largest, x, values, indices);
  case DType::Int64:
    return launchTopK<int64_t>(ctx, p, k, largest, x, values, indices);
  default:
    return launchTopK<int32_t>(ctx, p, k, largest, x, values, indices);
  }
}

} // namespace kiln::cuda
