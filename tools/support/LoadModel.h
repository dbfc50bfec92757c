//===- LoadModel.h - A model file as a module -------------------*- C++ -*-===//
//
// What kiln-compile and kiln-plan read: an ONNX model (.onnx, or ONNX text
// .onnxtxt), imported into the graph dialect, or Kiln IR (.mlir) at any
// phase.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TOOLS_SUPPORT_LOADMODEL_H
#define KILN_TOOLS_SUPPORT_LOADMODEL_H

#include "frontends/onnx/Import.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/SourceMgr.h"

#include <functional>
#include <string>

namespace kiln {

/// The model at `path`. An .mlir file goes into `sources`, whose handler
/// reports its diagnostics; an ONNX model is imported with the options
/// `getOptions` gives (called only for one; it may fail after reporting).
/// Null after a diagnostic, or with `error` set when no diagnostic was
/// emitted (an unknown extension, an unreadable file).
mlir::OwningOpRef<mlir::ModuleOp> loadModelFile(
    llvm::StringRef path, mlir::MLIRContext &context, llvm::SourceMgr &sources,
    const std::function<mlir::FailureOr<onnxfe::ImportOptions>()> &getOptions,
    std::string &error);

} // namespace kiln

#endif // KILN_TOOLS_SUPPORT_LOADMODEL_H
