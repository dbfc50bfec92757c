//===- EmitCommon.h - Shared state of the C++ / CUDA printer ----*- C++ -*-===//
//
// The pieces of one model's source: the kernel functions (`decls`) and the
// statements of `run` (`body`), the C++ names of the buffers, and helpers
// that spell types, shapes, literals and tensor views.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_CODEGEN_EMITCOMMON_H
#define KILN_PASSES_CODEGEN_EMITCOMMON_H

#include "passes/codegen/Codegen.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "mlir/Support/IndentedOstream.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"

#include <optional>
#include <string>

namespace kiln::kernel {
class ElementwiseOp;
class LibraryCallOp;
class MatmulOp;
} // namespace kiln::kernel

namespace kiln::codegen {

/// The C++ type of a scalar: "float", "int64_t", "bool", ...; std::nullopt
/// for types codegen does not print.
std::optional<llvm::StringRef> getCType(mlir::Type type);

/// The unsigned C++ type of the same width ("uint32_t" for i32).
std::optional<llvm::StringRef> getUnsignedCType(mlir::Type type);

/// The ONNX TensorProto code of an element type; std::nullopt if none.
std::optional<int32_t> getOnnxDType(mlir::Type type);

/// "kiln::DType::Float" for 1, ...
std::string getDTypeConstant(int32_t dtype);

/// Bytes of one element in memory (i1 takes one byte).
int64_t getElementBytes(mlir::Type type);

/// "4, 8" (joined by `separator`).
std::string joinInts(llvm::ArrayRef<int64_t> values,
                     llvm::StringRef separator = ", ");

/// A float (or double) literal that reads back as exactly `value`.
std::string formatFloatLiteral(const llvm::APFloat &value, bool isDouble);

/// `value` as a C string literal, quotes included: every byte outside
/// printable ASCII, and `"`, `\` and `?`, is escaped, so the literal holds
/// any name from a model as data.
std::string quoteCString(llvm::StringRef value);

/// `value` for a `//` comment: a C string literal of at most its last 80
/// bytes, so no byte of a name can end the comment, splice a line or
/// become code.
std::string quoteForComment(llvm::StringRef value);

/// "file:line:col" (or the name of a NameLoc) of `loc`; "" if unknown.
std::string formatLocation(mlir::Location loc);

/// `prefix`, then `_` and the name of the first NameLoc in `loc` spelled as
/// a C identifier ("/layer1/Relu" gives "layer1_Relu"), if it has one.
std::string getReadableName(llvm::StringRef prefix, mlir::Location loc);

/// The state of printing one model.
class SourceEmitter {
public:
  explicit SourceEmitter(Target target)
      : target(target), declsStream(declsText), bodyStream(bodyText),
        decls(declsStream), body(bodyStream) {}

  bool isCuda() const { return target == Target::Cuda; }
  /// "cpu" or "cuda": the namespace of the kernel library.
  llvm::StringRef libraryNamespace() const {
    return isCuda() ? "kiln::cuda" : "kiln::cpu";
  }

  /// The C++ name of a buffer (a pointer of its element type).
  llvm::StringRef getName(mlir::Value buffer) const;
  /// Names `buffer` "b<N>" and returns the name.
  llvm::StringRef bindName(mlir::Value buffer);

  /// `kiln::TensorView{b3, kiln::DType::Float, 2, {4, 8}}`; fails with a
  /// diagnostic at `user` for an element type or rank the library lacks.
  mlir::FailureOr<std::string> getTensorView(mlir::Value buffer,
                                             mlir::Operation *user);

  /// What a runtime error message calls `op`: `kernel.matmul at f:1:2`.
  std::string describe(mlir::Operation *op, llvm::StringRef detail = "");

  /// Emits `call` into the body of run, returning from run with the message
  /// of a failing Status.
  void emitCheckedCall(llvm::StringRef call, mlir::Operation *op,
                       llvm::StringRef detail = "");

  /// A fresh id for a generated kernel function.
  unsigned nextKernelId() { return numKernels++; }

  /// The elementwise body functions printed so far: their parameter list
  /// and statements, as printed, to the function's name. Equal bodies are
  /// printed once.
  llvm::StringMap<std::string> elementwiseBodies;

  Target target;
  std::string declsText, bodyText;
  llvm::raw_string_ostream declsStream, bodyStream;
  /// Kernel functions, printed before `run`.
  mlir::raw_indented_ostream decls;
  /// Statements of `run`.
  mlir::raw_indented_ostream body;

private:
  llvm::DenseMap<mlir::Value, std::string> names;
  unsigned numBuffers = 0;
  unsigned numKernels = 0;
};

/// Prints one kernel.elementwise: its body once as a KILN_HD function, a
/// per-element function with the broadcast index math, and the cpu or cuda
/// driver; then the call of the driver into run.
mlir::LogicalResult emitElementwise(kernel::ElementwiseOp op,
                                    SourceEmitter &emitter);

/// Prints a kernel.matmul as a call of the library's matmul.
mlir::LogicalResult emitMatmul(kernel::MatmulOp op, SourceEmitter &emitter);

/// Prints a kernel.library_call as a call of the library function of the
/// callee, with attributes as literals in the order of the callee table.
mlir::LogicalResult emitLibraryCall(kernel::LibraryCallOp op,
                                    SourceEmitter &emitter);

} // namespace kiln::codegen

#endif // KILN_PASSES_CODEGEN_EMITCOMMON_H
