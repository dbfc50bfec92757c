/*===- ModelAbi.h - What a compiled model's code exports ----------*- C -*-===//
 *
 * Codegen writes src/model.cpp (or model.cu), which defines exactly one
 * function, kiln_model_describe(), returning a static description of the
 * model. The runtime (runtime/Model.cpp) loads DIR/libmodel.so, reads the
 * description, reads DIR/weights.safetensors and runs entry points.
 *
 * A model has one or more named entry points ("main" for a plain model;
 * later one per pipeline stage or rank role), all reading the same weights.
 * An entry's inputs and outputs have ranks fixed at compile time; a dim of
 * -1 is dynamic, named by the model (`batch`) or anonymous. Before a run
 * the runtime checks the input shapes against the declaration (ranks,
 * static dims, dims of one name agreeing), then asks the entry's `plan`
 * for the output shapes and the scratch bytes of those input shapes, and
 * calls `run` with buffers of those sizes.
 *
 * Dtype codes are ONNX's TensorProto codes (kernels/common/DTypes.def).
 *
 *===----------------------------------------------------------------------===*/

#ifndef KILN_RUNTIME_MODELABI_H
#define KILN_RUNTIME_MODELABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KILN_MODEL_ABI_VERSION 2

typedef struct kiln_io_desc {
  const char *name;
  int32_t dtype; /* ONNX TensorProto.DataType code */
  int32_t rank;
  const int64_t *shape; /* rank dims; -1 for a dynamic dim */
  /* Null, or rank entries: the symbolic name of each dynamic dim, or null
     for a static or anonymous one. Dims of one name are equal in a run. */
  const char *const *dim_names;
} kiln_io_desc;

/* What the runtime hands to `plan` and `run`: how and where to execute. */
typedef struct kiln_exec_context {
  int32_t num_threads; /* CPU target: worker threads for parallel loops */
  int32_t rank;        /* this process's rank in a partitioned run; 0 */
  int32_t world_size;  /* ranks of a partitioned run; 1 */
  int32_t device;      /* CUDA target: device ordinal; -1 on the CPU */
  void *cuda_stream;   /* CUDA target: cudaStream_t */
  void *cublas_handle; /* CUDA target: cublasHandle_t */
  void *communicator;  /* a partitioned run's communicator; null otherwise */
  char *error;         /* a failing call writes a one-line message here */
  int32_t error_size;
} kiln_exec_context;

typedef struct kiln_entry_desc {
  const char *name;
  int32_t num_inputs;
  const kiln_io_desc *inputs;
  int32_t num_outputs;
  const kiln_io_desc *outputs;
  /* From input shapes that the runtime has checked against `inputs`
     (input_shapes[i] holds inputs[i].rank dims), writes each output's
     shape into output_shapes[i] (outputs[i].rank dims) and the bytes of
     scratch memory a run needs, 64-byte aligned, into *arena_bytes.
     Returns 0, or non-zero after writing a message into ctx->error (a
     shape the model cannot take). */
  int (*plan)(kiln_exec_context *ctx, const int64_t *const *input_shapes,
              int64_t *const *output_shapes, int64_t *arena_bytes);
  /* Runs the entry on inputs of shapes `plan` accepted, an arena of the
     bytes it asked for and outputs of the shapes it reported. Pointers are
     host memory on the CPU target and device memory on the CUDA target.
     Returns 0, or non-zero after writing a message into ctx->error. */
  int (*run)(kiln_exec_context *ctx, void *const *weights, void *arena,
             const void *const *inputs, const int64_t *const *input_shapes,
             void *const *outputs);
} kiln_entry_desc;

typedef struct kiln_model_desc {
  int32_t abi_version; /* KILN_MODEL_ABI_VERSION */
  const char *target;  /* "cpu" or "cuda" */
  /* Weights, by their names in weights.safetensors, in the order `run`
     receives them; their shapes are static. */
  int32_t num_weights;
  const kiln_io_desc *weights;
  int32_t num_entries;
  const kiln_entry_desc *entries;
} kiln_model_desc;

const kiln_model_desc *kiln_model_describe(void);

#ifdef __cplusplus
}
#endif

#endif /* KILN_RUNTIME_MODELABI_H */
