//===- Pad.cu - pad on the device -----------------------------------------===//
//
// One thread per element of y through the index map of
// kernels/common/Pad.h; the pad value is read on the device.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Pad.h"
#include "kernels/common/Words.h"
#include "kernels/cuda/Kernels.h"
#include "kernels/cuda/ParallelFor.cuh"

namespace kiln::cuda {

// The device lambda lives in a named template: nvcc rejects extended
// lambdas inside the generic lambda dispatchWord takes.
template <typename Word>
static Status launchPad(Word, const Context &ctx, const PadParams &p,
                        const TensorView &x, const TensorView *value,
                        const TensorView &y) {
  const Word *xData = x.as<const Word>();
  const Word *fill = value ? value->as<const Word>() : nullptr;
  Word *yData = y.as<Word>();
  return KILN_CUDA_PARALLEL_FOR(
      ctx, y.numElements(),
      [=] __device__(int64_t i) {
        int64_t source = padSource(p, i);
        yData[i] = source >= 0 ? xData[source] : fill ? *fill : Word(0);
      },
      "pad");
}

Status pad(const Context &ctx, const TensorView &x, const TensorView *value,
           const TensorView &y, Span<const int64_t> pads, const char *mode) {
  PadParams p;
  KILN_RETURN_IF_ERROR(makePadParams(x, value, y, pads, mode, p));
  return dispatchWord("pad", x.dtype, [&](auto word) {
    return launchPad(word, ctx, p, x, value, y);
  });
}

} // namespace kiln::cuda
