//===- TensorImporter.h - ONNX tensors and types to MLIR --------*- C++ -*-===//
//
// Converts ONNX element types, tensor types and TensorProtos (initializers,
// Constant values) to MLIR types and elements attributes. Tensors above 16
// elements become `dense_resource` blobs holding the raw little-endian bytes;
// external data is read from files next to the model.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_FRONTENDS_ONNX_TENSORIMPORTER_H
#define KILN_FRONTENDS_ONNX_TENSORIMPORTER_H

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
  /// The bytes of an external tensor, kept mapped for the blob's lifetime.
  mlir::FailureOr<llvm::ArrayRef<char>>
  readExternalData(const onnx::TensorProto &tensor, uint64_t byteSize,
                   mlir::Location loc,
                   std::shared_ptr<llvm::MemoryBuffer> &owner);

  mlir::MLIRContext &context;
  std::string baseDir;
  std::shared_ptr<const void> protoOwner;
  /// External data files, mapped once each.
  llvm::StringMap<std::shared_ptr<llvm::MemoryBuffer>> externalFiles;
};

} // namespace kiln::onnxfe

#endif // KILN_FRONTENDS_ONNX_TENSORIMPORTER_H
