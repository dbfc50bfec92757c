//===- Status.h - Errors as values for kernels and the runtime --*- C++ -*-===//
//
// A Status is ok or carries a one-line message. Kernels never abort: a
// failing launcher returns a Status naming what failed and where
// (KILN_ERROR prefixes file:line), and generated code copies the message
// into kiln_exec_context::error.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_STATUS_H
#define KILN_KERNELS_COMMON_STATUS_H

#include <stdarg.h>
#include <stdint.h>

namespace kiln {

class [[nodiscard]] Status {
public:
  Status() = default;
  Status(const Status &other);
  Status(Status &&other) noexcept : message_(other.message_) {
    other.message_ = nullptr;
  }
  Status &operator=(Status other) noexcept {
    char *tmp = message_;
    message_ = other.message_;
    other.message_ = tmp;
    return *this;
  }
  ~Status();

  static Status success() { return Status(); }
  /// A failure whose message is printf-formatted.
  static Status error(const char *format, ...)
#if defined(__GNUC__)
      __attribute__((format(printf, 1, 2)))
#endif
      ;
  static Status errorV(const char *format, va_list args);

  bool ok() const { return message_ == nullptr; }
  explicit operator bool() const { return ok(); }
  /// The message; "" when ok.
  const char *message() const { return message_ ? message_ : ""; }

  /// Copies the message (truncated, NUL-terminated) into `buffer`.
  void copyTo(char *buffer, int32_t size) const;

private:
  char *message_ = nullptr;
};

} // namespace kiln

#define KILN_STRINGIFY_IMPL(x) #x
#define KILN_STRINGIFY(x) KILN_STRINGIFY_IMPL(x)

/// Returns a failure whose message starts with file:line.
#define KILN_ERROR(...)                                                        \
  ::kiln::Status::error(__FILE__ ":" KILN_STRINGIFY(__LINE__) ":"              \
                                                              " " __VA_ARGS__)

/// Returns from the enclosing function if `expr` is a failing Status.
#define KILN_RETURN_IF_ERROR(expr)                                             \
  do {                                                                         \
    ::kiln::Status kilnStatus_ = (expr);                                       \
    if (!kilnStatus_.ok())                                                     \
      return kilnStatus_;                                                      \
  } while (0)

#endif // KILN_KERNELS_COMMON_STATUS_H
