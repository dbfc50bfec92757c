//===- Checks.h - Argument checks shared by the kernel drivers --*- C++ -*-===//
//
// Host-side checks each launcher runs before touching data: dtypes, ranks,
// shapes. Each returns a Status naming the kernel and the operand.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_CHECKS_H
#define KILN_KERNELS_COMMON_CHECKS_H

#include "kernels/common/Tensor.h"

namespace kiln {

inline Status checkDtype(const char *kernel, const char *operand,
                         const TensorView &t, int32_t dtype) {
  if (t.dtype == dtype)
    return Status::success();
  return Status::error("%s: %s has dtype %s, expected %s", kernel, operand,
                       dtypeName(t.dtype), dtypeName(dtype));
}

inline Status checkSameDtype(const char *kernel, const char *operand,
                             const TensorView &t, const TensorView &ref) {
  return checkDtype(kernel, operand, t, ref.dtype);
}

inline Status checkRank(const char *kernel, const char *operand,
                        const TensorView &t, int32_t rank) {
  if (t.rank == rank)
    return Status::success();
  return Status::error("%s: %s has rank %d, expected %d", kernel, operand,
                       t.rank, rank);
}

inline Status checkValidRank(const char *kernel, const char *operand,
                             const TensorView &t, int32_t minRank = 0) {
  if (t.rank >= minRank && t.rank <= kMaxRank)
    return Status::success();
  return Status::error("%s: %s has rank %d, expected %d to %d", kernel, operand,
                       t.rank, minRank, kMaxRank);
}

inline Status checkAxis(const char *kernel, int64_t axis, int32_t rank) {
  if (axis >= 0 && axis < rank)
    return Status::success();
  return Status::error("%s: axis %lld out of range for rank %d", kernel,
                       static_cast<long long>(axis), rank);
}

inline Status checkSize(const char *kernel, const char *what, int64_t actual,
                        int64_t expected) {
  if (actual == expected)
    return Status::success();
  return Status::error("%s: %s has %lld entries, expected %lld", kernel, what,
                       static_cast<long long>(actual),
                       static_cast<long long>(expected));
}

inline Status checkSameShape(const char *kernel, const char *operand,
                             const TensorView &t, const TensorView &ref) {
  bool same = t.rank == ref.rank;
  for (int32_t i = 0; same && i < t.rank; ++i)
    same = t.shape[i] == ref.shape[i];
  if (same)
    return Status::success();
  char actual[128], expected[128];
  formatShape(t.shape, t.rank, actual, sizeof(actual));
  formatShape(ref.shape, ref.rank, expected, sizeof(expected));
  return Status::error("%s: %s has shape %s, expected %s", kernel, operand,
                       actual, expected);
}

inline Status checkDim(const char *kernel, const char *operand,
                       const TensorView &t, int32_t dim, int64_t expected) {
  if (t.shape[dim] == expected)
    return Status::success();
  return Status::error("%s: %s has size %lld in dim %d, expected %lld", kernel,
                       operand, static_cast<long long>(t.shape[dim]), dim,
                       static_cast<long long>(expected));
}

inline Status checkNotNull(const char *kernel, const char *operand,
                           const TensorView &t) {
  if (t.data || t.numElements() == 0)
    return Status::success();
  return Status::error("%s: %s has no data", kernel, operand);
}

/// Whether `dtype` is one of `dtypes`.
template <typename... DTypes>
inline bool isAnyOf(int32_t dtype, DTypes... dtypes) {
  return ((dtype == static_cast<int32_t>(dtypes)) || ...);
}

} // namespace kiln

#endif // KILN_KERNELS_COMMON_CHECKS_H
