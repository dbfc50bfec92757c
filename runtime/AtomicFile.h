//===- AtomicFile.h - Write files whole or not at all ----------*- C++ -*-===//
//
// Writes go to a temporary file beside the target, which is renamed over it
// once every byte is written and flushed; on failure the temporary file is
// removed.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_ATOMICFILE_H
#define KILN_RUNTIME_ATOMICFILE_H

#include <stddef.h>

#include <string>
#include <utility>
#include <vector>

namespace kiln {

/// A piece of a file: `size` bytes at `data`.
using FileChunk = std::pair<const void *, size_t>;

/// Writes the chunks, in order, to `path`. Returns "" or an error naming
/// the file.
std::string writeFileAtomically(const std::string &path,
                                const std::vector<FileChunk> &chunks);

} // namespace kiln

#endif // KILN_RUNTIME_ATOMICFILE_H
