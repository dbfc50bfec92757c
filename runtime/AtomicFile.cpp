//===- AtomicFile.cpp - Write a file so it appears whole or not at all ---===//

#include "runtime/AtomicFile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kiln {

std::string writeFileAtomically(const std::string &path,
                                const std::vector<FileChunk> &chunks) {
  std::string tmpl = path + ".tmp.XXXXXX";
  std::vector<char> tmpPath(tmpl.begin(), tmpl.end());
  tmpPath.push_back('\0');
  int fd = mkstemp(tmpPath.data());
  if (fd < 0)
    return "cannot create '" + path + "': " + strerror(errno);
  auto fail = [&](const char *what) {
    std::string message =
        std::string("cannot ") + what + " '" + path + "': " + strerror(errno);
    close(fd);
    unlink(tmpPath.data());
    return message;
  };
  for (const FileChunk &chunk : chunks) {
    const char *data = static_cast<const char *>(chunk.first);
    size_t left = chunk.second;
    while (left > 0) {
      ssize_t written = write(fd, data, left);
      if (written < 0) {
        if (errno == EINTR)
          continue;
        return fail("write");
      }
      data += written;
      left -= static_cast<size_t>(written);
    }
  }
  // mkstemp creates 0600; give the file the permissions of a normal one.
  mode_t mask = umask(0);
  umask(mask);
  if (fchmod(fd, 0666 & ~mask) != 0)
    return fail("set permissions of");
  if (close(fd) != 0) {
    std::string message =
        "cannot write '" + path + "': " + std::string(strerror(errno));
    unlink(tmpPath.data());
    return message;
  }
  if (rename(tmpPath.data(), path.c_str()) != 0) {
    std::string message =
        "cannot write '" + path + "': " + std::string(strerror(errno));
    unlink(tmpPath.data());
    return message;
  }
  return "";
}

} // namespace kiln
