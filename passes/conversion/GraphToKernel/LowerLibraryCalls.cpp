//===- LowerLibraryCalls.cpp - Ops as kernel.library_call -------*- C++ -*-===//
//
// op(x...) {attrs} => kernel.library_call "<callee>" ins(x...) outs(y...)
//                     {normalized attrs}
//
// The callee table is docs/kernel-library.md. Attributes are normalized
// with the static shapes at hand: axes are non-negative (and sorted for
// reductions), auto_pad and ceil_mode become explicit pads, slice
// parameters become full-rank starts and steps. Over dynamic spatial dims
// the pads of a window are computed at run time (WindowDims.cpp) and passed
// as the call's sizes. Reductions and arg_max/min without keepdims write a
// view of their result with the reduced dims kept.
//
//===----------------------------------------------------------------------===//

#include "passes/conversion/GraphToKernel/LoweringState.h"

#include "dialects/graph/GraphOps.h"
#include "dialects/graph/GraphUtils.h"
#include "dialects/kernel/KernelLibrary.h"

#include "kernels/common/Checked.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::graph_to_kernel;

namespace {

/// Builds one library call: buffers of the graph operands `ins` in, the
/// given `outs` out.
class CallBuilder {
public:
  CallBuilder(Operation *op, LoweringState &state) : op(op), state(state) {}

  Builder &getBuilder() { return state.getBuilder(); }

  LogicalResult addInput(Value value) {
    FailureOr<Value> buffer = state.getBuffer(value);
    if (failed(buffer))
      return failure();
    inputs.push_back(*buffer);
    return success();
  }
  LogicalResult addInputs(ValueRange values) {
    for (Value value : values)
      if (failed(addInput(value)))
        return failure();
    return success();
  }
  void addInputBuffer(Value buffer) { inputs.push_back(buffer); }
  /// A one-element operand, viewed as a scalar (rank 0).
  LogicalResult addScalarInput(Value value) {
    FailureOr<Value> buffer = state.getBuffer(value);
    if (failed(buffer))
      return failure();
    inputs.push_back(
        state.createView(op->getLoc(), *buffer, ArrayRef<int64_t>()));
    return success();
  }
  void addOutputBuffer(Value buffer) { outputs.push_back(buffer); }
  /// A fresh buffer for `result`, written with the sizes `dims` when
  /// given.
  LogicalResult addResult(Value result,
                          std::optional<ArrayRef<Value>> dims = {}) {
    Value buffer = state.createResultBuffer(result);
    if (!buffer)
      return failure();
    outputs.push_back(dims ? state.createView(op->getLoc(), buffer, *dims)
                           : buffer);
    return success();
  }

  void set(StringRef name, Attribute value) {
    attrs.emplace_back(getBuilder().getStringAttr(name), value);
  }
  void setI64(StringRef name, int64_t value) {
    set(name, getBuilder().getI64IntegerAttr(value));
  }
  void setArray(StringRef name, ArrayRef<int64_t> values) {
    set(name, getBuilder().getDenseI64ArrayAttr(values));
  }
  /// An i64 array of index values: constants in the attribute, the others
  /// dynamic entries taken from the call's sizes. Mixed arrays are set in
  /// the order of the callee table.
  void setMixedArray(StringRef name, ArrayRef<Value> values) {
    SmallVector<int64_t> entries;
    for (Value value : values) {
      std::optional<int64_t> constant = getConstantIntValue(value);
      entries.push_back(constant ? *constant : ShapedType::kDynamic);
      if (!constant)
        sizes.push_back(value);
    }
    setArray(name, entries);
  }

  LogicalResult create(StringRef callee) {
    // A kernel without f16 / bf16 computes them in f32: the operands of
    // that type are widened before the call and the results narrowed after.
    Type narrow = getPromotedType(callee);
    SmallVector<std::pair<Value, Value>> narrowed;
    if (narrow) {
      for (Value &input : inputs)
        if (getElementTypeOrSelf(input.getType()) == narrow)
          input = convertBuffer(input, getBuilder().getF32Type());
      for (Value &output : outputs) {
        if (getElementTypeOrSelf(output.getType()) != narrow)
          continue;
        Value wide = state.createAlloc(op->getLoc(), getBuilder().getF32Type(),
                                       state.getBufferDims(output));
        narrowed.push_back({wide, output});
        output = wide;
      }
    }
    auto call = kernel::LibraryCallOp::create(state.getBuilder(), op->getLoc(),
                                              callee, inputs, outputs, sizes);
    for (NamedAttribute attr : attrs)
      call->setAttr(attr.getName(), attr.getValue());
    for (auto [wide, output] : narrowed)
      emitConvert(wide, output);
    return success();
  }

private:
  /// The f16 or bf16 element type of the call when `callee` lacks it but
  /// computes f32; null otherwise.
  Type getPromotedType(StringRef callee) {
    const kernel::LibraryCallee *library = kernel::lookupLibraryCallee(callee);
    Value first = !inputs.empty()    ? inputs.front()
                  : !outputs.empty() ? outputs.front()
                                     : Value();
    if (!library || !first)
      return {};
    Type type = getElementTypeOrSelf(first.getType());
    if (!(type.isF16() || type.isBF16()) ||
        (kernel::getLibraryDType(type) & library->dtypes) ||
        !(library->dtypes & kernel::DTypeF32))
      return {};
    return type;
  }

  /// `buffer` converted elementwise into a fresh buffer of `elementType`.
  Value convertBuffer(Value buffer, Type elementType) {
    Value converted = state.createAlloc(op->getLoc(), elementType,
                                        state.getBufferDims(buffer));
    emitConvert(buffer, converted);
    return converted;
  }

  /// to = from, elementwise, between float types.
  void emitConvert(Value from, Value to) {
    OpBuilder &builder = state.getBuilder();
    Location loc = op->getLoc();
    Type fromType = getElementTypeOrSelf(from.getType());
    Type toType = getElementTypeOrSelf(to.getType());
    auto elementwise =
        kernel::ElementwiseOp::create(builder, loc, ValueRange{from}, to);
    OpBuilder::InsertionGuard guard(builder);
    Block *body = builder.createBlock(&elementwise.getBody(), {}, {fromType},
                                      {loc});
    Value x = body->getArgument(0);
    Value converted =
        fromType.getIntOrFloatBitWidth() < toType.getIntOrFloatBitWidth()
            ? arith::ExtFOp::create(builder, loc, toType, x).getResult()
            : arith::TruncFOp::create(builder, loc, toType, x).getResult();
    kernel::YieldOp::create(builder, loc, converted);
  }

  Operation *op;
  LoweringState &state;
  SmallVector<Value> inputs, outputs, sizes;
  SmallVector<NamedAttribute> attrs;
};

ArrayRef<int64_t> getShape(Value value) {
  return cast<ShapedType>(value.getType()).getShape();
}

/// `axis` of a tensor of rank `rank`, normalized, or an error at `op`.
FailureOr<int64_t> getAxis(Operation *op, int64_t axis, int64_t rank) {
  if (!graph::isValidAxis(axis, rank))
    return op->emitError("axis ")
           << axis << " is out of range for rank " << rank;
  return graph::normalizeAxis(axis, rank);
}

/// The explicit pads (begins, then ends) of a window op with static shapes.
/// With ceil_mode, the end pads grow so that floor division gives the
/// result's (ceil-mode) size.
FailureOr<SmallVector<int64_t>>
resolveWindowPads(Operation *op, ArrayRef<int64_t> inputShape,
                  ArrayRef<int64_t> outputShape, ArrayRef<int64_t> kernelShape,
                  ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
                  ArrayRef<int64_t> dilations, StringRef autoPad,
                  bool *grewEnds = nullptr) {
  size_t spatial = inputShape.size() - 2;
  if (kernelShape.size() != spatial || strides.size() != spatial ||
      dilations.size() != spatial || pads.size() != 2 * spatial)
    return op->emitError("window attributes do not match ")
           << spatial << " spatial dimensions";
  SmallVector<int64_t> begins, ends;
  for (size_t i = 0; i < spatial; ++i) {
    graph::WindowDim dim{inputShape[i + 2], kernelShape[i], strides[i],
                         dilations[i],      pads[i],        pads[i + spatial]};
    FailureOr<std::pair<int64_t, int64_t>> resolved =
        graph::resolvePads(dim, autoPad);
    if (failed(resolved))
      return op->emitError("cannot resolve auto_pad '") << autoPad << "'";
    int64_t extent = dim.dilation * (dim.kernelSize - 1) + 1;
    int64_t needed = (outputShape[i + 2] - 1) * dim.stride + extent -
                     dim.inputSize - resolved->first;
    begins.push_back(resolved->first);
    ends.push_back(std::max(resolved->second, needed));
    if (grewEnds && needed > resolved->second)
      *grewEnds = true;
  }
  llvm::append_range(begins, ends);
  return begins;
}

/// Whether a window's pads and sizes are known at compile time: the spatial
/// dims of the input, the output and (conv) the weight are static.
bool hasStaticWindow(Operation *op) {
  auto staticSpatial = [](Value value) {
    ArrayRef<int64_t> shape = getShape(value);
    return llvm::none_of(shape.drop_front(2), ShapedType::isDynamic);
  };
  if (isa<graph::ConvOp, graph::ConvTransposeOp>(op) &&
      !staticSpatial(op->getOperand(1)))
    return false;
  return staticSpatial(op->getOperand(0)) && staticSpatial(op->getResult(0));
}

/// The pads of a window over dynamic dims (WindowDims.cpp): begins then
/// ends, those that depend on run-time sizes as sizes of the call.
LogicalResult setDynamicPads(Operation *op, CallBuilder &call,
                             LoweringState &state) {
  FailureOr<WindowSizes> sizes = reifyWindow(op, state);
  if (failed(sizes))
    return failure();
  SmallVector<Value> pads = sizes->padsBegin;
  llvm::append_range(pads, sizes->padsEnd);
  call.setMixedArray("pads", pads);
  return success();
}

LogicalResult lowerConv(graph::ConvOp op, LoweringState &state) {
  CallBuilder call(op, state);
  if (failed(call.addInput(op.getInput())) ||
      failed(call.addInput(op.getWeight())) ||
      (op.getBias() && failed(call.addInput(op.getBias()))))
    return failure();
  if (failed(call.addResult(op.getOutput())))
    return failure();
  call.setArray("strides", op.getStrides());
  if (!hasStaticWindow(op)) {
    if (failed(setDynamicPads(op, call, state)))
      return failure();
  } else {
    FailureOr<SmallVector<int64_t>> pads = resolveWindowPads(
        op, getShape(op.getInput()), getShape(op.getOutput()),
        getShape(op.getWeight()).drop_front(2), op.getStrides(), op.getPads(),
        op.getDilations(), op.getAutoPad());
    if (failed(pads))
      return failure();
    call.setArray("pads", *pads);
  }
  call.setArray("dilations", op.getDilations());
  call.setI64("group", op.getGroup());
  return call.create("conv");
}

template <typename PoolOp>
LogicalResult lowerPool(PoolOp op, LoweringState &state, StringRef callee) {
  CallBuilder call(op, state);
  if (failed(call.addInput(op.getInput())))
    return failure();
  if (failed(call.addResult(op.getOutput())))
    return failure();
  call.setArray("kernel_shape", op.getKernelShape());
  call.setArray("strides", op.getStrides());
  // Static spatial dims grow the end pads for ceil_mode. Over dynamic dims,
  // and where an average counts the pads (it must not count the cells past
  // the model's end pad), the pads stay the model's: the kernel takes the
  // one more window, which counts no cell past the end pad.
  bool countsPads = false;
  if constexpr (std::is_same_v<PoolOp, graph::AveragePoolOp>)
    countsPads = op.getCountIncludePad();
  bool grewEnds = false;
  FailureOr<SmallVector<int64_t>> pads = failure();
  if (hasStaticWindow(op)) {
    pads =
        resolveWindowPads(op, getShape(op.getInput()), getShape(op.getOutput()),
                          op.getKernelShape(), op.getStrides(), op.getPads(),
                          op.getDilations(), op.getAutoPad(), &grewEnds);
    if (failed(pads))
      return failure();
  }
  if (succeeded(pads) && !(grewEnds && countsPads))
    call.setArray("pads", *pads);
  else if (failed(setDynamicPads(op, call, state)))
    return failure();
  call.setArray("dilations", op.getDilations());
  if constexpr (std::is_same_v<PoolOp, graph::AveragePoolOp>)
    call.set("count_include_pad", state.getBuilder().getBoolAttr(countsPads));
  return call.create(callee);
}

/// A call with one input, one output and no attributes.
LogicalResult lowerPlain(Operation *op, LoweringState &state,
                         StringRef callee) {
  CallBuilder call(op, state);
  if (failed(call.addInput(op->getOperand(0))))
    return failure();
  if (failed(call.addResult(op->getResult(0))))
    return failure();
  return call.create(callee);
}

template <typename SoftmaxOp>
LogicalResult lowerSoftmax(SoftmaxOp op, LoweringState &state,
                           StringRef callee) {
  FailureOr<int64_t> axis =
      getAxis(op, op.getAxis(), op.getInput().getType().getRank());
  if (failed(axis))
    return failure();
  CallBuilder call(op, state);
  if (failed(call.addInput(op.getInput())))
    return failure();
  if (failed(call.addResult(op.getOutput())))
    return failure();
  call.setI64("axis", *axis);
  return call.create(callee);
}

LogicalResult lowerLayerNorm(graph::LayerNormOp op, LoweringState &state) {
  FailureOr<int64_t> axis =
      getAxis(op, op.getAxis(), op.getInput().getType().getRank());
  if (failed(axis))
    return failure();
  CallBuilder call(op, state);
  if (failed(call.addInput(op.getInput())) ||
      failed(call.addInput(op.getScale())) ||
      (op.getBias() && failed(call.addInput(op.getBias()))))
    return failure();
  if (failed(call.addResult(op.getOutput())))
    return failure();
  for (Value statistic : op.getStatistics())
    if (failed(call.addResult(statistic)))
      return failure();
  call.setI64("axis", *axis);
  call.set("epsilon", op.getEpsilonAttr());
  return call.create("layer_norm");
}

/// The dims of `input` with those of `axes` set to 1.
FailureOr<SmallVector<Value>> getKeptDims(Value input, ArrayRef<int64_t> axes,
                                          LoweringState &state) {
  FailureOr<SmallVector<Value>> kept = state.getDims(input);
  if (failed(kept))
    return failure();
  for (int64_t axis : axes)
    (*kept)[axis] = state.getIndex(1);
  return kept;
}

template <typename ReduceOp>
LogicalResult lowerReduce(ReduceOp op, LoweringState &state, StringRef kind) {
  int64_t rank = op.getInput().getType().getRank();
  SmallVector<int64_t> axes;
  if (op.getAxes())
    axes.assign(op.getAxes()->begin(), op.getAxes()->end());
  if (axes.empty()) {
    // No axes: nothing to reduce with noop_with_empty_axes, else all.
    if (op.getNoopWithEmptyAxes()) {
      FailureOr<Value> input = state.getBuffer(op.getInput());
      if (failed(input))
        return failure();
      state.map(op.getOutput(), *input);
      return success();
    }
    for (int64_t axis = 0; axis < rank; ++axis)
      axes.push_back(axis);
  }
  for (int64_t &axis : axes) {
    FailureOr<int64_t> normalized = getAxis(op, axis, rank);
    if (failed(normalized))
      return failure();
    axis = *normalized;
  }
  llvm::sort(axes);
  axes.erase(llvm::unique(axes), axes.end());

  CallBuilder call(op, state);
  FailureOr<SmallVector<Value>> kept = getKeptDims(op.getInput(), axes, state);
  if (failed(kept) || failed(call.addInput(op.getInput())) ||
      failed(call.addResult(op.getOutput(), ArrayRef<Value>(*kept))))
    return failure();
  call.set("kind", state.getBuilder().getStringAttr(kind));
  call.setArray("axes", axes);
  return call.create("reduce");
}

template <typename ArgOp>
LogicalResult lowerArg(ArgOp op, LoweringState &state, StringRef callee) {
  FailureOr<int64_t> axis =
      getAxis(op, op.getAxis(), op.getInput().getType().getRank());
  if (failed(axis))
    return failure();
  CallBuilder call(op, state);
  FailureOr<SmallVector<Value>> kept =
      getKeptDims(op.getInput(), {*axis}, state);
  if (failed(kept) || failed(call.addInput(op.getInput())) ||
      failed(call.addResult(op.getOutput(), ArrayRef<Value>(*kept))))
    return failure();
  call.setI64("axis", *axis);
  call.set("select_last_index",
           state.getBuilder().getBoolAttr(op.getSelectLastIndex()));
  return call.create(callee);
}

LogicalResult lowerTranspose(graph::TransposeOp op, LoweringState &state) {
  CallBuilder call(op, state);
  if (failed(call.addInput(op.getInput())))
    return failure();
  if (failed(call.addResult(op.getOutput())))
    return failure();
  call.setArray("perm", op.getPerm());
  return call.create("transpose");
}

LogicalResult lowerConcat(graph::ConcatOp op, LoweringState &state) {
  FailureOr<int64_t> axis =
      getAxis(op, op.getAxis(), op.getOutput().getType().getRank());
  if (failed(axis))
    return failure();
  CallBuilder call(op, state);
  if (failed(call.addInputs(op.getInputs())))
    return failure();
  if (failed(call.addResult(op.getOutput())))
    return failure();
  call.setI64("axis", *axis);
  return call.create("concat");
}

LogicalResult lowerSplit(graph::SplitOp op, LoweringState &state) {
  FailureOr<int64_t> axis =
      getAxis(op, op.getAxis(), op.getInput().getType().getRank());
  if (failed(axis))
    return failure();
  CallBuilder call(op, state);
  if (failed(call.addInput(op.getInput())))
    return failure();
  for (Value output : op.getOutputs())
    if (failed(call.addResult(output)))
      return failure();
  call.setI64("axis", *axis);
  return call.create("split");
}

/// ONNX Slice with constant parameters as full-rank starts and steps:
/// y[i] = x[start + i * step] per dim, checked against the result shape.
/// A slice with dynamic dims or ends that are sizes: constant starts (not
/// negative along dynamic dims) and steps; the result's dims are computed
/// at run time (ReifyDims.cpp), and a start past the end reads nothing.
LogicalResult lowerDynamicSlice(graph::SliceOp op, LoweringState &state) {
  FailureOr<graph_to_kernel::SliceParams> params =
      graph_to_kernel::getSliceParams(op);
  if (failed(params))
    return failure();
  ArrayRef<int64_t> shape = getShape(op.getInput());
  int64_t rank = shape.size();
  SmallVector<int64_t> fullStarts(rank, 0), fullSteps(rank, 1);
  for (auto [index, axis] : llvm::enumerate(params->axes)) {
    int64_t start = params->starts[index], step = params->steps[index];
    if (!ShapedType::isDynamic(shape[axis]) && params->constantEnds) {
      graph::SliceRange range = graph::resolveSlice(
          shape[axis], start, (*params->constantEnds)[index], step);
      start = range.start;
      if (range.size <= 1)
        step = 1;
    }
    fullStarts[axis] = start;
    fullSteps[axis] = step;
  }
  CallBuilder call(op, state);
  if (failed(call.addInput(op.getInput())) ||
      failed(call.addResult(op.getOutput())))
    return failure();
  call.setArray("starts", fullStarts);
  call.setArray("steps", fullSteps);
  return call.create("slice");
}

LogicalResult lowerSlice(graph::SliceOp op, LoweringState &state) {
  ArrayRef<int64_t> shape = getShape(op.getInput());
  int64_t rank = shape.size();
  std::optional<SmallVector<int64_t>> starts =
      graph::getConstantIntValues(op.getStarts());
  std::optional<SmallVector<int64_t>> ends =
      graph::getConstantIntValues(op.getEnds());
  if (!ShapedType::isStaticShape(shape) ||
      !op.getOutput().getType().hasStaticShape())
    return lowerDynamicSlice(op, state);
  if (!starts || !ends)
    return op.emitError("slice needs constant starts and ends");
  SmallVector<int64_t> axes, steps(starts->size(), 1);
  if (op.getAxes()) {
    std::optional<SmallVector<int64_t>> values =
        graph::getConstantIntValues(op.getAxes());
    if (!values)
      return op.emitError("slice needs constant axes");
    axes = *values;
  } else {
    for (int64_t axis = 0; axis < static_cast<int64_t>(starts->size()); ++axis)
      axes.push_back(axis);
  }
  if (op.getSteps()) {
    std::optional<SmallVector<int64_t>> values =
        graph::getConstantIntValues(op.getSteps());
    if (!values)
      return op.emitError("slice needs constant steps");
    steps = *values;
  }
  if (ends->size() != starts->size() || axes.size() != starts->size() ||
      steps.size() != starts->size())
    return op.emitError("slice starts, ends, axes and steps differ in length");

  SmallVector<int64_t> fullStarts(rank, 0), fullSteps(rank, 1);
  SmallVector<int64_t> sizes(shape);
  for (auto [index, rawAxis] : llvm::enumerate(axes)) {
    FailureOr<int64_t> axis = getAxis(op, rawAxis, rank);
    if (failed(axis))
      return failure();
    int64_t dim = shape[*axis], step = steps[index];
    if (step == 0)
      return op.emitError("slice step is 0 along axis ") << *axis;
    graph::SliceRange range =
        graph::resolveSlice(dim, (*starts)[index], (*ends)[index], step);
    sizes[*axis] = range.size;
    // A step that reads at most one element is never taken; as 1 it cannot
    // overflow the kernel's stride arithmetic (any other step is below the
    // dim in magnitude).
    if (range.size <= 1)
      step = 1;
    int64_t start = range.start;
    fullStarts[*axis] = start;
    fullSteps[*axis] = step;
  }
  if (ArrayRef<int64_t>(sizes) != getShape(op.getOutput())) {
    InFlightDiagnostic diag = op.emitError("slice of ")
                              << op.getInput().getType() << " gives shape [";
    llvm::interleaveComma(sizes, diag);
    return diag << "], but the result is " << op.getOutput().getType();
  }

  CallBuilder call(op, state);
  if (failed(call.addInput(op.getInput())))
    return failure();
  if (failed(call.addResult(op.getOutput())))
    return failure();
  call.setArray("starts", fullStarts);
  call.setArray("steps", fullSteps);
  return call.create("slice");
}

LogicalResult lowerGather(graph::GatherOp op, LoweringState &state) {
  FailureOr<int64_t> axis =
      getAxis(op, op.getAxis(), op.getInput().getType().getRank());
  if (failed(axis))
    return failure();
  CallBuilder call(op, state);
  if (failed(call.addInput(op.getInput())) ||
      failed(call.addInput(op.getIndices())))
    return failure();
  if (failed(call.addResult(op.getOutput())))
    return failure();
  call.setI64("axis", *axis);
  return call.create("gather");
}

/// gather_elements / scatter_elements: the axis normalized; scatters name
/// their reduction.
LogicalResult lowerElementsCall(Operation *op, LoweringState &state,
                                StringRef callee, int64_t axis,
                                std::optional<StringRef> reduction) {
  int64_t rank = cast<ShapedType>(op->getOperand(0).getType()).getRank();
  FailureOr<int64_t> resolved = getAxis(op, axis, rank);
  if (failed(resolved))
    return failure();
  CallBuilder call(op, state);
  if (failed(call.addInputs(op->getOperands())))
    return failure();
  if (failed(call.addResult(op->getResult(0))))
    return failure();
  call.setI64("axis", *resolved);
  if (reduction)
    call.set("reduction", call.getBuilder().getStringAttr(*reduction));
  return call.create(callee);
}

LogicalResult lowerGatherND(graph::GatherNDOp op, LoweringState &state) {
  CallBuilder call(op, state);
  if (failed(call.addInputs(op->getOperands())))
    return failure();
  if (failed(call.addResult(op.getOutput())))
    return failure();
  call.setI64("batch_dims", op.getBatchDims());
  return call.create("gather_nd");
}

LogicalResult lowerScatterND(graph::ScatterNDOp op, LoweringState &state) {
  CallBuilder call(op, state);
  if (failed(call.addInputs(op->getOperands())))
    return failure();
  if (failed(call.addResult(op.getOutput())))
    return failure();
  call.set("reduction", call.getBuilder().getStringAttr(op.getReduction()));
  return call.create("scatter_nd");
}

/// trilu's optional k (one element) is viewed as a scalar.
LogicalResult lowerTrilu(graph::TriluOp op, LoweringState &state) {
  CallBuilder call(op, state);
  if (failed(call.addInput(op.getInput())))
    return failure();
  if (Value k = op.getK())
    if (failed(call.addScalarInput(k)))
      return failure();
  if (failed(call.addResult(op.getOutput())))
    return failure();
  call.set("upper", call.getBuilder().getBoolAttr(op.getUpper()));
  return call.create("trilu");
}

/// cumsum and cumprod: `callee` over the op's axis.
template <typename ScanOp>
LogicalResult lowerScan(ScanOp op, LoweringState &state, StringRef callee) {
  FailureOr<int64_t> axis =
      getAxis(op, op.getAxis(), op.getInput().getType().getRank());
  if (failed(axis))
    return failure();
  CallBuilder call(op, state);
  if (failed(call.addInput(op.getInput())))
    return failure();
  if (failed(call.addResult(op.getOutput())))
    return failure();
  call.setI64("axis", *axis);
  call.set("exclusive", call.getBuilder().getBoolAttr(op.getExclusive()));
  call.set("reverse", call.getBuilder().getBoolAttr(op.getReverse()));
  return call.create(callee);
}

/// pad's optional value (one element) is viewed as a scalar.
LogicalResult lowerPad(graph::PadOp op, LoweringState &state) {
  CallBuilder call(op, state);
  if (failed(call.addInput(op.getInput())))
    return failure();
  if (Value value = op.getConstantValue())
    if (failed(call.addScalarInput(value)))
      return failure();
  if (failed(call.addResult(op.getOutput())))
    return failure();
  call.setArray("pads", op.getPads());
  call.set("mode", call.getBuilder().getStringAttr(op.getMode()));
  return call.create("pad");
}

/// range takes rank-0 start, limit and delta; one-element operands are
/// viewed as scalars.
LogicalResult lowerRange(graph::RangeOp op, LoweringState &state) {
  CallBuilder call(op, state);
  for (Value operand : op->getOperands()) {
    auto type = cast<ShapedType>(operand.getType());
    if (!type.hasStaticShape() || type.getNumElements() != 1)
      return op.emitError("range operands must hold one element");
    if (failed(call.addScalarInput(operand)))
      return failure();
  }
  if (failed(call.addResult(op.getOutput())))
    return failure();
  return call.create("range");
}

//===----------------------------------------------------------------------===//
// Network ops of exported models
//===----------------------------------------------------------------------===//

/// top_k(x, k) => top_k ins(x) outs(values, indices) {axis, largest}: k is
/// the size of the results along the axis.
LogicalResult lowerTopK(graph::TopKOp op, LoweringState &state) {
  FailureOr<int64_t> axis =
      getAxis(op, op.getAxis(), op.getInput().getType().getRank());
  if (failed(axis))
    return failure();
  CallBuilder call(op, state);
  if (failed(call.addInput(op.getInput())))
    return failure();
  if (failed(call.addResult(op.getValues())))
    return failure();
  if (failed(call.addResult(op.getIndices())))
    return failure();
  call.setI64("axis", *axis);
  call.set("largest", state.getBuilder().getBoolAttr(op.getLargest()));
  return call.create("top_k");
}

/// conv_transpose => conv_transpose ins(x, w, [b]) outs(y) {strides, pads,
/// dilations, group}: auto_pad, output_shape and output_padding become
/// explicit pads, the begins from transposedPadBegin and the ends whatever
/// the output size leaves (negative for output padding).
LogicalResult lowerConvTranspose(graph::ConvTransposeOp op,
                                 LoweringState &state) {
  if (!hasStaticWindow(op)) {
    // Over dynamic dims: the pads at run time (WindowDims.cpp).
    FailureOr<WindowSizes> sizes = reifyTransposedWindow(op, state);
    if (failed(sizes))
      return failure();
    SmallVector<Value> pads = sizes->padsBegin;
    llvm::append_range(pads, sizes->padsEnd);
    CallBuilder call(op, state);
    if (failed(call.addInput(op.getInput())) ||
        failed(call.addInput(op.getWeight())) ||
        (op.getBias() && failed(call.addInput(op.getBias()))) ||
        failed(call.addResult(op.getOutput())))
      return failure();
    call.setArray("strides", op.getStrides());
    call.setMixedArray("pads", pads);
    call.setArray("dilations", op.getDilations());
    call.setI64("group", op.getGroup());
    return call.create("conv_transpose");
  }
  ArrayRef<int64_t> x = getShape(op.getInput());
  ArrayRef<int64_t> y = getShape(op.getOutput());
  size_t spatial = x.size() - 2;
  SmallVector<int64_t> begins, ends;
  for (size_t i = 0; i < spatial; ++i) {
    graph::TransposedWindowDim dim{{x[i + 2], op.getKernelShape()[i],
                                    op.getStrides()[i], op.getDilations()[i],
                                    op.getPads()[i], op.getPads()[i + spatial]},
                                   op.getOutputPadding()[i]};
    FailureOr<int64_t> begin = graph::transposedPadBegin(
        dim, op.getAutoPad(), op.getOutputShape().has_value(), y[i + 2]);
    if (failed(begin))
      return op.emitError("cannot resolve the pads of spatial dim ") << i;
    // y = s * (x - 1) + d * (k - 1) + 1 - begin - end, in 128 bits: the
    // attributes are any int64 the verifier let through.
    __int128 end = __int128(dim.window.stride) * (x[i + 2] - 1) +
                   __int128(dim.window.dilation) * (dim.window.kernelSize - 1) +
                   1 - *begin - y[i + 2];
    if (end < -kMaxTensorBytes || end > kMaxTensorBytes)
      return op.emitError("the pads of spatial dim ") << i << " are too large";
    begins.push_back(*begin);
    ends.push_back(static_cast<int64_t>(end));
  }
  llvm::append_range(begins, ends);
  CallBuilder call(op, state);
  if (failed(call.addInput(op.getInput())) ||
      failed(call.addInput(op.getWeight())) ||
      (op.getBias() && failed(call.addInput(op.getBias()))))
    return failure();
  if (failed(call.addResult(op.getOutput())))
    return failure();
  call.setArray("strides", op.getStrides());
  call.setArray("pads", begins);
  call.setArray("dilations", op.getDilations());
  call.setI64("group", op.getGroup());
  return call.create("conv_transpose");
}

/// resize => resize ins(x) outs(y) {mode, ..., scales, roi, ...}: the scale
/// factors in double precision (size / in where sizes decide, 0 where that
/// in is dynamic: the kernel divides at run time), roi only for
/// tf_crop_and_resize.
LogicalResult lowerResize(graph::ResizeOp op, LoweringState &state) {
  FailureOr<SmallVector<double>> scales = op.getScaleFactors();
  if (failed(scales) && !op.getInput().getType().hasStaticShape())
    return op.emitError("'")
           << op->getName() << "' does not support dynamic dims with "
           << "keep_aspect_ratio_policy '" << op.getKeepAspectRatioPolicy()
           << "': give --shape for the model's inputs";
  if (failed(scales))
    return op.emitError("cannot resolve the scale factors of resize");
  StringRef transform = op.getCoordinateTransformationMode();
  Type elementType = op.getInput().getType().getElementType();
  if ((op.getMode() != "nearest" || transform == "tf_crop_and_resize") &&
      !elementType.isF32())
    return op.emitError("resize with mode '")
           << op.getMode() << "' and coordinate_transformation_mode '"
           << transform << "' supports f32 only, got " << elementType;
  SmallVector<double> roi;
  if (std::optional<ArrayRef<float>> values = op.getRoi();
      values && transform == "tf_crop_and_resize")
    roi.assign(values->begin(), values->end());
  CallBuilder call(op, state);
  if (failed(call.addInput(op.getInput())))
    return failure();
  if (failed(call.addResult(op.getOutput())))
    return failure();
  Builder &b = state.getBuilder();
  call.set("mode", op.getModeAttr());
  call.set("coordinate_transformation_mode",
           op.getCoordinateTransformationModeAttr());
  call.set("nearest_mode", op.getNearestModeAttr());
  call.set("scales", b.getDenseF64ArrayAttr(*scales));
  call.set("roi", b.getDenseF64ArrayAttr(roi));
  call.set("cubic_coeff_a", op.getCubicCoeffAAttr());
  call.set("exclude_outside", b.getBoolAttr(op.getExcludeOutside()));
  call.set("extrapolation_value", op.getExtrapolationValueAttr());
  call.set("antialias", b.getBoolAttr(op.getAntialias()));
  return call.create("resize");
}

/// rnn, gru, lstm => the callee of the same name: the present ONNX inputs
/// in order, `input_roles` naming each (X, W, R, B, sequence_lens,
/// initial_h, initial_c, P = 0..7), the activations as codes (the order of
/// kernels/common/Recurrent.h), clip 0 for none.
template <typename RecurrentOp>
LogicalResult lowerRecurrent(RecurrentOp op, LoweringState &state,
                             StringRef callee) {
  static constexpr StringLiteral kActivationCodes[] = {
      "Relu",       "Tanh",        "Sigmoid",
      "Affine",     "LeakyRelu",   "ThresholdedRelu",
      "ScaledTanh", "HardSigmoid", "Elu",
      "Softsign",   "Softplus"};
  CallBuilder call(op, state);
  SmallVector<int64_t> roles;
  SmallVector<Value> inputs = {op.getInput(),        op.getWeight(),
                               op.getRecurrence(),   op.getBias(),
                               op.getSequenceLens(), op.getInitialH()};
  if constexpr (std::is_same_v<RecurrentOp, graph::LSTMOp>) {
    inputs.push_back(op.getInitialC());
    inputs.push_back(op.getPeepholes());
  }
  for (auto [role, value] : llvm::enumerate(inputs)) {
    if (!value)
      continue;
    if (failed(call.addInput(value)))
      return failure();
    roles.push_back(role);
  }
  for (Value result : op->getResults())
    if (failed(call.addResult(result)))
      return failure();
  SmallVector<int64_t> codes;
  for (Attribute name : op.getActivations()) {
    const auto *it =
        llvm::find(kActivationCodes, cast<StringAttr>(name).getValue());
    if (it == std::end(kActivationCodes))
      return op.emitError("unknown activation ") << name;
    codes.push_back(it - std::begin(kActivationCodes));
  }
  SmallVector<double> alphas(op.getActivationAlpha().begin(),
                             op.getActivationAlpha().end());
  SmallVector<double> betas(op.getActivationBeta().begin(),
                            op.getActivationBeta().end());
  Builder &b = state.getBuilder();
  call.setArray("input_roles", roles);
  call.set("direction", b.getStringAttr(op.getDirection()));
  call.setArray("activations", codes);
  call.set("activation_alpha", b.getDenseF64ArrayAttr(alphas));
  call.set("activation_beta", b.getDenseF64ArrayAttr(betas));
  float clip = 0.0f;
  if (std::optional<APFloat> value = op.getClip())
    clip = value->convertToFloat();
  call.set("clip", b.getF32FloatAttr(clip));
  if constexpr (std::is_same_v<RecurrentOp, graph::GRUOp>)
    call.set("linear_before_reset", b.getBoolAttr(op.getLinearBeforeReset()));
  if constexpr (std::is_same_v<RecurrentOp, graph::LSTMOp>)
    call.set("input_forget", b.getBoolAttr(op.getInputForget()));
  return call.create(callee);
}

} // namespace

std::optional<LogicalResult>
kiln::graph_to_kernel::lowerLibraryCallOp(Operation *op, LoweringState &state) {
  using Result = std::optional<LogicalResult>;
  return llvm::TypeSwitch<Operation *, Result>(op)
      .Case([&](graph::ConvOp op) { return lowerConv(op, state); })
      .Case(
          [&](graph::MaxPoolOp op) { return lowerPool(op, state, "max_pool"); })
      .Case([&](graph::AveragePoolOp op) {
        return lowerPool(op, state, "average_pool");
      })
      .Case([&](graph::GlobalAveragePoolOp op) {
        return lowerPlain(op, state, "global_average_pool");
      })
      .Case([&](graph::GlobalMaxPoolOp op) {
        return lowerPlain(op, state, "global_max_pool");
      })
      .Case([&](graph::SoftmaxOp op) {
        return lowerSoftmax(op, state, "softmax");
      })
      .Case([&](graph::LogSoftmaxOp op) {
        return lowerSoftmax(op, state, "log_softmax");
      })
      .Case([&](graph::LayerNormOp op) { return lowerLayerNorm(op, state); })
      .Case(
          [&](graph::ReduceSumOp op) { return lowerReduce(op, state, "sum"); })
      .Case([&](graph::ReduceMeanOp op) {
        return lowerReduce(op, state, "mean");
      })
      .Case(
          [&](graph::ReduceMaxOp op) { return lowerReduce(op, state, "max"); })
      .Case(
          [&](graph::ReduceMinOp op) { return lowerReduce(op, state, "min"); })
      .Case([&](graph::ReduceProdOp op) {
        return lowerReduce(op, state, "prod");
      })
      .Case([&](graph::ReduceSumSquareOp op) {
        return lowerReduce(op, state, "sum_square");
      })
      .Case([&](graph::ReduceL1Op op) { return lowerReduce(op, state, "l1"); })
      .Case([&](graph::ReduceL2Op op) { return lowerReduce(op, state, "l2"); })
      .Case([&](graph::ReduceLogSumExpOp op) {
        return lowerReduce(op, state, "log_sum_exp");
      })
      .Case([&](graph::ArgMaxOp op) { return lowerArg(op, state, "arg_max"); })
      .Case([&](graph::ArgMinOp op) { return lowerArg(op, state, "arg_min"); })
      .Case([&](graph::TransposeOp op) { return lowerTranspose(op, state); })
      .Case([&](graph::ConcatOp op) { return lowerConcat(op, state); })
      .Case([&](graph::SplitOp op) { return lowerSplit(op, state); })
      .Case([&](graph::SliceOp op) { return lowerSlice(op, state); })
      .Case([&](graph::GatherOp op) { return lowerGather(op, state); })
      .Case([&](graph::TileOp op) { return lowerPlain(op, state, "tile"); })
      .Case([&](graph::RangeOp op) { return lowerRange(op, state); })
      .Case([&](graph::TopKOp op) { return lowerTopK(op, state); })
      .Case([&](graph::ConvTransposeOp op) {
        return lowerConvTranspose(op, state);
      })
      .Case([&](graph::ResizeOp op) { return lowerResize(op, state); })
      .Case([&](graph::RNNOp op) { return lowerRecurrent(op, state, "rnn"); })
      .Case([&](graph::GRUOp op) { return lowerRecurrent(op, state, "gru"); })
      .Case([&](graph::LSTMOp op) { return lowerRecurrent(op, state, "lstm"); })
      .Case([&](graph::GatherElementsOp op) {
        return lowerElementsCall(op, state, "gather_elements", op.getAxis(),
                                 std::nullopt);
      })
      .Case([&](graph::ScatterElementsOp op) {
        return lowerElementsCall(op, state, "scatter_elements", op.getAxis(),
                                 op.getReduction());
      })
      .Case([&](graph::GatherNDOp op) { return lowerGatherND(op, state); })
      .Case([&](graph::ScatterNDOp op) { return lowerScatterND(op, state); })
      .Case([&](graph::TriluOp op) { return lowerTrilu(op, state); })
      .Case([&](graph::PadOp op) { return lowerPad(op, state); })
      .Case([&](graph::CumSumOp op) { return lowerScan(op, state, "cumsum"); })
      .Case(
          [&](graph::CumProdOp op) { return lowerScan(op, state, "cumprod"); })
      .Default([](Operation *) { return std::nullopt; });
}
