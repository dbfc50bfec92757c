//===- FastMath.h - exp and row sums that vectorize -------------*- C++ -*-===//
//
// Straight-line arithmetic and selects, so that a loop over them becomes
// vector code on the CPU (a loop of libm's expf stays a loop of calls) and
// stays branch-free on the GPU.
//
//   fastExp(x)   expf within 2e-7 relative (Cephes' polynomial), 0 below
//                the normal range, +inf above it, NaN for NaN
//   rowSum(x, n, stride), rowMax(x, n, stride)
//                eight running partial results, then combined: the sum
//                rounds differently from a left-to-right loop, and not worse
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_FASTMATH_H
#define KILN_KERNELS_COMMON_FASTMATH_H

#include "kernels/common/Half.h"

#include <math.h>
#include <stdint.h>

namespace kiln {

/// e^x. x = n ln 2 + r with |r| <= ln 2 / 2 (ln 2 split in two for an exact
/// n ln 2), e^r by a degree-7 polynomial, 2^n in two factors so that n in
/// [-126, 128] stays in the normal range. Below -87.3 (e^x subnormal) it
/// gives 0.
KILN_HD_ROW float fastExp(float x) {
  const float kHigh = 88.7228317f, kLow = -87.3365479f;
  float c = x != x ? 0.0f : x;
  c = c > kHigh ? kHigh : c;
  c = c < kLow ? kLow : c;
  // Round c / ln 2 to the nearest integer: adding 1.5 * 2^23 leaves no
  // fraction bits.
  const float kRound = 12582912.0f;
  float n = (c * 1.44269504088896341f + kRound) - kRound;
  float r = c - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  float e = p * r * r + r + 1.0f;
  int32_t k = static_cast<int32_t>(n);
  int32_t half = k / 2;
  float scaleA = detail::bitsToFloat(static_cast<uint32_t>(half + 127) << 23);
  float scaleB =
      detail::bitsToFloat(static_cast<uint32_t>(k - half + 127) << 23);
  float result = e * scaleA * scaleB;
  result = x < kLow ? 0.0f : result;
  result = x > kHigh ? INFINITY : result;
  return x != x ? x : result;
}

/// x[0] + x[stride] + ... + x[(n - 1) * stride].
KILN_HD_ROW float rowSum(const float *x, int64_t n, int64_t stride) {
  float partial[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int j = 0; j < 8; ++j)
      partial[j] += x[(i + j) * stride];
  float sum = 0.0f;
  for (; i < n; ++i)
    sum += x[i * stride];
  for (int j = 0; j < 8; ++j)
    sum += partial[j];
  return sum;
}

/// The largest of x[0], x[stride], ...: NaNs are skipped, as fmaxf skips
/// them; -inf for n == 0.
KILN_HD_ROW float rowMax(const float *x, int64_t n, int64_t stride) {
  float partial[8] = {-INFINITY, -INFINITY, -INFINITY, -INFINITY,
                      -INFINITY, -INFINITY, -INFINITY, -INFINITY};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int j = 0; j < 8; ++j) {
      float v = x[(i + j) * stride];
      partial[j] = v > partial[j] ? v : partial[j];
    }
  float max = -INFINITY;
  for (; i < n; ++i) {
    float v = x[i * stride];
    max = v > max ? v : max;
  }
  for (int j = 0; j < 8; ++j)
    max = partial[j] > max ? partial[j] : max;
  return max;
}

} // namespace kiln

#endif // KILN_KERNELS_COMMON_FASTMATH_H
