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
class ConvOp;
class ElementwiseOp;
class AllGatherOp;
class AllReduceOp;
class LibraryCallOp;
class AttentionOp;
class MatmulOp;
class ShardOp;
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

/// One kernel call site of run (EmitProfile.cpp): its kind and its op's
/// location, as kSites lists them.
struct KernelSite {
  std::string kind, name;
};

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

  /// The C++ expression of the size of dim `d` of `buffer`: a literal for
  /// a static dim; for a dynamic one, `input_shapes[i][d]` of an input, or
  /// the expression of the index value that the alloc, view or
  /// kernel.output_dims giving it holds.
  std::string getDimExpr(mlir::Value buffer, int64_t d) const;
  llvm::SmallVector<std::string> getDimExprs(mlir::Value buffer) const;
  /// The C++ expression of an index value: a literal or its bound name.
  std::string getIndexExpr(mlir::Value index) const;
  /// Whether `index` is a constant or has been named by bindIndex.
  bool hasIndexExpr(mlir::Value index) const;
  /// Names index value `index` `name` ("sh.d3"); the size of an input's
  /// dim (kernel.dim) then reads as that name too.
  void bindIndex(mlir::Value index, std::string name);
  /// Input dim `dim` of argument `arg` reads as `name`: it has the
  /// symbolic name of a dim bound already, so it is that size.
  void aliasInputDim(unsigned arg, int64_t dim, std::string name) {
    inputDimNames[{arg, dim}] = std::move(name);
  }
  /// The number of inputs of @main and the kernel.output_dims of its
  /// dynamic outputs, for getDimExpr.
  unsigned numInputs = 0;
  llvm::DenseMap<mlir::Value, mlir::Operation *> outputDims;
  /// Whether buffers are placed at run time: allocs are at
  /// `sh.offsets[slot]` (a model with dynamic dims).
  bool runTimeArena = false;

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
  /// A fresh id for a host scalar of control flow (`s<N>`).
  unsigned nextScalarId() { return numScalars++; }

  /// The elementwise body functions printed so far: their parameter list
  /// and statements, as printed, to the function's name. Equal bodies are
  /// printed once.
  llvm::StringMap<std::string> elementwiseBodies;

  /// The kernel sites of run printed so far, in the order of their marks.
  llvm::SmallVector<KernelSite> sites;

  Target target;
  std::string declsText, bodyText;
  llvm::raw_string_ostream declsStream, bodyStream;
  /// Kernel functions, printed before `run`.
  mlir::raw_indented_ostream decls;
  /// Statements of `run`.
  mlir::raw_indented_ostream body;

private:
  llvm::DenseMap<mlir::Value, std::string> names;
  llvm::DenseMap<mlir::Value, std::string> indexNames;
  llvm::DenseMap<std::pair<unsigned, int64_t>, std::string> inputDimNames;
  unsigned numBuffers = 0;
  unsigned numKernels = 0;
  unsigned numScalars = 0;
};

/// A run of output dims that every input of a broadcast kernel either reads
/// or broadcasts (EmitElementwise.cpp).
struct DimGroup {
  int64_t size;
  int64_t inner; // product of the sizes of the groups inside this one
  llvm::SmallVector<bool> broadcast; // per input
};

/// The output dims of size > 1 of `outShape`, grouped over `inShapes`.
llvm::SmallVector<DimGroup>
groupDims(llvm::ArrayRef<int64_t> outShape,
          llvm::ArrayRef<llvm::ArrayRef<int64_t>> inShapes);

/// The offset into input `k` for flat index `i` over `groups`, in units of
/// `stride` (the input's stride of the innermost group).
std::string getOffset(llvm::ArrayRef<DimGroup> groups, unsigned k,
                      llvm::ArrayRef<int64_t> inShape, int64_t numElements,
                      llvm::StringRef i = "i", int64_t stride = 1);

/// Prints, for row `r` of a static kernel's row loop (the innermost of
/// `groups`), how each input `<inputPrefix>k` is read, and returns the body
/// arguments at element `j` of the row: `name[0]` for one element, `rowK[j]`
/// along the row, or the scalar `sK` an input broadcast along it holds.
llvm::SmallVector<std::string>
emitRowInputs(llvm::ArrayRef<DimGroup> groups,
              llvm::ArrayRef<llvm::ArrayRef<int64_t>> inShapes,
              int64_t numElements, llvm::StringRef inputPrefix,
              mlir::raw_indented_ostream &os);

/// Prints `block` (an elementwise region) as a KILN_HD body function taking
/// its arguments by value and `resultTypes` by reference, unless an earlier
/// kernel printed the same body; returns the body's name.
mlir::FailureOr<std::string> emitSharedBody(mlir::Block &block,
                                            mlir::TypeRange resultTypes,
                                            llvm::StringRef prefix,
                                            SourceEmitter &emitter);

/// Prints the CUDA driver of a static kernel over `numElements` elements:
/// `<prefix>At(i, params)` running `elementCall`, a grid-stride
/// `<prefix>Kernel` and the checked launcher `<prefix>(kctx, params)`.
void emitGridDriver(llvm::StringRef prefix, llvm::StringRef paramList,
                    llvm::StringRef argList, llvm::StringRef elementCall,
                    int64_t numElements, mlir::raw_indented_ostream &os);

/// Prints one kernel.elementwise: its body once as a KILN_HD function, a
/// per-element function with the broadcast index math, and the cpu or cuda
/// driver; then the call of the driver into run.
mlir::LogicalResult emitElementwise(kernel::ElementwiseOp op,
                                    SourceEmitter &emitter);

/// Prints scf.if / scf.for / scf.while as host control flow in run, with
/// the host scalars, row copies and checks they use (kernel.load_scalar,
/// kernel.store_scalar, kernel.extract_row, kernel.insert_row,
/// kernel.check_trip_count, arith on i1 / i64); `emitOp` prints each op of
/// their regions. std::nullopt for other ops.
std::optional<mlir::LogicalResult> emitControlFlow(
    mlir::Operation *op, SourceEmitter &emitter,
    llvm::function_ref<mlir::LogicalResult(mlir::Operation *)> emitOp);

/// Prints the collectives of a partitioned model (EmitCollectives.cpp).
mlir::LogicalResult emitAllReduce(kernel::AllReduceOp op,
                                  SourceEmitter &emitter);
mlir::LogicalResult emitAllGather(kernel::AllGatherOp op,
                                  SourceEmitter &emitter);
mlir::LogicalResult emitShard(kernel::ShardOp op, SourceEmitter &emitter);

/// Prints a kernel.conv as a call of the library conv; its epilogue as a
/// functor the CPU conv runs on each block of the output, or as an
/// elementwise launch over the output after the CUDA conv (EmitConv.cpp).
mlir::LogicalResult emitConv(kernel::ConvOp op, SourceEmitter &emitter);

/// Prints the epilogue region of `op` (which writes `out`) with its kernel
/// functions. On the CPU it also declares the kiln::cpu::Epilogue in run and
/// returns a pointer expression to it; on CUDA it returns the checked call
/// that launches it over `out`.
mlir::FailureOr<std::string>
emitEpilogue(mlir::Operation *op, mlir::Region &epilogue,
             mlir::ValueRange inputs, mlir::Value out, SourceEmitter &emitter);

/// Prints a kernel.matmul as a call of the library's matmul.
mlir::LogicalResult emitMatmul(kernel::MatmulOp op, SourceEmitter &emitter);
mlir::LogicalResult emitAttention(kernel::AttentionOp op,
                                  SourceEmitter &emitter);

/// Prints a kernel.library_call as a call of the library function of the
/// callee, with attributes as literals in the order of the callee table.
mlir::LogicalResult emitLibraryCall(kernel::LibraryCallOp op,
                                    SourceEmitter &emitter);

/// Before `op`, if it is a kernel site (EmitProfile.cpp): adds it to
/// `emitter.sites` and prints the mark of its start for ctx->profiler.
void emitSiteMark(mlir::Operation *op, SourceEmitter &emitter);
/// Before run returns: the mark that ends its last site's call.
void emitRunEndMark(SourceEmitter &emitter);
/// The kilnMark helper of the prologue.
void emitProfileHelper(llvm::raw_ostream &os, Target target);
/// `const kiln_kernel_site kSites[] = {...};` (nothing for no sites).
void emitSiteTable(llvm::raw_ostream &os, llvm::ArrayRef<KernelSite> sites);

} // namespace kiln::codegen

#endif // KILN_PASSES_CODEGEN_EMITCOMMON_H
