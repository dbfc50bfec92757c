//===- Status.cpp - Errors as values, dtype names, shape text ------------===//
//
// The out-of-line parts of Status.h and Tensor.h, compiled into
// kiln_runtime.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Status.h"
#include "kernels/common/Tensor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

namespace kiln {

Status::Status(const Status &other) {
  if (other.message_)
    message_ = strdup(other.message_);
}

Status::~Status() { free(message_); }

Status Status::error(const char *format, ...) {
  va_list args;
  va_start(args, format);
  Status status = errorV(format, args);
  va_end(args);
  return status;
}

Status Status::errorV(const char *format, va_list args) {
  va_list copy;
  va_copy(copy, args);
  int length = vsnprintf(nullptr, 0, format, copy);
  va_end(copy);
  Status status;
  if (length < 0)
    length = 0;
  status.message_ =
      static_cast<char *>(malloc(static_cast<size_t>(length) + 1));
  if (!status.message_) {
    status.message_ = strdup("out of memory");
    return status;
  }
  vsnprintf(status.message_, static_cast<size_t>(length) + 1, format, args);
  // A message is one line.
  for (char *c = status.message_; *c; ++c)
    if (*c == '\n')
      *c = ' ';
  return status;
}

void Status::copyTo(char *buffer, int32_t size) const {
  if (!buffer || size <= 0)
    return;
  snprintf(buffer, static_cast<size_t>(size), "%s", message());
}

const char *dtypeName(int32_t dtype) {
  switch (dtype) {
#define KILN_DTYPE(Name, Code, CType, Bytes, Numpy, ...)                        \
  case Code:                                                                   \
    return Numpy;
#include "kernels/common/DTypes.def"
  default:
    return "unknown";
  }
}

void formatShape(const int64_t *shape, int32_t rank, char *buffer,
                 int32_t size) {
  if (!buffer || size <= 0)
    return;
  if (rank == 0) {
    snprintf(buffer, static_cast<size_t>(size), "scalar");
    return;
  }
  int32_t used = 0;
  buffer[0] = '\0';
  for (int32_t i = 0; i < rank && used < size; ++i) {
    // A dynamic dim (-1) prints as "?".
    int written =
        shape[i] < 0
            ? snprintf(buffer + used, static_cast<size_t>(size - used),
                       i ? "x?" : "?")
            : snprintf(buffer + used, static_cast<size_t>(size - used),
                       i ? "x%lld" : "%lld", static_cast<long long>(shape[i]));
    if (written < 0)
      return;
    used += written;
  }
}

} // namespace kiln
