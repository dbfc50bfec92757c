//===- SafetensorsWriter.cpp - Writing .safetensors files ----------------===//
//
// Lays the tensors out widest element first, builds the JSON header, pads it
// with spaces to a 64-byte boundary and writes everything atomically.
//
//===----------------------------------------------------------------------===//

#include "runtime/AtomicFile.h"
#include "runtime/Safetensors.h"

#include "kernels/common/Tensor.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace kiln {

std::string writeSafetensors(const std::string &path,
                             const std::vector<SafetensorsEntry> &entries) {
  auto error = [&](const std::string &message) {
    return "cannot write '" + path + "': " + message;
  };
  std::vector<size_t> order(entries.size());
  std::set<std::string> names;
  for (size_t i = 0; i < entries.size(); ++i) {
    const SafetensorsEntry &entry = entries[i];
    order[i] = i;
    if (entry.name.empty() || entry.name == "__metadata__")
      return error("invalid tensor name '" + entry.name + "'");
    if (!names.insert(entry.name).second)
      return error("tensor '" + entry.name + "' appears twice");
    if (!safetensorsDtypeName(entry.dtype))
      return error("tensor '" + entry.name + "' has dtype " +
                   dtypeName(entry.dtype) + ", which safetensors cannot hold");
    uint64_t expected = static_cast<uint64_t>(dtypeSize(entry.dtype));
    for (int64_t dim : entry.shape) {
      if (dim < 0)
        return error("tensor '" + entry.name + "' has a negative dim");
      expected *= static_cast<uint64_t>(dim);
    }
    if (expected != entry.bytes)
      return error("tensor '" + entry.name + "' has " +
                   std::to_string(entry.bytes) + " bytes, but dtype and " +
                   "shape need " + std::to_string(expected));
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return dtypeSize(entries[a].dtype) > dtypeSize(entries[b].dtype);
  });

  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  uint64_t offset = 0;
  std::vector<FileChunk> chunks;
  chunks.reserve(entries.size() + 2);
  for (size_t i : order) {
    const SafetensorsEntry &entry = entries[i];
    header[entry.name] = {{"dtype", safetensorsDtypeName(entry.dtype)},
                          {"shape", entry.shape},
                          {"data_offsets", {offset, offset + entry.bytes}}};
    offset += entry.bytes;
  }
  // Names that are not valid UTF-8 get replacement characters rather than
  // an exception.
  std::string text =
      header.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  // The data section starts 64-byte aligned.
  size_t padded = (8 + text.size() + 63) / 64 * 64 - 8;
  text.resize(padded, ' ');
  uint8_t length[8];
  for (int i = 0; i < 8; ++i)
    length[i] = static_cast<uint8_t>(static_cast<uint64_t>(padded) >> (8 * i));
  chunks.push_back({length, sizeof(length)});
  chunks.push_back({text.data(), text.size()});
  for (size_t i : order)
    chunks.push_back({entries[i].data, entries[i].bytes});
  return writeFileAtomically(path, chunks);
}

} // namespace kiln
