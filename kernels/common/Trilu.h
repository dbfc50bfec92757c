//===- Trilu.h - The triangle mask of trilu ---------------------*- C++ -*-===//
//
// trilu keeps element (i, j) of each matrix in the last two dims when
// j - i >= k (upper) or j - i <= k (lower), and writes 0 elsewhere. k is
// read from memory by the body, so that it may change between runs.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_TRILU_H
#define KILN_KERNELS_COMMON_TRILU_H

#include "kernels/common/Checks.h"

namespace kiln {

/// x and y are (..., rows, cols).
struct TriluParams {
  int64_t rows, cols;
  bool upper;
};

/// Whether flat element `index` lies in the kept triangle.
KILN_HD inline bool triluKeeps(const TriluParams &p, int64_t index, int64_t k) {
  int64_t col = index % p.cols;
  int64_t row = (index / p.cols) % p.rows;
  return p.upper ? col - row >= k : col - row <= k;
}

/// k, or 0 without a k operand.
KILN_HD inline int64_t triluK(const int64_t *k) { return k ? *k : 0; }

inline Status makeTriluParams(const TensorView &x, const TensorView *k,
                              const TensorView &y, bool upper, TriluParams &p) {
  const char *kernel = "trilu";
  KILN_RETURN_IF_ERROR(checkValidRank(kernel, "x", x, 2));
  KILN_RETURN_IF_ERROR(checkSameShape(kernel, "y", y, x));
  KILN_RETURN_IF_ERROR(checkSameDtype(kernel, "y", y, x));
  if (k) {
    KILN_RETURN_IF_ERROR(checkRank(kernel, "k", *k, 0));
    KILN_RETURN_IF_ERROR(checkDtype(kernel, "k", *k, DType::Int64));
  }
  p.rows = x.shape[x.rank - 2];
  p.cols = x.shape[x.rank - 1];
  p.upper = upper;
  return Status::success();
}

} // namespace kiln

#endif // KILN_KERNELS_COMMON_TRILU_H
