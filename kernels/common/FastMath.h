//===- FastMath.h - exp and row sums that vectorize -------------*- C++ -*-===//
//
// Straight-line arithmetic and selects, so that a loop over them becomes
// vector code on the CPU (a loop of libm's expf stays a loop of calls) and
// stays branch-free on the GPU.
//
//   fastExp(x)   expf within 2e-7 relative (Cephes' polynomial), 0 below
//                the normal range, +inf above it, NaN for NaN
//   fastTanh(x)  tanhf within 5e-7 relative: a Taylor polynomial near 0,
//                1 - 2 / (e^2|x| + 1) beyond
//   fastErf(x)   erff within 2e-7 relative: a Taylor polynomial near 0,
//                1 - erfc beyond, erfc by the Chebyshev fit of Numerical
//                Recipes (6.2), whose relative error is below 1.2e-7
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

/// tanh(x): for |x| < 0.3 its Taylor polynomial to x^13 (the next term is
/// below 1e-10 relative), else 1 - 2 / (e^(2|x|) + 1) with x's sign.
KILN_HD_ROW float fastTanh(float x) {
  float a = fabsf(x);
  float x2 = x * x;
  float p = 21844.0f / 6081075.0f;
  p = p * x2 - 1382.0f / 155925.0f;
  p = p * x2 + 62.0f / 2835.0f;
  p = p * x2 - 17.0f / 315.0f;
  p = p * x2 + 2.0f / 15.0f;
  p = p * x2 - 1.0f / 3.0f;
  float small = x + x * x2 * p;
  float large = copysignf(1.0f - 2.0f / (fastExp(2.0f * a) + 1.0f), x);
  return a < 0.3f ? small : large;
}

/// erf(x): for |x| < 0.75 its Taylor polynomial to x^15 (the next term is
/// below 2e-8 relative), else 1 - erfc(|x|) with x's sign, where
/// erfc(a) = t exp(-a^2 + P(t)), t = 1 / (1 + a / 2).
KILN_HD_ROW float fastErf(float x) {
  float a = fabsf(x);
  float x2 = x * x;
  float p = -1.0f / 75600.0f;
  p = p * x2 + 1.0f / 9360.0f;
  p = p * x2 - 1.0f / 1320.0f;
  p = p * x2 + 1.0f / 216.0f;
  p = p * x2 - 1.0f / 42.0f;
  p = p * x2 + 1.0f / 10.0f;
  p = p * x2 - 1.0f / 3.0f;
  p = p * x2 + 1.0f;
  float small = 1.12837916709551257f * x * p;
  float t = 1.0f / (1.0f + 0.5f * a);
  float q = 0.17087277f;
  q = q * t - 0.82215223f;
  q = q * t + 1.48851587f;
  q = q * t - 1.13520398f;
  q = q * t + 0.27886807f;
  q = q * t - 0.18628806f;
  q = q * t + 0.09678418f;
  q = q * t + 0.37409196f;
  q = q * t + 1.00002368f;
  q = q * t - 1.26551223f;
  float erfc = t * fastExp(q - a * a);
  float large = copysignf(1.0f - erfc, x);
  return a < 0.75f ? small : large;
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
