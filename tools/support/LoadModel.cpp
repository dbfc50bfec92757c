//===- LoadModel.cpp - A model file as a module -----------------*- C++ -*-===//

#include "tools/support/LoadModel.h"

#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace mlir;

namespace kiln {

OwningOpRef<ModuleOp> loadModelFile(
    llvm::StringRef path, MLIRContext &context, llvm::SourceMgr &sources,
    const std::function<FailureOr<onnxfe::ImportOptions>()> &getOptions,
    std::string &error) {
  llvm::StringRef extension = llvm::sys::path::extension(path);
  if (extension == ".onnx" || extension == ".onnxtxt") {
    FailureOr<onnxfe::ImportOptions> options = getOptions();
    if (failed(options))
      return nullptr;
    return onnxfe::importOnnxFile(path, context, *options);
  }
  if (extension != ".mlir") {
    error = "cannot tell the format of '" + path.str() +
            "' (expected .onnx, .onnxtxt or .mlir)";
    return nullptr;
  }
  std::unique_ptr<llvm::MemoryBuffer> file = openInputFile(path, &error);
  if (!file)
    return nullptr;
  sources.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  return parseSourceFile<ModuleOp>(sources, &context);
}

} // namespace kiln
