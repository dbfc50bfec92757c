//===- TestUtil.h - Host tensors and comparisons for unit tests -*- C++ -*-===//

#ifndef KILN_TEST_UNIT_TESTUTIL_H
#define KILN_TEST_UNIT_TESTUTIL_H

#include "kernels/common/Tensor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace kiln::test {

template <typename T> struct DTypeOf;
template <> struct DTypeOf<float> {
  static constexpr int32_t value = DType::Float;
};
template <> struct DTypeOf<int64_t> {
  static constexpr int32_t value = DType::Int64;
};
template <> struct DTypeOf<int32_t> {
  static constexpr int32_t value = DType::Int32;
};
template <> struct DTypeOf<int8_t> {
  static constexpr int32_t value = DType::Int8;
};
template <> struct DTypeOf<uint8_t> {
  static constexpr int32_t value = DType::UInt8;
};
template <> struct DTypeOf<uint16_t> {
  static constexpr int32_t value = DType::Float16;
};
template <> struct DTypeOf<double> {
  static constexpr int32_t value = DType::Double;
};
template <> struct DTypeOf<half> {
  static constexpr int32_t value = DType::Float16;
};
template <> struct DTypeOf<bfloat16> {
  static constexpr int32_t value = DType::BFloat16;
};

inline int64_t product(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t dim : shape)
    n *= dim;
  return n;
}

/// An owned dense tensor with a view for the kernels.
template <typename T> struct HostTensor {
  std::vector<int64_t> shape;
  std::vector<T> data;

  HostTensor() = default;
  explicit HostTensor(std::vector<int64_t> s, T fill = T())
      : shape(std::move(s)), data(static_cast<size_t>(product(shape)), fill) {}

  TensorView view() {
    TensorView v{
        data.data(), DTypeOf<T>::value, static_cast<int32_t>(shape.size()), {}};
    for (size_t i = 0; i < shape.size(); ++i)
      v.shape[i] = shape[i];
    return v;
  }
  int64_t size() const { return static_cast<int64_t>(data.size()); }
  /// The flat index of `coords`.
  int64_t index(const std::vector<int64_t> &coords) const {
    int64_t flat = 0;
    for (size_t d = 0; d < shape.size(); ++d)
      flat = flat * shape[d] + coords[d];
    return flat;
  }
  T &at(const std::vector<int64_t> &coords) { return data[index(coords)]; }
};

/// The coordinates of flat index `index` in `shape`.
inline std::vector<int64_t> unflattenIndex(int64_t index,
                                           const std::vector<int64_t> &shape) {
  std::vector<int64_t> coords(shape.size());
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    coords[d] = index % shape[d];
    index /= shape[d];
  }
  return coords;
}

inline HostTensor<float> randomFloats(std::mt19937 &rng,
                                      std::vector<int64_t> shape,
                                      float low = -1.0f, float high = 1.0f) {
  HostTensor<float> t(std::move(shape));
  std::uniform_real_distribution<float> dist(low, high);
  for (float &v : t.data)
    v = dist(rng);
  return t;
}

template <typename T>
HostTensor<T> randomInts(std::mt19937 &rng, std::vector<int64_t> shape,
                         int64_t low, int64_t high) {
  HostTensor<T> t(std::move(shape));
  std::uniform_int_distribution<int64_t> dist(low, high);
  for (T &v : t.data)
    v = static_cast<T>(dist(rng));
  return t;
}

/// |actual - expected| <= atol + rtol * |expected| everywhere.
inline ::testing::AssertionResult allClose(const std::vector<float> &actual,
                                           const std::vector<float> &expected,
                                           float atol = 1e-5f,
                                           float rtol = 1e-4f) {
  if (actual.size() != expected.size())
    return ::testing::AssertionFailure()
           << "sizes differ: " << actual.size() << " vs " << expected.size();
  for (size_t i = 0; i < actual.size(); ++i) {
    float a = actual[i], e = expected[i];
    if (std::isnan(e) && std::isnan(a))
      continue;
    if (!(std::fabs(a - e) <= atol + rtol * std::fabs(e)))
      return ::testing::AssertionFailure()
             << "element " << i << ": " << a << " vs expected " << e;
  }
  return ::testing::AssertionSuccess();
}

#define EXPECT_OK(expr)                                                        \
  do {                                                                         \
    ::kiln::Status status_ = (expr);                                           \
    EXPECT_TRUE(status_.ok()) << status_.message();                            \
  } while (0)
#define ASSERT_OK(expr)                                                        \
  do {                                                                         \
    ::kiln::Status status_ = (expr);                                           \
    ASSERT_TRUE(status_.ok()) << status_.message();                            \
  } while (0)

/// Expects a failing Status whose message contains `fragment`.
#define EXPECT_ERROR(expr, fragment)                                           \
  do {                                                                         \
    ::kiln::Status status_ = (expr);                                           \
    EXPECT_FALSE(status_.ok());                                                \
    EXPECT_NE(std::string(status_.message()).find(fragment),                   \
              std::string::npos)                                               \
        << status_.message();                                                  \
  } while (0)

} // namespace kiln::test

#endif // KILN_TEST_UNIT_TESTUTIL_H
