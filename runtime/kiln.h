/*===- kiln.h - The C API of the Kiln runtime ---------------------*- C -*-===//
 *
 * Loads a compiled model directory (libmodel.so + weights.safetensors) and
 * runs it on host buffers:
 *
 *   kiln_model *model;
 *   if (kiln_model_create("out/resnet", &model) != KILN_OK) {
 *     fprintf(stderr, "%s\n", kiln_last_error());
 *     return 1;
 *   }
 *   const kiln_entry *main = kiln_model_entry(model, 0);
 *   const int64_t x_shape[] = {8, 3, 224, 224};   // batch 8
 *   const int64_t *input_shapes[] = {x_shape};
 *   int64_t y_shape[2];
 *   int64_t *output_shapes[] = {y_shape};
 *   kiln_entry_output_shapes(model, main, input_shapes, output_shapes);
 *   ... allocate y for y_shape ...
 *   kiln_entry_run(model, main, inputs, input_shapes, outputs, output_bytes);
 *   kiln_model_destroy(model);
 *
 * A model has one or more named entry points (a plain model one, "main");
 * each declares its inputs and outputs with a dtype, a rank and dims, where
 * -1 marks a dynamic dim (named or not). A run gives every input's shape;
 * the runtime checks it against the declaration (a dim of one name must
 * agree across inputs) and the model's own rules, and reports the output
 * shapes. The kiln_model_* shorthands work on the first entry.
 *
 * Every call that can fail returns KILN_OK or KILN_ERROR; after an error,
 * kiln_last_error() holds a one-line message for the calling thread. Input
 * and output buffers are host memory, dense row-major, in the declared
 * dtypes (ONNX dtype codes); a CUDA model copies them to and from the
 * device.
 *
 *===----------------------------------------------------------------------===*/

#ifndef KILN_RUNTIME_KILN_H
#define KILN_RUNTIME_KILN_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kiln_status { KILN_OK = 0, KILN_ERROR = 1 } kiln_status;

typedef struct kiln_model kiln_model;

/* The message of the last failing call on this thread ("" if none). */
const char *kiln_last_error(void);

/* Loads DIR/libmodel.so and DIR/weights.safetensors. */
kiln_status kiln_model_create(const char *dir, kiln_model **out);
void kiln_model_destroy(kiln_model *model);

/* Runs the first entry once with the shapes it declares, which must all be
   static. inputs[i] and outputs[i] follow the declared order. Runs may
   overlap: on the CPU each concurrent run of a model gets an arena of its
   own (kept for later runs); on CUDA concurrent runs of one model take
   turns. */
kiln_status kiln_model_run(kiln_model *model, const void *const *inputs,
                           void *const *outputs);

/* Worker threads of this model's runs on the CPU target; <= 0 means one per
   core. Other models keep their own. */
kiln_status kiln_model_set_threads(kiln_model *model, int32_t num_threads);

/* "cpu" or "cuda". */
const char *kiln_model_target(const kiln_model *model);

/* Partitioned models (docs/partitioning.md). A model compiled for a
   mesh of dp * tp * pp > 1 ranks runs under `mpirun -np <ranks>`, one
   process per rank (and per GPU): kiln_model_create fails unless the MPI
   world has exactly that many ranks, and every rank then makes the same
   calls with the same full inputs and receives the full outputs. A plain
   model runs as before, on rank 0 of a world of 1. */

/* This process's rank in the model's mesh (0 for a plain model), the
   mesh's rank count (1), and the size of mesh axis 0 dp, 1 tp, 2 pp or
   3 micro-batches (0 for another axis). */
int32_t kiln_model_rank(const kiln_model *model);
int32_t kiln_model_world_size(const kiln_model *model);
int32_t kiln_model_mesh(const kiln_model *model, int32_t axis);

/* How the CPU target's collectives move data: "library" (MPI's own, the
   default), "ring" (reduce-scatter and all-gather around a ring) or "ps"
   (a parameter server at coordinate 0 of each group). Every rank must
   choose the same. A CUDA model's collectives are NCCL's and take only
   "library". No effect on a plain model. */
kiln_status kiln_model_set_collectives(kiln_model *model,
                                       const char *algorithm);

/* What this rank counted for one (collective, axis, algorithm). */
typedef struct kiln_collective_profile {
  const char *collective; /* "all_reduce", "all_gather", "broadcast", ... */
  int32_t axis;           /* 0 dp, 1 tp, 2 pp, -1 every rank */
  const char *algorithm;  /* "library", "ring", "ps" or "nccl" */
  int32_t group_size;     /* ranks in the group */
  int64_t calls;
  int64_t payload_bytes;  /* summed over calls: all_reduce's buffer,
                             all_gather's block */
  int64_t bytes_sent;     /* this rank's traffic; for "library" and
                             "nccl", the payload in and the result out */
  int64_t bytes_received;
  double seconds;         /* wall time in the calls */
} kiln_collective_profile;

/* Writes up to `capacity` rows of this rank's counters into `rows` and
   returns how many there are (0 for a plain model). */
int32_t kiln_model_collective_profile(kiln_model *model,
                                      kiln_collective_profile *rows,
                                      int32_t capacity);

/* Zeroes this rank's counters (after warm-up runs, say). */
void kiln_model_reset_collective_profile(kiln_model *model);

/* The kernel profile (docs/profiling.md). While it is on, every run
   times each kernel call of the generated code (a kernel site: an
   elementwise kernel, a matmul, a library call such as conv or softmax, a
   collective, a copy) with the bytes it moves and the floating-point
   operations it does; off (the default), a site costs one branch. A CUDA
   run then synchronizes its stream at each site. */
kiln_status kiln_model_set_kernel_profiling(kiln_model *model,
                                            int32_t enabled);

/* What one kernel site added up to over the runs since the last reset. */
typedef struct kiln_kernel_profile {
  const char *entry; /* the entry point's name */
  int32_t site;      /* the site's index in its entry */
  const char *kind;  /* "matmul", "conv", "elementwise", "all_reduce", ... */
  const char *name;  /* the op's node name or location; "" if none */
  int64_t calls;
  double seconds;
  double bytes; /* summed over calls: the buffers read and written */
  double flops; /* summed over calls; 0 for kernels other than matmul and
                   conv */
} kiln_kernel_profile;

/* Writes up to `capacity` rows, one per site called since the last reset,
   by entry and site, and returns how many there are. */
int32_t kiln_model_kernel_profile(kiln_model *model, kiln_kernel_profile *rows,
                                  int32_t capacity);

/* One kernel call of the last profiled run. */
typedef struct kiln_kernel_event {
  const char *entry;
  int32_t site;
  const char *kind;
  const char *name;
  int64_t start_ns; /* steady clock */
  int64_t end_ns;
  double bytes;
  double flops;
} kiln_kernel_event;

/* Writes up to `capacity` calls of the last profiled run (every stage and
   micro-batch of a pipeline run on this rank), in order, and returns how
   many there are. */
int32_t kiln_model_kernel_events(kiln_model *model, kiln_kernel_event *events,
                                 int32_t capacity);

/* Zeroes the kernel profile and forgets the last run's calls. */
void kiln_model_reset_kernel_profile(kiln_model *model);

/* The first entry's inputs and outputs; a dim of -1 is dynamic. */
int32_t kiln_model_num_inputs(const kiln_model *model);
const char *kiln_model_input_name(const kiln_model *model, int32_t i);
int32_t kiln_model_input_dtype(const kiln_model *model, int32_t i);
int32_t kiln_model_input_rank(const kiln_model *model, int32_t i);
const int64_t *kiln_model_input_shape(const kiln_model *model, int32_t i);

int32_t kiln_model_num_outputs(const kiln_model *model);
const char *kiln_model_output_name(const kiln_model *model, int32_t i);
int32_t kiln_model_output_dtype(const kiln_model *model, int32_t i);
int32_t kiln_model_output_rank(const kiln_model *model, int32_t i);
const int64_t *kiln_model_output_shape(const kiln_model *model, int32_t i);

/* Entry points. */
typedef struct kiln_entry kiln_entry;

int32_t kiln_model_num_entries(const kiln_model *model);
/* Null when `index` is out of range. */
const kiln_entry *kiln_model_entry(const kiln_model *model, int32_t index);
/* Null when the model has no entry of that name. */
const kiln_entry *kiln_model_find_entry(const kiln_model *model,
                                        const char *name);
const char *kiln_entry_name(const kiln_entry *entry);

int32_t kiln_entry_num_inputs(const kiln_entry *entry);
const char *kiln_entry_input_name(const kiln_entry *entry, int32_t i);
int32_t kiln_entry_input_dtype(const kiln_entry *entry, int32_t i);
int32_t kiln_entry_input_rank(const kiln_entry *entry, int32_t i);
const int64_t *kiln_entry_input_shape(const kiln_entry *entry, int32_t i);
/* The symbolic name of dynamic dim `dim` of input i; null if none. */
const char *kiln_entry_input_dim_name(const kiln_entry *entry, int32_t i,
                                      int32_t dim);

int32_t kiln_entry_num_outputs(const kiln_entry *entry);
const char *kiln_entry_output_name(const kiln_entry *entry, int32_t i);
int32_t kiln_entry_output_dtype(const kiln_entry *entry, int32_t i);
int32_t kiln_entry_output_rank(const kiln_entry *entry, int32_t i);
const int64_t *kiln_entry_output_shape(const kiln_entry *entry, int32_t i);
const char *kiln_entry_output_dim_name(const kiln_entry *entry, int32_t i,
                                       int32_t dim);

/* The output shapes a run with these input shapes produces (for
   allocating outputs before running). input_shapes[i] holds input i's rank
   dims; output_shapes[i] receives output i's. */
kiln_status kiln_entry_output_shapes(kiln_model *model,
                                     const kiln_entry *entry,
                                     const int64_t *const *input_shapes,
                                     int64_t *const *output_shapes);

/* Runs `entry` once on inputs of the given shapes. outputs[i] holds
   output_bytes[i] bytes, which must be at least what its shape needs
   (kiln_entry_output_shapes); output_shapes, if not null, receives the
   output shapes. */
kiln_status kiln_entry_run(kiln_model *model, const kiln_entry *entry,
                           const void *const *inputs,
                           const int64_t *const *input_shapes,
                           void *const *outputs, const int64_t *output_bytes,
                           int64_t *const *output_shapes);

#ifdef __cplusplus
}
#endif

#endif /* KILN_RUNTIME_KILN_H */
