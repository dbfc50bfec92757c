//===- LowPrecision.h - float8, float4 and 4- / 2-bit integers --*- C++ -*-===//
//
// The ONNX element types narrower than 16 bits, as storage types of one byte
// that hold their bits and convert to and from float (or int) the way ONNX
// Cast does:
//
//   float8e4m3fn    1.4.3, bias 7,  NaN S.1111.111, no infinity, max 448
//   float8e4m3fnuz  1.4.3, bias 8,  NaN 0x80 only, no -0,       max 240
//   float8e5m2      1.5.2, bias 15, IEEE: infinity and NaNs,     max 57344
//   float8e5m2fnuz  1.5.2, bias 16, NaN 0x80 only, no -0,       max 57344
//   float4e2m1      1.2.1, bias 1,  no NaN, no infinity,         max 6
//   int4, uint4, int2, uint2
//
// A value narrower than a byte sits in the low bits of its byte, the upper
// bits zero (as ml_dtypes holds it): int4 -1 is 0x0f.
//
// float -> float8 rounds to nearest even and does not saturate: a value
// beyond the largest finite one becomes infinity (e5m2) or NaN (the others),
// as ONNX Cast with saturate=0 does; saturation is a clamp to +-max before
// the conversion, which the compiler emits. float4e2m1 has neither, so it
// always saturates, and NaN becomes a zero of the NaN's sign (ml_dtypes).
// float -> int4 / uint4 / int2 / uint2 truncates toward zero (NaN is 0) and
// keeps the low bits, as Cast of an integer out of range does.
//
// The same code runs on the host and the device (KILN_HD).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_LOWPRECISION_H
#define KILN_KERNELS_COMMON_LOWPRECISION_H

#include "kernels/common/Half.h"

#include <math.h>
#include <stdint.h>

#include <type_traits>

namespace kiln {
namespace detail {

/// How a narrow float format spends its top codes.
enum class Specials {
  Ieee,         // exponent all ones: infinity (mantissa 0) or NaN
  FiniteNaN,    // S.1111.111 is NaN, everything else finite (e4m3fn)
  UnsignedZero, // 0x80 is NaN, the only one; no -0 (fnuz)
  None,         // every code is finite (float4e2m1)
};

template <int ExponentBits, int MantissaBits, int Bias, Specials Kind>
struct FloatFormat {
  static constexpr int kExponentBits = ExponentBits;
  static constexpr int kMantissaBits = MantissaBits;
  static constexpr int kBias = Bias;
  static constexpr Specials kSpecials = Kind;
  static constexpr uint32_t kSignBit = 1u << (ExponentBits + MantissaBits);
  /// The code of the largest finite magnitude; an IEEE format's next code
  /// is its infinity.
  static constexpr uint32_t kMaxCode =
      Kind == Specials::Ieee
          ? (((1u << ExponentBits) - 1u) << MantissaBits) - 1u
      : Kind == Specials::FiniteNaN ? kSignBit - 2u
                                    : kSignBit - 1u;
};

using E4M3FN = FloatFormat<4, 3, 7, Specials::FiniteNaN>;
using E4M3FNUZ = FloatFormat<4, 3, 8, Specials::UnsignedZero>;
using E5M2 = FloatFormat<5, 2, 15, Specials::Ieee>;
using E5M2FNUZ = FloatFormat<5, 2, 16, Specials::UnsignedZero>;
using E2M1 = FloatFormat<2, 1, 1, Specials::None>;

/// 2^exponent as a float, for exponents of normal floats.
KILN_HD inline float exp2Float(int exponent) {
  return bitsToFloat(static_cast<uint32_t>(exponent + 127) << 23);
}

/// The value of the narrow float `code`.
template <typename F> KILN_HD float narrowToFloat(uint32_t code) {
  constexpr int M = F::kMantissaBits;
  constexpr uint32_t exponentMask = (1u << F::kExponentBits) - 1u;
  bool negative = (code & F::kSignBit) != 0;
  uint32_t magnitude = code & (F::kSignBit - 1u);
  uint32_t exponent = magnitude >> M;
  uint32_t mantissa = magnitude & ((1u << M) - 1u);
  uint32_t sign = negative ? 0x80000000u : 0u;
  if (F::kSpecials == Specials::UnsignedZero && code == F::kSignBit)
    return bitsToFloat(0x7fc00000u);
  if (F::kSpecials == Specials::FiniteNaN && magnitude == F::kSignBit - 1u)
    return bitsToFloat(sign | 0x7fc00000u);
  if (F::kSpecials == Specials::Ieee && exponent == exponentMask)
    return bitsToFloat(sign | (mantissa ? 0x7fc00000u : 0x7f800000u));
  if (exponent == 0) {
    // A subnormal: mantissa units of 2^(1 - bias - M).
    float value = static_cast<float>(mantissa) * exp2Float(1 - F::kBias - M);
    return negative ? -value : value;
  }
  return bitsToFloat(sign | ((exponent + 127u - F::kBias) << 23) |
                     (mantissa << (23 - M)));
}

/// `value` as the narrow float F: round to nearest even, without
/// saturation (see the file comment).
template <typename F> KILN_HD uint8_t floatToNarrow(float value) {
  constexpr int M = F::kMantissaBits;
  uint32_t bits = floatBits(value);
  uint32_t sign = (bits & 0x80000000u) ? F::kSignBit : 0u;
  uint32_t abs = bits & 0x7fffffffu;
  constexpr bool unsignedZero = F::kSpecials == Specials::UnsignedZero;
  if (abs > 0x7f800000u) { // NaN
    if (F::kSpecials == Specials::None)
      return static_cast<uint8_t>(sign);
    if (unsignedZero)
      return static_cast<uint8_t>(F::kSignBit);
    return static_cast<uint8_t>(F::kSignBit - 1u); // S.1..1: NaN in both
  }
  // The magnitude's code, rounded to nearest even; it may exceed kMaxCode.
  uint32_t code;
  int exponent = static_cast<int>(abs >> 23) - 127;
  if (abs >= 0x7f800000u) {
    code = 0xffffffffu; // infinity overflows every format
  } else if (exponent < 1 - F::kBias) {
    // The subnormal range (and zero): units of 2^(1 - bias - M). Scaling by
    // a power of two is exact, and rintf rounds to nearest even.
    float units = bitsToFloat(abs) * exp2Float(F::kBias - 1 + M);
    code = static_cast<uint32_t>(rintf(units));
  } else if (exponent > 30) {
    code = 0xffffffffu; // far beyond every format's range
  } else {
    constexpr int shift = 23 - M;
    uint32_t rounded = abs + ((1u << (shift - 1)) - 1u) + ((abs >> shift) & 1u);
    rounded >>= shift; // exponent and mantissa, rounded, as a float's
    code = rounded - (static_cast<uint32_t>(127 - F::kBias) << M);
  }
  if (code > F::kMaxCode) {
    if (F::kSpecials == Specials::None)
      return static_cast<uint8_t>(sign | F::kMaxCode);
    if (F::kSpecials == Specials::Ieee)
      return static_cast<uint8_t>(sign | (F::kMaxCode + 1u)); // infinity
    if (unsignedZero)
      return static_cast<uint8_t>(F::kSignBit);
    return static_cast<uint8_t>(sign | (F::kSignBit - 1u));
  }
  if (code == 0 && unsignedZero)
    return 0; // no -0
  return static_cast<uint8_t>(sign | code);
}

/// `value` as an int64: truncated toward zero, NaN as 0, the range clamped
/// (only the low bits are kept after).
template <typename T> KILN_HD int64_t truncateToInt64(T value) {
  if constexpr (std::is_integral<T>::value) {
    return static_cast<int64_t>(value);
  } else {
    double x = static_cast<double>(value);
    if (x != x)
      return 0;
    if (x >= 9.2e18)
      return INT64_MAX;
    if (x <= -9.2e18)
      return INT64_MIN;
    return static_cast<int64_t>(x);
  }
}

} // namespace detail

/// A narrow float of format F in one byte.
template <typename F> struct NarrowFloat {
  uint8_t bits;

  NarrowFloat() = default;
  KILN_HD NarrowFloat(float value) : bits(detail::floatToNarrow<F>(value)) {}
  KILN_HD operator float() const { return detail::narrowToFloat<F>(bits); }
  KILN_HD static NarrowFloat fromBits(uint8_t bits) {
    NarrowFloat result;
    result.bits = bits;
    return result;
  }
};

/// A Bits-bit integer in the low bits of one byte; any value converts by
/// truncation toward zero, keeping the low Bits bits.
template <int Bits, bool Signed> struct NarrowInt {
  uint8_t bits;

  NarrowInt() = default;
  template <typename T>
  KILN_HD NarrowInt(T value)
      : bits(static_cast<uint8_t>(
            static_cast<uint64_t>(detail::truncateToInt64(value)) &
            ((1u << Bits) - 1u))) {}
  KILN_HD operator int() const {
    if (Signed && (bits & (1u << (Bits - 1))))
      return static_cast<int>(bits) - (1 << Bits);
    return static_cast<int>(bits);
  }
  KILN_HD static NarrowInt fromBits(uint8_t bits) {
    NarrowInt result;
    result.bits = bits;
    return result;
  }
};

using float8e4m3fn = NarrowFloat<detail::E4M3FN>;
using float8e4m3fnuz = NarrowFloat<detail::E4M3FNUZ>;
using float8e5m2 = NarrowFloat<detail::E5M2>;
using float8e5m2fnuz = NarrowFloat<detail::E5M2FNUZ>;
using float4e2m1 = NarrowFloat<detail::E2M1>;
using int4 = NarrowInt<4, true>;
using uint4 = NarrowInt<4, false>;
using int2 = NarrowInt<2, true>;
using uint2 = NarrowInt<2, false>;

static_assert(sizeof(float8e4m3fn) == 1 && sizeof(int4) == 1,
              "narrow types are one byte");

} // namespace kiln

#endif // KILN_KERNELS_COMMON_LOWPRECISION_H
