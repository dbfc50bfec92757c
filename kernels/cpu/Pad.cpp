//===- Pad.cpp - pad on the CPU -------------------------------------------===//
//
// One pass over y through the index map of kernels/common/Pad.h.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Pad.h"
#include "kernels/common/Words.h"
#include "kernels/cpu/Kernels.h"

namespace kiln::cpu {

Status pad(const TensorView &x, const TensorView *value, const TensorView &y,
           Span<const int64_t> pads, const char *mode) {
  PadParams p;
  KILN_RETURN_IF_ERROR(makePadParams(x, value, y, pads, mode, p));
  return dispatchWord("pad", x.dtype, [&](auto word) {
    using Word = decltype(word);
    const Word *xData = x.as<const Word>();
    Word *yData = y.as<Word>();
    Word fill = value ? *value->as<const Word>() : Word(0);
    parallelFor(y.numElements(), [&](int64_t i) {
      int64_t source = padSource(p, i);
      yData[i] = source < 0 ? fill : xData[source];
    });
    return Status::success();
  });
}

} // namespace kiln::cpu
