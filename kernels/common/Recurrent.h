//===- Recurrent.h - The math of RNN, GRU and LSTM layers -------*- C++ -*-===//
//
// One time step of every (direction d, batch b, hidden unit j) at once; a
// step reads only the hidden state of the step before, which lives in Y.
// With gate k's pre-activation
//
//   a_k = x_t W_k[j]^T + h_{t-1} R_k[j]^T + Wb_k[j] + Rb_k[j]   (clipped)
//
//   RNN   h_t = f(a)
//   GRU   z = f(a_z), r = f(a_r),
//         n = g(x_t W_h[j]^T + (r . h_{t-1}) R_h[j]^T + Wb_h + Rb_h), or
//         with linear_before_reset g(x_t W_h[j]^T + Wb_h
//                                    + r_j (h_{t-1} R_h[j]^T + Rb_h)),
//         h_t = (1 - z) n + z h_{t-1}[j]
//   LSTM  i = f(a_i + P_i c_{t-1}), f_ = f(a_f + P_f c_{t-1}) (1 - i with
//         input_forget), c_t = f_ c_{t-1} + i g(a_c),
//         o = f(a_o + P_o c_t), h_t = o h(c_t)
//
// The GEMMs are dot products in the body: one thread computes all gates
// of its unit. GRU without linear_before_reset needs r . h_{t-1} of every
// unit, so it runs a step in two phases, the first writing r . h_{t-1} to
// Y_h (a scratch until the last pass fills it). The cell state of LSTM is
// kept in Y_c. Past a batch entry's sequence length, Y is 0 and the states
// stay; the reverse direction starts at its last valid step.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_RECURRENT_H
#define KILN_KERNELS_COMMON_RECURRENT_H

#include "kernels/common/Checks.h"

#include <math.h>
#include <string.h>

namespace kiln {

enum class RecurrentKind : int32_t { RNN, GRU, LSTM };

/// ONNX's activation functions, in the order of the codes of the
/// `activations` attribute.
enum class RecurrentActivation : int32_t {
  Relu,
  Tanh,
  Sigmoid,
  Affine,
  LeakyRelu,
  ThresholdedRelu,
  ScaledTanh,
  HardSigmoid,
  Elu,
  Softsign,
  Softplus,
  Count,
};

/// Activations per direction at most (LSTM's f, g, h), directions at most.
constexpr int32_t kMaxRecurrentFunctions = 3;
constexpr int32_t kMaxRecurrentDirections = 2;

struct RecurrentParams {
  RecurrentKind kind;
  int64_t seq, batch, input, hidden, dirs, gates;
  bool reverse; // direction "reverse" (bidirectional: direction 1 only)
  int32_t functions;
  RecurrentActivation
      activations[kMaxRecurrentDirections * kMaxRecurrentFunctions];
  float alphas[kMaxRecurrentDirections * kMaxRecurrentFunctions];
  float betas[kMaxRecurrentDirections * kMaxRecurrentFunctions];
  float clip; // 0: none
  bool linearBeforeReset, inputForget;
  const float *x, *w, *r, *b, *h0, *c0, *p;
  const int32_t *seqLens;
  float *y, *yh, *yc;

  /// Units of one step: (dirs, batch, hidden).
  KILN_HD int64_t numUnits() const { return dirs * batch * hidden; }
};

/// Checks the operands of rnn, gru or lstm and fills `p`. `inputs` are the
/// present ONNX inputs, `roles` their ONNX input indices (X, W, R, B,
/// sequence_lens, initial_h, initial_c, P = 0..7).
inline Status makeRecurrentParams(
    const char *kernel, RecurrentKind kind, Span<const TensorView> inputs,
    Span<const int64_t> roles, const TensorView &y, const TensorView &yh,
    const TensorView *yc, const char *direction,
    Span<const int64_t> activations, Span<const double> alphas,
    Span<const double> betas, float clip, bool linearBeforeReset,
    bool inputForget, RecurrentParams &p) {
  const TensorView *views[8] = {};
  KILN_RETURN_IF_ERROR(checkSize(kernel, "input_roles", roles.size(),
                                 static_cast<int64_t>(inputs.size())));
  int64_t maxRole = kind == RecurrentKind::LSTM ? 7 : 5;
  for (int64_t i = 0; i < roles.size(); ++i) {
    int64_t role = roles[i];
    if (role < 0 || role > maxRole || views[role])
      return Status::error("%s: input role %lld is invalid or repeated", kernel,
                           static_cast<long long>(role));
    views[role] = &inputs[i];
  }
  for (int32_t role = 0; role < 3; ++role)
    if (!views[role])
      return Status::error("%s: X, W and R are required", kernel);
  const TensorView &x = *views[0];
  KILN_RETURN_IF_ERROR(checkDtype(kernel, "X", x, DType::Float));
  KILN_RETURN_IF_ERROR(checkRank(kernel, "X", x, 3));
  p.kind = kind;
  p.gates = kind == RecurrentKind::RNN ? 1 : kind == RecurrentKind::GRU ? 3 : 4;
  p.functions = kind == RecurrentKind::RNN   ? 1
                : kind == RecurrentKind::GRU ? 2
                                             : 3;
  p.seq = x.shape[0];
  p.batch = x.shape[1];
  p.input = x.shape[2];
  bool bidirectional = strcmp(direction, "bidirectional") == 0;
  p.reverse = strcmp(direction, "reverse") == 0;
  if (!bidirectional && !p.reverse && strcmp(direction, "forward") != 0)
    return Status::error("%s: unknown direction '%s'", kernel, direction);
  p.dirs = bidirectional ? 2 : 1;
  KILN_RETURN_IF_ERROR(checkDtype(kernel, "Y", y, DType::Float));
  KILN_RETURN_IF_ERROR(checkRank(kernel, "Y", y, 4));
  p.hidden = y.shape[3];
  int64_t expected[4] = {p.seq, p.dirs, p.batch, p.hidden};
  for (int32_t d = 0; d < 4; ++d)
    KILN_RETURN_IF_ERROR(checkDim(kernel, "Y", y, d, expected[d]));
  // Each operand's expected shape.
  auto check = [&](const TensorView *view, const char *name, int32_t rank,
                   const int64_t *dims,
                   int32_t dtype = DType::Float) -> Status {
    if (!view)
      return Status::success();
    KILN_RETURN_IF_ERROR(checkDtype(kernel, name, *view, dtype));
    KILN_RETURN_IF_ERROR(checkRank(kernel, name, *view, rank));
    for (int32_t d = 0; d < rank; ++d)
      KILN_RETURN_IF_ERROR(checkDim(kernel, name, *view, d, dims[d]));
    return Status::success();
  };
  int64_t gateRows = p.gates * p.hidden;
  int64_t wDims[3] = {p.dirs, gateRows, p.input};
  int64_t rDims[3] = {p.dirs, gateRows, p.hidden};
  int64_t bDims[2] = {p.dirs, 2 * gateRows};
  int64_t lenDims[1] = {p.batch};
  int64_t stateDims[3] = {p.dirs, p.batch, p.hidden};
  int64_t peepDims[2] = {p.dirs, 3 * p.hidden};
  KILN_RETURN_IF_ERROR(check(views[1], "W", 3, wDims));
  KILN_RETURN_IF_ERROR(check(views[2], "R", 3, rDims));
  KILN_RETURN_IF_ERROR(check(views[3], "B", 2, bDims));
  KILN_RETURN_IF_ERROR(
      check(views[4], "sequence_lens", 1, lenDims, DType::Int32));
  KILN_RETURN_IF_ERROR(check(views[5], "initial_h", 3, stateDims));
  KILN_RETURN_IF_ERROR(check(views[6], "initial_c", 3, stateDims));
  KILN_RETURN_IF_ERROR(check(views[7], "P", 2, peepDims));
  KILN_RETURN_IF_ERROR(check(&yh, "Y_h", 3, stateDims));
  if (kind == RecurrentKind::LSTM) {
    if (!yc)
      return Status::error("%s: Y_c is required", kernel);
    KILN_RETURN_IF_ERROR(check(yc, "Y_c", 3, stateDims));
  }
  int64_t count = p.dirs * p.functions;
  KILN_RETURN_IF_ERROR(
      checkSize(kernel, "activations", activations.size(), count));
  KILN_RETURN_IF_ERROR(
      checkSize(kernel, "activation_alpha", alphas.size(), count));
  KILN_RETURN_IF_ERROR(
      checkSize(kernel, "activation_beta", betas.size(), count));
  for (int64_t i = 0; i < count; ++i) {
    if (activations[i] < 0 ||
        activations[i] >= static_cast<int64_t>(RecurrentActivation::Count))
      return Status::error("%s: unknown activation %lld", kernel,
                           static_cast<long long>(activations[i]));
    p.activations[i] = static_cast<RecurrentActivation>(activations[i]);
    p.alphas[i] = static_cast<float>(alphas[i]);
    p.betas[i] = static_cast<float>(betas[i]);
  }
  if (clip < 0.0f)
    return Status::error("%s: clip %g is negative", kernel, clip);
  p.clip = clip;
  p.linearBeforeReset = linearBeforeReset;
  p.inputForget = inputForget;
  auto data = [&](int32_t role) {
    return views[role] ? views[role]->as<const float>() : nullptr;
  };
  p.x = data(0);
  p.w = data(1);
  p.r = data(2);
  p.b = data(3);
  p.seqLens = views[4] ? views[4]->as<const int32_t>() : nullptr;
  p.h0 = data(5);
  p.c0 = data(6);
  p.p = data(7);
  p.y = y.as<float>();
  p.yh = yh.as<float>();
  p.yc = yc ? yc->as<float>() : nullptr;
  return Status::success();
}

KILN_HD inline float recurrentActivate(RecurrentActivation f, float v,
                                       float alpha, float beta) {
  switch (f) {
  case RecurrentActivation::Relu:
    return v > 0.0f ? v : 0.0f;
  case RecurrentActivation::Tanh:
    return tanhf(v);
  case RecurrentActivation::Sigmoid:
    return 1.0f / (1.0f + expf(-v));
  case RecurrentActivation::Affine:
    return alpha * v + beta;
  case RecurrentActivation::LeakyRelu:
    return v >= 0.0f ? v : alpha * v;
  case RecurrentActivation::ThresholdedRelu:
    return v > alpha ? v : 0.0f;
  case RecurrentActivation::ScaledTanh:
    return alpha * tanhf(beta * v);
  case RecurrentActivation::HardSigmoid: {
    float h = alpha * v + beta;
    return h < 0.0f ? 0.0f : (h > 1.0f ? 1.0f : h);
  }
  case RecurrentActivation::Elu:
    return v >= 0.0f ? v : alpha * (expf(v) - 1.0f);
  case RecurrentActivation::Softsign:
    return v / (1.0f + fabsf(v));
  case RecurrentActivation::Softplus:
    return log1pf(expf(v));
  default:
    return v;
  }
}

/// Activation `k` (f, g, h) of direction d applied to v.
KILN_HD inline float recurrentApply(const RecurrentParams &p, int64_t d,
                                    int32_t k, float v) {
  int64_t i = d * p.functions + k;
  return recurrentActivate(p.activations[i], v, p.alphas[i], p.betas[i]);
}

KILN_HD inline float recurrentClip(const RecurrentParams &p, float v) {
  if (p.clip > 0.0f)
    v = v < -p.clip ? -p.clip : (v > p.clip ? p.clip : v);
  return v;
}

/// The valid length of batch entry b.
KILN_HD inline int64_t recurrentLength(const RecurrentParams &p, int64_t b) {
  if (!p.seqLens)
    return p.seq;
  int64_t length = p.seqLens[b];
  return length < 0 ? 0 : (length > p.seq ? p.seq : length);
}

KILN_HD inline bool isReverseDirection(const RecurrentParams &p, int64_t d) {
  return p.reverse || d == 1;
}

/// h of step t of (d, b) in Y.
KILN_HD inline float *recurrentState(const RecurrentParams &p, int64_t t,
                                     int64_t d, int64_t b) {
  return p.y + ((t * p.dirs + d) * p.batch + b) * p.hidden;
}

/// x_t W_k[j]^T + Wb_k[j] (+ Rb_k[j] with `withRecurrentBias`).
KILN_HD inline float recurrentInputPart(const RecurrentParams &p, int64_t t,
                                        int64_t d, int64_t b, int64_t k,
                                        int64_t j, bool withRecurrentBias) {
  int64_t row = (d * p.gates + k) * p.hidden + j;
  const float *xRow = p.x + (t * p.batch + b) * p.input;
  const float *wRow = p.w + row * p.input;
  float acc = 0.0f;
  for (int64_t i = 0; i < p.input; ++i)
    acc += xRow[i] * wRow[i];
  if (p.b) {
    const float *bias = p.b + d * 2 * p.gates * p.hidden;
    acc += bias[k * p.hidden + j];
    if (withRecurrentBias)
      acc += bias[(p.gates + k) * p.hidden + j];
  }
  return acc;
}

/// hPrev R_k[j]^T (hPrev null: zeros).
KILN_HD inline float recurrentHiddenPart(const RecurrentParams &p,
                                         const float *hPrev, int64_t d,
                                         int64_t k, int64_t j) {
  if (!hPrev)
    return 0.0f;
  const float *rRow = p.r + ((d * p.gates + k) * p.hidden + j) * p.hidden;
  float acc = 0.0f;
  for (int64_t i = 0; i < p.hidden; ++i)
    acc += hPrev[i] * rRow[i];
  return acc;
}

/// Step `step` (phase 0, or 1 for GRU without linear_before_reset) of the
/// unit at flat `index` over (dirs, batch, hidden).
KILN_HD inline void recurrentStepElement(const RecurrentParams &p, int64_t step,
                                         int32_t phase, int64_t index) {
  int64_t j = index % p.hidden;
  int64_t b = (index / p.hidden) % p.batch;
  int64_t d = index / (p.hidden * p.batch);
  int64_t length = recurrentLength(p, b);
  if (step >= length) {
    // Y past the sequence's end is 0 in both directions.
    if (phase == 0)
      recurrentState(p, step, d, b)[j] = 0.0f;
    return;
  }
  bool reverse = isReverseDirection(p, d);
  int64_t t = reverse ? length - 1 - step : step;
  int64_t unit = (d * p.batch + b) * p.hidden;
  const float *hPrev = step == 0
                           ? (p.h0 ? p.h0 + unit : nullptr)
                           : recurrentState(p, reverse ? t + 1 : t - 1, d, b);
  float hPrevJ = hPrev ? hPrev[j] : 0.0f;
  float *h = recurrentState(p, t, d, b);

  auto gate = [&](int64_t k) {
    return recurrentInputPart(p, t, d, b, k, j, true) +
           recurrentHiddenPart(p, hPrev, d, k, j);
  };
  if (p.kind == RecurrentKind::RNN) {
    h[j] = recurrentApply(p, d, 0, recurrentClip(p, gate(0)));
    return;
  }
  if (p.kind == RecurrentKind::LSTM) {
    float cPrev = step == 0 ? (p.c0 ? p.c0[unit + j] : 0.0f) : p.yc[unit + j];
    const float *peep = p.p ? p.p + d * 3 * p.hidden : nullptr;
    float pi = peep ? peep[j] : 0.0f;
    float po = peep ? peep[p.hidden + j] : 0.0f;
    float pf = peep ? peep[2 * p.hidden + j] : 0.0f;
    // Gates in the order i, o, f, c.
    float i = recurrentApply(p, d, 0, recurrentClip(p, gate(0) + pi * cPrev));
    float f =
        p.inputForget
            ? 1.0f - i
            : recurrentApply(p, d, 0, recurrentClip(p, gate(2) + pf * cPrev));
    float c =
        f * cPrev + i * recurrentApply(p, d, 1, recurrentClip(p, gate(3)));
    float o = recurrentApply(p, d, 0, recurrentClip(p, gate(1) + po * c));
    p.yc[unit + j] = c;
    h[j] = o * recurrentApply(p, d, 2, c);
    return;
  }
  // GRU: gates z, r, h.
  float *resetHidden = p.yh + unit; // r . h_{t-1}, between the two phases
  if (!p.linearBeforeReset && phase == 0) {
    resetHidden[j] =
        recurrentApply(p, d, 0, recurrentClip(p, gate(1))) * hPrevJ;
    return;
  }
  float z = recurrentApply(p, d, 0, recurrentClip(p, gate(0)));
  float candidate;
  if (p.linearBeforeReset) {
    float r = recurrentApply(p, d, 0, recurrentClip(p, gate(1)));
    float recurrent = recurrentHiddenPart(p, hPrev, d, 2, j);
    if (p.b)
      recurrent += p.b[d * 2 * p.gates * p.hidden + 5 * p.hidden + j];
    candidate = recurrentInputPart(p, t, d, b, 2, j, false) + r * recurrent;
  } else {
    candidate = recurrentInputPart(p, t, d, b, 2, j, true) +
                recurrentHiddenPart(p, hPrev ? resetHidden : nullptr, d, 2, j);
  }
  float n = recurrentApply(p, d, 1, recurrentClip(p, candidate));
  h[j] = (1.0f - z) * n + z * hPrevJ;
}

/// The last pass: Y_h (and, for an empty sequence, Y_c) of the unit at
/// `index`.
KILN_HD inline void recurrentFinalElement(const RecurrentParams &p,
                                          int64_t index) {
  int64_t j = index % p.hidden;
  int64_t b = (index / p.hidden) % p.batch;
  int64_t d = index / (p.hidden * p.batch);
  int64_t length = recurrentLength(p, b);
  int64_t unit = (d * p.batch + b) * p.hidden;
  if (length == 0) {
    p.yh[unit + j] = p.h0 ? p.h0[unit + j] : 0.0f;
    if (p.yc)
      p.yc[unit + j] = p.c0 ? p.c0[unit + j] : 0.0f;
    return;
  }
  int64_t last = isReverseDirection(p, d) ? 0 : length - 1;
  p.yh[unit + j] = recurrentState(p, last, d, b)[j];
}

/// The number of phases of one step.
KILN_HD inline int32_t recurrentPhases(const RecurrentParams &p) {
  return p.kind == RecurrentKind::GRU && !p.linearBeforeReset ? 2 : 1;
}

} // namespace kiln

#endif // KILN_KERNELS_COMMON_RECURRENT_H
