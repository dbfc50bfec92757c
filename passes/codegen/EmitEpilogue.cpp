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
// With dynamic dims, the output's dims and each broadcast input's strides
// travel in a kiln::BroadcastShape filled in run, as for kernel.elementwise,
// and each element finds its inputs' offsets at run time.
//
//===----------------------------------------------------------------------===//

#include "passes/codegen/EmitCommon.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;

namespace kiln::codegen {

namespace {

std::string cTypeOf(Value buffer) {
  return getCType(cast<MemRefType>(buffer.getType()).getElementType())
      .value_or("?")
      .str();
}

/// The epilogue of an op with dynamic dims; see the file comment.
FailureOr<std::string> emitDynamicEpilogue(Operation *op, ValueRange inputs,
                                           Value out, StringRef prefix,
                                           StringRef bodyName,
                                           SourceEmitter &emitter) {
  raw_indented_ostream &os = emitter.decls;
  SmallVector<std::string> outDims = emitter.getDimExprs(out);
  int64_t rank = std::max<int64_t>(outDims.size(), 1);
  int64_t numInputs = std::max<int64_t>(inputs.size(), 1);
  std::string shapeType = "kiln::BroadcastShape<" + std::to_string(rank) +
                          ", " + std::to_string(numInputs) + ">";
  std::string outRank = std::to_string(outDims.size());

  // How each input is read at output element i: at i, at 0, or at its
  // broadcast offset.
  SmallVector<std::string> reads;
  SmallVector<unsigned> strided;
  for (auto [k, input] : llvm::enumerate(inputs)) {
    std::string name = "in" + std::to_string(k);
    auto type = cast<MemRefType>(input.getType());
    if (emitter.getDimExprs(input) == outDims) {
      reads.push_back(name + "[i]");
    } else if (type.hasStaticShape() && type.getNumElements() == 1) {
      reads.push_back(name + "[0]");
    } else {
      reads.push_back(name + "[kiln::broadcastOffset(i, " + outRank +
                      ", s.dims, s.strides[" + std::to_string(k) + "])]");
      strided.push_back(k);
    }
  }
  auto bodyCall = [&](StringRef element, StringRef inputPrefix) {
    SmallVector<std::string> args{element.str()};
    for (const std::string &read : reads)
      args.push_back(inputPrefix.str() + read);
    args.push_back(element.str());
    return (bodyName + "(" + llvm::join(args, ", ") + ")").str();
  };

  // In run: the shape.
  raw_indented_ostream &body = emitter.body;
  std::string shape = prefix.str() + "Shape";
  body << shapeType << " " << shape << "{};\n";
  for (auto [d, dim] : llvm::enumerate(outDims))
    body << shape << ".dims[" << d << "] = " << dim << ";\n";
  for (unsigned k : strided) {
    SmallVector<std::string> dims = emitter.getDimExprs(inputs[k]);
    body << "{\n";
    body << "  const int64_t dims[] = {"
         << (dims.empty() ? "1" : llvm::join(dims, ", ")) << "};\n";
    body << "  kiln::broadcastStrides(dims, " << dims.size() << ", "
         << outDims.size() << ", " << shape << ".strides[" << k << "]);\n";
    body << "}\n";
  }
  SmallVector<std::string> buffers{emitter.getName(out).str()};
  for (Value input : inputs)
    buffers.push_back(emitter.getName(input).str());
  std::string count = outDims.empty() ? "1" : llvm::join(outDims, " * ");

  if (emitter.isCuda()) {
    SmallVector<std::string> params{cTypeOf(out) + " *out0"}, args{"out0"};
    for (auto [k, input] : llvm::enumerate(inputs)) {
      params.push_back(cTypeOf(input) + " *in" + std::to_string(k));
      args.push_back("in" + std::to_string(k));
    }
    std::string paramList = llvm::join(params, ", ");
    std::string argList = llvm::join(args, ", ");
    os << "KILN_HD inline void " << prefix << "At(int64_t i, const "
       << shapeType << " &s, " << paramList << ") {\n";
    os << "  (void)s;\n";
    os << "  " << bodyCall("out0[i]", "") << ";\n";
    os << "}\n";
    os << "__global__ void " << prefix << "Kernel(const " << shapeType
       << " s, int64_t n, " << paramList << ") {\n";
    os << "  const int64_t stride = static_cast<int64_t>(gridDim.x) * "
          "blockDim.x;\n";
    os << "  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + "
          "threadIdx.x;\n";
    os << "       i < n; i += stride)\n";
    os << "    " << prefix << "At(i, s, " << argList << ");\n";
    os << "}\n";
    os << "kiln::Status " << prefix
       << "(const kiln::cuda::Context &kctx, const " << shapeType
       << " s, int64_t n, " << paramList << ") {\n";
    os << "  if (n == 0)\n    return kiln::Status::success();\n";
    os << "  const int64_t blocks = (n + 255) / 256 < 65535 * 32 ? (n + 255) / "
          "256 : 65535 * 32;\n";
    os << "  " << prefix
       << "Kernel<<<static_cast<unsigned>(blocks), 256, 0, "
          "kctx.stream>>>(s, n, "
       << argList << ");\n";
    os << "  return kiln::cuda::checkLaunch(\"" << prefix
       << "Kernel\", __FILE__, __LINE__);\n";
    os << "}\n";
    return prefix.str() + "(kctx, " + shape + ", " + count + ", " +
           llvm::join(buffers, ", ") + ")";
  }

  os << "struct " << prefix << "Epilogue {\n";
  os << "  " << shapeType << " s;\n";
  os << "  " << cTypeOf(out) << " *out;\n";
  for (auto [k, input] : llvm::enumerate(inputs))
    os << "  " << cTypeOf(input) << " *in" << k << ";\n";
  os << "};\n";
  os << "void " << prefix
     << "Apply(const void *self, float *y, int64_t count) {\n";
  os << "  const auto &e = *static_cast<const " << prefix
     << "Epilogue *>(self);\n";
  os << "  const auto &s = e.s;\n";
  os << "  (void)s;\n";
  os << "  for (int64_t j = 0, i = y - e.out; j < count; ++j, ++i)\n";
  os << "    " << bodyCall("y[j]", "e.") << ";\n";
  os << "}\n";
  body << "const " << prefix << "Epilogue " << prefix << "State{" << shape
       << ", " << llvm::join(buffers, ", ") << "};\n";
  body << "const kiln::cpu::Epilogue " << prefix << "Callback{&" << prefix
       << "Apply, &" << prefix << "State};\n";
  return "&" + prefix.str() + "Callback";
}

} // namespace

FailureOr<std::string> emitEpilogue(Operation *op, Region &epilogue,
                                    ValueRange inputs, Value out,
                                    SourceEmitter &emitter) {
  auto outType = cast<MemRefType>(out.getType());
  bool isStatic =
      outType.hasStaticShape() && llvm::all_of(inputs, [](Value input) {
        return cast<MemRefType>(input.getType()).hasStaticShape();
      });

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

  if (!isStatic)
    return emitDynamicEpilogue(op, inputs, out, prefix, *bodyName, emitter);

  int64_t numElements = outType.getNumElements();
  SmallVector<ArrayRef<int64_t>> inShapes;
  for (Value input : inputs)
    inShapes.push_back(cast<MemRefType>(input.getType()).getShape());
  SmallVector<DimGroup> groups = groupDims(outType.getShape(), inShapes);
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
  // The body takes the value computed, the inputs, then the result.
  SmallVector<std::string> bodyArgs{"rowOut[j]"};
  llvm::append_range(bodyArgs,
                     emitRowInputs(groups, inShapes, numElements, "e.in", os));
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
