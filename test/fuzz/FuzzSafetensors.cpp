//===- FuzzSafetensors.cpp - libFuzzer target: the safetensors reader -----===//
//
// Each input is a weights file; every tensor the reader accepts must lie
// inside the file with the size its dtype and shape give (read here, so
// that ASan sees any byte outside).
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Tensor.h"
#include "runtime/Safetensors.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  kiln::SafetensorsFile file;
  if (!file.parse("fuzz.safetensors", data, size).empty())
    return 0;
  for (const auto &[name, tensor] : file.tensors()) {
    int64_t elements = 1;
    for (int64_t dim : tensor.shape)
      elements *= dim;
    if (static_cast<uint64_t>(elements) * kiln::dtypeSize(tensor.dtype) !=
        tensor.bytes)
      abort();
    volatile uint8_t sum = 0;
    for (size_t i = 0; i < tensor.bytes; ++i)
      sum += tensor.data[i];
  }
  return 0;
}
