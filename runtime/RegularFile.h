//===- RegularFile.h - Reading files that may be hostile --------*- C++ -*-===//
//
// Models, weights and inputs come from files a user downloaded. A path may
// name a FIFO (opening it for reading would block forever), a device such
// as /dev/zero (reading it never ends), or a directory; and a file may be
// truncated while it is read (a memory mapping then kills the process with
// SIGBUS). RegularFile opens without blocking, accepts regular files only,
// knows its size up front, and copies bytes with pread, so a file that
// shrinks is an error, not a signal.
//
// Errors are returned as strings naming the file ("" on success).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_REGULARFILE_H
#define KILN_RUNTIME_REGULARFILE_H

#include <stddef.h>
#include <stdint.h>

#include <string>

namespace kiln {

class RegularFile {
public:
  RegularFile() = default;
  RegularFile(const RegularFile &) = delete;
  RegularFile &operator=(const RegularFile &) = delete;
  ~RegularFile();

  /// Opens `path`, which must be a regular file.
  std::string open(const std::string &path);

  /// The size the file had when it was opened.
  uint64_t size() const { return size_; }
  const std::string &path() const { return path_; }

  /// Copies `bytes` bytes at `offset` into `out`; fails when the range is
  /// outside the file or the file ends early.
  std::string readAt(uint64_t offset, void *out, size_t bytes) const;

private:
  int fd_ = -1;
  uint64_t size_ = 0;
  std::string path_;
};

/// Reads all of the regular file `path` into `contents`; fails when it is
/// larger than `maxBytes`.
std::string readRegularFile(const std::string &path, uint64_t maxBytes,
                            std::string &contents);

} // namespace kiln

#endif // KILN_RUNTIME_REGULARFILE_H
