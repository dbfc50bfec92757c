//===- TensorImporter.h - ONNX tensors and types to MLIR --------*- C++ -*-===//
//
// Converts ONNX element types, tensor types and TensorProtos (initializers,
// Constant values) to MLIR types and elements attributes. Tensors above 16
// elements become `dense_resource` blobs holding the raw little-endian bytes;
// external data is copied from files inside the model's directory.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_FRONTENDS_ONNX_TENSORIMPORTER_H
#define KILN_FRONTENDS_ONNX_TENSORIMPORTER_H

#include "runtime/RegularFile.h"

#include "onnx/onnx_pb.h"

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>

namespace kiln::onnxfe {

/// Tensors with more elements than this become dense_resource blobs.
constexpr int64_t kMaxInlineElements = 16;

/// The MLIR element type of an ONNX TensorProto::DataType; null for types
/// the compiler does not handle (string, complex).
mlir::Type convertElementType(int32_t dataType, mlir::MLIRContext *context);

/// The name of an ONNX data type for diagnostics ("float", "string", ...).
std::string getDataTypeName(int32_t dataType);

/// A ranked tensor type for an ONNX tensor type: `?` for dims without a
/// value. Null when the type is no tensor, has no shape, or has an
/// unsupported element type; `dimNames` receives the symbolic names (""
/// where there is none) when given.
mlir::RankedTensorType
convertTensorType(const onnx::TypeProto &type, mlir::MLIRContext *context,
                  llvm::SmallVectorImpl<std::string> *dimNames = nullptr);

/// Turns TensorProtos into elements attributes.
class TensorImporter {
public:
  /// `baseDir` is the directory external data locations are relative to.
  /// `protoOwner`, when given, owns every TensorProto passed to importTensor:
  /// blobs then reference their raw_data in place and keep it alive.
  TensorImporter(mlir::MLIRContext &context, llvm::StringRef baseDir,
                 std::shared_ptr<const void> protoOwner = nullptr)
      : context(context), baseDir(baseDir.str()),
        protoOwner(std::move(protoOwner)) {}

  /// The value of `tensor`; emits an error at `loc` and fails when its data
  /// is missing, of the wrong size, or of an unsupported type. A blob is
  /// named after the tensor, or after `nameHint` when the tensor has none.
  mlir::FailureOr<mlir::ElementsAttr>
  importTensor(const onnx::TensorProto &tensor, mlir::Location loc,
               llvm::StringRef nameHint = "");

private:
  /// Where the bytes of an external tensor are.
  struct ExternalRange {
    const RegularFile *file;
    uint64_t offset;
  };
  /// Checks the external data entries of `tensor` and opens its file: the
  /// location, with symlinks resolved, must lie inside the model's
  /// directory and name a regular file holding `byteSize` bytes at the
  /// offset.
  mlir::FailureOr<ExternalRange>
  locateExternalData(const onnx::TensorProto &tensor, uint64_t byteSize,
                     mlir::Location loc);

  mlir::MLIRContext &context;
  std::string baseDir;
  std::shared_ptr<const void> protoOwner;
  /// External data files by resolved path, opened once each.
  llvm::StringMap<std::unique_ptr<RegularFile>> externalFiles;
};

} // namespace kiln::onnxfe

#endif // KILN_FRONTENDS_ONNX_TENSORIMPORTER_H
