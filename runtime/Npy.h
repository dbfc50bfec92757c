//===- Npy.h - Reading and writing NumPy .npy files -------------*- C++ -*-===//
//
// Format versions 1.0, 2.0 and 3.0; little-endian, C order; dtypes float32,
// float16, float64, int64, int32, int16, int8, uint8, uint16, uint32, uint64
// and bool. The dtypes numpy lacks are stored as their bits: bfloat16 as
// uint16, float8, float4 and the 4- and 2-bit integers as uint8, one element
// per byte; a reader of such a file learns its dtype elsewhere. Errors are
// returned as strings (empty on success) naming the file and what is wrong with
// it.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_NPY_H
#define KILN_RUNTIME_NPY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <functional>
#include <string>
#include <vector>

namespace kiln {

struct NpyArray {
  int32_t dtype = 0; // ONNX TensorProto.DataType code
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;

  int64_t numElements() const;
};

/// Checks a header (dtype and shape of `array`, no data yet); returns "" or
/// why the array is not wanted.
using NpyHeaderCheck = std::function<std::string(const NpyArray &array)>;

/// Reads `path` into `array`. Only what the header promises is read, after
/// `checkHeader` (when given) accepted it, so a device, a pipe or a lying
/// header cannot make the reader run on or exhaust memory. Returns "" or an
/// error.
std::string readNpy(const std::string &path, NpyArray &array,
                    const NpyHeaderCheck &checkHeader = nullptr);

/// readNpy from an open stream; `path` only names it in errors.
std::string readNpyStream(const std::string &path, FILE *file, NpyArray &array,
                          const NpyHeaderCheck &checkHeader = nullptr);

/// readNpy over an in-memory .npy image; `path` only names it in errors.
std::string parseNpy(const std::string &path, const uint8_t *bytes, size_t size,
                     NpyArray &array);

/// The dtype a .npy file of `dtype` is read back as: `dtype` itself, or
/// the unsigned integer its bits are stored as (uint16 for bfloat16).
int32_t npyStorageDType(int32_t dtype);

/// Writes a .npy (version 1.0) atomically. `data` holds the elements of
/// `shape` in C order.
std::string writeNpy(const std::string &path, int32_t dtype,
                     const std::vector<int64_t> &shape, const void *data,
                     size_t bytes);

} // namespace kiln

#endif // KILN_RUNTIME_NPY_H
