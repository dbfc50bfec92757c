//===- FuzzNpy.cpp - libFuzzer target: the .npy readers -------------------===//
//
// Each input is a .npy file, read both from memory (parseNpy) and as a
// stream (readNpyStream, what kiln-run and --bind use); the two must agree,
// and an accepted array must hold exactly what its dtype and shape give.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Tensor.h"
#include "runtime/Npy.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  kiln::NpyArray parsed, streamed;
  bool parsedOk = kiln::parseNpy("fuzz.npy", data, size, parsed).empty();
  bool streamedOk = false;
  if (size > 0) {
    FILE *stream = fmemopen(const_cast<uint8_t *>(data), size, "rb");
    if (!stream)
      return 0;
    streamedOk = kiln::readNpyStream("fuzz.npy", stream, streamed).empty();
    fclose(stream);
  }
  if (parsedOk != streamedOk)
    abort();
  if (!parsedOk)
    return 0;
  if (parsed.dtype != streamed.dtype || parsed.shape != streamed.shape ||
      parsed.data != streamed.data)
    abort();
  uint64_t expected = static_cast<uint64_t>(parsed.numElements()) *
                      kiln::dtypeSize(parsed.dtype);
  if (expected != parsed.data.size())
    abort();
  return 0;
}
