/*===- ModelAbi.h - What a compiled model's code exports ----------*- C -*-===//
 *
 * Codegen writes src/model.cpp (or model.cu), which defines exactly one
 * function, kiln_model_describe(), returning a static description of the
 * model. The runtime (runtime/Model.cpp) loads DIR/libmodel.so, reads the
 * description, reads DIR/weights.safetensors and runs entry points.
 *
 * A model has one or more named entry points, all reading the same
 * weights: "main" for a plain model, or "stage0" .. "stage<pp-1>" for a
 * pipeline-parallel one, where stage s takes the model's inputs and then
 * the outputs of stage s-1, in order, and the last stage returns one
 * micro-batch's rows of the model's outputs (docs/partitioning.md).
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

#define KILN_MODEL_ABI_VERSION 4

typedef struct kiln_io_desc {
  const char *name;
  int32_t dtype; /* ONNX TensorProto.DataType code */
  int32_t rank;
  const int64_t *shape; /* rank dims; -1 for a dynamic dim */
  /* Null, or rank entries: the symbolic name of each dynamic dim, or null
     for a static or anonymous one. Dims of one name are equal in a run. */
  const char *const *dim_names;
} kiln_io_desc;

/* The axes of a partitioned model's device mesh (docs/partitioning.md):
   data parallel, tensor parallel, pipeline stages, and the micro-batches a
   pipeline stage runs one after another. A rank's coordinates are
   rank = (pp_c * dp + dp_c) * tp + tp_c: tensor-parallel peers are
   neighbours, so they share a node where the mesh allows. */
enum {
  KILN_AXIS_DP = 0,
  KILN_AXIS_TP = 1,
  KILN_AXIS_PP = 2,
  KILN_AXIS_MICRO = 3,
  KILN_NUM_AXES = 4
};

typedef struct kiln_exec_context kiln_exec_context;

/* One kernel call site of an entry's generated code: a kernel.elementwise,
   kernel.matmul, kernel.library_call, collective or copy (docs/profiling.md).
   Both strings are literals of the generated code. */
typedef struct kiln_kernel_site {
  const char *kind; /* "elementwise", "matmul", "conv", "softmax",
                       "all_reduce", "copy", ...: the op or library callee */
  const char *name; /* the op's location: its ONNX node name, or
                       file:line:col; "" if it has none */
} kiln_kernel_site;

/* The profiler a run reports to (ctx->profiler). When it is set, generated
   code calls `mark` just before each kernel site runs, with the site's
   index in its entry's `sites`, the bytes of the buffers the kernel reads
   and writes and its floating-point operations (2*M*N*K per matmul,
   2*N*OC*OH*OW*(IC/group)*KH*KW per conv, 0 for other kernels), and once
   more with site -1 when the run ends: a site's call lasts from its mark
   to the next one. On the CUDA target generated code synchronizes the
   stream before each mark, so the interval is the kernel's device time.
   When ctx->profiler is null a site costs one test of a local pointer. */
typedef struct kiln_profiler kiln_profiler;
struct kiln_profiler {
  void (*mark)(kiln_profiler *self, int32_t site, double bytes, double flops);
};

/* The collectives a partitioned model's code calls; the runtime implements
   them (MPI between processes, NCCL between GPUs). `axis` names a group:
   the ranks whose coordinates differ from this rank's only on that axis,
   ordered by their coordinate on it. Buffers are host memory on the CPU
   target and device memory on the CUDA target. Each returns 0, or non-zero
   after writing a message into ctx->error. */
typedef struct kiln_collectives {
  /* out[i] = the sum over the group of in[i]; `count` elements of ONNX
     dtype `dtype`. in == out is allowed. */
  int (*all_reduce)(kiln_exec_context *ctx, int32_t axis, int32_t dtype,
                    const void *in, void *out, int64_t count);
  /* out = the group's `in` blocks of `bytes` bytes each, one after another
     in coordinate order (group size * bytes in all). */
  int (*all_gather)(kiln_exec_context *ctx, int32_t axis, const void *in,
                    void *out, int64_t bytes);
} kiln_collectives;

/* What the runtime hands to `plan` and `run`: how and where to execute. */
struct kiln_exec_context {
  int32_t num_threads; /* CPU target: worker threads for parallel loops */
  int32_t rank;        /* this process's rank in a partitioned run; 0 */
  int32_t world_size;  /* ranks of a partitioned run; 1 */
  int32_t device;      /* CUDA target: device ordinal; -1 on the CPU */
  void *cuda_stream;   /* CUDA target: cudaStream_t */
  void *cublas_handle; /* CUDA target: cublasHandle_t */
  /* This rank's coordinate on each mesh axis (KILN_AXIS_MICRO: the
     micro-batch being run); all 0 in a plain run. */
  int32_t coords[KILN_NUM_AXES];
  /* A partitioned run's collectives; null otherwise. */
  const kiln_collectives *collectives;
  void *communicator; /* the runtime's own state behind `collectives` */
  char *error;        /* a failing call writes a one-line message here */
  int32_t error_size;
  /* Null, or where `run` reports its kernel calls (kiln_profiler). */
  kiln_profiler *profiler;
};

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
  /* The kernel sites of `run`, which ctx->profiler's marks index. */
  int32_t num_sites;
  const kiln_kernel_site *sites;
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
  /* The mesh a partitioned model was compiled for: the size of each axis
     (KILN_AXIS_*); all 1 for a plain model, which runs on one rank. */
  int32_t mesh[KILN_NUM_AXES];
  /* Null, or num_weights entries: the axis a weight is split over, or -1
     for a weight every rank holds whole. A split weight is stored once per
     coordinate c on its axis, as the tensor "<name>@<c>" of the declared
     (per-rank) shape, and a rank reads only its own. */
  const int32_t *weight_split_axes;
} kiln_model_desc;

const kiln_model_desc *kiln_model_describe(void);

#ifdef __cplusplus
}
#endif

#endif /* KILN_RUNTIME_MODELABI_H */
