//===- Import.h - ONNX model import entry points ----------------*- C++ -*-===//
//
// Reads an ONNX model (binary protobuf `.onnx` or ONNX text syntax
// `.onnxtxt`) into a module holding `func.func @main` over graph-dialect ops.
// Graph inputs and outputs carry their ONNX names in `graph.name`, symbolic
// dimensions in `graph.dim_names`; initializers become `graph.constant`s,
// backed by `dense_resource` blobs when larger than 16 elements.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_FRONTENDS_ONNX_IMPORT_H
#define KILN_FRONTENDS_ONNX_IMPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

namespace kiln::onnxfe {

/// Imports the model at `path`; its format follows the extension (`.onnxtxt`
/// is text syntax, anything else binary protobuf). External tensor data is
/// resolved relative to the model's directory. Returns null after emitting a
/// diagnostic on `context`.
mlir::OwningOpRef<mlir::ModuleOp> importOnnxFile(llvm::StringRef path,
                                                 mlir::MLIRContext &context);

/// Imports a model held in memory. `bufferName` names it in locations and
/// diagnostics; `baseDir` is where external data files are looked up.
mlir::OwningOpRef<mlir::ModuleOp> importOnnxBuffer(llvm::StringRef buffer,
                                                   llvm::StringRef bufferName,
                                                   llvm::StringRef baseDir,
                                                   bool isText,
                                                   mlir::MLIRContext &context);

/// Loads the dialects an imported module uses into `context`.
void loadImportDialects(mlir::MLIRContext &context);

} // namespace kiln::onnxfe

#endif // KILN_FRONTENDS_ONNX_IMPORT_H
