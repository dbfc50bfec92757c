//===- EmitElementwise.cpp - kernel.elementwise as C++ / CUDA ---*- C++ -*-===//
//
// One body, two drivers. A kernel.elementwise prints as
//
//   KILN_HD inline void kilnEw0Body(float a0, float a1, float &r0);
//       the region, once: a later kernel whose region prints the same
//       statements calls this body instead of printing its own;
//   KILN_HD inline void kilnEw0At(int64_t i, float *in0, ...);
//       output element i: each input read at its broadcast offset;
//   void kilnEw0(...)  (cpu)        kiln::cpu::parallelFor over i;
//   __global__ kilnEw0Kernel (cuda) a grid-stride loop over i, launched by
//   kiln::Status kilnEw0(...)       on the stream, the launch checked.
//
// Broadcast offsets are closed forms over constant sizes. Output dims of
// size 1 are dropped and neighbouring dims that every input either reads or
// broadcasts alike are merged, so an (N, C, H, W) + (1, C, 1, 1) bias reads
// `in1[(i / HW) % C]`. An input of the output's shape reads `in[i]`, a
// one-element input `in[0]`. The functions are named after the op's
// location: loc("/layer1/Relu") gives kilnEw3_layer1_Relu.
//
//===----------------------------------------------------------------------===//

#include "passes/codegen/EmitCommon.h"
#include "passes/codegen/EmitScalar.h"

#include "dialects/kernel/KernelOps.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace kiln::codegen {

/// Whether input `shape` is broadcast along output dim `d` of `outShape`.
static bool isBroadcastDim(ArrayRef<int64_t> shape, ArrayRef<int64_t> outShape,
                           int64_t d) {
  int64_t inDim = d - static_cast<int64_t>(outShape.size() - shape.size());
  return inDim < 0 || (shape[inDim] == 1 && outShape[d] != 1);
}

/// Whether input `shape` needs index math: it is neither the output's size
/// (read at i) nor one element (read at 0).
static bool needsIndexMath(ArrayRef<int64_t> shape, int64_t numElements) {
  int64_t inElements = ShapedType::getNumElements(shape);
  return inElements != numElements && inElements != 1;
}

/// Output dims of size > 1, grouped.
llvm::SmallVector<DimGroup> groupDims(ArrayRef<int64_t> outShape,
                                      ArrayRef<ArrayRef<int64_t>> inShapes) {
  int64_t numElements = ShapedType::getNumElements(outShape);
  llvm::SmallVector<DimGroup> groups;
  for (int64_t d = 0, e = outShape.size(); d < e; ++d) {
    if (outShape[d] == 1)
      continue;
    llvm::SmallVector<bool> broadcast;
    for (ArrayRef<int64_t> shape : inShapes)
      broadcast.push_back(needsIndexMath(shape, numElements) &&
                          isBroadcastDim(shape, outShape, d));
    if (!groups.empty() && groups.back().broadcast == broadcast) {
      groups.back().size *= outShape[d];
      continue;
    }
    groups.push_back({outShape[d], 1, broadcast});
  }
  int64_t inner = 1;
  for (DimGroup &group : llvm::reverse(groups)) {
    group.inner = inner;
    inner *= group.size;
  }
  return groups;
}

/// The offset into input `k` for flat index `i` over `groups`, in units of
/// `stride` (the input's stride of the innermost group).
std::string getOffset(ArrayRef<DimGroup> groups, unsigned k,
                      ArrayRef<int64_t> inShape, int64_t numElements,
                      StringRef i, int64_t stride) {
  if (!needsIndexMath(inShape, numElements))
    return ShapedType::getNumElements(inShape) == numElements ? i.str() : "0";
  std::string offset;
  for (auto [index, group] : llvm::enumerate(llvm::reverse(groups))) {
    if (group.broadcast[k])
      continue;
    bool isOutermost = index + 1 == groups.size();
    std::string coord = i.str();
    if (group.inner != 1)
      coord = i.str() + " / " + std::to_string(group.inner);
    if (!isOutermost)
      coord = (group.inner != 1 ? "(" + coord + ")" : coord) + " % " +
              std::to_string(group.size);
    if (stride != 1)
      coord = (coord == i ? coord : "(" + coord + ")") + " * " +
              std::to_string(stride);
    offset = offset.empty() ? coord : coord + " + " + offset;
    stride *= group.size;
  }
  return offset.empty() ? "0" : offset;
}

llvm::SmallVector<std::string>
emitRowInputs(ArrayRef<DimGroup> groups, ArrayRef<ArrayRef<int64_t>> inShapes,
              int64_t numElements, StringRef inputPrefix,
              raw_indented_ostream &os) {
  int64_t rowSize = groups.empty() ? 1 : groups.back().size;
  llvm::SmallVector<DimGroup> outer(groups.begin(),
                                    groups.empty() ? groups.end()
                                                   : groups.end() - 1);
  for (DimGroup &group : outer)
    group.inner /= rowSize;
  llvm::SmallVector<std::string> bodyArgs;
  for (auto [k, shape] : llvm::enumerate(inShapes)) {
    std::string name = inputPrefix.str() + std::to_string(k);
    int64_t inElements = ShapedType::getNumElements(shape);
    if (inElements == 1) {
      bodyArgs.push_back(name + "[0]");
      continue;
    }
    if (inElements == numElements) {
      os << "const auto *row" << k << " = " << name << " + r * " << rowSize
         << ";\n";
      bodyArgs.push_back("row" + std::to_string(k) + "[j]");
      continue;
    }
    bool alongRow = !groups.empty() && groups.back().broadcast[k];
    // The offset of the row's first element: the outer groups' coordinates
    // times the input's strides, which start at the row's size unless the
    // input is broadcast along it.
    std::string offset = getOffset(outer, k, shape, numElements, "r",
                                   alongRow ? 1 : rowSize);
    if (alongRow) {
      os << "const auto s" << k << " = " << name << "[" << offset << "];\n";
      bodyArgs.push_back("s" + std::to_string(k));
    } else {
      os << "const auto *row" << k << " = " << name
         << (offset == "0" ? "" : " + " + offset) << ";\n";
      bodyArgs.push_back("row" + std::to_string(k) + "[j]");
    }
  }
  return bodyArgs;
}

namespace {

/// The CPU driver of a static kernel: a parallel loop over rows, the last
/// dim group, and inside a row a plain loop over its elements that the C++
/// compiler vectorizes (a kernel of one group is split into chunks of
/// elements instead). An input broadcast along the row is one scalar,
/// read once per row; the others are read at row offset + j.
///
///   void kilnEw0(const float *in0, const float *in1, float *out0) {
///     kiln::cpu::parallelFor(R, [=](int64_t r) {
///       const float *row0 = in0 + r * S;
///       const float s1 = in1[r % C];
///       float *rowOut0 = out0 + r * S;
///       for (int64_t j = 0; j < S; ++j)
///         kilnEw0Body(row0[j], s1, rowOut0[j]);
///     }, grain);
///   }
void emitRowDriver(ArrayRef<DimGroup> groups,
                   ArrayRef<ArrayRef<int64_t>> inShapes, int64_t numElements,
                   int64_t grain, StringRef prefix, StringRef bodyName,
                   StringRef paramList, unsigned numOutputs,
                   raw_indented_ostream &os) {
  // The row: the innermost group (all of a one-element output).
  int64_t rowSize = groups.empty() ? 1 : groups.back().size;
  int64_t rows = rowSize == 0 ? 0 : numElements / rowSize;
  llvm::SmallVector<DimGroup> outer(groups.begin(),
                                    groups.empty() ? groups.end()
                                                   : groups.end() - 1);
  for (DimGroup &group : outer)
    group.inner /= rowSize;

  // One row holds everything (every input is read at the output's index or
  // is one element): split it into chunks over the workers instead.
  if (outer.empty()) {
    llvm::SmallVector<std::string> args;
    for (auto [k, shape] : llvm::enumerate(inShapes))
      args.push_back("in" + std::to_string(k) +
                     (ShapedType::getNumElements(shape) == 1 ? "[0]" : "[j]"));
    for (unsigned k = 0; k < numOutputs; ++k)
      args.push_back("out" + std::to_string(k) + "[j]");
    os << "void " << prefix << "(" << paramList << ") {\n";
    os << "  kiln::cpu::parallelForChunks(\n";
    os << "      " << numElements << ", [=](int64_t begin, int64_t end) {\n";
    os << "    for (int64_t j = begin; j < end; ++j)\n";
    os << "      " << bodyName << "(" << llvm::join(args, ", ") << ");\n";
    os << "  }, " << grain << ");\n";
    os << "}\n";
    return;
  }
  os << "void " << prefix << "(" << paramList << ") {\n";
  os << "  kiln::cpu::parallelFor(\n";
  os << "      " << rows << ", [=](int64_t r) {\n";
  os.indent().indent();
  os << "(void)r;\n";
  llvm::SmallVector<std::string> bodyArgs =
      emitRowInputs(groups, inShapes, numElements, "in", os);
  for (unsigned k = 0; k < numOutputs; ++k) {
    os << "auto *rowOut" << k << " = out" << k << " + r * " << rowSize
       << ";\n";
    bodyArgs.push_back("rowOut" + std::to_string(k) + "[j]");
  }
  os << "for (int64_t j = 0; j < " << rowSize << "; ++j)\n";
  os << "  " << bodyName << "(" << llvm::join(bodyArgs, ", ") << ");\n";
  os.unindent().unindent();
  os << "  }, " << std::max<int64_t>(1, grain / std::max<int64_t>(1, rowSize))
     << ");\n";
  os << "}\n";
}

Type elementTypeOf(Value value) {
  return cast<MemRefType>(value.getType()).getElementType();
}

/// Whether every dim of the elementwise kernel's operands is static.
bool hasStaticShapes(kernel::ElementwiseOp op) {
  return llvm::all_of(op->getOperandTypes(), [](Type type) {
    return cast<MemRefType>(type).hasStaticShape();
  });
}

/// The per-element function and driver of a kernel with dynamic dims:
/// the output dims and each broadcast input's strides travel in a
/// kiln::BroadcastShape filled in run.
LogicalResult emitDynamicElementwise(kernel::ElementwiseOp op,
                                     SourceEmitter &emitter,
                                     StringRef prefix, StringRef bodyName,
                                     StringRef paramList, StringRef argList,
                                     int64_t grain) {
  raw_indented_ostream &os = emitter.decls;
  Value out = op.getOutputs()[0];
  SmallVector<std::string> outDims = emitter.getDimExprs(out);
  int64_t rank = std::max<int64_t>(outDims.size(), 1);
  int64_t numInputs = std::max<int64_t>(op.getInputs().size(), 1);
  std::string shapeType = "kiln::BroadcastShape<" + std::to_string(rank) +
                          ", " + std::to_string(numInputs) + ">";

  // How each input is read: at i (its dims are the output's), at 0 (one
  // static element), or at its broadcast offset.
  SmallVector<std::string> bodyArgs;
  SmallVector<unsigned> strided;
  for (auto [k, input] : llvm::enumerate(op.getInputs())) {
    std::string name = "in" + std::to_string(k);
    auto type = cast<MemRefType>(input.getType());
    if (emitter.getDimExprs(input) == outDims) {
      bodyArgs.push_back(name + "[i]");
    } else if (type.hasStaticShape() && type.getNumElements() == 1) {
      bodyArgs.push_back(name + "[0]");
    } else {
      bodyArgs.push_back(name + "[kiln::broadcastOffset(i, " +
                         std::to_string(outDims.size()) + ", s.dims, s.strides[" +
                         std::to_string(k) + "])]");
      strided.push_back(k);
    }
  }
  for (unsigned k = 0, e = op.getOutputs().size(); k < e; ++k)
    bodyArgs.push_back("out" + std::to_string(k) + "[i]");
  os << "KILN_HD inline void " << prefix << "At(int64_t i, const " << shapeType
     << " &s, " << paramList << ") {\n";
  os << "  (void)s;\n";
  os << "  " << bodyName << "(" << llvm::join(bodyArgs, ", ") << ");\n";
  os << "}\n";

  // In run: the shape, then the driver.
  SmallVector<std::string> buffers;
  for (Value value : op->getOperands())
    buffers.push_back(emitter.getName(value).str());
  std::string count = outDims.empty() ? "1" : llvm::join(outDims, " * ");
  raw_indented_ostream &body = emitter.body;
  body << "{\n";
  body.indent();
  body << shapeType << " s{};\n";
  for (auto [d, dim] : llvm::enumerate(outDims))
    body << "s.dims[" << d << "] = " << dim << ";\n";
  for (unsigned k : strided) {
    Value input = op.getInputs()[k];
    SmallVector<std::string> dims = emitter.getDimExprs(input);
    body << "const int64_t in" << k << "Dims[] = {"
         << (dims.empty() ? "1" : llvm::join(dims, ", ")) << "};\n";
    body << "kiln::broadcastStrides(in" << k << "Dims, " << dims.size() << ", "
         << outDims.size() << ", s.strides[" << k << "]);\n";
  }
  std::string call = prefix.str() + "(" +
                     (emitter.isCuda() ? "kctx, " : "") + "s, " + count +
                     ", " + llvm::join(buffers, ", ") + ")";

  if (!emitter.isCuda()) {
    os << "void " << prefix << "(const " << shapeType << " s, int64_t n, "
       << paramList << ") {\n";
    os << "  kiln::cpu::parallelFor(\n";
    os << "      n, [=](int64_t i) { " << prefix << "At(i, s, " << argList
       << "); }, " << grain << ");\n";
    os << "}\n";
    body << call << ";\n";
  } else {
    os << "__global__ void " << prefix << "Kernel(const " << shapeType
       << " s, int64_t n, " << paramList << ") {\n";
    os << "  const int64_t stride = static_cast<int64_t>(gridDim.x) * "
          "blockDim.x;\n";
    os << "  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + "
          "threadIdx.x;\n";
    os << "       i < n; i += stride)\n";
    os << "    " << prefix << "At(i, s, " << argList << ");\n";
    os << "}\n";
    os << "kiln::Status " << prefix << "(const kiln::cuda::Context &kctx, const "
       << shapeType << " s, int64_t n, " << paramList << ") {\n";
    os << "  if (n == 0)\n    return kiln::Status::success();\n";
    os << "  const int64_t blocks = (n + 255) / 256 < 65535 * 32 ? (n + 255) / "
          "256 : 65535 * 32;\n";
    os << "  " << prefix << "Kernel<<<static_cast<unsigned>(blocks), 256, 0, "
          "kctx.stream>>>(s, n, "
       << argList << ");\n";
    os << "  return kiln::cuda::checkLaunch(\"" << prefix
       << "Kernel\", __FILE__, __LINE__);\n";
    os << "}\n";
    emitter.emitCheckedCall(call, op);
  }
  body.unindent();
  body << "}\n";
  return success();
}

} // namespace

FailureOr<std::string> emitSharedBody(Block &block, TypeRange resultTypes,
                                      StringRef prefix,
                                      SourceEmitter &emitter) {
  llvm::SmallVector<std::string> argNames, resultNames, bodyParams;
  for (BlockArgument arg : block.getArguments()) {
    argNames.push_back("a" + std::to_string(arg.getArgNumber()));
    bodyParams.push_back(getCType(arg.getType()).value_or("?").str() + " " +
                         argNames.back());
  }
  for (auto [k, type] : llvm::enumerate(resultTypes)) {
    resultNames.push_back("r" + std::to_string(k));
    bodyParams.push_back(getCType(type).value_or("?").str() + " &" +
                         resultNames.back());
  }
  std::string bodyText;
  llvm::raw_string_ostream bodyStream(bodyText);
  raw_indented_ostream bodyOs(bodyStream);
  bodyOs.indent();
  if (failed(emitScalarBody(block, argNames, resultNames, bodyOs)))
    return failure();
  std::string bodyKey = llvm::join(bodyParams, ", ") + "\n" + bodyText;
  auto [body, isNewBody] =
      emitter.elementwiseBodies.try_emplace(bodyKey, (prefix + "Body").str());
  if (isNewBody) {
    raw_indented_ostream &os = emitter.decls;
    os << "KILN_HD inline void " << body->second << "("
       << llvm::join(bodyParams, ", ") << ") {\n";
    os << bodyText;
    os << "}\n";
  }
  return body->second;
}

void emitGridDriver(StringRef prefix, StringRef paramList, StringRef argList,
                    StringRef elementCall, int64_t numElements,
                    raw_indented_ostream &os) {
  os << "KILN_HD inline void " << prefix << "At(int64_t i, " << paramList
     << ") {\n";
  os << "  " << elementCall << ";\n";
  os << "}\n";
  constexpr int64_t kBlock = 256;
  int64_t blocks = std::min<int64_t>((numElements + kBlock - 1) / kBlock,
                                     int64_t(65535) * 32);
  os << "__global__ void " << prefix << "Kernel(" << paramList << ") {\n";
  os << "  const int64_t stride = static_cast<int64_t>(gridDim.x) * "
        "blockDim.x;\n";
  os << "  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + "
        "threadIdx.x;\n";
  os << "       i < " << numElements << "; i += stride)\n";
  os << "    " << prefix << "At(i, " << argList << ");\n";
  os << "}\n";
  os << "kiln::Status " << prefix << "(const kiln::cuda::Context &kctx, "
     << paramList << ") {\n";
  if (numElements > 0) {
    os << "  " << prefix << "Kernel<<<" << blocks << ", " << kBlock
       << ", 0, kctx.stream>>>(" << argList << ");\n";
    os << "  return kiln::cuda::checkLaunch(\"" << prefix
       << "Kernel\", __FILE__, __LINE__);\n";
  } else {
    os << "  return kiln::Status::success();\n";
  }
  os << "}\n";
}

LogicalResult emitElementwise(kernel::ElementwiseOp op,
                              SourceEmitter &emitter) {
  for (Value value : op->getOperands())
    if (!getCType(elementTypeOf(value)))
      return op.emitError("codegen does not support element type ")
             << elementTypeOf(value) << " in a kernel.elementwise";

  unsigned id = emitter.nextKernelId();
  std::string prefix =
      getReadableName("kilnEw" + std::to_string(id), op.getLoc());
  auto outType = cast<MemRefType>(op.getOutputs()[0].getType());
  ArrayRef<int64_t> outShape = outType.getShape();
  bool isStatic = hasStaticShapes(op);
  int64_t numElements = isStatic ? outType.getNumElements() : 0;
  llvm::SmallVector<ArrayRef<int64_t>> inShapes;
  for (Value input : op.getInputs())
    inShapes.push_back(cast<MemRefType>(input.getType()).getShape());

  // Parameter lists: `float *in0, float *in1, float *out0`.
  llvm::SmallVector<std::string> params, args;
  for (auto [k, input] : llvm::enumerate(op.getInputs())) {
    params.push_back(getCType(elementTypeOf(input))->str() + " *in" +
                     std::to_string(k));
    args.push_back("in" + std::to_string(k));
  }
  for (auto [k, output] : llvm::enumerate(op.getOutputs())) {
    params.push_back(getCType(elementTypeOf(output))->str() + " *out" +
                     std::to_string(k));
    args.push_back("out" + std::to_string(k));
  }
  std::string paramList = llvm::join(params, ", ");
  std::string argList = llvm::join(args, ", ");

  raw_indented_ostream &os = emitter.decls;
  os << "\n// " << quoteForComment(emitter.describe(op)) << ": the output is ("
     << llvm::join(emitter.getDimExprs(op.getOutputs()[0]), ", ") << ").\n";

  // The region, once.
  Block &block = op.getBody().front();
  SmallVector<Type> resultTypes;
  for (Value output : op.getOutputs())
    resultTypes.push_back(elementTypeOf(output));
  FailureOr<std::string> sharedBody =
      emitSharedBody(block, resultTypes, prefix, emitter);
  if (failed(sharedBody))
    return failure();
  StringRef bodyName = *sharedBody;

  // Lighter bodies need more elements to be worth a thread.
  int64_t grain = std::max<int64_t>(
      1024, 16384 / std::max<int64_t>(1, block.getOperations().size() - 1));
  if (!isStatic)
    return emitDynamicElementwise(op, emitter, prefix, bodyName, paramList,
                                  argList, grain);

  // One output element.
  llvm::SmallVector<DimGroup> groups = groupDims(outShape, inShapes);
  llvm::SmallVector<std::string> bodyArgs;
  for (auto [k, shape] : llvm::enumerate(inShapes))
    bodyArgs.push_back("in" + std::to_string(k) + "[" +
                       getOffset(groups, k, shape, numElements) + "]");
  for (unsigned k = 0, e = op.getOutputs().size(); k < e; ++k)
    bodyArgs.push_back("out" + std::to_string(k) + "[i]");
  // The driver, and its call from run.
  llvm::SmallVector<std::string> buffers;
  for (Value value : op->getOperands())
    buffers.push_back(emitter.getName(value).str());
  std::string bufferList = llvm::join(buffers, ", ");
  if (!emitter.isCuda()) {
    emitRowDriver(groups, inShapes, numElements, grain, prefix, bodyName,
                  paramList, op.getOutputs().size(), os);
    emitter.body << prefix << "(" << bufferList << ");\n";
    return success();
  }

  emitGridDriver(prefix, paramList, argList,
                 (bodyName + "(" + llvm::join(bodyArgs, ", ") + ")").str(),
                 numElements, os);
  emitter.emitCheckedCall(prefix + "(kctx, " + bufferList + ")", op);
  return success();
}

} // namespace kiln::codegen
