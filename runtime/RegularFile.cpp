//===- RegularFile.cpp - Reading files that may be hostile ----------------===//

#include "runtime/RegularFile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kiln {

RegularFile::~RegularFile() {
  if (fd_ >= 0)
    close(fd_);
}

std::string RegularFile::open(const std::string &path) {
  path_ = path;
  // O_NONBLOCK: opening a FIFO must not wait for a writer.
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return "cannot open '" + path + "': " + strerror(errno);
  struct stat st;
  if (fstat(fd, &st) != 0) {
    std::string message = "cannot open '" + path + "': " + strerror(errno);
    close(fd);
    return message;
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return "'" + path + "' is not a regular file";
  }
  fd_ = fd;
  size_ = static_cast<uint64_t>(st.st_size);
  return "";
}

std::string RegularFile::readAt(uint64_t offset, void *out,
                                size_t bytes) const {
  if (offset > size_ || size_ - offset < bytes)
    return "'" + path_ + "': " + std::to_string(bytes) +
           " bytes at offset " + std::to_string(offset) +
           " lie outside the file (" + std::to_string(size_) + " bytes)";
  char *dst = static_cast<char *>(out);
  while (bytes > 0) {
    ssize_t n = pread(fd_, dst, bytes, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return "cannot read '" + path_ + "': " + strerror(errno);
    if (n == 0)
      return "'" + path_ + "' ended early: it changed while it was read";
    dst += n;
    offset += static_cast<uint64_t>(n);
    bytes -= static_cast<size_t>(n);
  }
  return "";
}

std::string readRegularFile(const std::string &path, uint64_t maxBytes,
                            std::string &contents) {
  RegularFile file;
  std::string message = file.open(path);
  if (!message.empty())
    return message;
  if (file.size() > maxBytes)
    return "'" + path + "' is larger than " + std::to_string(maxBytes) +
           " bytes";
  contents.assign(static_cast<size_t>(file.size()), '\0');
  return file.readAt(0, contents.data(), contents.size());
}

} // namespace kiln
