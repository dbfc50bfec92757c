//===- Safetensors.cpp - Reading .safetensors files ----------------------===//
//
// Copies the file into memory, parses the JSON header and checks every
// entry: a known dtype, a shape of non-negative dims whose size is
// representable, offsets inside the data section whose length matches the
// shape and dtype.
//
//===----------------------------------------------------------------------===//

#include "runtime/Safetensors.h"

#include "kernels/common/Checked.h"
#include "kernels/common/Tensor.h"
#include "runtime/RegularFile.h"

#include <nlohmann/json.hpp>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

namespace kiln {

// The format's own bound on the JSON header.
static constexpr uint64_t kMaxHeaderBytes = 100 * 1000 * 1000;

const char *safetensorsDtypeName(int32_t dtype) {
  switch (dtype) {
#define KILN_DTYPE(Name, Code, CType, Bytes, Numpy, NpyCode, Safetensors, ...)  \
  case Code:                                                                   \
    return Safetensors;
#include "kernels/common/DTypes.def"
  default:
    return nullptr;
  }
}

int32_t parseSafetensorsDtype(const std::string &name) {
#define KILN_DTYPE(Name, Code, CType, Bytes, Numpy, NpyCode, Safetensors, ...)  \
  if (name == Safetensors)                                                     \
    return Code;
#include "kernels/common/DTypes.def"
  return 0;
}

SafetensorsFile::~SafetensorsFile() { free(contents_); }

const SafetensorsTensor *SafetensorsFile::find(const std::string &name) const {
  auto it = tensors_.find(name);
  return it == tensors_.end() ? nullptr : &it->second;
}

/// Checks one header entry and adds it to `tensors`.
static std::string parseEntry(const std::string &name,
                              const nlohmann::json &entry, const uint8_t *data,
                              uint64_t dataSize,
                              std::map<std::string, SafetensorsTensor> &out) {
  std::string where = "tensor '" + name + "'";
  if (!entry.is_object())
    return where + " is not an object";
  auto dtypeIt = entry.find("dtype");
  if (dtypeIt == entry.end() || !dtypeIt->is_string())
    return where + ": missing string field 'dtype'";
  SafetensorsTensor tensor;
  tensor.dtype = parseSafetensorsDtype(dtypeIt->get<std::string>());
  if (!tensor.dtype)
    return where + ": unknown dtype '" + dtypeIt->get<std::string>() + "'";
  auto shapeIt = entry.find("shape");
  if (shapeIt == entry.end() || !shapeIt->is_array())
    return where + ": missing array field 'shape'";
  for (const nlohmann::json &dim : *shapeIt) {
    if (!dim.is_number_unsigned())
      return where + ": field 'shape' holds a non-integer or negative dim";
    uint64_t value = dim.get<uint64_t>();
    if (value > static_cast<uint64_t>(kMaxTensorBytes))
      return where + ": field 'shape' is too large";
    tensor.shape.push_back(static_cast<int64_t>(value));
    if (tensor.shape.size() > static_cast<size_t>(kMaxRank))
      return where + ": field 'shape' has rank above 8";
  }
  int64_t byteSize;
  if (!checkedByteSize(tensor.shape.data(),
                       static_cast<int64_t>(tensor.shape.size()),
                       dtypeSize(tensor.dtype), byteSize))
    return where + ": field 'shape' is too large";
  auto offsetsIt = entry.find("data_offsets");
  if (offsetsIt == entry.end() || !offsetsIt->is_array() ||
      offsetsIt->size() != 2 || !(*offsetsIt)[0].is_number_unsigned() ||
      !(*offsetsIt)[1].is_number_unsigned())
    return where + ": field 'data_offsets' is not two unsigned integers";
  uint64_t begin = (*offsetsIt)[0].get<uint64_t>();
  uint64_t end = (*offsetsIt)[1].get<uint64_t>();
  if (begin > end || end > dataSize)
    return where + ": field 'data_offsets' [" + std::to_string(begin) + ", " +
           std::to_string(end) + "] is outside the data section of " +
           std::to_string(dataSize) + " bytes";
  uint64_t expected = static_cast<uint64_t>(byteSize);
  if (end - begin != expected)
    return where + ": field 'data_offsets' spans " +
           std::to_string(end - begin) + " bytes, but dtype and shape need " +
           std::to_string(expected);
  tensor.data = data + begin;
  tensor.bytes = static_cast<size_t>(end - begin);
  out.emplace(name, std::move(tensor));
  return "";
}

std::string SafetensorsFile::open(const std::string &path) {
  RegularFile file;
  std::string message = file.open(path);
  if (!message.empty())
    return message;
  if (file.size() > static_cast<uint64_t>(SIZE_MAX / 2))
    return "'" + path + "': file too large";
  // The file is copied, not mapped: truncating it under a loaded model must
  // not kill the process with SIGBUS.
  return load(path, static_cast<size_t>(file.size()),
              [&](void *contents, size_t size) {
                return file.readAt(0, contents, size);
              });
}

std::string SafetensorsFile::parse(const std::string &name, const void *bytes,
                                   size_t size) {
  return load(name, size, [&](void *contents, size_t n) {
    if (n)
      memcpy(contents, bytes, n);
    return std::string();
  });
}

std::string SafetensorsFile::load(
    const std::string &name, size_t size,
    const std::function<std::string(void *, size_t)> &fill) {
  free(contents_);
  contents_ = nullptr;
  tensors_.clear();
  path_ = name;
  auto error = [&](const std::string &message) {
    return "'" + name + "': " + message;
  };
  if (size < 8)
    return error("file of " + std::to_string(size) +
                 " bytes is too short for the 8-byte header length");
  // The writer aligns the data section to 64 bytes in the file, and so is
  // it in this copy.
  contents_ = aligned_alloc(64, (size + 63) / 64 * 64);
  if (!contents_)
    return error("cannot allocate " + std::to_string(size) + " bytes");
  std::string message = fill(contents_, size);
  if (!message.empty())
    return message;
  const uint8_t *bytes = static_cast<const uint8_t *>(contents_);
  uint64_t headerSize = 0;
  for (int i = 7; i >= 0; --i)
    headerSize = (headerSize << 8) | bytes[i];
  if (headerSize > kMaxHeaderBytes)
    return error("header length " + std::to_string(headerSize) +
                 " (bytes 0-7) is above the format's limit of 100 MB");
  if (headerSize > size - 8)
    return error("header length " + std::to_string(headerSize) +
                 " (bytes 0-7) runs past the end of the file (" +
                 std::to_string(size) + " bytes)");
  const char *headerBegin = reinterpret_cast<const char *>(bytes + 8);
  nlohmann::json header =
      nlohmann::json::parse(headerBegin, headerBegin + headerSize, nullptr,
                            /*allow_exceptions=*/false);
  if (header.is_discarded())
    return error("header (bytes 8-" + std::to_string(8 + headerSize) +
                 ") is not valid JSON");
  if (!header.is_object())
    return error("header is not a JSON object");
  const uint8_t *data = bytes + 8 + headerSize;
  uint64_t dataSize = size - 8 - headerSize;
  for (auto it = header.begin(); it != header.end(); ++it) {
    if (it.key() == "__metadata__")
      continue;
    message = parseEntry(it.key(), it.value(), data, dataSize, tensors_);
    if (!message.empty())
      return error(message);
  }
  return "";
}

} // namespace kiln
