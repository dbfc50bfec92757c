//===- Recurrent.cu - rnn, gru, lstm on CUDA -----------------------------===//
//
// One launch per time step (two for a GRU step without
// linear_before_reset), one thread per unit (direction, batch, hidden),
// in order on the stream; the math is kernels/common/Recurrent.h.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Recurrent.h"
#include "kernels/cuda/Kernels.h"
#include "kernels/cuda/ParallelFor.cuh"

namespace kiln::cuda {

//===----------------------------------------------------------------------===//
// Launchers
//===----------------------------------------------------------------------===//

static Status launchRecurrent(const Context &ctx, const RecurrentParams &p,
                              const char *kernel) {
  for (int64_t step = 0; step < p.seq; ++step)
    for (int32_t phase = 0; phase < recurrentPhases(p); ++phase)
      KILN_RETURN_IF_ERROR(KILN_CUDA_PARALLEL_FOR(
          ctx, p.numUnits(),
          [=] __device__(int64_t i) {
            recurrentStepElement(p, step, phase, i);
          },
          kernel));
  return KILN_CUDA_PARALLEL_FOR(
      ctx, p.numUnits(),
      [=] __device__(int64_t i) { recurrentFinalElement(p, i); }, kernel);
}

Status rnn(const Context &ctx, Span<const TensorView> inputs,
           const TensorView &y, const TensorView &y_h,
           Span<const int64_t> input_roles, const char *direction,
           Span<const int64_t> activations, Span<const double> activation_alpha,
           Span<const double> activation_beta, float clip) {
  RecurrentParams p;
  KILN_RETURN_IF_ERROR(makeRecurrentParams(
      "rnn", RecurrentKind::RNN, inputs, input_roles, y, y_h, nullptr,
      direction, activations, activation_alpha, activation_beta, clip, false,
      false, p));
  return launchRecurrent(ctx, p, "rnn");
}

Status gru(const Context &ctx, Span<const TensorView> inputs,
           const TensorView &y, const TensorView &y_h,
           Span<const int64_t> input_roles, const char *direction,
           Span<const int64_t> activations, Span<const double> activation_alpha,
           Span<const double> activation_beta, float clip,
           bool linear_before_reset) {
  RecurrentParams p;
  KILN_RETURN_IF_ERROR(makeRecurrentParams(
      "gru", RecurrentKind::GRU, inputs, input_roles, y, y_h, nullptr,
      direction, activations, activation_alpha, activation_beta, clip,
      linear_before_reset, false, p));
  return launchRecurrent(ctx, p, "gru");
}

Status lstm(const Context &ctx, Span<const TensorView> inputs,
            const TensorView &y, const TensorView &y_h, const TensorView &y_c,
            Span<const int64_t> input_roles, const char *direction,
            Span<const int64_t> activations,
            Span<const double> activation_alpha,
            Span<const double> activation_beta, float clip, bool input_forget) {
  RecurrentParams p;
  KILN_RETURN_IF_ERROR(
      makeRecurrentParams("lstm", RecurrentKind::LSTM, inputs, input_roles, y,
                          y_h, &y_c, direction, activations, activation_alpha,
                          activation_beta, clip, false, input_forget, p));
  return launchRecurrent(ctx, p, "lstm");
}

} // namespace kiln::cuda
