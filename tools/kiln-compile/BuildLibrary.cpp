//===- BuildLibrary.cpp - Compile generated source to a library -*- C++ -*-===//
//
//   cpu:  c++ -std=c++17 -shared -fPIC -O3 -march=native -fno-math-errno
//             -fno-trapping-math -I<src> model.cpp -o libmodel.so -L<lib> -lkiln_runtime
//             -Wl,-rpath,<lib>
//   cuda: nvcc -std=c++17 -shared -Xcompiler -fPIC,-march=native,
//             -fno-math-errno,-fno-trapping-math -O3 -gencode ... -I<src> model.cu -o
//             libmodel.so -L<lib> -lkiln_runtime_cuda -lkiln_runtime
//             -lcudart -lcublas -Xlinker -rpath,<lib>
//
// -march is --cpu's (native by default: the generated loops use the
// building machine's vector width). -fno-math-errno lets the compiler
// vectorize and inline sqrt, exp and friends (the generated code never
// reads errno); -fno-trapping-math lets it turn the selects of a scalar body
// into vector blends (no generated code unmasks floating-point traps).
// Neither changes a result.
//
// <src> (KILN_SOURCE_DIR) and <lib> (KILN_LIBRARY_DIR) are where this build
// of Kiln lives; $CXX overrides the host compiler. A sanitized build of
// Kiln builds with its own compiler and sanitizer flags (KILN_GENERATED_CXX,
// KILN_GENERATED_FLAGS).
//
//===----------------------------------------------------------------------===//

#include "tools/kiln-compile/BuildLibrary.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Program.h"

#include <cstdlib>
#include <optional>

namespace kiln {
namespace {

std::string findHostCompiler() {
#ifdef KILN_GENERATED_CXX
  std::string name = KILN_GENERATED_CXX;
#else
  std::string name = "c++";
#endif
  if (const char *cxx = std::getenv("CXX"); cxx && *cxx)
    name = cxx;
  if (llvm::ErrorOr<std::string> path = llvm::sys::findProgramByName(name))
    return *path;
  return "";
}

std::string findNvcc() {
#ifdef KILN_NVCC
  return KILN_NVCC;
#else
  if (llvm::ErrorOr<std::string> path = llvm::sys::findProgramByName("nvcc"))
    return *path;
  return "";
#endif
}

} // namespace

std::optional<std::string> parseCpu(llvm::StringRef name) {
  if (name == "portable")
    return std::string();
  for (llvm::StringRef known :
       {"native", "x86-64", "x86-64-v2", "x86-64-v3", "x86-64-v4"})
    if (name == known)
      return name.str();
  return std::nullopt;
}

BuildResult buildLibrary(llvm::StringRef source, llvm::StringRef library,
                         llvm::StringRef log, const BuildOptions &options) {
  bool isCuda = options.target == Target::Cuda;
  std::string compiler = isCuda ? findNvcc() : findHostCompiler();
  if (compiler.empty())
    return {isCuda ? "nvcc not found: --target=cuda needs the CUDA toolkit"
                   : "no C++ compiler found (c++ on PATH, or $CXX)",
            false};

  std::string include = std::string("-I") + KILN_SOURCE_DIR;
  std::string libDir = std::string("-L") + KILN_LIBRARY_DIR;
  llvm::SmallVector<std::string> args = {compiler, "-std=c++17", "-shared"};
  if (isCuda) {
    std::string hostFlags = "-fPIC,-fno-math-errno,-fno-trapping-math";
    if (!options.cpu.empty())
      hostFlags += ",-march=" + options.cpu;
    args.append({"-Xcompiler", hostFlags, "-gencode",
                 "arch=compute_80,code=sm_80", "-gencode",
                 "arch=compute_90,code=sm_90"});
  } else {
    args.append({"-fPIC", "-fno-math-errno", "-fno-trapping-math"});
    if (!options.cpu.empty())
      args.push_back("-march=" + options.cpu);
#ifdef KILN_GENERATED_FLAGS
    llvm::SmallVector<llvm::StringRef> flags;
    llvm::StringRef(KILN_GENERATED_FLAGS).split(flags, ' ', -1, false);
    for (llvm::StringRef flag : flags)
      args.push_back(flag.str());
#endif
  }
  args.push_back(options.optimize ? "-O3" : "-O0");
  args.append({include, source.str(), "-o", library.str(), libDir});
  if (isCuda) {
    args.append({"-lkiln_runtime_cuda", "-lkiln_runtime", "-lcudart",
                 "-lcublas", "-Xlinker",
                 std::string("-rpath,") + KILN_LIBRARY_DIR});
  } else {
    args.append(
        {"-lkiln_runtime", std::string("-Wl,-rpath,") + KILN_LIBRARY_DIR});
  }

  llvm::SmallVector<llvm::StringRef> argRefs(args.begin(), args.end());
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, log, log};
  std::string error;
  int status = llvm::sys::ExecuteAndWait(compiler, argRefs, std::nullopt,
                                         redirects, /*SecondsToWait=*/0,
                                         /*MemoryLimit=*/0, &error);
  if (status < 0)
    return {"cannot run " + compiler + ": " + error, false};
  if (status != 0)
    return {(isCuda ? "nvcc" : "the C++ compiler") +
                std::string(" failed with exit code ") + std::to_string(status),
            true};
  return {"", true};
}

} // namespace kiln
