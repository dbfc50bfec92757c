//===- Import.h - ONNX model import entry points ----------------*- C++ -*-===//
//
// Reads an ONNX model (binary protobuf `.onnx` or ONNX text syntax
// `.onnxtxt`) into a module holding `func.func @main` over graph-dialect ops.
// Graph inputs and outputs carry their ONNX names in `graph.name`, symbolic
// dimensions in `graph.dim_names`; initializers become `graph.constant`s,
// backed by `dense_resource` blobs when larger than 16 elements. Graph inputs
// may be bound to values at import time: they then become constants too.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_FRONTENDS_ONNX_IMPORT_H
#define KILN_FRONTENDS_ONNX_IMPORT_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace kiln::onnxfe {

/// A graph input fixed to a value at import time (as shape-determining
/// inputs such as axes, split sizes or slice bounds must be for the
/// compiler to plan shapes).
struct InputBinding {
  std::string name;
  mlir::ElementsAttr value;
};

/// How a model is imported.
struct ImportOptions {
  /// Each bound input is no argument of @main but a `graph.constant` of its
  /// value, whose element type and shape must match the input's declared
  /// type (a declared `?` takes the value's size). Binding a name that is
  /// not a graph input is an error.
  llvm::SmallVector<InputBinding> bindings;
};

/// Imports the model at `path`; its format follows the extension (`.onnxtxt`
/// is text syntax, anything else binary protobuf). External tensor data is
/// resolved relative to the model's directory. Returns null after emitting a
/// diagnostic on `context`.
mlir::OwningOpRef<mlir::ModuleOp>
importOnnxFile(llvm::StringRef path, mlir::MLIRContext &context,
               const ImportOptions &options = {});

/// Imports a model held in memory. `bufferName` names it in locations and
/// diagnostics; `baseDir` is where external data files are looked up.
mlir::OwningOpRef<mlir::ModuleOp>
importOnnxBuffer(llvm::StringRef buffer, llvm::StringRef bufferName,
                 llvm::StringRef baseDir, bool isText,
                 mlir::MLIRContext &context, const ImportOptions &options = {});

/// A dense elements attribute of ONNX data type `dataType` (a
/// TensorProto::DataType code) and `shape` from packed little-endian
/// C-order `bytes` (bool as one byte per element); null when the type is not
/// supported or the byte count does not match.
mlir::DenseElementsAttr getElementsFromBytes(int32_t dataType,
                                             llvm::ArrayRef<int64_t> shape,
                                             llvm::ArrayRef<char> bytes,
                                             mlir::MLIRContext &context);

/// Loads the dialects an imported module uses into `context`.
void loadImportDialects(mlir::MLIRContext &context);

} // namespace kiln::onnxfe

#endif // KILN_FRONTENDS_ONNX_IMPORT_H
