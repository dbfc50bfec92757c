//===- BuildLibrary.h - Compile generated source to a library ---*- C++ -*-===//
//
// The last step of kiln-compile: the host C++ compiler (target cpu) or nvcc
// (target cuda) turns DIR/src/model.cpp (.cu) into DIR/libmodel.so, linked
// against the runtime of the build tree that kiln-compile belongs to.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TOOLS_KILN_COMPILE_BUILDLIBRARY_H
#define KILN_TOOLS_KILN_COMPILE_BUILDLIBRARY_H

#include "passes/codegen/Codegen.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace kiln {

struct BuildOptions {
  Target target = Target::Cpu;
  bool optimize = true; // -O3, or -O0 for fast test builds
  /// The instruction set of the generated host code: a -march value
  /// ("native", "x86-64-v3", ...), or "" for the compiler's portable default.
  std::string cpu = "native";
};

/// The -march value of a --cpu name: "native", "portable" ("", the
/// compiler's default) or an x86-64 level (x86-64, x86-64-v2/-v3/-v4);
/// nullopt for anything else.
std::optional<std::string> parseCpu(llvm::StringRef name);

struct BuildResult {
  std::string error; // "" on success, else one line
  bool compilerRan;  // whether `log` holds the compiler's output
};

/// Compiles `source` into `library`, with the compiler's output in `log`.
BuildResult buildLibrary(llvm::StringRef source, llvm::StringRef library,
                         llvm::StringRef log, const BuildOptions &options);

} // namespace kiln

#endif // KILN_TOOLS_KILN_COMPILE_BUILDLIBRARY_H
