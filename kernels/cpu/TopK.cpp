//===- TopK.cpp - top_k on the CPU ---------------------------------------===//
//
// One row per iteration; the math is kernels/common/TopK.h.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/TopK.h"
#include "kernels/cpu/Kernels.h"

namespace kiln::cpu {

template <typename T>
static void runTopK(const AxisParams &p, int64_t k, bool largest,
                    const TensorView &x, const TensorView &values,
                    const TensorView &indices) {
  const T *xData = x.as<const T>();
  T *vData = values.as<T>();
  int64_t *iData = indices.as<int64_t>();
  parallelFor(
      p.numRows(),
      [&](int64_t row) {
        // The results are rows of (outer, k, inner).
        int64_t outBase = (row / p.inner) * k * p.inner + row % p.inner;
        topKRow<T>(xData + p.rowBase(row), p.axisSize, p.inner, k, largest,
                   vData + outBase, iData + outBase, p.inner);
      },
      /*grain=*/16);
}

Status top_k(const TensorView &x, const TensorView &values,
             const TensorView &indices, int64_t axis, bool largest) {
  AxisParams p;
  int64_t k;
  KILN_RETURN_IF_ERROR(makeTopKParams(x, values, indices, axis, p, k));
  // k = 0 (or an empty input) writes nothing: the outputs may be null.
  if (k == 0 || numElements(values) == 0)
    return Status::success();
  switch (x.dtype) {
  case DType::Float:
    runTopK<float>(p, k, largest, x, values, indices);
    break;
  case DType::Int64:
    runTopK<int64_t>(p, k, largest, x, values, indices);
    break;
  default:
    runTopK<int32_t>(p, k, largest, x, values, indices);
    break;
  }
  return Status::success();
}

} // namespace kiln::cpu
