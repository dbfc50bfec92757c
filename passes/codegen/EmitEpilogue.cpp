//===- EmitEpilogue.cpp - Conv and GEMM epilogues as C++ / CUDA -*- C++ -*-===//
//
// One body, two drivers, like EmitElementwise.cpp. The epilogue region of a
// kernel.conv or kernel.matmul prints as its shared KILN_HD body, then
//
//   cpu:  struct kilnEpilogue0Epilogue { float *out; float *in0; ... };
//         void kilnEpilogue0Apply(const void *self, float *y, int64_t count);
//             elements [y - out, y - out + count) of the output, a row of
//             the innermost dim group at a time (broadcast inputs read once
//             per row), which the CPU conv or GEMM calls on each block it
//             completes;
//   cuda: kilnEpilogue0At / kilnEpilogue0Kernel / kilnEpilogue0(kctx, out0,
//         in0, ...), a grid-stride launch over the output after the conv or
//         GEMM.
//
// Only static shapes: kiln-fuse-epilogue fuses no others.
//
//===----------------------------------------------------------------------===//

#include "passes/codegen/EmitCommon.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;

namespace kiln::codegen {

FailureOr<std::string> emitEpilogue(Operation *op, Region &epilogue,
                                    ValueRange inputs, Value out,
                                    SourceEmitter &emitter) {
  auto outType = cast<MemRefType>(out.getType());
  if (!outType.hasStaticShape() || llvm::any_of(inputs, [](Value input) {
        return !cast<MemRefType>(input.getType()).hasStaticShape();
      }))
    return op->emitError("codegen supports epilogues over static shapes only");

  unsigned id = emitter.nextKernelId();
  std::string prefix =
      getReadableName("kilnEpilogue" + std::to_string(id), op->getLoc());
  raw_indented_ostream &os = emitter.decls;
  os << "\n// " << quoteForComment(emitter.describe(op))
     << ": the epilogue over the output ("
     << llvm::join(emitter.getDimExprs(out), ", ") << ").\n";
  Type outElement = outType.getElementType();
  FailureOr<std::string> bodyName =
      emitSharedBody(epilogue.front(), TypeRange{outElement}, prefix, emitter);
  if (failed(bodyName))
    return failure();

  int64_t numElements = outType.getNumElements();
  SmallVector<ArrayRef<int64_t>> inShapes;
  for (Value input : inputs)
    inShapes.push_back(cast<MemRefType>(input.getType()).getShape());
  SmallVector<DimGroup> groups = groupDims(outType.getShape(), inShapes);
  auto cTypeOf = [](Value buffer) {
    return getCType(cast<MemRefType>(buffer.getType()).getElementType())
        .value_or("?")
        .str();
  };
  SmallVector<std::string> buffers{emitter.getName(out).str()};
  for (Value input : inputs)
    buffers.push_back(emitter.getName(input).str());

  if (emitter.isCuda()) {
    SmallVector<std::string> params{cTypeOf(out) + " *out0"}, args{"out0"};
    SmallVector<std::string> bodyArgs{"out0[i]"};
    for (auto [k, input] : llvm::enumerate(inputs)) {
      std::string name = "in" + std::to_string(k);
      params.push_back(cTypeOf(input) + " *" + name);
      args.push_back(name);
      bodyArgs.push_back(name + "[" +
                         getOffset(groups, k, inShapes[k], numElements) + "]");
    }
    bodyArgs.push_back("out0[i]");
    emitGridDriver(prefix, llvm::join(params, ", "), llvm::join(args, ", "),
                   *bodyName + "(" + llvm::join(bodyArgs, ", ") + ")",
                   numElements, os);
    return prefix + "(kctx, " + llvm::join(buffers, ", ") + ")";
  }

  // The row: the innermost group (all of a one-element output).
  int64_t rowSize = groups.empty() ? 1 : groups.back().size;
  SmallVector<DimGroup> outer(groups.begin(),
                              groups.empty() ? groups.end() : groups.end() - 1);
  for (DimGroup &group : outer)
    group.inner /= rowSize;
  std::string rs = std::to_string(rowSize);

  os << "struct " << prefix << "Epilogue {\n";
  os << "  " << cTypeOf(out) << " *out;\n";
  for (auto [k, input] : llvm::enumerate(inputs))
    os << "  " << cTypeOf(input) << " *in" << k << ";\n";
  os << "};\n";
  os << "void " << prefix
     << "Apply(const void *self, float *y, int64_t count) {\n";
  os.indent();
  os << "const auto &e = *static_cast<const " << prefix
     << "Epilogue *>(self);\n";
  os << "for (int64_t i = y - e.out, end = i + count; i < end;) {\n";
  os.indent();
  os << "const int64_t r = i / " << rs << ";\n";
  os << "const int64_t stop = end < (r + 1) * " << rs << " ? end : (r + 1) * "
     << rs << ";\n";
  os << "auto *rowOut = e.out + r * " << rs << ";\n";
  SmallVector<std::string> bodyArgs{"rowOut[j]"};
  for (auto [k, shape] : llvm::enumerate(inShapes)) {
    std::string name = "e.in" + std::to_string(k);
    int64_t inElements = ShapedType::getNumElements(shape);
    if (inElements == 1) {
      bodyArgs.push_back(name + "[0]");
      continue;
    }
    if (inElements == numElements) {
      os << "const auto *row" << k << " = " << name << " + r * " << rs << ";\n";
      bodyArgs.push_back("row" + std::to_string(k) + "[j]");
      continue;
    }
    bool alongRow = !groups.empty() && groups.back().broadcast[k];
    std::string offset =
        getOffset(outer, k, shape, numElements, "r", alongRow ? 1 : rowSize);
    if (alongRow) {
      os << "const auto s" << k << " = " << name << "[" << offset << "];\n";
      bodyArgs.push_back("s" + std::to_string(k));
    } else {
      os << "const auto *row" << k << " = " << name
         << (offset == "0" ? "" : " + " + offset) << ";\n";
      bodyArgs.push_back("row" + std::to_string(k) + "[j]");
    }
  }
  bodyArgs.push_back("rowOut[j]");
  os << "for (int64_t j = i - r * " << rs << "; j < stop - r * " << rs
     << "; ++j)\n";
  os << "  " << *bodyName << "(" << llvm::join(bodyArgs, ", ") << ");\n";
  os << "i = stop;\n";
  os.unindent();
  os << "}\n";
  os.unindent();
  os << "}\n";

  // In run: the functor's state and the callback the conv receives.
  emitter.body << "const " << prefix << "Epilogue " << prefix << "State{"
               << llvm::join(buffers, ", ") << "};\n";
  emitter.body << "const kiln::cpu::Epilogue " << prefix << "Callback{&"
               << prefix << "Apply, &" << prefix << "State};\n";
  return "&" + prefix + "Callback";
}

} // namespace kiln::codegen
