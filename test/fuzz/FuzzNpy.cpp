//===- FuzzNpy.cpp - libFuzzer target: the .npy reader --------------------===//
//
// Each input is a .npy file, read by the stream reader that kiln-run and
// --bind use (parseNpy runs it over the bytes); an accepted array must hold
// exactly what its dtype and shape give.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Tensor.h"
#include "runtime/Npy.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  kiln::NpyArray array;
  if (!kiln::parseNpy("fuzz.npy", data, size, array).empty())
    return 0;
  uint64_t expected = static_cast<uint64_t>(array.numElements()) *
                      kiln::dtypeSize(array.dtype);
  if (expected != array.data.size())
    abort();
  return 0;
}
