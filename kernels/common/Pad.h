//===- Pad.h - The index map of pad -----------------------------*- C++ -*-===//
//
// pad writes y, of shape x.shape + begins + ends per dim (a negative pad
// crops), reading for each y coordinate c the x coordinate c - begin; one
// outside [0, n) is, by mode:
//
//   constant  the pad value (a rank-0 operand read from memory, 0 when
//             absent)
//   edge      the nearest end, 0 or n - 1
//   reflect   mirrored about both ends without repeating them (period
//             2 (n - 1)), as numpy's "reflect"
//   wrap      taken modulo n
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_PAD_H
#define KILN_KERNELS_COMMON_PAD_H

#include "kernels/common/Broadcast.h"
#include "kernels/common/Checks.h"

#include <string.h>

namespace kiln {

enum class PadMode : int32_t { Constant, Reflect, Edge, Wrap };

inline Status parsePadMode(const char *name, PadMode &mode) {
  static const char *const kNames[] = {"constant", "reflect", "edge", "wrap"};
  for (int32_t i = 0; i < 4; ++i)
    if (strcmp(name, kNames[i]) == 0) {
      mode = static_cast<PadMode>(i);
      return Status::success();
    }
  return Status::error("pad: unknown mode '%s'", name);
}

struct PadParams {
  int32_t rank;
  PadMode mode;
  int64_t yShape[kMaxRank];
  int64_t xShape[kMaxRank];
  int64_t xStrides[kMaxRank];
  int64_t begins[kMaxRank];
};

/// The x coordinate that y coordinate `c` reads along a dim of `n` elements
/// padded by `begin` in front; -1 for the pad value.
KILN_HD inline int64_t padCoord(PadMode mode, int64_t c, int64_t begin,
                                int64_t n) {
  int64_t i = c - begin;
  if (i >= 0 && i < n)
    return i;
  switch (mode) {
  case PadMode::Constant:
    return -1;
  case PadMode::Edge:
    return i < 0 ? 0 : n - 1;
  case PadMode::Wrap:
    i %= n;
    return i < 0 ? i + n : i;
  case PadMode::Reflect: {
    if (n == 1)
      return 0;
    int64_t period = 2 * (n - 1);
    i %= period;
    if (i < 0)
      i += period;
    return i < n ? i : period - i;
  }
  }
  return -1;
}

/// The x offset that y's flat index reads, or -1 for the pad value.
KILN_HD inline int64_t padSource(const PadParams &p, int64_t index) {
  int64_t offset = 0;
  for (int32_t d = p.rank - 1; d >= 0; --d) {
    int64_t c = index % p.yShape[d];
    index /= p.yShape[d];
    int64_t i = padCoord(p.mode, c, p.begins[d], p.xShape[d]);
    if (i < 0)
      return -1;
    offset += i * p.xStrides[d];
  }
  return offset;
}

/// Checks the operands against `pads` (rank begins, then rank ends).
inline Status makePadParams(const TensorView &x, const TensorView *value,
                            const TensorView &y, Span<const int64_t> pads,
                            const char *mode, PadParams &p) {
  const char *kernel = "pad";
  KILN_RETURN_IF_ERROR(parsePadMode(mode, p.mode));
  KILN_RETURN_IF_ERROR(checkValidRank(kernel, "x", x));
  KILN_RETURN_IF_ERROR(checkRank(kernel, "y", y, x.rank));
  KILN_RETURN_IF_ERROR(checkSameDtype(kernel, "y", y, x));
  KILN_RETURN_IF_ERROR(checkSize(kernel, "pads", pads.size(), 2 * x.rank));
  if (!dtypeSize(x.dtype))
    return Status::error("pad: unsupported dtype %s", dtypeName(x.dtype));
  if (value) {
    KILN_RETURN_IF_ERROR(checkRank(kernel, "the pad value", *value, 0));
    KILN_RETURN_IF_ERROR(checkSameDtype(kernel, "the pad value", *value, x));
  }
  p.rank = x.rank;
  contiguousStrides(x.shape, x.rank, p.xStrides);
  for (int32_t d = 0; d < x.rank; ++d) {
    int64_t begin = pads[d], end = pads[d + x.rank];
    KILN_RETURN_IF_ERROR(checkDim(kernel, "y", y, d, x.shape[d] + begin + end));
    if (x.shape[d] == 0 && y.shape[d] != 0 && p.mode != PadMode::Constant)
      return Status::error("pad: dim %d of x is empty: there is nothing to "
                           "repeat in mode '%s'",
                           d, mode);
    p.yShape[d] = y.shape[d];
    p.xShape[d] = x.shape[d];
    p.begins[d] = begin;
  }
  return Status::success();
}

} // namespace kiln

#endif // KILN_KERNELS_COMMON_PAD_H
