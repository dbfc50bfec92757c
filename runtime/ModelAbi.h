/*===- ModelAbi.h - What a compiled model's code exports ----------*- C -*-===//
 *
 * Codegen writes src/model.cpp (or model.cu), which defines exactly one
 * function, kiln_model_describe(), returning a static description of the
 * model. The runtime (runtime/Model.cpp) loads DIR/libmodel.so, reads the
 * description, maps DIR/weights.safetensors, allocates the arena, and calls
 * `run`. Dtype codes are ONNX's TensorProto codes.
 *
 *===----------------------------------------------------------------------===*/

#ifndef KILN_RUNTIME_MODELABI_H
#define KILN_RUNTIME_MODELABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KILN_MODEL_ABI_VERSION 1

typedef struct kiln_io_desc {
  const char *name;
  int32_t dtype; /* ONNX TensorProto.DataType code */
  int32_t rank;
  const int64_t *shape;
} kiln_io_desc;

/* What the runtime hands to `run`: where things live, and how to execute. */
typedef struct kiln_exec_context {
  int32_t num_threads;  /* CPU target: worker threads for parallel loops */
  void *cuda_stream;    /* CUDA target: cudaStream_t */
  void *cublas_handle;  /* CUDA target: cublasHandle_t */
  char *error;          /* a failing `run` writes a one-line message here */
  int32_t error_size;
} kiln_exec_context;

typedef struct kiln_model_desc {
  int32_t abi_version; /* KILN_MODEL_ABI_VERSION */
  const char *target;  /* "cpu" or "cuda" */
  int32_t num_inputs;
  const kiln_io_desc *inputs;
  int32_t num_outputs;
  const kiln_io_desc *outputs;
  /* Weights, by their names in weights.safetensors, in the order `run`
     receives them. */
  int32_t num_weights;
  const kiln_io_desc *weights;
  int64_t arena_bytes; /* scratch memory `run` needs, 64-byte aligned */
  /* Runs the model once. Pointers are host memory on the CPU target and
     device memory on the CUDA target. Returns 0, or non-zero after writing
     a message into ctx->error. */
  int (*run)(kiln_exec_context *ctx, void *const *weights, void *arena,
             const void *const *inputs, void *const *outputs);
} kiln_model_desc;

const kiln_model_desc *kiln_model_describe(void);

#ifdef __cplusplus
}
#endif

#endif /* KILN_RUNTIME_MODELABI_H */
