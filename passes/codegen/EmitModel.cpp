//===- EmitModel.cpp - A planned kernel module as one source ----*- C++ -*-===//
//
// The source implements runtime/ModelAbi.h: static descriptions of the
// inputs, outputs and weights, the arena size, and `run`, which names every
// buffer (an input, an output, weights[i], arena + offset, or a view of
// another buffer) and then executes the ops of @main in order.
//
//===----------------------------------------------------------------------===//

#include "passes/codegen/Codegen.h"
#include "passes/codegen/EmitCommon.h"
#include "passes/codegen/EmitScalar.h"
#include "passes/codegen/ModelSignature.h"

#include "dialects/kernel/KernelOps.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace kiln {
namespace {

using codegen::SourceEmitter;

/// One row of a kiln_io_desc table.
struct IoDesc {
  std::string name;
  MemRefType type;
};

/// The pointer declaration of a buffer: `float *b3 = <expr>;`.
void declareBuffer(SourceEmitter &emitter, Value buffer, StringRef expr) {
  Type elementType = cast<MemRefType>(buffer.getType()).getElementType();
  StringRef cType = *codegen::getCType(elementType);
  StringRef name = emitter.bindName(buffer);
  emitter.body << cType << " *" << name << " = static_cast<" << cType << " *>("
               << expr << ");\n";
}

/// Every size codegen prints is a product of the dims of one buffer: each
/// must be static and hold at most kMaxTensorBytes, so none overflows.
LogicalResult checkBufferSizes(func::FuncOp func) {
  auto check = [](Location loc, Type type) -> LogicalResult {
    auto memref = dyn_cast<MemRefType>(type);
    if (!memref || kernel::getBufferBytes(memref))
      return success();
    return emitError(loc, "codegen needs static buffers of at most 2^62 "
                          "bytes, got ")
           << type;
  };
  for (BlockArgument arg : func.getArguments())
    if (failed(check(arg.getLoc(), arg.getType())))
      return failure();
  WalkResult walk = func.walk([&](Operation *op) {
    for (Type type : op->getResultTypes())
      if (failed(check(op->getLoc(), type)))
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return failure(walk.wasInterrupted());
}

LogicalResult checkElementType(Operation *op, MemRefType type) {
  if (codegen::getCType(type.getElementType()))
    return success();
  return op->emitError("codegen does not support element type ")
         << type.getElementType();
}

LogicalResult emitCopy(kernel::CopyOp op, SourceEmitter &emitter) {
  // checkBufferSizes has sized every buffer.
  int64_t bytes =
      *kernel::getBufferBytes(cast<MemRefType>(op.getSource().getType()));
  StringRef target = emitter.getName(op.getTarget());
  StringRef source = emitter.getName(op.getSource());
  // An empty buffer may be a null pointer, which memcpy must not get.
  if (bytes == 0)
    return success();
  if (!emitter.isCuda()) {
    emitter.body << "memcpy(" << target << ", " << source << ", " << bytes
                 << ");\n";
    return success();
  }
  emitter.body << "if (cudaError_t error = cudaMemcpyAsync(" << target << ", "
               << source << ", " << bytes
               << ", cudaMemcpyDeviceToDevice, kctx.stream); error != "
                  "cudaSuccess)\n";
  emitter.body << "  return kilnFail(ctx, "
               << codegen::quoteCString(emitter.describe(op))
               << ", cudaGetErrorString(error));\n";
  return success();
}

/// Emits the statements of `run` for one op of @main.
LogicalResult emitOp(Operation *op, SourceEmitter &emitter,
                     llvm::DenseMap<Operation *, unsigned> &weightIndex) {
  for (Type type : op->getResultTypes())
    if (auto memref = dyn_cast<MemRefType>(type))
      if (failed(checkElementType(op, memref)))
        return failure();
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](kernel::AllocOp alloc) -> LogicalResult {
        std::optional<int64_t> offset = alloc.getOffset();
        if (!offset)
          return alloc.emitError(
              "kernel.alloc has no planned offset (run kiln-plan-buffers)");
        declareBuffer(
            emitter, alloc.getBuffer(),
            ("static_cast<void *>(arenaBytes + " + Twine(*offset) + ")").str());
        return success();
      })
      .Case([&](kernel::WeightOp weight) {
        declareBuffer(emitter, weight.getBuffer(),
                      "weights[" + std::to_string(weightIndex[weight]) + "]");
        return success();
      })
      .Case([&](kernel::ViewOp view) {
        declareBuffer(
            emitter, view.getResult(),
            ("static_cast<void *>(" + emitter.getName(view.getSource()) + ")")
                .str());
        return success();
      })
      .Case([&](kernel::CopyOp copy) { return emitCopy(copy, emitter); })
      .Case([&](kernel::ElementwiseOp elementwise) {
        return codegen::emitElementwise(elementwise, emitter);
      })
      .Case([&](kernel::MatmulOp matmul) {
        return codegen::emitMatmul(matmul, emitter);
      })
      .Case([&](kernel::LibraryCallOp call) {
        return codegen::emitLibraryCall(call, emitter);
      })
      .Case([&](func::ReturnOp) {
        emitter.body << "return 0;\n";
        return success();
      })
      .Default([&](Operation *) {
        return op->emitError("codegen does not support '")
               << op->getName() << "'";
      });
}

void emitPrologue(raw_ostream &os, Target target) {
  StringRef kind = target == Target::Cuda ? "CUDA C++" : "C++";
  os << "// Generated by kiln-compile: the model as " << kind
     << " for runtime/ModelAbi.h.\n";
  os << "// Do not edit; recompile the model instead.\n\n";
  os << "#include \"runtime/ModelAbi.h\"\n";
  os << "#include \"kernels/common/Tensor.h\"\n";
  if (target == Target::Cuda) {
    os << "#include \"kernels/cuda/Kernels.h\"\n";
    os << "#include \"runtime/CudaContext.h\"\n\n";
    os << "#include <cuda_runtime.h>\n";
  } else {
    os << "#include \"kernels/cpu/Kernels.h\"\n\n";
  }
  os << "#include <math.h>\n#include <stdint.h>\n#include <stdio.h>\n"
        "#include <string.h>\n\n";
  os << "namespace {\n\n";
  os << "// Writes `what: message` into ctx->error; returns run's failure "
        "code.\n";
  os << "int kilnFail(kiln_exec_context *ctx, const char *what,\n"
        "             const char *message) {\n"
        "  if (ctx->error && ctx->error_size > 0)\n"
        "    snprintf(ctx->error, static_cast<size_t>(ctx->error_size), "
        "\"%s: %s\", what,\n"
        "             message);\n"
        "  return 1;\n"
        "}\n";
  os << "int kilnFail(kiln_exec_context *ctx, const char *what,\n"
        "             const kiln::Status &status) {\n"
        "  return kilnFail(ctx, what, status.message());\n"
        "}\n";
  os << codegen::kScalarHelpers;
}

/// `const kiln_io_desc kInputs[] = {...};` with the shapes before it.
void emitDescTable(raw_ostream &os, StringRef table, ArrayRef<IoDesc> rows) {
  if (rows.empty())
    return;
  for (auto [i, row] : llvm::enumerate(rows))
    if (row.type.getRank() > 0)
      os << "const int64_t " << table << "Shape" << i << "[] = {"
         << codegen::joinInts(row.type.getShape()) << "};\n";
  os << "const kiln_io_desc " << table << "[] = {\n";
  for (auto [i, row] : llvm::enumerate(rows)) {
    std::string shape = row.type.getRank() > 0
                            ? (table + "Shape" + Twine(i)).str()
                            : std::string("nullptr");
    os << "    {" << codegen::quoteCString(row.name) << ", "
       << *codegen::getOnnxDType(row.type.getElementType()) << ", "
       << row.type.getRank() << ", " << shape << ", nullptr},\n";
  }
  os << "};\n";
}

} // namespace

LogicalResult emitModelSource(ModuleOp module, Target target, raw_ostream &os) {
  FailureOr<codegen::ModelSignature> signature =
      codegen::getModelSignature(module);
  if (failed(signature))
    return failure();
  func::FuncOp func = signature->func;
  if (failed(checkBufferSizes(func)))
    return failure();

  SourceEmitter emitter(target);
  emitter.body.indent();
  emitter.body << "char *const arenaBytes = static_cast<char *>(arena);\n";
  emitter.body << "(void)arenaBytes;\n";
  if (emitter.isCuda())
    emitter.body << "const kiln::cuda::Context kctx = "
                    "kiln::cuda::makeContext(ctx);\n";

  llvm::SmallVector<IoDesc> inputs, outputs, weights;
  for (BlockArgument arg : func.getArguments()) {
    unsigned index = arg.getArgNumber();
    auto type = cast<MemRefType>(arg.getType());
    if (failed(checkElementType(func, type)))
      return failure();
    bool isInput = index < signature->numInputs;
    IoDesc desc{signature->getArgName(index), type};
    std::string expr =
        isInput
            ? "const_cast<void *>(inputs[" + std::to_string(index) + "])"
            : "outputs[" + std::to_string(index - signature->numInputs) + "]";
    emitter.body << "// " << (isInput ? "input " : "output ")
                 << codegen::quoteForComment(desc.name) << " is ("
                 << codegen::joinInts(type.getShape()) << ").\n";
    declareBuffer(emitter, arg, expr);
    (isInput ? inputs : outputs).push_back(desc);
  }

  llvm::DenseMap<Operation *, unsigned> weightIndex;
  bool hasAllocs = false;
  func.walk([&](Operation *op) {
    if (auto weight = dyn_cast<kernel::WeightOp>(op)) {
      weightIndex[weight] = weights.size();
      weights.push_back(
          {weight.getName().str(), cast<MemRefType>(weight.getType())});
    }
    hasAllocs |= isa<kernel::AllocOp>(op);
  });

  int64_t arenaBytes = 0;
  if (auto attr = func->getAttrOfType<IntegerAttr>("kernel.arena_bytes"))
    arenaBytes = attr.getInt();
  else if (hasAllocs)
    return func.emitError(
        "@main has no kernel.arena_bytes (run kiln-plan-buffers)");

  for (Operation &op : func.getBody().front())
    if (failed(emitOp(&op, emitter, weightIndex)))
      return failure();

  emitPrologue(os, target);
  os << emitter.declsText << "\n";
  os << "int run(kiln_exec_context *ctx, void *const *weights, void *arena,\n"
        "        const void *const *inputs, const int64_t *const "
        "*input_shapes,\n"
        "        void *const *outputs) {\n";
  os << "  (void)weights;\n  (void)input_shapes;\n";
  os << emitter.bodyText;
  os << "}\n\n";
  emitDescTable(os, "kInputs", inputs);
  emitDescTable(os, "kOutputs", outputs);
  emitDescTable(os, "kWeights", weights);
  auto tableOrNull = [](ArrayRef<IoDesc> rows, StringRef name) {
    return rows.empty() ? StringRef("nullptr") : name;
  };
  // Every shape is static: the outputs' are the declared ones.
  os << "\n// The outputs' shapes and the arena's size for these inputs.\n";
  os << "int plan(kiln_exec_context *ctx, const int64_t *const "
        "*input_shapes,\n"
        "         int64_t *const *output_shapes, int64_t *arena_bytes) {\n";
  os << "  (void)ctx;\n  (void)input_shapes;\n";
  if (!outputs.empty()) {
    os << "  for (int i = 0; i < " << outputs.size() << "; ++i)\n";
    os << "    for (int d = 0; d < kOutputs[i].rank; ++d)\n";
    os << "      output_shapes[i][d] = kOutputs[i].shape[d];\n";
  }
  os << "  *arena_bytes = " << arenaBytes << ";\n";
  os << "  return 0;\n}\n\n";
  os << "const kiln_entry_desc kEntries[] = {\n";
  os << "    {\"main\", " << inputs.size() << ", "
     << tableOrNull(inputs, "kInputs") << ", " << outputs.size() << ", "
     << tableOrNull(outputs, "kOutputs") << ", plan, run},\n";
  os << "};\n\n";
  os << "const kiln_model_desc kModel = {\n";
  os << "    KILN_MODEL_ABI_VERSION,\n";
  os << "    \"" << getTargetName(target) << "\",\n";
  os << "    " << weights.size() << ", " << tableOrNull(weights, "kWeights")
     << ",\n";
  os << "    1, kEntries,\n";
  os << "};\n\n";
  os << "} // namespace\n\n";
  os << "const kiln_model_desc *kiln_model_describe(void) { return &kModel; "
        "}\n";
  return success();
}

} // namespace kiln
