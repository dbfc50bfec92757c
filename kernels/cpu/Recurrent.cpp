//===- Recurrent.cpp - rnn, gru, lstm on the CPU -------------------------===//
//
// Time steps in order, each (and each phase of a GRU step) one parallel
// loop over the units (direction, batch, hidden); the math is
// kernels/common/Recurrent.h.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Recurrent.h"
#include "kernels/cpu/Kernels.h"

namespace kiln::cpu {

static Status runRecurrent(const RecurrentParams &p) {
  int64_t grain = 4096 / (p.gates * (p.input + p.hidden) + 1);
  grain = grain < 1 ? 1 : grain;
  for (int64_t step = 0; step < p.seq; ++step)
    for (int32_t phase = 0; phase < recurrentPhases(p); ++phase)
      parallelFor(
          p.numUnits(),
          [&](int64_t i) { recurrentStepElement(p, step, phase, i); }, grain);
  parallelFor(
      p.numUnits(), [&](int64_t i) { recurrentFinalElement(p, i); }, 256);
  return Status::success();
}

Status rnn(Span<const TensorView> inputs, const TensorView &y,
           const TensorView &y_h, Span<const int64_t> input_roles,
           const char *direction, Span<const int64_t> activations,
           Span<const double> activation_alpha,
           Span<const double> activation_beta, float clip) {
  RecurrentParams p;
  KILN_RETURN_IF_ERROR(makeRecurrentParams(
      "rnn", RecurrentKind::RNN, inputs, input_roles, y, y_h, nullptr,
      direction, activations, activation_alpha, activation_beta, clip, false,
      false, p));
  return runRecurrent(p);
}

Status gru(Span<const TensorView> inputs, const TensorView &y,
           const TensorView &y_h, Span<const int64_t> input_roles,
           const char *direction, Span<const int64_t> activations,
           Span<const double> activation_alpha,
           Span<const double> activation_beta, float clip,
           bool linear_before_reset) {
  RecurrentParams p;
  KILN_RETURN_IF_ERROR(makeRecurrentParams(
      "gru", RecurrentKind::GRU, inputs, input_roles, y, y_h, nullptr,
      direction, activations, activation_alpha, activation_beta, clip,
      linear_before_reset, false, p));
  return runRecurrent(p);
}

Status lstm(Span<const TensorView> inputs, const TensorView &y,
            const TensorView &y_h, const TensorView &y_c,
            Span<const int64_t> input_roles, const char *direction,
            Span<const int64_t> activations,
            Span<const double> activation_alpha,
            Span<const double> activation_beta, float clip, bool input_forget) {
  RecurrentParams p;
  KILN_RETURN_IF_ERROR(
      makeRecurrentParams("lstm", RecurrentKind::LSTM, inputs, input_roles, y,
                          y_h, &y_c, direction, activations, activation_alpha,
                          activation_beta, clip, false, input_forget, p));
  return runRecurrent(p);
}

} // namespace kiln::cpu
