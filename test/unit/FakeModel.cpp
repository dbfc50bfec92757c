//===- FakeModel.cpp - A hand-written model for the runtime tests ---------===//
//
// What codegen would emit for
//
//   probs = softmax(x * scale + offset, axis 1)    x: (2, 3) f32
//   ids:doubled = ids * 2                          ids: (2) i64
//
// with the sum held in the arena. A negative id makes `run` fail. The ABI
// version and target can be overridden at compile time to build broken
// variants; KILN_FAKE_REPORT_THREADS makes ids:doubled[1] the run's thread
// count.
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
const int64_t paramShape[] = {3};

const kiln_io_desc inputs[] = {{"x", kiln::DType::Float, 2, xShape},
                               {"ids", kiln::DType::Int64, 1, idsShape}};
const kiln_io_desc outputs[] = {
    {"probs", kiln::DType::Float, 2, xShape},
    {"ids:doubled", kiln::DType::Int64, 1, idsShape}};
const kiln_io_desc weights[] = {{"scale", kiln::DType::Float, 1, paramShape},
                                {"offset", kiln::DType::Float, 1, paramShape}};

int run(kiln_exec_context *ctx, void *const *w, void *arena,
        const void *const *in, void *const *out) {
  const float *x = static_cast<const float *>(in[0]);
  const int64_t *ids = static_cast<const int64_t *>(in[1]);
  const float *scale = static_cast<const float *>(w[0]);
  const float *offset = static_cast<const float *>(w[1]);
  float *sum = static_cast<float *>(arena);
  for (int i = 0; i < 2; ++i) {
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
  for (int i = 0; i < 6; ++i)
    sum[i] = x[i] * scale[i % 3] + offset[i % 3];
  kiln::Status status = kiln::cpu::softmax(
      kiln::TensorView{sum, kiln::DType::Float, 2, {2, 3}},
      kiln::TensorView{out[0], kiln::DType::Float, 2, {2, 3}}, 1);
  if (!status.ok()) {
    status.copyTo(ctx->error, ctx->error_size);
    return 1;
  }
  return 0;
}

const kiln_model_desc description = {KILN_FAKE_ABI_VERSION,
                                     KILN_FAKE_TARGET,
                                     2,
                                     inputs,
                                     2,
                                     outputs,
                                     2,
                                     weights,
                                     64,
                                     run};

} // namespace

extern "C" const kiln_model_desc *kiln_model_describe(void) {
  return &description;
}
