//===- KernelOps.cpp - Kiln kernel dialect ops ------------------*- C++ -*-===//
//
// Verifiers of the kernel dialect's ops.
//
//===----------------------------------------------------------------------===//

#include "dialects/kernel/KernelOps.h"
#include "dialects/kernel/KernelLibrary.h"
#include "kernels/common/Checked.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace kiln::kernel;

/// The byte size of a static memref (i1 takes a byte).
static int64_t getByteSize(MemRefType type) {
  int64_t bits = type.getElementTypeBitWidth();
  return type.getNumElements() * llvm::divideCeil(bits, 8);
}

/// Whether two dims may be equal: either is dynamic, or they are.
static bool mayBeEqual(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

/// An op giving the sizes of the dynamic dims of `type` needs one operand
/// per dynamic dim.
static LogicalResult verifyDynamicSizes(Operation *op, MemRefType type,
                                        ValueRange sizes) {
  if (static_cast<int64_t>(sizes.size()) ==
      static_cast<int64_t>(type.getNumDynamicDims()))
    return success();
  return op->emitOpError("has ")
         << sizes.size() << " dynamic sizes for " << type.getNumDynamicDims()
         << " dynamic dims of " << type;
}

//===----------------------------------------------------------------------===//
// AllocOp, DimOp, OutputDimsOp
//===----------------------------------------------------------------------===//

LogicalResult AllocOp::verify() {
  return verifyDynamicSizes(*this, getBuffer().getType(), getDynamicSizes());
}

LogicalResult DimOp::verify() {
  auto type = cast<MemRefType>(getSource().getType());
  int64_t index = getIndex();
  if (index < 0 || index >= type.getRank())
    return emitOpError("dim ") << getIndex() << " of a rank-"
                               << type.getRank() << " buffer";
  return success();
}

LogicalResult FillSizesOp::verify() {
  auto type = cast<MemRefType>(getTarget().getType());
  if (!type.hasStaticShape() || type.getRank() > 1 ||
      !type.getElementType().isSignlessInteger() ||
      type.getNumElements() != static_cast<int64_t>(getSizes().size()))
    return emitOpError("needs a static integer buffer of rank at most 1 with "
                       "one element per size, got ")
           << type << " for " << getSizes().size() << " sizes";
  return success();
}

LogicalResult OutputDimsOp::verify() {
  return verifyDynamicSizes(*this, cast<MemRefType>(getOutput().getType()),
                            getDynamicSizes());
}

//===----------------------------------------------------------------------===//
// WeightOp
//===----------------------------------------------------------------------===//

/// The tensor type a weight of buffer type `bufferType` holds its value in.
static RankedTensorType getWeightValueType(Type bufferType) {
  auto memrefType = cast<MemRefType>(bufferType);
  return RankedTensorType::get(memrefType.getShape(),
                               memrefType.getElementType());
}

/// The type of the whole value of a weight whose buffer holds one block.
static RankedTensorType getWholeValueType(Type bufferType,
                                          kiln::dist::SplitAttr split) {
  RankedTensorType type = getWeightValueType(bufferType);
  if (!split || split.getDim() >= type.getRank())
    return type;
  SmallVector<int64_t> shape(type.getShape());
  shape[split.getDim()] *= split.getParts();
  return RankedTensorType::get(shape, type.getElementType());
}

/// Parses the `dense<...>` / `dense_resource<...>` of a weight without its
/// type, which the buffer type (and split) implies.
static ParseResult parseWeightValue(OpAsmParser &parser, ElementsAttr &value,
                                    Type bufferType, kiln::dist::SplitAttr split) {
  SMLoc loc = parser.getCurrentLocation();
  Attribute attr;
  if (parser.parseAttribute(attr, getWholeValueType(bufferType, split)))
    return failure();
  value = dyn_cast<ElementsAttr>(attr);
  if (!value)
    return parser.emitError(loc, "expected an elements attribute, got ")
           << attr;
  return success();
}

/// Prints the value without its type when the buffer type implies it; a
/// value of another type (which the verifier rejects) keeps it.
static void printWeightValue(OpAsmPrinter &printer, WeightOp,
                             ElementsAttr value, Type bufferType,
                             kiln::dist::SplitAttr split) {
  if (value.getType() == getWholeValueType(bufferType, split))
    printer.printAttributeWithoutType(value);
  else
    printer.printAttribute(value);
}

LogicalResult WeightOp::verify() {
  auto valueType = cast<RankedTensorType>(getValue().getType());
  MemRefType bufferType = getBuffer().getType();
  RankedTensorType expected =
      RankedTensorType::get(bufferType.getShape(), bufferType.getElementType());
  if (kiln::dist::SplitAttr split = getSplitAttr()) {
    std::string message;
    FailureOr<RankedTensorType> block =
        kiln::dist::getBlockType(valueType, split, message);
    if (failed(block))
      return emitOpError("split: ") << message;
    valueType = *block;
  }
  if (valueType.getElementType() != expected.getElementType() ||
      valueType.getShape() != expected.getShape())
    return emitOpError("value of type ")
           << getValue().getType() << " does not match buffer type "
           << bufferType;
  return success();
}

//===----------------------------------------------------------------------===//
// Collectives
//===----------------------------------------------------------------------===//

/// Checks that `block` is the block of `whole` that `split` gives a rank.
static LogicalResult verifyBlockBuffers(Operation *op, MemRefType whole,
                                        MemRefType block,
                                        kiln::dist::SplitAttr split) {
  if (!whole.hasStaticShape() || !block.hasStaticShape())
    return op->emitOpError("needs static shapes");
  std::string message;
  FailureOr<RankedTensorType> expected = kiln::dist::getBlockType(
      RankedTensorType::get(whole.getShape(), whole.getElementType()), split,
      message);
  if (failed(expected))
    return op->emitOpError() << message;
  if (expected->getShape() != block.getShape() ||
      whole.getElementType() != block.getElementType())
    return op->emitOpError("block ")
           << block << " is not the block of " << whole << " for " << split;
  return success();
}

LogicalResult AllReduceOp::verify() {
  MemRefType source = getSource().getType(), target = getTarget().getType();
  if (source != target || !source.hasStaticShape())
    return emitOpError("needs two static buffers of one type, got ")
           << source << " and " << target;
  return success();
}

LogicalResult AllGatherOp::verify() {
  return verifyBlockBuffers(*this, getTarget().getType(),
                            getSource().getType(), getSplit());
}

LogicalResult ShardOp::verify() {
  return verifyBlockBuffers(*this, getSource().getType(),
                            getTarget().getType(), getSplit());
}

//===----------------------------------------------------------------------===//
// ViewOp
//===----------------------------------------------------------------------===//

LogicalResult ViewOp::verify() {
  MemRefType sourceType = getSource().getType();
  MemRefType resultType = getResult().getType();
  if (sourceType.getElementType() != resultType.getElementType())
    return emitOpError("changes the element type from ")
           << sourceType.getElementType() << " to "
           << resultType.getElementType();
  if (failed(verifyDynamicSizes(*this, resultType, getDynamicSizes())))
    return failure();
  if (sourceType.hasStaticShape() && resultType.hasStaticShape() &&
      sourceType.getNumElements() != resultType.getNumElements())
    return emitOpError("changes the size from ")
           << sourceType.getNumElements() << " to "
           << resultType.getNumElements() << " elements";
  return success();
}

//===----------------------------------------------------------------------===//
// CopyOp
//===----------------------------------------------------------------------===//

LogicalResult CopyOp::verify() {
  MemRefType sourceType = getSource().getType();
  MemRefType targetType = getTarget().getType();
  if (sourceType.getElementType() != targetType.getElementType())
    return emitOpError("copies ") << sourceType.getElementType() << " into "
                                  << targetType.getElementType();
  if (sourceType.hasStaticShape() && targetType.hasStaticShape() &&
      getByteSize(sourceType) != getByteSize(targetType))
    return emitOpError("copies ")
           << getByteSize(sourceType) << " bytes into a buffer of "
           << getByteSize(targetType) << " bytes";
  return success();
}

//===----------------------------------------------------------------------===//
// Host control flow
//===----------------------------------------------------------------------===//

/// A buffer a host scalar of type `scalar` is read from or written into:
/// one element of that type.
static LogicalResult verifyScalarBuffer(Operation *op, MemRefType type,
                                        Type scalar) {
  if (!type.hasStaticShape() || type.getNumElements() != 1)
    return op->emitOpError("needs a buffer of one element, got ") << type;
  if (type.getElementType() != scalar)
    return op->emitOpError("reads or writes ")
           << scalar << " in a buffer of " << type.getElementType();
  return success();
}

LogicalResult LoadScalarOp::verify() {
  return verifyScalarBuffer(*this, getSource().getType(), getType());
}

LogicalResult StoreScalarOp::verify() {
  return verifyScalarBuffer(*this, getTarget().getType(), getValue().getType());
}

/// `stacked` holds rows of the shape of `row` along its dim 0.
static LogicalResult verifyRows(Operation *op, MemRefType stacked,
                                MemRefType row) {
  if (stacked.getElementType() != row.getElementType())
    return op->emitOpError("copies rows between ")
           << stacked.getElementType() << " and " << row.getElementType();
  if (stacked.getRank() != row.getRank() + 1 ||
      !llvm::all_of(
          llvm::zip_equal(stacked.getShape().drop_front(), row.getShape()),
          [](auto dims) {
            return mayBeEqual(std::get<0>(dims), std::get<1>(dims));
          }))
    return op->emitOpError("a row of ") << stacked << " is not " << row;
  return success();
}

LogicalResult ExtractRowOp::verify() {
  return verifyRows(*this, getSource().getType(), getTarget().getType());
}

LogicalResult InsertRowOp::verify() {
  return verifyRows(*this, getTarget().getType(), getSource().getType());
}

//===----------------------------------------------------------------------===//
// ElementwiseOp
//===----------------------------------------------------------------------===//

/// True when `from` broadcasts to `to` by numpy rules: right-aligned, each
/// dim of `from` equal to the target's or 1.
static bool isBroadcastableTo(ArrayRef<int64_t> from, ArrayRef<int64_t> to) {
  if (from.size() > to.size())
    return false;
  size_t lead = to.size() - from.size();
  return llvm::all_of(llvm::enumerate(from), [&](auto it) {
    return it.value() == 1 || mayBeEqual(it.value(), to[lead + it.index()]);
  });
}

/// The scalar type a body sees of `buffer`: its element type, signless when
/// it is an unsigned integer.
static Type getScalarType(Value buffer) {
  Type type = cast<MemRefType>(buffer.getType()).getElementType();
  if (type.isUnsignedInteger())
    return IntegerType::get(type.getContext(), type.getIntOrFloatBitWidth());
  return type;
}

LogicalResult ElementwiseOp::verify() {
  if (getOutputs().empty())
    return emitOpError("needs at least one output");
  ArrayRef<int64_t> shape =
      cast<MemRefType>(getOutputs()[0].getType()).getShape();
  for (Value output : getOutputs().drop_front()) {
    ArrayRef<int64_t> other = cast<MemRefType>(output.getType()).getShape();
    if (other.size() != shape.size() ||
        !llvm::all_of(llvm::zip(other, shape), [](auto dims) {
          return mayBeEqual(std::get<0>(dims), std::get<1>(dims));
        }))
      return emitOpError("outputs must all have one shape");
  }
  for (auto [index, input] : llvm::enumerate(getInputs())) {
    auto type = cast<MemRefType>(input.getType());
    if (!isBroadcastableTo(type.getShape(), shape))
      return emitOpError("input #")
             << index << " of type " << type
             << " does not broadcast to the output shape";
  }

  Block &body = getBody().front();
  if (body.getNumArguments() != getInputs().size())
    return emitOpError("body takes ")
           << body.getNumArguments() << " arguments for " << getInputs().size()
           << " inputs";
  for (auto [index, arg, input] :
       llvm::enumerate(body.getArguments(), getInputs())) {
    Type elementType = getScalarType(input);
    if (arg.getType() != elementType)
      return emitOpError("body argument #")
             << index << " has type " << arg.getType() << ", expected "
             << elementType;
  }

  for (Operation &op : body.without_terminator())
    if (!isa_and_present<arith::ArithDialect, math::MathDialect>(
            op.getDialect()))
      return op.emitOpError("is not allowed in a kernel.elementwise body");

  auto yield = cast<YieldOp>(body.getTerminator());
  if (yield.getValues().size() != getOutputs().size())
    return emitOpError("body yields ")
           << yield.getValues().size() << " values for " << getOutputs().size()
           << " outputs";
  for (auto [index, value, output] :
       llvm::enumerate(yield.getValues(), getOutputs())) {
    Type elementType = getScalarType(output);
    if (value.getType() != elementType)
      return emitOpError("body yields ") << value.getType() << " for output #"
                                         << index << " of " << elementType;
  }
  return success();
}

/// Checks an epilogue region of `op`, which writes `out` and reads `inputs`:
/// empty, or one block taking the output's scalar and one per input (each
/// input broadcast to the output), holding arith and math ops, and yielding
/// the output's scalar.
static LogicalResult verifyEpilogue(Operation *op, Region &region,
                                    ValueRange inputs, Value out) {
  if (region.empty()) {
    if (!inputs.empty())
      return op->emitOpError("has epilogue inputs but no epilogue");
    return success();
  }
  if (!region.hasOneBlock())
    return op->emitOpError("epilogue must have one block");
  ArrayRef<int64_t> shape = cast<MemRefType>(out.getType()).getShape();
  for (auto [index, input] : llvm::enumerate(inputs)) {
    auto type = cast<MemRefType>(input.getType());
    if (!isBroadcastableTo(type.getShape(), shape))
      return op->emitOpError("epilogue input #")
             << index << " of type " << type
             << " does not broadcast to the output shape";
  }
  Block &body = region.front();
  if (body.getNumArguments() != inputs.size() + 1)
    return op->emitOpError("epilogue takes ")
           << body.getNumArguments() << " arguments for the output and "
           << inputs.size() << " inputs";
  SmallVector<Value> operands{out};
  llvm::append_range(operands, inputs);
  for (auto [index, arg, operand] :
       llvm::enumerate(body.getArguments(), operands)) {
    Type elementType = getScalarType(operand);
    if (arg.getType() != elementType)
      return op->emitOpError("epilogue argument #")
             << index << " has type " << arg.getType() << ", expected "
             << elementType;
  }
  for (Operation &inner : body.without_terminator())
    if (!isa_and_present<arith::ArithDialect, math::MathDialect>(
            inner.getDialect()))
      return inner.emitOpError("is not allowed in an epilogue");
  auto yield = dyn_cast<YieldOp>(body.getTerminator());
  if (!yield || yield.getValues().size() != 1 ||
      yield.getValues()[0].getType() != getScalarType(out))
    return op->emitOpError("epilogue must yield one ") << getScalarType(out);
  return success();
}

//===----------------------------------------------------------------------===//
// ConvOp
//===----------------------------------------------------------------------===//

LogicalResult ConvOp::verify() {
  auto xType = cast<MemRefType>(getX().getType());
  auto wType = cast<MemRefType>(getW().getType());
  auto outType = cast<MemRefType>(getOut().getType());
  if (!xType.getElementType().isF32() || !wType.getElementType().isF32() ||
      !outType.getElementType().isF32() ||
      (getBias() &&
       !cast<MemRefType>(getBias().getType()).getElementType().isF32()))
    return emitOpError("operands must be f32");
  int64_t rank = xType.getRank();
  if (rank < 3 || wType.getRank() != rank || outType.getRank() != rank)
    return emitOpError("x, w and out must have one rank of 3 or more");
  int64_t spatial = rank - 2;
  if (static_cast<int64_t>(getStrides().size()) != spatial ||
      static_cast<int64_t>(getDilations().size()) != spatial ||
      static_cast<int64_t>(getPads().size()) != 2 * spatial)
    return emitOpError("strides and dilations need ")
           << spatial << " entries and pads " << 2 * spatial;
  if (llvm::is_contained(getPads(), ShapedType::kDynamic))
    return emitOpError("pads must be static");
  if (getGroup() < 1)
    return emitOpError("group must be positive");
  if (!mayBeEqual(wType.getDimSize(0), outType.getDimSize(1)))
    return emitOpError("w has ")
           << wType.getDimSize(0) << " output channels, out "
           << outType.getDimSize(1);
  return verifyEpilogue(*this, getEpilogue(), getEpilogueInputs(), getOut());
}

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::verify() {
  MemRefType aType = getA().getType();
  MemRefType bType = getB().getType();
  MemRefType outType = getOut().getType();
  if (aType.getElementType() != outType.getElementType() ||
      bType.getElementType() != outType.getElementType())
    return emitOpError("operands must share one element type");
  if (aType.getRank() < 2 || bType.getRank() < 2 || outType.getRank() < 2)
    return emitOpError("operands must have rank 2 or more");

  ArrayRef<int64_t> a = aType.getShape(), b = bType.getShape();
  ArrayRef<int64_t> out = outType.getShape();
  int64_t m = getTransA() ? a[a.size() - 1] : a[a.size() - 2];
  int64_t ka = getTransA() ? a[a.size() - 2] : a[a.size() - 1];
  int64_t kb = getTransB() ? b[b.size() - 1] : b[b.size() - 2];
  int64_t n = getTransB() ? b[b.size() - 2] : b[b.size() - 1];
  if (!mayBeEqual(ka, kb))
    return emitOpError("contracting sizes differ: ") << ka << " and " << kb;
  if (!mayBeEqual(out[out.size() - 2], m) ||
      !mayBeEqual(out[out.size() - 1], n))
    return emitOpError("output is ")
           << out[out.size() - 2] << "x" << out[out.size() - 1] << ", expected "
           << m << "x" << n;

  // The batch dims of out are the numpy broadcast of those of a and b.
  ArrayRef<int64_t> aBatch = a.drop_back(2), bBatch = b.drop_back(2);
  ArrayRef<int64_t> outBatch = out.drop_back(2);
  size_t batchRank = std::max(aBatch.size(), bBatch.size());
  if (outBatch.size() != batchRank)
    return emitOpError("output has ")
           << outBatch.size() << " batch dimensions, expected " << batchRank;
  for (size_t i = 0; i < batchRank; ++i) {
    auto dimOf = [&](ArrayRef<int64_t> dims) -> int64_t {
      size_t lead = batchRank - dims.size();
      return i < lead ? 1 : dims[i - lead];
    };
    int64_t aDim = dimOf(aBatch), bDim = dimOf(bBatch);
    if (!mayBeEqual(aDim, bDim) && aDim != 1 && bDim != 1)
      return emitOpError("batch dimension #")
             << i << " does not broadcast: " << aDim << " and " << bDim;
    int64_t expected = aDim == 1 ? bDim : aDim;
    if (!ShapedType::isDynamic(aDim) && !ShapedType::isDynamic(bDim) &&
        !mayBeEqual(outBatch[i], expected))
      return emitOpError("output batch dimension #")
             << i << " is " << outBatch[i] << ", expected " << expected;
  }
  if (!getEpilogue().empty() && !outType.getElementType().isF32())
    return emitOpError("an epilogue needs f32 operands");
  return verifyEpilogue(*this, getEpilogue(), getEpilogueInputs(), getOut());
}

//===----------------------------------------------------------------------===//
// AttentionOp
//===----------------------------------------------------------------------===//

LogicalResult AttentionOp::verify() {
  MemRefType qType = getQ().getType(), kType = getK().getType();
  MemRefType vType = getV().getType(), outType = getOut().getType();
  for (MemRefType type : {qType, kType, vType, outType})
    if (!type.getElementType().isF32())
      return emitOpError("operands must be f32, got ") << type;
  int64_t rank = qType.getRank();
  if (rank < 2 || kType.getRank() != rank || vType.getRank() != rank ||
      outType.getRank() != rank)
    return emitOpError("q, k, v and out must have one rank >= 2");
  ArrayRef<int64_t> q = qType.getShape(), k = kType.getShape();
  ArrayRef<int64_t> v = vType.getShape(), out = outType.getShape();
  for (int64_t d = 0; d < rank - 2; ++d)
    if (!mayBeEqual(q[d], k[d]) || !mayBeEqual(q[d], v[d]) ||
        !mayBeEqual(q[d], out[d]))
      return emitOpError("batch dim ") << d << " of q, k, v and out differs";
  if (!mayBeEqual(q[rank - 1], k[rank - 1]))
    return emitOpError("q and k have head sizes ")
           << q[rank - 1] << " and " << k[rank - 1];
  if (!mayBeEqual(k[rank - 2], v[rank - 2]))
    return emitOpError("k and v have sequence lengths ")
           << k[rank - 2] << " and " << v[rank - 2];
  if (!mayBeEqual(out[rank - 2], q[rank - 2]) ||
      !mayBeEqual(out[rank - 1], v[rank - 1]))
    return emitOpError("out must be (..., S_q, D_v) = (..., ")
           << q[rank - 2] << ", " << v[rank - 1] << ")";
  if (!getMask())
    return success();
  auto maskType = cast<MemRefType>(getMask().getType());
  if (!maskType.getElementType().isF32() || maskType.getRank() > rank)
    return emitOpError("mask must be f32 of rank at most ") << rank;
  // Right-aligned, each mask dim is 1 or the score dim.
  SmallVector<int64_t> scores(q.drop_back());
  scores.push_back(k[rank - 2]);
  ArrayRef<int64_t> mask = maskType.getShape();
  int64_t lead = rank - maskType.getRank();
  for (auto [i, size] : llvm::enumerate(mask))
    if (size != 1 && !mayBeEqual(size, scores[lead + i]))
      return emitOpError("mask dim ")
             << i << " of size " << size << " does not broadcast to "
             << scores[lead + i];
  return success();
}

//===----------------------------------------------------------------------===//
// LibraryCallOp
//===----------------------------------------------------------------------===//

LogicalResult LibraryCallOp::verify() { return verifyLibraryCall(*this); }

#define GET_OP_CLASSES
#include "dialects/kernel/KernelOps.cpp.inc"

std::optional<int64_t> kiln::kernel::getBufferBytes(MemRefType type) {
  int64_t bytes;
  if (!type.hasStaticShape() || !type.getElementType().isIntOrFloat() ||
      !checkedByteSize(type.getShape().data(), type.getRank(),
                       llvm::divideCeil(type.getElementTypeBitWidth(), 8),
                       bytes))
    return std::nullopt;
  return bytes;
}
