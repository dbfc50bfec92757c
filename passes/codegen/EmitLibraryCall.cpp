//===- EmitLibraryCall.cpp - Library calls and GEMMs as C++ -----*- C++ -*-===//
//
// kernel.library_call, kernel.conv, kernel.matmul and kernel.attention print
// as calls of kernels/cpu or kernels/cuda functions (docs/kernel-library.md),
// in a scope of their own:
//
//   {
//     const kiln::TensorView in0{b0, kiln::DType::Float, 2, {2, 8}};
//     const kiln::TensorView out0{b1, kiln::DType::Float, 2, {2, 8}};
//     if (kiln::Status status = kiln::cpu::softmax(in0, out0, 1); ...)
//       return kilnFail(ctx, "kernel.library_call \"softmax\" at ...", status);
//   }
//
// Arguments follow the callee table (dialects/kernel/KernelLibrary.h): the
// required inputs by reference, optional ones by pointer (null if absent),
// a variadic operand list as a braced list, then the attributes as literals
// (a dynamic entry of an array as the name of its size in kilnShapes).
//
//===----------------------------------------------------------------------===//

#include "passes/codegen/EmitCommon.h"

#include "dialects/kernel/KernelLibrary.h"
#include "dialects/kernel/KernelOps.h"

using namespace mlir;

namespace kiln::codegen {
namespace {

/// Declares `name` as the tensor view of `buffer` in the current scope.
LogicalResult declareView(SourceEmitter &emitter, Value buffer, StringRef name,
                          Operation *user) {
  FailureOr<std::string> view = emitter.getTensorView(buffer, user);
  if (failed(view))
    return failure();
  // `kiln::TensorView{...}` declared as `const kiln::TensorView name{...}`.
  StringRef init = StringRef(*view).drop_front(strlen("kiln::TensorView"));
  emitter.body << "const kiln::TensorView " << name << init << ";\n";
  return success();
}

/// The arguments for one operand list (`prefix` names the views).
std::string getOperandArgs(unsigned count, unsigned minCount, unsigned maxCount,
                           StringRef prefix) {
  auto name = [&](unsigned i) { return prefix.str() + std::to_string(i); };
  llvm::SmallVector<std::string> args;
  // A list of any length: a Span<const TensorView>.
  if (maxCount == ~0u) {
    for (unsigned i = 0; i < count; ++i)
      args.push_back(name(i));
    return "{" + llvm::join(args, ", ") + "}";
  }
  for (unsigned i = 0; i < maxCount; ++i) {
    if (i < minCount)
      args.push_back(name(i));
    else
      args.push_back(i < count ? "&" + name(i) : "nullptr");
  }
  return llvm::join(args, ", ");
}

/// The literal of attribute `attr`; a dynamic entry of an i64 array is the
/// size expression of the next of `sizes`.
FailureOr<std::string> getAttrLiteral(kernel::LibraryCallOp op,
                                      const kernel::LibraryAttr &attr,
                                      SourceEmitter &emitter,
                                      ValueRange &sizes) {
  Attribute value = op->getAttr(attr.name);
  if (!value)
    return op->emitError("library call lacks attribute '") << attr.name << "'";
  using Kind = kernel::LibraryAttrKind;
  switch (attr.kind) {
  case Kind::I64:
    return std::to_string(cast<IntegerAttr>(value).getInt());
  case Kind::F32:
    return formatFloatLiteral(cast<FloatAttr>(value).getValue(),
                              /*isDouble=*/false);
  case Kind::Bool:
    return std::string(cast<BoolAttr>(value).getValue() ? "true" : "false");
  case Kind::String:
    return quoteCString(cast<StringAttr>(value).getValue());
  case Kind::I64Array: {
    llvm::SmallVector<std::string> entries;
    for (int64_t entry : cast<DenseI64ArrayAttr>(value).asArrayRef()) {
      if (entry != ShapedType::kDynamic) {
        entries.push_back(std::to_string(entry));
        continue;
      }
      // The verifier matched the dynamic entries with the sizes.
      Value size = sizes.front();
      sizes = sizes.drop_front();
      if (!emitter.hasIndexExpr(size))
        return op.emitError("codegen cannot name a size of attribute '")
               << attr.name << "' of library call '" << op.getCallee() << "'";
      entries.push_back(emitter.getIndexExpr(size));
    }
    // Sizes are int64_t; a braced list of them is a Span<const int64_t>.
    return "{" + llvm::join(entries, ", ") + "}";
  }
  case Kind::F64Array: {
    // An empty braced list would be ambiguous: an empty Span.
    ArrayRef<double> values = cast<DenseF64ArrayAttr>(value).asArrayRef();
    if (values.empty())
      return std::string("kiln::Span<const double>()");
    llvm::SmallVector<std::string> literals;
    for (double v : values)
      literals.push_back(formatFloatLiteral(APFloat(v), /*isDouble=*/true));
    return "{" + llvm::join(literals, ", ") + "}";
  }
  }
  return failure();
}

/// Emits `{ views; checked call; }` for `op` calling `function(args)`.
LogicalResult emitScopedCall(SourceEmitter &emitter, Operation *op,
                             ValueRange inputs, ValueRange outputs,
                             StringRef function, StringRef args,
                             StringRef detail) {
  emitter.body << "{\n";
  emitter.body.indent();
  for (auto [i, input] : llvm::enumerate(inputs))
    if (failed(declareView(emitter, input, "in" + std::to_string(i), op)))
      return failure();
  for (auto [i, output] : llvm::enumerate(outputs))
    if (failed(declareView(emitter, output, "out" + std::to_string(i), op)))
      return failure();
  std::string call = (emitter.libraryNamespace() + "::" + function + "(" +
                      (emitter.isCuda() ? "kctx, " : "") + args + ")")
                         .str();
  emitter.emitCheckedCall(call, op, detail);
  emitter.body.unindent();
  emitter.body << "}\n";
  return success();
}

/// Prints the epilogue of `op`, if it has one: on the CPU appends the
/// callback to `args`, on CUDA sets `launch` to the call that runs it after
/// the library call.
LogicalResult emitEpilogueOf(Operation *op, Region &epilogue, ValueRange inputs,
                             Value out, SourceEmitter &emitter,
                             std::string &args, std::string &launch) {
  if (epilogue.empty())
    return success();
  FailureOr<std::string> code =
      emitEpilogue(op, epilogue, inputs, out, emitter);
  if (failed(code))
    return failure();
  if (emitter.isCuda())
    launch = *code;
  else
    args += ", " + *code;
  return success();
}

} // namespace

LogicalResult emitMatmul(kernel::MatmulOp op, SourceEmitter &emitter) {
  std::string args = "in0, in1, out0, " +
                     formatFloatLiteral(op.getAlphaAttr().getValue(), false) +
                     ", " +
                     formatFloatLiteral(op.getBetaAttr().getValue(), false) +
                     ", " + (op.getTransA() ? "true" : "false") + ", " +
                     (op.getTransB() ? "true" : "false");
  std::string launch;
  if (failed(emitEpilogueOf(op, op.getEpilogue(), op.getEpilogueInputs(),
                            op.getOut(), emitter, args, launch)))
    return failure();
  if (failed(emitScopedCall(emitter, op, ValueRange{op.getA(), op.getB()},
                            ValueRange{op.getOut()}, "matmul", args, "")))
    return failure();
  if (!launch.empty())
    emitter.emitCheckedCall(launch, op, "epilogue");
  return success();
}

LogicalResult emitConv(kernel::ConvOp op, SourceEmitter &emitter) {
  auto list = [](ArrayRef<int64_t> values) {
    return "{" +
           llvm::join(llvm::map_range(
                          values, [](int64_t v) { return std::to_string(v); }),
                      ", ") +
           "}";
  };
  std::string args =
      std::string("in0, in1, ") + (op.getBias() ? "&in2" : "nullptr") +
      ", out0, " + list(op.getStrides()) + ", " + list(op.getPads()) + ", " +
      list(op.getDilations()) + ", " + std::to_string(op.getGroup());
  std::string launch;
  if (failed(emitEpilogueOf(op, op.getEpilogue(), op.getEpilogueInputs(),
                            op.getOut(), emitter, args, launch)))
    return failure();
  SmallVector<Value> inputs{op.getX(), op.getW()};
  if (op.getBias())
    inputs.push_back(op.getBias());
  if (failed(emitScopedCall(emitter, op, inputs, ValueRange{op.getOut()},
                            "conv", args, "")))
    return failure();
  if (!launch.empty())
    emitter.emitCheckedCall(launch, op, "epilogue");
  return success();
}

LogicalResult emitAttention(kernel::AttentionOp op, SourceEmitter &emitter) {
  // q, k, v, [mask] are in0.., the mask by pointer (null when absent).
  SmallVector<Value> inputs{op.getQ(), op.getK(), op.getV()};
  if (op.getMask())
    inputs.push_back(op.getMask());
  std::string args =
      std::string("in0, in1, in2, ") + (op.getMask() ? "&in3" : "nullptr") +
      ", out0, " + formatFloatLiteral(op.getScaleAttr().getValue(), false);
  return emitScopedCall(emitter, op, inputs, ValueRange{op.getOut()},
                        "attention", args, "");
}

LogicalResult emitLibraryCall(kernel::LibraryCallOp op,
                              SourceEmitter &emitter) {
  StringRef callee = op.getCallee();
  const kernel::LibraryCallee *entry = kernel::lookupLibraryCallee(callee);
  if (!entry)
    return op.emitError("codegen does not know library callee '")
           << callee << "'";
  llvm::SmallVector<std::string> args;
  args.push_back(getOperandArgs(op.getInputs().size(), entry->minInputs,
                                entry->maxInputs, "in"));
  args.push_back(getOperandArgs(op.getOutputs().size(), entry->minOutputs,
                                entry->maxOutputs, "out"));
  ValueRange sizes = op.getSizes();
  for (const kernel::LibraryAttr &attr : entry->attrs) {
    FailureOr<std::string> literal = getAttrLiteral(op, attr, emitter, sizes);
    if (failed(literal))
      return failure();
    args.push_back(*literal);
  }
  llvm::erase_if(args, [](const std::string &arg) { return arg.empty(); });
  return emitScopedCall(emitter, op, op.getInputs(), op.getOutputs(), callee,
                        llvm::join(args, ", "), quoteCString(callee));
}

} // namespace kiln::codegen
