//===- Span.h - A non-owning view of a contiguous array ---------*- C++ -*-===//
//
// Kernel parameters that are arrays (strides, pads, perm, the inputs of
// concat) arrive as a Span. Generated code passes braced lists directly:
//
//   kiln::cpu::transpose(x, y, {0, 2, 1});
//
// The braced list lives until the end of the full expression, which is the
// whole call, so a Span must never be stored beyond the call it is passed to.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_SPAN_H
#define KILN_KERNELS_COMMON_SPAN_H

#include <stdint.h>

#include <initializer_list>

namespace kiln {

template <typename T> struct RemoveConst { using Type = T; };
template <typename T> struct RemoveConst<const T> { using Type = T; };

template <typename T> class Span {
public:
  constexpr Span() = default;
  constexpr Span(T *data, int64_t size) : data_(data), size_(size) {}
  // The list outlives the call the Span is passed to, which is all a Span
  // promises.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"
#endif
  constexpr Span(std::initializer_list<typename RemoveConst<T>::Type> list)
      : data_(list.begin()), size_(static_cast<int64_t>(list.size())) {}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
  template <int64_t N> constexpr Span(T (&array)[N]) : data_(array), size_(N) {}

  constexpr T *data() const { return data_; }
  constexpr int64_t size() const { return size_; }
  constexpr bool empty() const { return size_ == 0; }
  constexpr T &operator[](int64_t i) const { return data_[i]; }
  constexpr T *begin() const { return data_; }
  constexpr T *end() const { return data_ + size_; }

private:
  T *data_ = nullptr;
  int64_t size_ = 0;
};

} // namespace kiln

#endif // KILN_KERNELS_COMMON_SPAN_H
