//===- LowPrecisionTest.cpp - float8, float4, int4 / int2 conversions ----===//
//
// Decoding is checked on every code against the formats' definitions;
// encoding on round trips and on edge values whose expected codes are
// ONNX's reference (onnx 1.23.2 with ml_dtypes 0.6: numpy_helper's
// saturate_cast and astype, and the node tests' data).
//
//===----------------------------------------------------------------------===//

#include "kernels/common/LowPrecision.h"
#include "test/unit/TestUtil.h"

#include <cmath>
#include <limits>

namespace kiln::test {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

template <typename T> float decode(uint32_t code) {
  return static_cast<float>(T::fromBits(static_cast<uint8_t>(code)));
}
template <typename T> unsigned encode(float value) { return T(value).bits; }

/// Saturation as the compiler emits it for Cast(saturate=1): NaN stays,
/// anything else clamps to +-max before the conversion.
template <typename T> unsigned encodeSaturating(float value, float max) {
  if (value != value)
    return T(value).bits;
  return T(value < -max ? -max : value > max ? max : value).bits;
}

/// The value of a finite code of a format with `e` exponent bits, `m`
/// mantissa bits and bias `bias`, from the definition.
float definedValue(uint32_t code, int e, int m, int bias) {
  int sign = (code >> (e + m)) & 1;
  int exponent = (code >> m) & ((1 << e) - 1);
  int mantissa = code & ((1 << m) - 1);
  double value = exponent == 0
                     ? std::ldexp(mantissa, 1 - bias - m)
                     : std::ldexp((1 << m) + mantissa, exponent - bias - m);
  return static_cast<float>(sign ? -value : value);
}

TEST(LowPrecision, DecodesEveryFloat8E4M3FNCode) {
  for (uint32_t code = 0; code < 256; ++code) {
    float value = decode<float8e4m3fn>(code);
    if ((code & 0x7f) == 0x7f) {
      EXPECT_TRUE(std::isnan(value)) << code;
      continue;
    }
    EXPECT_EQ(value, definedValue(code, 4, 3, 7)) << code;
    EXPECT_EQ(std::signbit(value), code >= 0x80) << code;
  }
  EXPECT_EQ(decode<float8e4m3fn>(0x7e), 448.0f);
  EXPECT_EQ(decode<float8e4m3fn>(0x01), 0.001953125f);
}

TEST(LowPrecision, DecodesEveryFloat8E4M3FNUZCode) {
  for (uint32_t code = 0; code < 256; ++code) {
    float value = decode<float8e4m3fnuz>(code);
    if (code == 0x80) {
      EXPECT_TRUE(std::isnan(value));
      continue;
    }
    EXPECT_EQ(value, definedValue(code, 4, 3, 8)) << code;
  }
  EXPECT_EQ(decode<float8e4m3fnuz>(0x7f), 240.0f);
  EXPECT_EQ(decode<float8e4m3fnuz>(0x01), 0.0009765625f);
}

TEST(LowPrecision, DecodesEveryFloat8E5M2Code) {
  for (uint32_t code = 0; code < 256; ++code) {
    float value = decode<float8e5m2>(code);
    uint32_t magnitude = code & 0x7f;
    if (magnitude == 0x7c) {
      EXPECT_EQ(value, code & 0x80 ? -kInf : kInf);
      continue;
    }
    if (magnitude > 0x7c) {
      EXPECT_TRUE(std::isnan(value)) << code;
      continue;
    }
    EXPECT_EQ(value, definedValue(code, 5, 2, 15)) << code;
  }
  EXPECT_EQ(decode<float8e5m2>(0x7b), 57344.0f);
  EXPECT_EQ(decode<float8e5m2>(0x01), std::ldexp(1.0f, -16));
}

TEST(LowPrecision, DecodesEveryFloat8E5M2FNUZCode) {
  for (uint32_t code = 0; code < 256; ++code) {
    float value = decode<float8e5m2fnuz>(code);
    if (code == 0x80) {
      EXPECT_TRUE(std::isnan(value));
      continue;
    }
    EXPECT_EQ(value, definedValue(code, 5, 2, 16)) << code;
  }
  EXPECT_EQ(decode<float8e5m2fnuz>(0x7f), 57344.0f);
}

TEST(LowPrecision, DecodesEveryFloat4E2M1Code) {
  const float magnitudes[] = {0, 0.5f, 1, 1.5f, 2, 3, 4, 6};
  for (uint32_t code = 0; code < 16; ++code) {
    float value = decode<float4e2m1>(code);
    EXPECT_EQ(value, code & 8 ? -magnitudes[code & 7] : magnitudes[code & 7]);
    EXPECT_EQ(value, definedValue(code, 2, 1, 1)) << code;
  }
}

/// Every code that is not NaN encodes back to itself.
template <typename T> void expectRoundTrips(uint32_t codes) {
  for (uint32_t code = 0; code < codes; ++code) {
    float value = decode<T>(code);
    if (std::isnan(value))
      continue;
    EXPECT_EQ(encode<T>(value), code) << code;
  }
}

TEST(LowPrecision, EveryCodeRoundTrips) {
  expectRoundTrips<float8e4m3fn>(256);
  expectRoundTrips<float8e4m3fnuz>(256);
  expectRoundTrips<float8e5m2>(256);
  expectRoundTrips<float8e5m2fnuz>(256);
  expectRoundTrips<float4e2m1>(16);
}

TEST(LowPrecision, Float8E4M3FNEncodesWithoutSaturation) {
  // test_cast_no_saturate_FLOAT_to_FLOAT8E4M3FN.
  const float inputs[] = {0.47892547f, 0.48033667f, 0.49968487f, 0.81910545f,
                          0.47031248f, 0.72290379f, 1e6f,        1e-7f,
                          kNaN,        kInf,        -kInf,       -1e-7f,
                          -1e6f};
  const unsigned codes[] = {47, 47,  48,  53,  47,  52, 127,
                            0,  127, 127, 255, 128, 255};
  for (size_t i = 0; i < std::size(inputs); ++i)
    EXPECT_EQ(encode<float8e4m3fn>(inputs[i]), codes[i]) << inputs[i];
  // Above the largest finite value (448), ties to even, or NaN.
  EXPECT_EQ(encode<float8e4m3fn>(460.0f), 0x7eu);
  EXPECT_EQ(encode<float8e4m3fn>(464.0f), 0x7eu);
  EXPECT_EQ(encode<float8e4m3fn>(470.0f), 0x7fu);
  EXPECT_EQ(encode<float8e4m3fn>(248.0f), 0x78u);
  // Subnormals: units of 2^-9, ties to even.
  EXPECT_EQ(encode<float8e4m3fn>(std::ldexp(1.0f, -10)), 0x00u);
  EXPECT_EQ(encode<float8e4m3fn>(std::ldexp(3.0f, -10)), 0x02u);
  EXPECT_EQ(encode<float8e4m3fn>(std::ldexp(5.0f, -10)), 0x02u);
  EXPECT_EQ(encode<float8e4m3fn>(std::ldexp(15.0f, -10)), 0x08u);
  EXPECT_EQ(encode<float8e4m3fn>(-0.0f), 0x80u);
}

TEST(LowPrecision, Float8E4M3FNUZEncodesWithoutSaturation) {
  EXPECT_EQ(encode<float8e4m3fnuz>(240.0f), 0x7fu);
  EXPECT_EQ(encode<float8e4m3fnuz>(247.9f), 0x7fu);
  EXPECT_EQ(encode<float8e4m3fnuz>(248.0f), 0x80u);
  EXPECT_EQ(encode<float8e4m3fnuz>(kInf), 0x80u);
  EXPECT_EQ(encode<float8e4m3fnuz>(-kInf), 0x80u);
  EXPECT_EQ(encode<float8e4m3fnuz>(kNaN), 0x80u);
  // No -0: a negative value that rounds to zero is +0.
  EXPECT_EQ(encode<float8e4m3fnuz>(-0.0f), 0x00u);
  EXPECT_EQ(encode<float8e4m3fnuz>(-1e-9f), 0x00u);
  EXPECT_EQ(encode<float8e4m3fnuz>(-100.0f), 244u);
}

TEST(LowPrecision, Float8E5M2EncodesWithoutSaturation) {
  EXPECT_EQ(encode<float8e5m2>(57344.0f), 0x7bu);
  EXPECT_EQ(encode<float8e5m2>(61439.0f), 0x7bu);
  EXPECT_EQ(encode<float8e5m2>(61440.0f), 0x7cu);
  EXPECT_EQ(encode<float8e5m2>(kInf), 0x7cu);
  EXPECT_EQ(encode<float8e5m2>(-kInf), 0xfcu);
  EXPECT_TRUE(std::isnan(decode<float8e5m2>(encode<float8e5m2>(kNaN))));
  EXPECT_EQ(encode<float8e5m2>(470.0f), 95u);
  EXPECT_EQ(encode<float8e5m2>(480.0f), 96u);
  EXPECT_EQ(encode<float8e5m2>(-100.0f), 214u);
  EXPECT_EQ(encode<float8e5m2>(-0.0f), 0x80u);
}

TEST(LowPrecision, Float8E5M2FNUZEncodesWithoutSaturation) {
  EXPECT_EQ(encode<float8e5m2fnuz>(57344.0f), 0x7fu);
  EXPECT_EQ(encode<float8e5m2fnuz>(61440.0f), 0x80u);
  EXPECT_EQ(encode<float8e5m2fnuz>(kInf), 0x80u);
  EXPECT_EQ(encode<float8e5m2fnuz>(-100.0f), 218u);
  EXPECT_EQ(encode<float8e5m2fnuz>(-0.0f), 0x00u);
}

TEST(LowPrecision, Float8SaturatesToTheLargestFiniteValue) {
  EXPECT_EQ(encodeSaturating<float8e4m3fn>(1e6f, 448), 0x7eu);
  EXPECT_EQ(encodeSaturating<float8e4m3fn>(kInf, 448), 0x7eu);
  EXPECT_EQ(encodeSaturating<float8e4m3fn>(-kInf, 448), 0xfeu);
  EXPECT_EQ(encodeSaturating<float8e4m3fn>(470, 448), 0x7eu);
  EXPECT_EQ(encodeSaturating<float8e4m3fnuz>(kInf, 240), 0x7fu);
  EXPECT_EQ(encodeSaturating<float8e4m3fnuz>(-kInf, 240), 0xffu);
  EXPECT_EQ(encodeSaturating<float8e5m2>(kInf, 57344), 0x7bu);
  EXPECT_EQ(encodeSaturating<float8e5m2>(-1e9f, 57344), 0xfbu);
  EXPECT_EQ(encodeSaturating<float8e5m2fnuz>(kInf, 57344), 0x7fu);
  EXPECT_TRUE(std::isnan(
      decode<float8e4m3fn>(encodeSaturating<float8e4m3fn>(kNaN, 448))));
}

TEST(LowPrecision, Float4E2M1AlwaysSaturates) {
  // test_cast_FLOAT_to_FLOAT4E2M1; its NaN is negative, as numpy makes it.
  const float inputs[] = {0.48f, 0.25f, 1.05f, -3.5f, -8.0f, 9.0f,  1e6f, 1e-7f,
                          -kNaN, kInf,  kInf,  -kInf, -4.0f, 0.01f, -0.0f};
  const unsigned codes[] = {1, 0, 2, 14, 15, 7, 7, 0, 8, 7, 7, 15, 14, 0, 8};
  for (size_t i = 0; i < std::size(inputs); ++i)
    EXPECT_EQ(encode<float4e2m1>(inputs[i]), codes[i]) << inputs[i];
}

TEST(LowPrecision, HalvesConvertThroughFloat) {
  EXPECT_EQ(static_cast<float8e4m3fn>(half(0.5f)).bits, 0x30u);
  EXPECT_EQ(static_cast<float>(static_cast<half>(float8e5m2::fromBits(0x7b))),
            57344.0f);
}

TEST(LowPrecision, NarrowIntegersKeepTheLowBits) {
  // test_cast_FLOAT_to_INT4: -9 ... 10, truncated, wrapped to 4 bits.
  for (int i = -9; i <= 10; ++i) {
    int4 value = static_cast<float>(i);
    int expected = ((i + 8) & 15) - 8;
    EXPECT_EQ(static_cast<int>(value), expected) << i;
    EXPECT_EQ(value.bits, static_cast<unsigned>(i & 15)) << i;
  }
  // test_cast_FLOAT_to_UINT2.
  const float inputs[] = {-3, -2, -1, 0, 1, 2, 3};
  const int expected[] = {1, 2, 3, 0, 1, 2, 3};
  for (size_t i = 0; i < std::size(inputs); ++i)
    EXPECT_EQ(static_cast<int>(uint2(inputs[i])), expected[i]);
  EXPECT_EQ(static_cast<int>(int4(7.6f)), 7);
  EXPECT_EQ(static_cast<int>(int4(-8.7f)), -8);
  EXPECT_EQ(static_cast<int>(int4(kNaN)), 0);
  EXPECT_EQ(static_cast<int>(int4(int32_t{300})), -4);
  EXPECT_EQ(static_cast<int>(int2(-2.5f)), -2);
  EXPECT_EQ(static_cast<int>(uint4(int4(-1))), 15);
}

TEST(LowPrecision, DecodesEveryNarrowIntegerCode) {
  for (uint32_t code = 0; code < 16; ++code) {
    EXPECT_EQ(static_cast<int>(int4::fromBits(code)),
              code < 8 ? int(code) : int(code) - 16);
    EXPECT_EQ(static_cast<int>(uint4::fromBits(code)), int(code));
  }
  for (uint32_t code = 0; code < 4; ++code) {
    EXPECT_EQ(static_cast<int>(int2::fromBits(code)),
              code < 2 ? int(code) : int(code) - 4);
    EXPECT_EQ(static_cast<int>(uint2::fromBits(code)), int(code));
  }
}

} // namespace
} // namespace kiln::test
