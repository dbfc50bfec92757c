//===- Axis.h - Rows along one axis of a dense tensor -----------*- C++ -*-===//
//
// Kernels that work along one axis (softmax, arg_max) see x as
// (outer, axisSize, inner): row r = (o, k) starts at o * axisSize * inner + k
// and steps by inner.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_AXIS_H
#define KILN_KERNELS_COMMON_AXIS_H

#include "kernels/common/Checks.h"

namespace kiln {

struct AxisParams {
  int64_t outer, axisSize, inner;

  KILN_HD int64_t numRows() const { return outer * inner; }
  KILN_HD int64_t rowBase(int64_t row) const {
    return (row / inner) * axisSize * inner + row % inner;
  }
};

inline Status makeAxisParams(const char *kernel, const TensorView &x,
                             int64_t axis, AxisParams &p) {
  KILN_RETURN_IF_ERROR(checkValidRank(kernel, "x", x, 1));
  KILN_RETURN_IF_ERROR(checkAxis(kernel, axis, x.rank));
  int32_t a = static_cast<int32_t>(axis);
  p.outer = x.dimProduct(0, a);
  p.axisSize = x.shape[a];
  p.inner = x.dimProduct(a + 1, x.rank);
  return Status::success();
}

} // namespace kiln

#endif // KILN_KERNELS_COMMON_AXIS_H
