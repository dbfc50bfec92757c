//===- OutputDirectory.h - The -o directory, replaced safely ----*- C++ -*-===//
//
// kiln-compile writes everything into a fresh staging directory beside DIR
// and, once all of it is written, swaps it in for DIR. It never deletes what
// it did not write:
//
//   - DIR must not exist, be an empty directory, or be an earlier output of
//     kiln-compile: a directory whose manifest (DIR/.kiln-output, written
//     last) lists every file and folder in it. Anything else (a folder
//     holding other files, a symlink, a file) is refused, before compiling.
//   - The model being compiled must not lie inside DIR.
//   - The swap is atomic (renameat2 RENAME_EXCHANGE where the file system
//     has it); the previous output is then removed by its manifest, entry by
//     entry, through directory descriptors that never follow a symlink.
//
// Errors are one line, returned as strings ("" on success).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TOOLS_KILN_COMPILE_OUTPUTDIRECTORY_H
#define KILN_TOOLS_KILN_COMPILE_OUTPUTDIRECTORY_H

#include <string>

namespace kiln {

/// The name of the manifest inside an output directory.
inline constexpr const char *kOutputManifest = ".kiln-output";

class OutputDirectory {
public:
  /// `dir` as given to -o; `input` is the model being compiled.
  OutputDirectory(std::string dir, std::string input);
  OutputDirectory(const OutputDirectory &) = delete;
  OutputDirectory &operator=(const OutputDirectory &) = delete;
  /// Removes the staging directory unless it was committed.
  ~OutputDirectory();

  /// Checks that DIR may be replaced (see above).
  std::string check();
  /// Creates the staging directory beside DIR.
  std::string createStaging();
  /// `name` inside the staging directory.
  std::string inStaging(const std::string &name) const;
  /// `suffix` appended to DIR: a path beside it (`DIR.build.log`).
  std::string beside(const std::string &suffix) const { return dir + suffix; }
  /// Writes the manifest of the staging directory and swaps it in for DIR.
  /// `warning` is set when the previous output could not be removed whole.
  std::string commit(std::string &warning);

  const std::string &path() const { return dir; }

private:
  std::string dir;   // absolute, without a trailing separator
  std::string input; // the model, as given
  std::string staging;
  bool committed = false;
};

/// Writes `text` to `path` only when `path` does not exist or is a file
/// that starts with `header` (one Kiln wrote): `header` then `text`.
/// Otherwise writes to a fresh `path` with a numbered suffix. Returns the
/// path written, or "" on failure.
std::string writeOwnedFile(const std::string &path, const std::string &header,
                           const std::string &text);

/// Removes `path` if it is a regular file that starts with `header`.
void removeOwnedFile(const std::string &path, const std::string &header);

} // namespace kiln

#endif // KILN_TOOLS_KILN_COMPILE_OUTPUTDIRECTORY_H
