//===- EmitModel.cpp - A planned kernel module as one source ----*- C++ -*-===//
//
// The source implements runtime/ModelAbi.h: static descriptions of the
// inputs, outputs and weights, the arena size, and `run`, which names every
// buffer (an input, an output, weights[i], arena + offset, or a view of
// another buffer) and then executes the ops of @main in order, the regions
// of scf ops as host control flow (EmitControlFlow.cpp).
//
//===----------------------------------------------------------------------===//

#include "passes/codegen/Codegen.h"
#include "passes/codegen/EmitCommon.h"
#include "passes/codegen/EmitScalar.h"
#include "passes/codegen/ModelSignature.h"

#include "dialects/kernel/KernelOps.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace kiln {
namespace {

using codegen::SourceEmitter;

/// One row of a kiln_io_desc table.
struct IoDesc {
  std::string name;
  MemRefType type;
  /// The symbolic names of its dims ("" for none).
  SmallVector<std::string> dimNames = {};
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
/// static buffer must hold at most kMaxTensorBytes, so none overflows (the
/// sizes of dynamic ones are checked at run time).
LogicalResult checkBufferSizes(func::FuncOp func) {
  auto check = [](Location loc, Type type) -> LogicalResult {
    auto memref = dyn_cast<MemRefType>(type);
    if (!memref || !memref.hasStaticShape() || kernel::getBufferBytes(memref))
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

LogicalResult emitCopyCall(SourceEmitter &emitter, kernel::CopyOp op,
                           StringRef target, StringRef source,
                           StringRef bytes);

LogicalResult emitCopy(kernel::CopyOp op, SourceEmitter &emitter) {
  auto type = cast<MemRefType>(op.getSource().getType());
  StringRef target = emitter.getName(op.getTarget());
  StringRef source = emitter.getName(op.getSource());
  std::string bytes;
  if (type.hasStaticShape()) {
    // checkBufferSizes has sized every static buffer.
    int64_t size = *kernel::getBufferBytes(type);
    // An empty buffer may be a null pointer, which memcpy must not get.
    if (size == 0)
      return success();
    bytes = std::to_string(size);
  } else {
    // The run-time shapes have been checked to fit 2^62 bytes.
    SmallVector<std::string> factors = emitter.getDimExprs(op.getSource());
    factors.push_back(std::to_string(codegen::getElementBytes(type.getElementType())));
    bytes = "copyBytes";
    emitter.body << "if (const int64_t copyBytes = " << llvm::join(factors, " * ")
                 << "; copyBytes != 0)\n";
    emitter.body.indent();
    LogicalResult result = emitCopyCall(emitter, op, target, source, bytes);
    emitter.body.unindent();
    return result;
  }
  return emitCopyCall(emitter, op, target, source, bytes);
}

LogicalResult emitCopyCall(SourceEmitter &emitter, kernel::CopyOp op,
                           StringRef target, StringRef source,
                           StringRef bytes) {
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

/// Whether `op` computes a size: kernel.dim, kernel.broadcast_dim, or arith
/// on index values. Sizes are computed before any op runs (kilnShapes).
bool isShapeOp(Operation *op) {
  if (isa<kernel::DimOp, kernel::BroadcastDimOp, kernel::AssertDimOp>(op))
    return true;
  if (!isa_and_present<arith::ArithDialect>(op->getDialect()) ||
      op->getNumResults() != 1)
    return false;
  Type type = op->getResult(0).getType();
  if (type.isIndex())
    return true;
  // Comparisons and logic of sizes at the top of @main give i1 (held as
  // 0 / 1); booleans of control flow are the run's own.
  return type.isInteger(1) && isa<func::FuncOp>(op->getParentOp()) &&
         llvm::all_of(op->getOperands(), [](Value operand) {
           if (operand.getType().isIndex())
             return true;
           Operation *def = operand.getDefiningOp();
           return operand.getType().isInteger(1) && def && isShapeOp(def);
         });
}

/// Emits the statements of `run` for one op of @main.
LogicalResult emitOp(Operation *op, SourceEmitter &emitter,
                     const llvm::DenseMap<Operation *, unsigned> &weightIndex) {
  for (Type type : op->getResultTypes())
    if (auto memref = dyn_cast<MemRefType>(type))
      if (failed(checkElementType(op, memref)))
        return failure();
  codegen::emitSiteMark(op, emitter);
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](kernel::AllocOp alloc) -> LogicalResult {
        if (emitter.runTimeArena) {
          std::optional<int64_t> slot = alloc.getSlot();
          if (!slot)
            return alloc.emitError(
                "kernel.alloc has no planned slot (run kiln-plan-buffers)");
          declareBuffer(emitter, alloc.getBuffer(),
                        ("static_cast<void *>(arenaBytes + sh.offsets[" +
                         Twine(*slot) + "])")
                            .str());
          return success();
        }
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
                      "weights[" + std::to_string(weightIndex.lookup(weight)) + "]");
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
      .Case([&](kernel::AttentionOp attention) {
        return codegen::emitAttention(attention, emitter);
      })
      .Case(
          [&](kernel::ConvOp conv) { return codegen::emitConv(conv, emitter); })
      .Case([&](kernel::AllReduceOp reduce) {
        return codegen::emitAllReduce(reduce, emitter);
      })
      .Case([&](kernel::AllGatherOp gather) {
        return codegen::emitAllGather(gather, emitter);
      })
      .Case([&](kernel::ShardOp shard) {
        return codegen::emitShard(shard, emitter);
      })
      .Case([&](kernel::LibraryCallOp call) {
        return codegen::emitLibraryCall(call, emitter);
      })
      .Case([&](kernel::FillSizesOp fill) -> LogicalResult {
        auto type = cast<MemRefType>(fill.getTarget().getType());
        std::string cType = codegen::getCType(type.getElementType())->str();
        StringRef target = emitter.getName(fill.getTarget());
        SmallVector<std::string> sizes;
        for (Value size : fill.getSizes())
          sizes.push_back(emitter.getIndexExpr(size));
        if (!emitter.isCuda()) {
          for (auto [i, size] : llvm::enumerate(sizes))
            emitter.body << target << "[" << i << "] = static_cast<" << cType
                         << ">(" << size << ");\n";
          return success();
        }
        if (sizes.size() > 64)
          return fill.emitError("codegen fills at most 64 sizes");
        emitter.body << "{\n";
        emitter.body << "  KilnSizes sizes{};\n";
        for (auto [i, size] : llvm::enumerate(sizes))
          emitter.body << "  sizes.v[" << i << "] = " << size << ";\n";
        emitter.body << "  kilnFillSizes<" << cType << "><<<1, 64, 0, "
                     << "kctx.stream>>>(" << target << ", sizes, "
                     << sizes.size() << ");\n";
        emitter.body.indent();
        emitter.emitCheckedCall(
            "kiln::cuda::checkLaunch(\"kilnFillSizes\", __FILE__, __LINE__)",
            fill);
        emitter.body.unindent();
        emitter.body << "}\n";
        return success();
      })
      // Sizes are computed before the ops run (kilnShapes).
      .Case<kernel::DimOp, kernel::BroadcastDimOp, kernel::AssertDimOp,
            kernel::OutputDimsOp>([&](Operation *) { return success(); })
      .Case([&](func::ReturnOp) {
        codegen::emitRunEndMark(emitter);
        emitter.body << "return 0;\n";
        return success();
      })
      .Default([&](Operation *) -> LogicalResult {
        if (isShapeOp(op))
          return success();
        if (std::optional<LogicalResult> result =
                codegen::emitControlFlow(op, emitter, [&](Operation *nested) {
                  return emitOp(nested, emitter, weightIndex);
                }))
          return *result;
        return op->emitError("codegen does not support '")
               << op->getName() << "'";
      });
}

void emitPrologue(raw_ostream &os, Target target, bool dynamic) {
  StringRef kind = target == Target::Cuda ? "CUDA C++" : "C++";
  os << "// Generated by kiln-compile: the model as " << kind
     << " for runtime/ModelAbi.h.\n";
  os << "// Do not edit; recompile the model instead.\n\n";
  os << "#include \"runtime/ModelAbi.h\"\n";
  os << "#include \"kernels/common/FastMath.h\"\n";
  os << "#include \"kernels/common/Tensor.h\"\n";
  if (dynamic) {
    os << "#include \"kernels/common/ArenaPlan.h\"\n";
    os << "#include \"kernels/common/Broadcast.h\"\n";
  }
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
  codegen::emitProfileHelper(os, target);
  if (dynamic && target == Target::Cuda) {
    os << "\n// Sizes written into a device buffer (kernel.fill_sizes).\n";
    os << "struct KilnSizes {\n  int64_t v[64];\n};\n";
    os << "template <typename T>\n";
    os << "__global__ void kilnFillSizes(T *p, KilnSizes sizes, int n) {\n";
    os << "  for (int i = threadIdx.x; i < n; i += blockDim.x)\n";
    os << "    p[i] = static_cast<T>(sizes.v[i]);\n";
    os << "}\n";
  }
}

/// `const kiln_io_desc kInputs[] = {...};` with the shapes before it.
void emitDescTable(raw_ostream &os, StringRef table, ArrayRef<IoDesc> rows) {
  if (rows.empty())
    return;
  for (auto [i, row] : llvm::enumerate(rows)) {
    if (row.type.getRank() == 0)
      continue;
    SmallVector<int64_t> shape;
    for (int64_t dim : row.type.getShape())
      shape.push_back(ShapedType::isDynamic(dim) ? -1 : dim);
    os << "const int64_t " << table << "Shape" << i << "[] = {"
       << codegen::joinInts(shape) << "};\n";
    if (llvm::all_of(row.dimNames,
                     [](const std::string &name) { return name.empty(); }))
      continue;
    SmallVector<std::string> names;
    for (const std::string &name : row.dimNames)
      names.push_back(name.empty() ? "nullptr" : codegen::quoteCString(name));
    os << "const char *const " << table << "Dims" << i << "[] = {"
       << llvm::join(names, ", ") << "};\n";
  }
  os << "const kiln_io_desc " << table << "[] = {\n";
  for (auto [i, row] : llvm::enumerate(rows)) {
    std::string shape = row.type.getRank() > 0
                            ? (table + "Shape" + Twine(i)).str()
                            : std::string("nullptr");
    bool named = llvm::any_of(
        row.dimNames, [](const std::string &name) { return !name.empty(); });
    std::string dims =
        named ? (table + "Dims" + Twine(i)).str() : std::string("nullptr");
    os << "    {" << codegen::quoteCString(row.name) << ", "
       << *codegen::getOnnxDType(row.type.getElementType()) << ", "
       << row.type.getRank() << ", " << shape << ", " << dims << "},\n";
  }
  os << "};\n";
}

/// Whether any buffer of `func` has a dynamic dim.
bool hasDynamicDims(func::FuncOp func) {
  auto isDynamic = [](Type type) {
    auto memref = dyn_cast<MemRefType>(type);
    return memref && !memref.hasStaticShape();
  };
  if (llvm::any_of(func.getArgumentTypes(), isDynamic))
    return true;
  WalkResult walk = func.walk([&](Operation *op) {
    return llvm::any_of(op->getResultTypes(), isDynamic)
               ? WalkResult::interrupt()
               : WalkResult::advance();
  });
  return walk.wasInterrupted();
}

/// One size computation of kilnShapes into `name`: checked arithmetic, so a
/// run whose shapes overflow fails with a message naming the op.
LogicalResult emitShapeOp(Operation *op, SourceEmitter &emitter,
                          raw_indented_ostream &os, const std::string &name) {
  auto operand = [&](unsigned i) {
    return emitter.getIndexExpr(op->getOperand(i));
  };
  std::string what = codegen::quoteCString(emitter.describe(op));
  auto fail = [&](StringRef condition, StringRef message) {
    os << "if (" << condition << ")\n";
    os << "  return kilnFail(ctx, " << what << ", " << message << ");\n";
  };
  bool onSizes = !isa<kernel::DimOp>(op);
  if (onSizes)
    for (Value value : op->getOperands())
      if (!emitter.hasIndexExpr(value))
        return op->emitError("codegen cannot print the size arithmetic of '")
               << op->getName() << "': an operand is not a size";
  std::string a = onSizes && op->getNumOperands() > 0 ? operand(0) : "";
  std::string b = onSizes && op->getNumOperands() > 1 ? operand(1) : "";
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](kernel::DimOp dim) {
        unsigned arg = cast<BlockArgument>(dim.getSource()).getArgNumber();
        os << name << " = input_shapes[" << arg << "][" << dim.getIndex()
           << "];\n";
        return success();
      })
      .Case([&](kernel::BroadcastDimOp) {
        os << name << " = " << a << " == " << b << " || " << b << " == 1 ? "
           << a << " : " << b << ";\n";
        os << "if (" << a << " != " << b << " && " << a << " != 1 && " << b
           << " != 1) {\n";
        os << "  char message[96];\n";
        os << "  snprintf(message, sizeof(message), \"dims %lld and %lld do "
              "not broadcast\", static_cast<long long>("
           << a << "), static_cast<long long>(" << b << "));\n";
        os << "  return kilnFail(ctx, " << what << ", message);\n";
        os << "}\n";
        return success();
      })
      .Case([&](kernel::AssertDimOp assertDim) {
        os << "if (" << a << " != " << b << ") {\n";
        os << "  char message[160];\n";
        os << "  snprintf(message, sizeof(message), \"%s %lld, the model "
              "needs %lld\", "
           << codegen::quoteCString(assertDim.getWhat())
           << ", static_cast<long long>(" << a << "), static_cast<long long>("
           << b << "));\n";
        os << "  return kilnFail(ctx, " << what << ", message);\n";
        os << "}\n";
        return success();
      })
      .Case([&](arith::AddIOp) {
        fail("__builtin_add_overflow(" + a + ", " + b + ", &" + name + ")",
             "\"size arithmetic overflows\"");
        return success();
      })
      .Case([&](arith::SubIOp) {
        fail("__builtin_sub_overflow(" + a + ", " + b + ", &" + name + ")",
             "\"size arithmetic overflows\"");
        return success();
      })
      .Case([&](arith::MulIOp) {
        fail("__builtin_mul_overflow(" + a + ", " + b + ", &" + name + ")",
             "\"size arithmetic overflows\"");
        return success();
      })
      .Case<arith::DivSIOp, arith::CeilDivSIOp, arith::FloorDivSIOp,
            arith::RemSIOp>([&](Operation *) {
        fail(b + " == 0 || (" + a + " == INT64_MIN && " + b + " == -1)",
             "\"size arithmetic divides by 0\"");
        if (isa<arith::DivSIOp>(op))
          os << name << " = " << a << " / " << b << ";\n";
        else if (isa<arith::RemSIOp>(op))
          os << name << " = " << a << " % " << b << ";\n";
        else if (isa<arith::CeilDivSIOp>(op))
          os << name << " = " << a << " / " << b << " + ((" << a << " % " << b
             << " != 0) && ((" << a << " < 0) == (" << b << " < 0)));\n";
        else
          os << name << " = " << a << " / " << b << " - ((" << a << " % " << b
             << " != 0) && ((" << a << " < 0) != (" << b << " < 0)));\n";
        return success();
      })
      .Case([&](arith::MaxSIOp) {
        os << name << " = " << a << " > " << b << " ? " << a << " : " << b
           << ";\n";
        return success();
      })
      .Case([&](arith::MinSIOp) {
        os << name << " = " << a << " < " << b << " ? " << a << " : " << b
           << ";\n";
        return success();
      })
      .Case([&](arith::CmpIOp cmp) -> LogicalResult {
        StringRef symbol;
        switch (cmp.getPredicate()) {
        case arith::CmpIPredicate::eq: symbol = "=="; break;
        case arith::CmpIPredicate::ne: symbol = "!="; break;
        case arith::CmpIPredicate::slt: symbol = "<"; break;
        case arith::CmpIPredicate::sle: symbol = "<="; break;
        case arith::CmpIPredicate::sgt: symbol = ">"; break;
        case arith::CmpIPredicate::sge: symbol = ">="; break;
        default:
          return op->emitError("codegen does not support unsigned "
                               "comparisons in size arithmetic");
        }
        os << name << " = " << a << " " << symbol << " " << b << ";\n";
        return success();
      })
      .Case([&](arith::SelectOp) {
        os << name << " = " << a << " ? " << b << " : " << operand(2)
           << ";\n";
        return success();
      })
      .Case<arith::AndIOp, arith::OrIOp, arith::XOrIOp>([&](Operation *) {
        StringRef symbol = isa<arith::AndIOp>(op)  ? "&"
                           : isa<arith::OrIOp>(op) ? "|"
                                                   : "^";
        os << name << " = " << a << " " << symbol << " " << b << ";\n";
        return success();
      })
      .Case<arith::IndexCastUIOp, arith::IndexCastOp>([&](Operation *) {
        os << name << " = " << a << ";\n";
        return success();
      })
      .Default([&](Operation *) {
        return op->emitError("codegen does not support '")
               << op->getName() << "' in size arithmetic";
      });
}

/// `struct KilnShapes` and `kilnShapes`, which compute from the input
/// shapes every dynamic size and the placement of the buffers in the arena
/// (kernels/common/ArenaPlan.h), for plan and run alike.
LogicalResult emitShapes(func::FuncOp func, SourceEmitter &emitter,
                         raw_ostream &out) {
  std::string text;
  llvm::raw_string_ostream stream(text);
  raw_indented_ostream os(stream);
  os.indent();
  // Input dims by symbolic name: one size each (the runtime has checked
  // that dims of one name agree).
  llvm::StringMap<SmallVector<std::pair<unsigned, int64_t>>> dimsByName;
  for (unsigned arg = 0; arg < emitter.numInputs; ++arg)
    if (auto names = func.getArgAttrOfType<ArrayAttr>(arg, "graph.dim_names"))
      for (auto [d, name] : llvm::enumerate(names))
        if (auto text = dyn_cast<StringAttr>(name); text && !text.empty())
          dimsByName[text.getValue()].push_back({arg, d});
  auto symbolOf = [&](unsigned arg, int64_t d) -> StringRef {
    auto names = func.getArgAttrOfType<ArrayAttr>(arg, "graph.dim_names");
    if (!names || d >= static_cast<int64_t>(names.size()))
      return "";
    auto text = dyn_cast<StringAttr>(names[d]);
    return text ? text.getValue() : "";
  };
  unsigned numDims = 0;
  SmallVector<kernel::AllocOp> allocs;
  for (Operation &op : func.getBody().front()) {
    if (auto alloc = dyn_cast<kernel::AllocOp>(op))
      allocs.push_back(alloc);
    if (!isShapeOp(&op) ||
        (op.getNumResults() && getConstantIntValue(op.getResult(0))))
      continue;
    if (isa<kernel::AssertDimOp>(op)) {
      if (failed(emitShapeOp(&op, emitter, os, "")))
        return failure();
      continue;
    }
    std::string name = "sh.d" + std::to_string(numDims++);
    if (failed(emitShapeOp(&op, emitter, os, name)))
      return failure();
    emitter.bindIndex(op.getResult(0), name);
    if (auto dim = dyn_cast<kernel::DimOp>(op)) {
      unsigned arg = cast<BlockArgument>(dim.getSource()).getArgNumber();
      StringRef symbol = symbolOf(arg, dim.getIndex());
      if (!symbol.empty())
        for (auto [other, d] : dimsByName.lookup(symbol))
          emitter.aliasInputDim(other, d, name);
    }
  }
  if (!emitter.runTimeArena) {
    // Every buffer static: the plan made at compile time holds.
    auto bytes = func->getAttrOfType<IntegerAttr>("kernel.arena_bytes");
    if (!allocs.empty() && !bytes)
      return func.emitError(
          "@main has no kernel.arena_bytes (run kiln-plan-buffers)");
    os << "sh.arenaBytes = " << (bytes ? bytes.getInt() : 0) << ";\n";
    allocs.clear();
  }
  int64_t numSlots = allocs.size();
  if (auto attr = func->getAttrOfType<IntegerAttr>("kernel.arena_slots"))
    numSlots = attr.getInt();
  if (numSlots != static_cast<int64_t>(allocs.size()))
    return func.emitError("@main has ")
           << allocs.size() << " allocs for " << numSlots << " arena slots";
  if (!allocs.empty()) {
    os << "kiln::BufferLife lives[" << allocs.size() << "];\n";
    for (kernel::AllocOp alloc : allocs) {
      std::optional<int64_t> slot = alloc.getSlot();
      std::optional<ArrayRef<int64_t>> live = alloc.getLive();
      if (!slot || !live || live->size() != 2 || *slot < 0 ||
          *slot >= numSlots)
        return alloc.emitError("kernel.alloc has no planned slot and live "
                               "range (run kiln-plan-buffers)");
      auto type = alloc.getBuffer().getType();
      SmallVector<std::string> dims = emitter.getDimExprs(alloc.getBuffer());
      os << "{\n";
      os << "  const int64_t dims[] = {"
         << (dims.empty() ? "1" : llvm::join(dims, ", ")) << "};\n";
      os << "  lives[" << *slot << "] = {" << (*live)[0] << ", " << (*live)[1]
         << ", 0};\n";
      os << "  if (!kiln::arenaBufferBytes(dims, " << dims.size() << ", "
         << codegen::getElementBytes(type.getElementType()) << ", lives["
         << *slot << "].bytes))\n";
      os << "    return kilnFail(ctx, "
         << codegen::quoteCString(emitter.describe(alloc))
         << ", \"the buffer would hold more than 2^62 bytes\");\n";
      os << "}\n";
    }
    os << "if (!kiln::planArena(lives, " << allocs.size()
       << ", sh.offsets, &sh.arenaBytes))\n";
    os << "  return kilnFail(ctx, \"the arena\", \"it would hold more than "
          "2^62 bytes\");\n";
  } else if (emitter.runTimeArena) {
    os << "sh.arenaBytes = 0;\n";
  }
  os << "return 0;\n";

  out << "// Every dynamic size, and where each buffer sits in the arena.\n";
  out << "struct KilnShapes {\n";
  for (unsigned d = 0; d < numDims; ++d)
    out << "  int64_t d" << d << ";\n";
  out << "  int64_t offsets[" << std::max<size_t>(allocs.size(), 1) << "];\n";
  out << "  int64_t arenaBytes;\n";
  out << "};\n\n";
  out << "int kilnShapes(kiln_exec_context *ctx, const int64_t *const "
         "*input_shapes,\n"
         "               KilnShapes &sh) {\n";
  out << "  (void)ctx;\n  (void)input_shapes;\n";
  out << text;
  out << "}\n\n";
  return success();
}

} // namespace

namespace {

/// The weights of every entry (collectEntryWeights) as kWeights' rows.
struct WeightTable {
  SmallVector<IoDesc> rows;
  SmallVector<int32_t> splitAxes;
  bool hasSplitWeights = false;
  llvm::DenseMap<Operation *, unsigned> index;
};

FailureOr<WeightTable>
collectWeightTable(ArrayRef<codegen::ModelSignature> entries) {
  FailureOr<codegen::EntryWeights> entryWeights =
      codegen::collectEntryWeights(entries);
  if (failed(entryWeights))
    return failure();
  WeightTable table;
  table.index = std::move(entryWeights->index);
  for (kernel::WeightOp weight : entryWeights->weights) {
    table.rows.push_back(
        {weight.getName().str(), cast<MemRefType>(weight.getType())});
    dist::SplitAttr split = weight.getSplitAttr();
    table.splitAxes.push_back(split ? static_cast<int32_t>(split.getAxis())
                                    : -1);
    table.hasSplitWeights |= static_cast<bool>(split);
  }
  return table;
}

/// What kEntries needs of one entry.
struct EntryRow {
  std::string name, ns;
  size_t numInputs, numOutputs, numSites;
};

/// Prints one entry point in namespace `ns`: its kernels, kilnShapes, run,
/// kInputs, kOutputs and plan.
LogicalResult emitEntry(codegen::ModelSignature *signature, Target target,
                        const WeightTable &weightTable, bool partitioned,
                        StringRef ns, raw_ostream &os, EntryRow &row) {
  func::FuncOp func = signature->func;
  if (failed(checkBufferSizes(func)))
    return failure();

  SourceEmitter emitter(target);
  emitter.numInputs = signature->numInputs;
  bool dynamic = hasDynamicDims(func);
  emitter.runTimeArena = func->hasAttr("kernel.arena_slots");
  func.walk([&](kernel::OutputDimsOp dims) {
    emitter.outputDims[dims.getOutput()] = dims;
  });
  std::string shapesText;
  llvm::raw_string_ostream shapesStream(shapesText);
  if (dynamic && failed(emitShapes(func, emitter, shapesStream)))
    return failure();

  emitter.body.indent();
  emitter.body << "char *const arenaBytes = static_cast<char *>(arena);\n";
  emitter.body << "(void)arenaBytes;\n";
  emitter.body << "kiln_profiler *const kprof = ctx->profiler;\n";
  if (dynamic) {
    emitter.body << "KilnShapes sh;\n";
    emitter.body << "if (kilnShapes(ctx, input_shapes, sh) != 0)\n";
    emitter.body << "  return 1;\n";
  }
  if (emitter.isCuda())
    emitter.body << "const kiln::cuda::Context kctx = "
                    "kiln::cuda::makeContext(ctx);\n";
  // A partitioned model (dist.mesh) runs on the ranks of its mesh.
  if (partitioned) {
    emitter.body << "if (!ctx->collectives)\n";
    emitter.body << "  return kilnFail(ctx, \"model\", \"a partitioned model "
                    "needs the collectives of a partitioned run\");\n";
  }

  llvm::SmallVector<IoDesc> inputs, outputs;
  for (BlockArgument arg : func.getArguments()) {
    unsigned index = arg.getArgNumber();
    auto type = cast<MemRefType>(arg.getType());
    if (failed(checkElementType(func, type)))
      return failure();
    bool isInput = index < signature->numInputs;
    if (!isInput && !type.hasStaticShape() && !emitter.outputDims.count(arg))
      return func.emitError("dynamic output #")
             << index - signature->numInputs << " has no kernel.output_dims";
    IoDesc desc{signature->getArgName(index), type};
    if (auto names = func.getArgAttrOfType<ArrayAttr>(index,
                                                      "graph.dim_names"))
      for (Attribute name : names)
        desc.dimNames.push_back(
            isa<StringAttr>(name) ? cast<StringAttr>(name).str() : "");
    desc.dimNames.resize(type.getRank());
    std::string expr =
        isInput
            ? "const_cast<void *>(inputs[" + std::to_string(index) + "])"
            : "outputs[" + std::to_string(index - signature->numInputs) + "]";
    emitter.body << "// " << (isInput ? "input " : "output ")
                 << codegen::quoteForComment(desc.name) << " is ("
                 << llvm::join(emitter.getDimExprs(arg), ", ") << ").\n";
    declareBuffer(emitter, arg, expr);
    (isInput ? inputs : outputs).push_back(desc);
  }
  // Outputs take the names of the dims of the inputs they share.
  llvm::DenseMap<Value, std::string> namedDims;
  func.walk([&](kernel::DimOp dim) {
    unsigned arg = cast<BlockArgument>(dim.getSource()).getArgNumber();
    const std::string &name = inputs[arg].dimNames[dim.getIndex()];
    if (!name.empty())
      namedDims.try_emplace(dim.getResult(), name);
  });

  const llvm::DenseMap<Operation *, unsigned> &weightIndex = weightTable.index;
  bool hasAllocs = false;
  func.walk([&](Operation *op) { hasAllocs |= isa<kernel::AllocOp>(op); });

  int64_t arenaBytes = 0;
  if (auto attr = func->getAttrOfType<IntegerAttr>("kernel.arena_bytes"))
    arenaBytes = attr.getInt();
  else if (hasAllocs && !dynamic)
    return func.emitError(
        "the entry has no kernel.arena_bytes (run kiln-plan-buffers)");

  for (Operation &op : func.getBody().front())
    if (failed(emitOp(&op, emitter, weightIndex)))
      return failure();

  // The outputs' dims as plan writes them, and their names.
  std::string planOutputs;
  for (auto [i, row] : llvm::enumerate(outputs)) {
    BlockArgument arg = func.getArgument(signature->numInputs + i);
    for (int64_t d = 0; d < row.type.getRank(); ++d) {
      planOutputs += "  output_shapes[" + std::to_string(i) + "][" +
                     std::to_string(d) + "] = " + emitter.getDimExpr(arg, d) +
                     ";\n";
      if (!row.type.isDynamicDim(d) || !row.dimNames[d].empty())
        continue;
      auto dims = cast<kernel::OutputDimsOp>(emitter.outputDims.lookup(arg));
      int64_t position = 0;
      for (int64_t k = 0; k < d; ++k)
        position += row.type.isDynamicDim(k);
      auto it = namedDims.find(dims.getDynamicSizes()[position]);
      if (it != namedDims.end())
        row.dimNames[d] = it->second;
    }
  }

  os << "namespace " << ns << " {\n\n";
  os << emitter.declsText << "\n";
  os << shapesText;
  os << "int run(kiln_exec_context *ctx, void *const *weights, void *arena,\n"
        "        const void *const *inputs, const int64_t *const "
        "*input_shapes,\n"
        "        void *const *outputs) {\n";
  os << "  (void)weights;\n  (void)input_shapes;\n";
  os << emitter.bodyText;
  os << "}\n\n";
  codegen::emitSiteTable(os, emitter.sites);
  emitDescTable(os, "kInputs", inputs);
  emitDescTable(os, "kOutputs", outputs);
  os << "\n// The outputs' shapes and the arena's size for these inputs.\n";
  os << "int plan(kiln_exec_context *ctx, const int64_t *const "
        "*input_shapes,\n"
        "         int64_t *const *output_shapes, int64_t *arena_bytes) {\n";
  os << "  (void)ctx;\n  (void)input_shapes;\n";
  if (dynamic) {
    os << "  KilnShapes sh;\n";
    os << "  if (kilnShapes(ctx, input_shapes, sh) != 0)\n";
    os << "    return 1;\n";
    os << planOutputs;
    os << "  *arena_bytes = sh.arenaBytes;\n";
  } else {
    if (!outputs.empty()) {
      os << "  for (int i = 0; i < " << outputs.size() << "; ++i)\n";
      os << "    for (int d = 0; d < kOutputs[i].rank; ++d)\n";
      os << "      output_shapes[i][d] = kOutputs[i].shape[d];\n";
    }
    os << "  *arena_bytes = " << arenaBytes << ";\n";
  }
  os << "  return 0;\n}\n\n";
  os << "} // namespace " << ns << "\n\n";
  row.ns = ns.str();
  row.numInputs = inputs.size();
  row.numOutputs = outputs.size();
  row.numSites = emitter.sites.size();
  return success();
}

} // namespace

LogicalResult emitModelSource(ModuleOp module, Target target, raw_ostream &os) {
  FailureOr<SmallVector<codegen::ModelSignature>> signatures =
      codegen::getModelSignatures(module);
  if (failed(signatures))
    return failure();
  // A partitioned model (dist.mesh) runs on the ranks of its mesh.
  SmallVector<int64_t, 4> mesh = {1, 1, 1, 1};
  if (auto attr = module->getAttrOfType<DenseI64ArrayAttr>(dist::kMeshAttrName)) {
    if (attr.size() != 4 || llvm::any_of(attr.asArrayRef(),
                                         [](int64_t size) { return size < 1; }))
      return module.emitError("dist.mesh must hold 4 positive sizes");
    mesh.assign(attr.asArrayRef().begin(), attr.asArrayRef().end());
  }
  bool partitioned = mesh[0] * mesh[1] * mesh[2] > 1;
  if (mesh[2] != static_cast<int64_t>(signatures->size()) &&
      !(mesh[2] == 1 && signatures->size() == 1))
    return module.emitError("a mesh of pp=")
           << mesh[2] << " needs as many stages, the module has "
           << signatures->size() << " entries";

  bool dynamic = llvm::any_of(*signatures, [](codegen::ModelSignature &entry) {
    return hasDynamicDims(entry.func);
  });
  FailureOr<WeightTable> weightTable = collectWeightTable(*signatures);
  if (failed(weightTable))
    return failure();
  const WeightTable &weights = *weightTable;
  emitPrologue(os, target, dynamic);
  SmallVector<EntryRow> rows;
  for (auto [index, signature] : llvm::enumerate(*signatures)) {
    EntryRow row;
    row.name = signature.func.getName().str();
    if (failed(emitEntry(&signature, target, weights, partitioned,
                         "entry" + std::to_string(index), os, row)))
      return failure();
    rows.push_back(row);
  }
  emitDescTable(os, "kWeights", weights.rows);
  if (weights.hasSplitWeights) {
    os << "const int32_t kWeightSplitAxes[] = {";
    llvm::interleaveComma(weights.splitAxes, os);
    os << "};\n";
  }
  os << "\nconst kiln_entry_desc kEntries[] = {\n";
  for (const EntryRow &row : rows) {
    auto table = [&](size_t size, StringRef name) {
      return size == 0 ? std::string("nullptr") : row.ns + "::" + name.str();
    };
    os << "    {" << codegen::quoteCString(row.name) << ", " << row.numInputs
       << ", " << table(row.numInputs, "kInputs") << ", " << row.numOutputs
       << ", " << table(row.numOutputs, "kOutputs") << ", " << row.ns
       << "::plan, " << row.ns << "::run, " << row.numSites << ", "
       << table(row.numSites, "kSites") << "},\n";
  }
  os << "};\n\n";
  os << "const kiln_model_desc kModel = {\n";
  os << "    KILN_MODEL_ABI_VERSION,\n";
  os << "    \"" << getTargetName(target) << "\",\n";
  os << "    " << weights.rows.size() << ", "
     << (weights.rows.empty() ? "nullptr" : "kWeights") << ",\n";
  os << "    " << rows.size() << ", kEntries,\n";
  os << "    {" << llvm::join(llvm::map_range(mesh, [](int64_t size) {
          return std::to_string(size);
        }), ", ") << "}, "
     << (weights.hasSplitWeights ? "kWeightSplitAxes" : "nullptr") << ",\n";
  os << "};\n\n";
  os << "} // namespace\n\n";
  os << "const kiln_model_desc *kiln_model_describe(void) { return &kModel; "
        "}\n";
  return success();
}

} // namespace kiln
