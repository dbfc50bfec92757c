//===- OutputDirectory.cpp - The -o directory, replaced safely -----------===//
//
// Trees are walked through directory descriptors opened with O_NOFOLLOW, so
// a symlink planted inside an output (or swapped in for one of its folders
// while kiln-compile runs) is never followed: it is refused by the check,
// and removal only ever unlinks names inside the output's own folders.
//
//===----------------------------------------------------------------------===//

#include "tools/kiln-compile/OutputDirectory.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

namespace kiln {
namespace {

constexpr const char *kManifestHeader = "kiln-compile output 1";
// Bounds on what a walk reads: outputs are two levels and a few files.
constexpr int kMaxDepth = 8;
constexpr size_t kMaxEntries = 4096;
constexpr off_t kMaxManifestBytes = 1 << 20;

/// One file or folder of a tree, by its path relative to the root.
struct Entry {
  std::string path;
  char kind; // 'f' regular file, 'd' directory, '?' anything else
};

/// An fd closed when it goes out of scope.
class Fd {
public:
  explicit Fd(int fd = -1) : fd(fd) {}
  Fd(const Fd &) = delete;
  Fd &operator=(const Fd &) = delete;
  ~Fd() {
    if (fd >= 0)
      close(fd);
  }
  int get() const { return fd; }
  bool valid() const { return fd >= 0; }

private:
  int fd;
};

int openDirectoryAt(int parent, const char *name) {
  return openat(parent, name,
                O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

std::string errorText(int error) { return strerror(error); }

/// Appends the entries under the folder `fd` to `out`, depth first.
std::string listTree(int fd, const std::string &prefix, int depth,
                     std::vector<Entry> &out) {
  if (depth > kMaxDepth)
    return "folders nested deeper than " + std::to_string(kMaxDepth);
  int copy = dup(fd);
  if (copy < 0)
    return errorText(errno);
  DIR *dir = fdopendir(copy);
  if (!dir) {
    close(copy);
    return errorText(errno);
  }
  std::vector<std::string> names;
  while (dirent *entry = readdir(dir)) {
    if (!strcmp(entry->d_name, ".") || !strcmp(entry->d_name, ".."))
      continue;
    names.push_back(entry->d_name);
    if (out.size() + names.size() > kMaxEntries)
      break;
  }
  closedir(dir);
  if (out.size() + names.size() > kMaxEntries)
    return "more than " + std::to_string(kMaxEntries) + " entries";
  for (const std::string &name : names) {
    std::string path = prefix + name;
    struct stat st;
    if (fstatat(fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
      return "'" + path + "': " + errorText(errno);
    if (S_ISREG(st.st_mode)) {
      out.push_back({path, 'f'});
      continue;
    }
    if (!S_ISDIR(st.st_mode)) {
      out.push_back({path, '?'});
      continue;
    }
    out.push_back({path, 'd'});
    Fd sub(openDirectoryAt(fd, name.c_str()));
    if (!sub.valid())
      return "'" + path + "': " + errorText(errno);
    std::string message = listTree(sub.get(), path + "/", depth + 1, out);
    if (!message.empty())
      return message;
  }
  return "";
}

/// Whether a manifest path names something inside the tree: relative,
/// without empty, `.` or `..` components.
bool isInsidePath(llvm::StringRef path) {
  if (path.empty() || path.starts_with("/"))
    return false;
  llvm::SmallVector<llvm::StringRef> parts;
  path.split(parts, '/');
  return llvm::none_of(parts, [](llvm::StringRef part) {
    return part.empty() || part == "." || part == "..";
  });
}

/// Reads the manifest of the folder `fd` into `entries`; "" on success.
std::string readManifest(int fd, std::vector<Entry> &entries) {
  Fd file(openat(fd, kOutputManifest,
                 O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!file.valid())
    return errno == ENOENT ? "no " + std::string(kOutputManifest)
                           : std::string(kOutputManifest) + ": " +
                                 errorText(errno);
  struct stat st;
  if (fstat(file.get(), &st) != 0 || !S_ISREG(st.st_mode) ||
      st.st_size > kMaxManifestBytes)
    return std::string(kOutputManifest) + " is not a manifest of Kiln's";
  std::string text(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = read(file.get(), text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return std::string(kOutputManifest) + ": cannot read";
    done += static_cast<size_t>(n);
  }
  llvm::SmallVector<llvm::StringRef> lines;
  llvm::StringRef(text).split(lines, '\n', -1, /*KeepEmpty=*/false);
  if (lines.empty() || lines.front() != kManifestHeader)
    return std::string(kOutputManifest) + " is not a manifest of Kiln's";
  for (llvm::StringRef line : llvm::drop_begin(lines)) {
    char kind = line.empty() ? 0 : line.front();
    llvm::StringRef path = line.drop_front(std::min<size_t>(2, line.size()));
    if ((kind != 'f' && kind != 'd') || line.size() < 3 || line[1] != ' ' ||
        !isInsidePath(path))
      return std::string(kOutputManifest) + " is not a manifest of Kiln's";
    entries.push_back({path.str(), kind});
  }
  return "";
}

/// Quotes a path for a one-line message.
std::string quote(llvm::StringRef path) { return "'" + path.str() + "'"; }

/// Why the folder `fd` may not be replaced; "" if it may: it is empty, or
/// every entry in it is listed in its manifest.
std::string checkReplaceable(int fd) {
  std::vector<Entry> found;
  std::string message = listTree(fd, "", 0, found);
  if (!message.empty())
    return message;
  if (found.empty())
    return "";
  std::vector<Entry> listed;
  message = readManifest(fd, listed);
  if (!message.empty())
    return "it is not empty and not an output of kiln-compile (" + message +
           ")";
  llvm::StringSet<> files, dirs;
  for (const Entry &entry : listed)
    (entry.kind == 'd' ? dirs : files).insert(entry.path);
  for (const Entry &entry : found) {
    if (entry.path == kOutputManifest)
      continue;
    bool known = entry.kind == 'd'   ? dirs.contains(entry.path)
                 : entry.kind == 'f' ? files.contains(entry.path)
                                     : false;
    if (!known)
      return "it holds " + quote(entry.path) + ", which Kiln did not write";
  }
  return "";
}

/// Removes what the manifest of the folder `root` lists, children before
/// their folders, then the manifest. Names that are not there are skipped;
/// folders that are not empty stay.
void removeListed(int root) {
  std::vector<Entry> listed;
  if (!readManifest(root, listed).empty())
    return;
  // Reverse order puts "src/model.cpp" before "src".
  std::sort(listed.begin(), listed.end(),
            [](const Entry &a, const Entry &b) { return a.path > b.path; });
  for (const Entry &entry : listed) {
    llvm::StringRef parentPath = llvm::sys::path::parent_path(entry.path);
    std::string base = llvm::sys::path::filename(entry.path).str();
    // Descend to the parent without following a symlink.
    int parent = dup(root);
    llvm::SmallVector<llvm::StringRef> parts;
    if (!parentPath.empty())
      parentPath.split(parts, '/');
    for (llvm::StringRef part : parts) {
      int next = parent < 0 ? -1 : openDirectoryAt(parent, part.str().c_str());
      if (parent >= 0)
        close(parent);
      parent = next;
    }
    if (parent < 0)
      continue;
    struct stat st;
    if (fstatat(parent, base.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
      if (entry.kind == 'd' && S_ISDIR(st.st_mode))
        unlinkat(parent, base.c_str(), AT_REMOVEDIR);
      else if (entry.kind == 'f' && S_ISREG(st.st_mode))
        unlinkat(parent, base.c_str(), 0);
    }
    close(parent);
  }
  unlinkat(root, kOutputManifest, 0);
}

/// Writes the manifest of the folder `fd`: everything in it now.
std::string writeManifest(int fd) {
  std::vector<Entry> entries;
  std::string message = listTree(fd, "", 0, entries);
  if (!message.empty())
    return message;
  std::string text = std::string(kManifestHeader) + "\n";
  for (const Entry &entry : entries) {
    if (entry.kind == '?' || entry.path.find('\n') != std::string::npos)
      return "unexpected entry " + quote(entry.path);
    text += std::string(1, entry.kind) + " " + entry.path + "\n";
  }
  Fd file(openat(fd, kOutputManifest,
                 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666));
  if (!file.valid())
    return std::string(kOutputManifest) + ": " + errorText(errno);
  if (write(file.get(), text.data(), text.size()) !=
      static_cast<ssize_t>(text.size()))
    return std::string(kOutputManifest) + ": " + errorText(errno);
  return "";
}

/// Whether `path` is a regular file that starts with `header`; a missing
/// file counts when `missingCounts` is set.
bool isOwnedFile(const std::string &path, const std::string &header,
                 bool missingCounts) {
  Fd fd(open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid())
    return missingCounts && errno == ENOENT;
  struct stat st;
  std::string start(header.size(), '\0');
  return fstat(fd.get(), &st) == 0 && S_ISREG(st.st_mode) &&
         read(fd.get(), start.data(), start.size()) ==
             static_cast<ssize_t>(start.size()) &&
         start == header;
}

} // namespace

OutputDirectory::OutputDirectory(std::string dirArg, std::string input)
    : input(std::move(input)) {
  llvm::SmallString<256> path(dirArg);
  llvm::sys::fs::make_absolute(path);
  llvm::sys::path::remove_dots(path, /*remove_dot_dot=*/true);
  while (path.size() > 1 && llvm::sys::path::is_separator(path.back()))
    path.pop_back();
  dir = std::string(path);
}

OutputDirectory::~OutputDirectory() {
  if (!staging.empty() && !committed)
    llvm::sys::fs::remove_directories(staging);
}

std::string OutputDirectory::check() {
  std::string where = "cannot write to " + quote(dir);
  if (dir == "/")
    return where + ": it is the root folder";
  struct stat st;
  if (lstat(dir.c_str(), &st) != 0) {
    if (errno == ENOENT)
      return "";
    return where + ": " + errorText(errno);
  }
  if (S_ISLNK(st.st_mode))
    return where + ": it is a symbolic link (name the folder itself)";
  if (!S_ISDIR(st.st_mode))
    return where + ": it exists and is not a folder";

  // The model must not be deleted with the folder it lies in.
  llvm::SmallString<256> realDir, realInput;
  if (!llvm::sys::fs::real_path(dir, realDir) &&
      !llvm::sys::fs::real_path(input, realInput) &&
      llvm::StringRef(realInput).starts_with((realDir + "/").str()))
    return where + ": the model " + quote(input) + " lies inside it";

  Fd fd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid())
    return where + ": " + errorText(errno);
  std::string message = checkReplaceable(fd.get());
  if (!message.empty())
    return "refusing to replace " + quote(dir) + ": " + message;
  return "";
}

std::string OutputDirectory::createStaging() {
  llvm::SmallString<256> path;
  if (std::error_code error =
          llvm::sys::fs::createUniqueDirectory(dir + ".partial", path))
    return "cannot create a folder beside " + quote(dir) + ": " +
           error.message();
  staging = std::string(path);
  return "";
}

std::string OutputDirectory::inStaging(const std::string &name) const {
  llvm::SmallString<256> path(staging);
  llvm::sys::path::append(path, name);
  return std::string(path);
}

std::string OutputDirectory::commit(std::string &warning) {
  {
    Fd fd(open(staging.c_str(),
               O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.valid())
      return "cannot open " + quote(staging) + ": " + errorText(errno);
    std::string message = writeManifest(fd.get());
    if (!message.empty())
      return "cannot write the manifest of " + quote(staging) + ": " + message;
  }
  // DIR may have changed since the first check.
  std::string message = check();
  if (!message.empty())
    return message;

  if (renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, dir.c_str(),
                RENAME_NOREPLACE) == 0) {
    committed = true;
    return "";
  }
  if (errno != EEXIST && errno != EINVAL && errno != ENOSYS)
    return "cannot move the output to " + quote(dir) + ": " +
           errorText(errno);

  // Swap the new output in; the old one is then where staging was.
  std::string old = staging;
  if (renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, dir.c_str(),
                RENAME_EXCHANGE) != 0) {
    if (errno != EINVAL && errno != ENOSYS)
      return "cannot replace " + quote(dir) + ": " + errorText(errno);
    // No renameat2 flags on this file system. Without an old output, a
    // plain rename; else move the old output aside, then the new one in.
    struct stat st;
    if (lstat(dir.c_str(), &st) != 0 && errno == ENOENT) {
      if (rename(staging.c_str(), dir.c_str()) != 0)
        return "cannot move the output to " + quote(dir) + ": " +
               errorText(errno);
      committed = true;
      return "";
    }
    llvm::SmallString<256> aside;
    if (std::error_code error =
            llvm::sys::fs::createUniqueDirectory(dir + ".old", aside))
      return "cannot replace " + quote(dir) + ": " + error.message();
    old = std::string(aside);
    if (rename(dir.c_str(), old.c_str()) != 0) {
      std::string text = errorText(errno);
      rmdir(old.c_str());
      return "cannot replace " + quote(dir) + ": " + text;
    }
    if (rename(staging.c_str(), dir.c_str()) != 0) {
      std::string text = errorText(errno);
      rename(old.c_str(), dir.c_str());
      return "cannot replace " + quote(dir) + ": " + text;
    }
  }
  committed = true;

  Fd oldFd(open(old.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (oldFd.valid())
    removeListed(oldFd.get());
  if (rmdir(old.c_str()) != 0 && errno != ENOENT)
    warning = "the previous output, moved to " + quote(old) +
              ", holds files Kiln did not write; they were left there";
  return "";
}

std::string writeOwnedFile(const std::string &path, const std::string &header,
                           const std::string &text) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string candidate =
        attempt == 0 ? path : path + "." + std::to_string(attempt);
    if (!isOwnedFile(candidate, header, /*missingCounts=*/true))
      continue;
    std::string tmp = candidate + ".tmp.XXXXXX";
    int fd = mkstemp(tmp.data());
    if (fd < 0)
      return "";
    std::string content = header + text;
    bool written = write(fd, content.data(), content.size()) ==
                   static_cast<ssize_t>(content.size());
    fchmod(fd, 0644);
    close(fd);
    if (!written || rename(tmp.c_str(), candidate.c_str()) != 0) {
      unlink(tmp.c_str());
      return "";
    }
    return candidate;
  }
  return "";
}

void removeOwnedFile(const std::string &path, const std::string &header) {
  if (isOwnedFile(path, header, /*missingCounts=*/false))
    unlink(path.c_str());
}

} // namespace kiln
