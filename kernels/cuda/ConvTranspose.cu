//===- ConvTranspose.cu - Transposed convolution on CUDA -----------------===//
//
// One thread per output element gathers the taps of
// kernels/common/ConvTranspose.h.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/ConvTranspose.h"
#include "kernels/cuda/Kernels.h"
#include "kernels/cuda/ParallelFor.cuh"

namespace kiln::cuda {

//===----------------------------------------------------------------------===//
// Launchers
//===----------------------------------------------------------------------===//

Status conv_transpose(const Context &ctx, const TensorView &x,
                      const TensorView &w, const TensorView *b,
                      const TensorView &y, Span<const int64_t> strides,
                      Span<const int64_t> pads, Span<const int64_t> dilations,
                      int64_t group) {
  WindowParams p;
  KILN_RETURN_IF_ERROR(
      makeConvTransposeParams(x, w, b, y, strides, pads, dilations, group, p));
  const float *xData = x.as<const float>();
  const float *wData = w.as<const float>();
  const float *bData = b ? b->as<const float>() : nullptr;
  float *yData = y.as<float>();
  return KILN_CUDA_PARALLEL_FOR(
      ctx, y.numElements(),
      [=] __device__(int64_t i) {
        yData[i] = convTransposeElement(p, xData, wData, bData, i);
      },
      "conv_transpose");
}

} // namespace kiln::cuda
