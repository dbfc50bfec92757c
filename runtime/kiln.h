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
 *   kiln_model_run(model, inputs, outputs);
 *   kiln_model_destroy(model);
 *
 * Every call that can fail returns KILN_OK or KILN_ERROR; after an error,
 * kiln_last_error() holds a one-line message for the calling thread. Input
 * and output buffers are host memory, dense row-major, in the dtype and shape
 * the model declares (ONNX dtype codes); a CUDA model copies them to and
 * from the device.
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

/* Runs the model once. inputs[i] and outputs[i] follow the declared order.
   Runs may overlap: on the CPU each concurrent run of a model gets an arena
   of its own (kept for later runs); on CUDA concurrent runs of one model
   take turns. */
kiln_status kiln_model_run(kiln_model *model, const void *const *inputs,
                           void *const *outputs);

/* Worker threads of this model's runs on the CPU target; <= 0 means one per
   core. Other models keep their own. */
kiln_status kiln_model_set_threads(kiln_model *model, int32_t num_threads);

/* "cpu" or "cuda". */
const char *kiln_model_target(const kiln_model *model);

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

#ifdef __cplusplus
}
#endif

#endif /* KILN_RUNTIME_KILN_H */
