//===- Checked.h - Sizes computed without overflow --------------*- C++ -*-===//
//
// Every element count, byte count, offset and stride that Kiln derives from
// a shape goes through these: a shape from a model file, a .npy header or a
// command line can ask for more than 64 bits hold, and a product that wraps
// would size a buffer too small for the loops that use it.
//
// kMaxTensorBytes bounds one tensor. Within it, a few sizes (a buffer plan,
// a padded copy) can be added without overflowing int64.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_CHECKED_H
#define KILN_KERNELS_COMMON_CHECKED_H

#include <stdint.h>

namespace kiln {

/// The most bytes one tensor may hold: 2^62.
constexpr int64_t kMaxTensorBytes = int64_t(1) << 62;

/// a * b into `out`; false when it overflows int64.
inline bool checkedMul(int64_t a, int64_t b, int64_t &out) {
  return !__builtin_mul_overflow(a, b, &out);
}

/// a + b into `out`; false when it overflows int64.
inline bool checkedAdd(int64_t a, int64_t b, int64_t &out) {
  return !__builtin_add_overflow(a, b, &out);
}

/// The number of elements of `shape` into `out`; false when a dim is
/// negative or the product overflows int64.
inline bool checkedNumElements(const int64_t *shape, int64_t rank,
                               int64_t &out) {
  int64_t n = 1;
  for (int64_t i = 0; i < rank; ++i)
    if (shape[i] < 0 || !checkedMul(n, shape[i], n))
      return false;
  out = n;
  return true;
}

/// The bytes of a tensor of `shape` with elements of `elementBytes` into
/// `out`; false when a dim is negative or the size passes kMaxTensorBytes.
inline bool checkedByteSize(const int64_t *shape, int64_t rank,
                            int64_t elementBytes, int64_t &out) {
  int64_t n;
  if (!checkedNumElements(shape, rank, n) || !checkedMul(n, elementBytes, n) ||
      n > kMaxTensorBytes)
    return false;
  out = n;
  return true;
}

} // namespace kiln

#endif // KILN_KERNELS_COMMON_CHECKED_H
