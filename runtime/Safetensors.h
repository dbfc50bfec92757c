//===- Safetensors.h - Reading and writing .safetensors files ---*- C++ -*-===//
//
// The format: an 8-byte little-endian header length N, N bytes of JSON
// mapping each tensor name to {"dtype", "shape", "data_offsets": [begin,
// end]} (offsets relative to the data section), then the data. The writer
// pads the header with spaces so the data starts 64-byte aligned and puts
// wider elements first, so every tensor is aligned to its element size.
//
// Errors are returned as strings (empty on success) naming the file and the
// field.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_SAFETENSORS_H
#define KILN_RUNTIME_SAFETENSORS_H

#include <stddef.h>
#include <stdint.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace kiln {

/// One tensor to write.
struct SafetensorsEntry {
  std::string name;
  int32_t dtype; // ONNX TensorProto.DataType code
  std::vector<int64_t> shape;
  const void *data;
  size_t bytes;
};

/// Writes `entries` to `path` through a temporary file renamed into place,
/// so a failed write leaves nothing behind. Returns "" or an error.
std::string writeSafetensors(const std::string &path,
                             const std::vector<SafetensorsEntry> &entries);

/// One tensor of a read file; `data` points into the file's contents.
struct SafetensorsTensor {
  int32_t dtype;
  std::vector<int64_t> shape;
  const uint8_t *data;
  size_t bytes;
};

/// A .safetensors file read into memory (a copy, not a mapping: a file
/// truncated under a loaded model is no SIGBUS).
class SafetensorsFile {
public:
  SafetensorsFile() = default;
  SafetensorsFile(const SafetensorsFile &) = delete;
  SafetensorsFile &operator=(const SafetensorsFile &) = delete;
  ~SafetensorsFile();

  /// Reads and validates `path`. Returns "" or an error.
  std::string open(const std::string &path);
  /// Validates an in-memory image of a file (copied); `name` names it in
  /// errors.
  std::string parse(const std::string &name, const void *bytes, size_t size);

  const std::map<std::string, SafetensorsTensor> &tensors() const {
    return tensors_;
  }
  /// The tensor called `name`, or null.
  const SafetensorsTensor *find(const std::string &name) const;
  const std::string &path() const { return path_; }

private:
  /// Allocates `size` bytes, has `fill` write the file's bytes into them,
  /// and validates them.
  std::string load(const std::string &name, size_t size,
                   const std::function<std::string(void *, size_t)> &fill);

  std::string path_;
  void *contents_ = nullptr; // 64-byte aligned

  std::map<std::string, SafetensorsTensor> tensors_;
};

/// The safetensors dtype name ("F32") of an ONNX dtype; null if none.
const char *safetensorsDtypeName(int32_t dtype);
/// The ONNX dtype of a safetensors dtype name; 0 if unknown.
int32_t parseSafetensorsDtype(const std::string &name);

} // namespace kiln

#endif // KILN_RUNTIME_SAFETENSORS_H
