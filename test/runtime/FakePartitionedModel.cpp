//===- FakePartitionedModel.cpp - A hand-written tensor-parallel model ----===//
//
// What codegen would emit for y = x W + bias and g = the per-rank partial
// products, on a mesh of TP tensor-parallel ranks (KILN_FAKE_TP, 2 unless
// defined; KILN_FAKE_PP pipeline stages, 1 unless defined):
//
//   x: (4) f32, full on every rank        W: (4, 2), split over tp by rows:
//   rank c holds w@c, rows [c*4/TP, (c+1)*4/TP)      bias: (2), whole
//   partial = x[rows of c] w@c                        (2) on each rank
//   y = all_reduce_tp(partial) + bias                 (2)
//   g = all_gather_tp(partial)                        (2 * TP)
//
// y and g are right only if each rank read its own shard and the
// collectives work. With TP = 1 the model is plain and runs without them.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Tensor.h"
#include "runtime/ModelAbi.h"

#include <stdio.h>

#ifndef KILN_FAKE_TP
#define KILN_FAKE_TP 2
#endif
#ifndef KILN_FAKE_PP
#define KILN_FAKE_PP 1
#endif

namespace {

constexpr int64_t kRows = 4 / KILN_FAKE_TP;
const int64_t xShape[] = {4};
const int64_t yShape[] = {2};
const int64_t gShape[] = {2 * KILN_FAKE_TP};
const int64_t wShape[] = {kRows, 2};
const int64_t biasShape[] = {2};

const kiln_io_desc inputs[] = {{"x", kiln::DType::Float, 1, xShape, nullptr}};
const kiln_io_desc outputs[] = {{"y", kiln::DType::Float, 1, yShape, nullptr},
                                {"g", kiln::DType::Float, 1, gShape, nullptr}};
const kiln_io_desc weights[] = {
    {"w", kiln::DType::Float, 2, wShape, nullptr},
    {"bias", kiln::DType::Float, 1, biasShape, nullptr}};
const int32_t splitAxes[] = {KILN_AXIS_TP, -1};

int fail(kiln_exec_context *ctx, const char *message) {
  snprintf(ctx->error, static_cast<size_t>(ctx->error_size),
           "fake partitioned model: %s", message);
  return 1;
}

int plan(kiln_exec_context *ctx, const int64_t *const *, int64_t *const *out,
         int64_t *arenaBytes) {
  out[0][0] = 2;
  out[1][0] = 2 * KILN_FAKE_TP;
  *arenaBytes = 64;
  return 0;
}

int run(kiln_exec_context *ctx, void *const *w, void *arena,
        const void *const *in, const int64_t *const *, void *const *out) {
  if (ctx->world_size != KILN_FAKE_TP || ctx->coords[KILN_AXIS_TP] != ctx->rank)
    return fail(ctx, "rank and coordinates do not match the mesh");
  const float *x = static_cast<const float *>(in[0]);
  const float *shard = static_cast<const float *>(w[0]);
  const float *bias = static_cast<const float *>(w[1]);
  float *partial = static_cast<float *>(arena);
  float *y = static_cast<float *>(out[0]);
  // partial = x[rows of this rank] w@c
  const int64_t first = ctx->coords[KILN_AXIS_TP] * kRows;
  for (int j = 0; j < 2; ++j) {
    partial[j] = 0;
    for (int64_t r = 0; r < kRows; ++r)
      partial[j] += x[first + r] * shard[r * 2 + j];
  }
  if (KILN_FAKE_TP == 1) {
    for (int j = 0; j < 2; ++j)
      static_cast<float *>(out[1])[j] = y[j] = partial[j];
  } else {
    if (!ctx->collectives)
      return fail(ctx, "a partitioned run without collectives");
    if (ctx->collectives->all_reduce(ctx, KILN_AXIS_TP, kiln::DType::Float,
                                     partial, y, 2) != 0 ||
        ctx->collectives->all_gather(ctx, KILN_AXIS_TP, partial, out[1],
                                     2 * sizeof(float)) != 0)
      return 1;
  }
  for (int j = 0; j < 2; ++j)
    y[j] += bias[j];
  return 0;
}

const kiln_entry_desc entries[] = {{"main", 1, inputs, 2, outputs, plan, run}};

const kiln_model_desc description = {
    KILN_MODEL_ABI_VERSION, "cpu", 2, weights, 1, entries,
    {1, KILN_FAKE_TP, KILN_FAKE_PP, 1}, splitAxes};

} // namespace

extern "C" const kiln_model_desc *kiln_model_describe(void) {
  return &description;
}
