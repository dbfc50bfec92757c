//===- Trilu.cu - trilu on the device -------------------------------------===//
//
// One thread per element of y; each reads k from device memory
// (kernels/common/Trilu.h).
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Trilu.h"
#include "kernels/common/Words.h"
#include "kernels/cuda/Kernels.h"
#include "kernels/cuda/ParallelFor.cuh"

namespace kiln::cuda {

// The device lambda lives in a named template: nvcc rejects extended
// lambdas inside the generic lambda dispatchWord takes.
template <typename Word>
static Status launchTrilu(Word, const Context &ctx, const TriluParams &p,
                          const TensorView &x, const int64_t *k,
                          const TensorView &y) {
  const Word *xData = x.as<const Word>();
  Word *yData = y.as<Word>();
  return KILN_CUDA_PARALLEL_FOR(
      ctx, y.numElements(),
      [=] __device__(int64_t i) {
        yData[i] = triluKeeps(p, i, triluK(k)) ? xData[i] : Word(0);
      },
      "trilu");
}

Status trilu(const Context &ctx, const TensorView &x, const TensorView *k,
             const TensorView &y, bool upper) {
  TriluParams p;
  KILN_RETURN_IF_ERROR(makeTriluParams(x, k, y, upper, p));
  const int64_t *kData = k ? k->as<const int64_t>() : nullptr;
  return dispatchWord("trilu", x.dtype, [&](auto word) {
    return launchTrilu(word, ctx, p, x, kData, y);
  });
}

} // namespace kiln::cuda
