//===- Range.cpp - range on the CPU --------------------------------------===//
//
// y[i] = start + i * delta, with y's length checked against
// max(ceil((limit - start) / delta), 0).
//
//===----------------------------------------------------------------------===//

#include "kernels/common/IndexMaps.h"
#include "kernels/cpu/Kernels.h"

#include <math.h>

namespace kiln::cpu {

template <typename T>
static Status runRange(const TensorView &start, const TensorView &limit,
                       const TensorView &delta, const TensorView &y) {
  T s = *start.as<const T>(), l = *limit.as<const T>(),
    d = *delta.as<const T>();
  if (d == T(0))
    return Status::error("range: delta is zero");
  double count = ceil((static_cast<double>(l) - static_cast<double>(s)) /
                      static_cast<double>(d));
  int64_t expected = count > 0 ? static_cast<int64_t>(count) : 0;
  KILN_RETURN_IF_ERROR(checkDim("range", "y", y, 0, expected));
  T *yData = y.as<T>();
  for (int64_t i = 0; i < expected; ++i)
    yData[i] = rangeElement<T>(s, d, i);
  return Status::success();
}

Status range(const TensorView &start, const TensorView &limit,
             const TensorView &delta, const TensorView &y) {
  KILN_RETURN_IF_ERROR(checkRangeOperands(start, limit, delta, y));
  switch (start.dtype) {
  case DType::Float:
    return runRange<float>(start, limit, delta, y);
  case DType::Int64:
    return runRange<int64_t>(start, limit, delta, y);
  case DType::Int32:
    return runRange<int32_t>(start, limit, delta, y);
  default:
    return Status::error("range: unsupported dtype %s", dtypeName(start.dtype));
  }
}

} // namespace kiln::cpu
