//===- TopK.h - The math of top_k -------------------------------*- C++ -*-===//
//
// Along one axis, x is seen as rows (kernels/common/Axis.h). For each row
//
//   values[j], indices[j] = the j-th largest (or smallest) x[i] and its i
//
// for j < k, sorted, equal values in the order of their indices. The row is
// scanned once, each entry inserted into the sorted prefix of the outputs
// that it beats (an insertion sort bounded by k): O(n k) per row, no
// scratch memory, so that one thread can own one row on either driver.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_TOPK_H
#define KILN_KERNELS_COMMON_TOPK_H

#include "kernels/common/Axis.h"

namespace kiln {

/// Checks top_k's operands and fills `p` (over x) and `k`: values has x's
/// dtype, indices is i64, both x's shape with dim `axis` of size k <= its
/// size.
inline Status makeTopKParams(const TensorView &x, const TensorView &values,
                             const TensorView &indices, int64_t axis,
                             AxisParams &p, int64_t &k) {
  const char *kernel = "top_k";
  KILN_RETURN_IF_ERROR(makeAxisParams(kernel, x, axis, p));
  if (!isAnyOf(x.dtype, DType::Float, DType::Int64, DType::Int32))
    return Status::error("top_k: unsupported dtype %s", dtypeName(x.dtype));
  KILN_RETURN_IF_ERROR(checkSameDtype(kernel, "values", values, x));
  KILN_RETURN_IF_ERROR(checkDtype(kernel, "indices", indices, DType::Int64));
  KILN_RETURN_IF_ERROR(checkRank(kernel, "values", values, x.rank));
  KILN_RETURN_IF_ERROR(checkSameShape(kernel, "indices", indices, values));
  k = values.shape[axis];
  if (k > p.axisSize)
    return Status::error("top_k: k = %lld is larger than axis %lld of size "
                         "%lld",
                         static_cast<long long>(k),
                         static_cast<long long>(axis),
                         static_cast<long long>(p.axisSize));
  for (int32_t d = 0; d < x.rank; ++d)
    if (d != axis)
      KILN_RETURN_IF_ERROR(checkDim(kernel, "values", values, d, x.shape[d]));
  return Status::success();
}

/// The k best entries of the row x[i * stride], i < n, written to
/// values[j * stride'] and indices[j * stride'] (stride' = outStride). NaN
/// never beats a number, so it is selected only when fewer than k numbers
/// remain.
template <typename T>
KILN_HD inline void topKRow(const T *x, int64_t n, int64_t stride, int64_t k,
                            bool largest, T *values, int64_t *indices,
                            int64_t outStride) {
  if (k == 0)
    return;
  int64_t count = 0;
  for (int64_t i = 0; i < n; ++i) {
    T v = x[i * stride];
    // j is where v goes: after every kept entry it does not strictly beat.
    int64_t j = count < k ? count : k;
    while (j > 0) {
      T kept = values[(j - 1) * outStride];
      bool beats = largest ? v > kept : v < kept;
      // A NaN kept so far is beaten by any number.
      if (!beats && !(kept != kept && v == v))
        break;
      --j;
    }
    if (j == k)
      continue;
    int64_t last = count < k ? count : k - 1;
    for (int64_t m = last; m > j; --m) {
      values[m * outStride] = values[(m - 1) * outStride];
      indices[m * outStride] = indices[(m - 1) * outStride];
    }
    values[j * outStride] = v;
    indices[j * outStride] = i;
    if (count < k)
      ++count;
  }
}

} // namespace kiln

#endif // KILN_KERNELS_COMMON_TOPK_H
