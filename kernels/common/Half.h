//===- Half.h - float16 and bfloat16 element types --------------*- C++ -*-===//
//
// kiln::half (IEEE 754 binary16) and kiln::bfloat16 hold their bits and
// convert to and from float, rounding to nearest even; arithmetic happens in
// float: `a + b` of two halves is a float sum, stored back by converting.
// The same code runs on the host and the device (KILN_HD), so generated
// kernels and the kernel library compute f16 / bf16 the same way on both
// targets, with f32 accumulation.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_HALF_H
#define KILN_KERNELS_COMMON_HALF_H

#include <stdint.h>
#include <string.h>

#if defined(__CUDACC__)
#define KILN_HD __host__ __device__
#else
#define KILN_HD
#endif

// A row body the CPU drivers must inline into their row loops, which are
// built once per vector width (kernels/cpu/Targets.h): called out of line,
// the body would run the baseline build's code.
#if defined(__CUDACC__)
#define KILN_HD_ROW __host__ __device__ __forceinline__
#else
#define KILN_HD_ROW __attribute__((always_inline)) inline
#endif

namespace kiln {
namespace detail {

KILN_HD inline uint32_t floatBits(float value) {
  uint32_t bits;
  memcpy(&bits, &value, sizeof(bits));
  return bits;
}

KILN_HD inline float bitsToFloat(uint32_t bits) {
  float value;
  memcpy(&value, &bits, sizeof(value));
  return value;
}

/// binary32 -> binary16 bits, round to nearest even; NaN stays NaN.
KILN_HD inline uint16_t floatToHalfBits(float value) {
  uint32_t x = floatBits(value);
  uint32_t sign = (x >> 16) & 0x8000u;
  uint32_t abs = x & 0x7fffffffu;
  if (abs > 0x7f800000u) // NaN: quiet, keeping the payload's top bits
    return static_cast<uint16_t>(sign | 0x7e00u | ((abs >> 13) & 0x3ffu));
  if (abs >= 0x477ff000u) // at least 65520: rounds to infinity
    return static_cast<uint16_t>(sign | 0x7c00u);
  if (abs >= 0x38800000u) { // a normal half: rebias the exponent
    uint32_t result = (abs - 0x38000000u) >> 13;
    uint32_t rest = abs & 0x1fffu;
    if (rest > 0x1000u || (rest == 0x1000u && (result & 1u)))
      ++result;
    return static_cast<uint16_t>(sign | result);
  }
  if (abs <= 0x33000000u) // at most 2^-25: rounds to zero
    return static_cast<uint16_t>(sign);
  // A subnormal half: the significand in units of 2^-24.
  uint32_t exponent = abs >> 23;
  uint32_t significand = (abs & 0x7fffffu) | 0x800000u;
  uint32_t shift = 126u - exponent;
  uint32_t result = significand >> shift;
  uint32_t rest = significand & ((1u << shift) - 1u);
  uint32_t halfway = 1u << (shift - 1u);
  if (rest > halfway || (rest == halfway && (result & 1u)))
    ++result;
  return static_cast<uint16_t>(sign | result);
}

KILN_HD inline float halfBitsToFloat(uint16_t half) {
  uint32_t sign = static_cast<uint32_t>(half & 0x8000u) << 16;
  uint32_t exponent = (half >> 10) & 0x1fu;
  uint32_t significand = half & 0x3ffu;
  if (exponent == 0x1fu)
    return bitsToFloat(sign | 0x7f800000u | (significand << 13));
  if (exponent == 0) {
    float magnitude = static_cast<float>(significand) * 5.9604644775390625e-8f;
    return sign ? -magnitude : magnitude;
  }
  return bitsToFloat(sign | ((exponent + 112u) << 23) | (significand << 13));
}

/// binary32 -> bfloat16 bits, round to nearest even; NaN stays NaN.
KILN_HD inline uint16_t floatToBFloat16Bits(float value) {
  uint32_t x = floatBits(value);
  if ((x & 0x7fffffffu) > 0x7f800000u)
    return static_cast<uint16_t>((x >> 16) | 0x40u);
  x += 0x7fffu + ((x >> 16) & 1u);
  return static_cast<uint16_t>(x >> 16);
}

} // namespace detail

struct half {
  uint16_t bits;

  half() = default;
  KILN_HD half(float value) : bits(detail::floatToHalfBits(value)) {}
  KILN_HD operator float() const { return detail::halfBitsToFloat(bits); }
};

struct bfloat16 {
  uint16_t bits;

  bfloat16() = default;
  KILN_HD bfloat16(float value) : bits(detail::floatToBFloat16Bits(value)) {}
  KILN_HD operator float() const {
    return detail::bitsToFloat(static_cast<uint32_t>(bits) << 16);
  }
};

static_assert(sizeof(half) == 2 && sizeof(bfloat16) == 2,
              "16-bit floats are two bytes");

} // namespace kiln

#endif // KILN_KERNELS_COMMON_HALF_H
