//===- Trilu.cpp - trilu on the CPU ---------------------------------------===//
//
// One pass over y: an element of the kept triangle copies x, any other
// is 0 (kernels/common/Trilu.h).
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Trilu.h"
#include "kernels/common/Words.h"
#include "kernels/cpu/Kernels.h"

namespace kiln::cpu {

Status trilu(const TensorView &x, const TensorView *k, const TensorView &y,
             bool upper) {
  TriluParams p;
  KILN_RETURN_IF_ERROR(makeTriluParams(x, k, y, upper, p));
  int64_t kValue = triluK(k ? k->as<const int64_t>() : nullptr);
  return dispatchWord("trilu", x.dtype, [&](auto word) {
    using Word = decltype(word);
    const Word *xData = x.as<const Word>();
    Word *yData = y.as<Word>();
    parallelFor(y.numElements(), [&](int64_t i) {
      yData[i] = triluKeeps(p, i, kValue) ? xData[i] : Word(0);
    });
    return Status::success();
  });
}

} // namespace kiln::cpu
