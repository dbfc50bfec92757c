//===- Words.h - Dispatch on element size for data movement -----*- C++ -*-===//
//
// Data-movement kernels copy elements as unsigned words of the dtype's size,
// so one instantiation serves f32 and i32, f64 and i64, and so on.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_WORDS_H
#define KILN_KERNELS_COMMON_WORDS_H

#include "kernels/common/Tensor.h"

namespace kiln {

/// Calls f(Word()) with the unsigned type of `elementSize` bytes; an error
/// naming `kernel` when the size is not 1, 2, 4 or 8.
template <typename F>
Status dispatchWord(const char *kernel, int32_t dtype, F &&f) {
  switch (dtypeSize(dtype)) {
  case 1:
    return f(uint8_t());
  case 2:
    return f(uint16_t());
  case 4:
    return f(uint32_t());
  case 8:
    return f(uint64_t());
  default:
    return Status::error("%s: unsupported dtype %s", kernel, dtypeName(dtype));
  }
}

} // namespace kiln

#endif // KILN_KERNELS_COMMON_WORDS_H
