/* Loads a compiled model whose input "x" is (batch, 4) and output "y" is
   relu(x + b) with b = 0.5, and runs it at batch 2 and 5 in one process
   through the C API, checking every output element. */

#include "runtime/kiln.h"

#include <stdio.h>
#include <stdlib.h>

static int runBatch(kiln_model *model, const kiln_entry *entry,
                    int64_t batch) {
  float x[5 * 4], b[4] = {0.5f, 0.5f, 0.5f, 0.5f}, y[5 * 4];
  for (int64_t i = 0; i < batch * 4; ++i)
    x[i] = (float)(i % 7) - 3.0f;
  const int64_t xShape[] = {batch, 4}, bShape[] = {4};
  const int64_t *inputShapes[] = {xShape, bShape};
  int64_t yShape[2] = {-1, -1};
  int64_t *outputShapes[] = {yShape};
  if (kiln_entry_output_shapes(model, entry, inputShapes, outputShapes) !=
      KILN_OK) {
    fprintf(stderr, "%s\n", kiln_last_error());
    return 1;
  }
  const void *inputs[] = {x, b};
  void *outputs[] = {y};
  const int64_t outputBytes[] = {yShape[0] * yShape[1] * 4};
  if (kiln_entry_run(model, entry, inputs, inputShapes, outputs, outputBytes,
                     NULL) != KILN_OK) {
    fprintf(stderr, "%s\n", kiln_last_error());
    return 1;
  }
  int wrong = 0;
  for (int64_t i = 0; i < batch * 4; ++i) {
    float want = x[i] + 0.5f > 0.0f ? x[i] + 0.5f : 0.0f;
    wrong += y[i] != want;
  }
  printf("batch %lld: y is %lldx%lld, %d wrong\n", (long long)batch,
         (long long)yShape[0], (long long)yShape[1], wrong);
  return wrong != 0;
}

int main(int argc, char **argv) {
  kiln_model *model;
  if (argc != 2 || kiln_model_create(argv[1], &model) != KILN_OK) {
    fprintf(stderr, "%s\n", kiln_last_error());
    return 1;
  }
  const kiln_entry *entry = kiln_model_find_entry(model, "main");
  printf("input x: rank %d, dim 0 is %lld named %s\n",
         kiln_entry_input_rank(entry, 0),
         (long long)kiln_entry_input_shape(entry, 0)[0],
         kiln_entry_input_dim_name(entry, 0, 0));
  int failed = runBatch(model, entry, 2) || runBatch(model, entry, 5);
  kiln_model_destroy(model);
  return failed;
}
