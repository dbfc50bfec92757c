//===- FakeModel.cpp - A hand-written model for the runtime tests ---------===//
//
// What codegen would emit for
//
//   probs = softmax(x * scale + offset, axis 1)    x: (N, 3) f32
//   ids:doubled = ids * 2                          ids: (N) i64
//
// with the sum held in the arena, as two entry points: "main" with N = 2,
// and "batched" with N the dynamic dim `batch` (at most 64; `plan` refuses
// more). A negative id makes `run` fail. The ABI version and target can be
// overridden at compile time to build broken variants;
// KILN_FAKE_REPORT_THREADS makes ids:doubled[1] the run's thread count.
//
//===----------------------------------------------------------------------===//

#include "kernels/cpu/Kernels.h"
#include "runtime/ModelAbi.h"

#include <stdio.h>

#ifndef KILN_FAKE_ABI_VERSION
#define KILN_FAKE_ABI_VERSION KILN_MODEL_ABI_VERSION
#endif
#ifndef KILN_FAKE_TARGET
#define KILN_FAKE_TARGET "cpu"
#endif

namespace {

const int64_t xShape[] = {2, 3};
const int64_t idsShape[] = {2};
const int64_t xBatchedShape[] = {-1, 3};
const int64_t idsBatchedShape[] = {-1};
const char *const batchNames[] = {"batch", nullptr};
const int64_t paramShape[] = {3};

const kiln_io_desc inputs[] = {{"x", kiln::DType::Float, 2, xShape, nullptr},
                               {"ids", kiln::DType::Int64, 1, idsShape,
                                nullptr}};
const kiln_io_desc outputs[] = {
    {"probs", kiln::DType::Float, 2, xShape, nullptr},
    {"ids:doubled", kiln::DType::Int64, 1, idsShape, nullptr}};
const kiln_io_desc batchedInputs[] = {
    {"x", kiln::DType::Float, 2, xBatchedShape, batchNames},
    {"ids", kiln::DType::Int64, 1, idsBatchedShape, batchNames}};
const kiln_io_desc batchedOutputs[] = {
    {"probs", kiln::DType::Float, 2, xBatchedShape, batchNames},
    {"ids:doubled", kiln::DType::Int64, 1, idsBatchedShape, batchNames}};
const kiln_io_desc weights[] = {
    {"scale", kiln::DType::Float, 1, paramShape, nullptr},
    {"offset", kiln::DType::Float, 1, paramShape, nullptr}};

int plan(kiln_exec_context *ctx, const int64_t *const *in,
         int64_t *const *out, int64_t *arenaBytes) {
  int64_t rows = in[0][0];
  if (rows > 64) {
    snprintf(ctx->error, static_cast<size_t>(ctx->error_size),
             "fake model: batch %lld is above 64",
             static_cast<long long>(rows));
    return 1;
  }
  out[0][0] = rows;
  out[0][1] = 3;
  out[1][0] = rows;
  *arenaBytes = (rows * 3 * 4 + 63) / 64 * 64;
  return 0;
}

int run(kiln_exec_context *ctx, void *const *w, void *arena,
        const void *const *in, const int64_t *const *inShapes,
        void *const *out) {
  const int64_t rows = inShapes[0][0];
  const float *x = static_cast<const float *>(in[0]);
  const int64_t *ids = static_cast<const int64_t *>(in[1]);
  const float *scale = static_cast<const float *>(w[0]);
  const float *offset = static_cast<const float *>(w[1]);
  float *sum = static_cast<float *>(arena);
  for (int64_t i = 0; i < rows; ++i) {
    if (ids[i] < 0) {
      snprintf(ctx->error, static_cast<size_t>(ctx->error_size),
               "fake model: negative id %lld", static_cast<long long>(ids[i]));
      return 1;
    }
    static_cast<int64_t *>(out[1])[i] = ids[i] * 2;
  }
#ifdef KILN_FAKE_REPORT_THREADS
  static_cast<int64_t *>(out[1])[1] = ctx->num_threads;
#endif
  for (int64_t i = 0; i < rows * 3; ++i)
    sum[i] = x[i] * scale[i % 3] + offset[i % 3];
  kiln::Status status = kiln::cpu::softmax(
      kiln::TensorView{sum, kiln::DType::Float, 2, {rows, 3}},
      kiln::TensorView{out[0], kiln::DType::Float, 2, {rows, 3}}, 1);
  if (!status.ok()) {
    status.copyTo(ctx->error, ctx->error_size);
    return 1;
  }
  return 0;
}

const kiln_entry_desc entries[] = {
    {"main", 2, inputs, 2, outputs, plan, run},
    {"batched", 2, batchedInputs, 2, batchedOutputs, plan, run},
};

const kiln_model_desc description = {KILN_FAKE_ABI_VERSION, KILN_FAKE_TARGET,
                                     2, weights, 2, entries,
                                     {1, 1, 1, 1}, nullptr};

} // namespace

extern "C" const kiln_model_desc *kiln_model_describe(void) {
  return &description;
}
