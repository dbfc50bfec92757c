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

#include <string>

namespace kiln {

struct BuildOptions {
  Target target = Target::Cpu;
  bool optimize = true; // -O2, or -O0 for fast test builds
};

struct BuildResult {
  std::string error; // "" on success, else one line
  bool compilerRan;  // whether `log` holds the compiler's output
};

/// Compiles `source` into `library`, with the compiler's output in `log`.
BuildResult buildLibrary(llvm::StringRef source, llvm::StringRef library,
                         llvm::StringRef log, const BuildOptions &options);

} // namespace kiln

#endif // KILN_TOOLS_KILN_COMPILE_BUILDLIBRARY_H
