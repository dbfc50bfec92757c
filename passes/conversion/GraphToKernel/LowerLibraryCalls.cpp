//===- LowerLibraryCalls.cpp - Ops as kernel.library_call -------*- C++ -*-===//
//
// op(x...) {attrs} => kernel.library_call "<callee>" ins(x...) outs(y...)
//                     {normalized attrs}
//
// The callee table is docs/kernel-library.md. Attributes are normalized
// with the static shapes at hand: axes are non-negative (and sorted for
// reductions), auto_pad and ceil_mode become explicit pads, slice
// parameters become full-rank starts and steps. Reductions and arg_max/min
// without keepdims write a view of their result with the reduced dims kept.
//
//===----------------------------------------------------------------------===//

#include "passes/conversion/GraphToKernel/LoweringState.h"

#include "dialects/graph/GraphOps.h"
#include "dialects/graph/GraphUtils.h"

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
  void addOutputBuffer(Value buffer) { outputs.push_back(buffer); }
  /// A fresh buffer for `result`, written with `shape` when given.
  void addResult(Value result, std::optional<ArrayRef<int64_t>> shape = {}) {
    Value buffer = state.createResultBuffer(result);
    outputs.push_back(shape ? state.createView(op->getLoc(), buffer, *shape)
                            : buffer);
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

  LogicalResult create(StringRef callee) {
    auto call = kernel::LibraryCallOp::create(state.getBuilder(), op->getLoc(),
                                              callee, inputs, outputs);
    for (NamedAttribute attr : attrs)
      call->setAttr(attr.getName(), attr.getValue());
    return success();
  }

private:
  Operation *op;
  LoweringState &state;
  SmallVector<Value> inputs, outputs;
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

LogicalResult lowerConv(graph::ConvOp op, LoweringState &state) {
  CallBuilder call(op, state);
  if (failed(call.addInput(op.getInput())) ||
      failed(call.addInput(op.getWeight())) ||
      (op.getBias() && failed(call.addInput(op.getBias()))))
    return failure();
  FailureOr<SmallVector<int64_t>> pads =
      resolveWindowPads(op, getShape(op.getInput()), getShape(op.getOutput()),
                        getShape(op.getWeight()).drop_front(2), op.getStrides(),
                        op.getPads(), op.getDilations(), op.getAutoPad());
  if (failed(pads))
    return failure();
  call.addResult(op.getOutput());
  call.setArray("strides", op.getStrides());
  call.setArray("pads", *pads);
  call.setArray("dilations", op.getDilations());
  call.setI64("group", op.getGroup());
  return call.create("conv");
}

template <typename PoolOp>
LogicalResult lowerPool(PoolOp op, LoweringState &state, StringRef callee) {
  CallBuilder call(op, state);
  if (failed(call.addInput(op.getInput())))
    return failure();
  bool grewEnds = false;
  FailureOr<SmallVector<int64_t>> pads =
      resolveWindowPads(op, getShape(op.getInput()), getShape(op.getOutput()),
                        op.getKernelShape(), op.getStrides(), op.getPads(),
                        op.getDilations(), op.getAutoPad(), &grewEnds);
  if (failed(pads))
    return failure();
  call.addResult(op.getOutput());
  call.setArray("kernel_shape", op.getKernelShape());
  call.setArray("strides", op.getStrides());
  call.setArray("pads", *pads);
  call.setArray("dilations", op.getDilations());
  if constexpr (std::is_same_v<PoolOp, graph::AveragePoolOp>) {
    // The ceil-mode windows past the padding must not count the cells
    // beyond it, which explicit pads cannot say.
    if (grewEnds && op.getCountIncludePad())
      return op.emitError("cannot lower average_pool with ceil_mode and "
                          "count_include_pad whose last window passes the "
                          "padding");
    call.set("count_include_pad",
             state.getBuilder().getBoolAttr(op.getCountIncludePad()));
  }
  return call.create(callee);
}

/// A call with one input, one output and no attributes.
LogicalResult lowerPlain(Operation *op, LoweringState &state,
                         StringRef callee) {
  CallBuilder call(op, state);
  if (failed(call.addInput(op->getOperand(0))))
    return failure();
  call.addResult(op->getResult(0));
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
  call.addResult(op.getOutput());
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
  call.addResult(op.getOutput());
  for (Value statistic : op.getStatistics())
    call.addResult(statistic);
  call.setI64("axis", *axis);
  call.set("epsilon", op.getEpsilonAttr());
  return call.create("layer_norm");
}

/// The input shape with the dims of `axes` set to 1.
SmallVector<int64_t> getKeptDimsShape(ArrayRef<int64_t> shape,
                                      ArrayRef<int64_t> axes) {
  SmallVector<int64_t> kept(shape);
  for (int64_t axis : axes)
    kept[axis] = 1;
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
  if (failed(call.addInput(op.getInput())))
    return failure();
  call.addResult(op.getOutput(),
                 getKeptDimsShape(getShape(op.getInput()), axes));
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
  if (failed(call.addInput(op.getInput())))
    return failure();
  call.addResult(op.getOutput(),
                 getKeptDimsShape(getShape(op.getInput()), {*axis}));
  call.setI64("axis", *axis);
  call.set("select_last_index",
           state.getBuilder().getBoolAttr(op.getSelectLastIndex()));
  return call.create(callee);
}

LogicalResult lowerTranspose(graph::TransposeOp op, LoweringState &state) {
  CallBuilder call(op, state);
  if (failed(call.addInput(op.getInput())))
    return failure();
  call.addResult(op.getOutput());
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
  call.addResult(op.getOutput());
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
    call.addResult(output);
  call.setI64("axis", *axis);
  return call.create("split");
}

/// ONNX Slice with constant parameters as full-rank starts and steps:
/// y[i] = x[start + i * step] per dim, checked against the result shape.
LogicalResult lowerSlice(graph::SliceOp op, LoweringState &state) {
  ArrayRef<int64_t> shape = getShape(op.getInput());
  int64_t rank = shape.size();
  std::optional<SmallVector<int64_t>> starts =
      graph::getConstantIntValues(op.getStarts());
  std::optional<SmallVector<int64_t>> ends =
      graph::getConstantIntValues(op.getEnds());
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
  call.addResult(op.getOutput());
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
  call.addResult(op.getOutput());
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
  call.addResult(op->getResult(0));
  call.setI64("axis", *resolved);
  if (reduction)
    call.set("reduction", call.getBuilder().getStringAttr(*reduction));
  return call.create(callee);
}

LogicalResult lowerGatherND(graph::GatherNDOp op, LoweringState &state) {
  CallBuilder call(op, state);
  if (failed(call.addInputs(op->getOperands())))
    return failure();
  call.addResult(op.getOutput());
  call.setI64("batch_dims", op.getBatchDims());
  return call.create("gather_nd");
}

LogicalResult lowerScatterND(graph::ScatterNDOp op, LoweringState &state) {
  CallBuilder call(op, state);
  if (failed(call.addInputs(op->getOperands())))
    return failure();
  call.addResult(op.getOutput());
  call.set("reduction", call.getBuilder().getStringAttr(op.getReduction()));
  return call.create("scatter_nd");
}

/// trilu's optional k (one element) is viewed as a scalar.
LogicalResult lowerTrilu(graph::TriluOp op, LoweringState &state) {
  CallBuilder call(op, state);
  if (failed(call.addInput(op.getInput())))
    return failure();
  if (Value k = op.getK()) {
    FailureOr<Value> buffer = state.getBuffer(k);
    if (failed(buffer))
      return failure();
    call.addInputBuffer(state.createView(op.getLoc(), *buffer, {}));
  }
  call.addResult(op.getOutput());
  call.set("upper", call.getBuilder().getBoolAttr(op.getUpper()));
  return call.create("trilu");
}

LogicalResult lowerCumSum(graph::CumSumOp op, LoweringState &state) {
  FailureOr<int64_t> axis =
      getAxis(op, op.getAxis(), op.getInput().getType().getRank());
  if (failed(axis))
    return failure();
  CallBuilder call(op, state);
  if (failed(call.addInput(op.getInput())))
    return failure();
  call.addResult(op.getOutput());
  call.setI64("axis", *axis);
  call.set("exclusive", call.getBuilder().getBoolAttr(op.getExclusive()));
  call.set("reverse", call.getBuilder().getBoolAttr(op.getReverse()));
  return call.create("cumsum");
}

/// pad's optional value (one element) is viewed as a scalar.
LogicalResult lowerPad(graph::PadOp op, LoweringState &state) {
  CallBuilder call(op, state);
  if (failed(call.addInput(op.getInput())))
    return failure();
  if (Value value = op.getConstantValue()) {
    FailureOr<Value> buffer = state.getBuffer(value);
    if (failed(buffer))
      return failure();
    call.addInputBuffer(state.createView(op.getLoc(), *buffer, {}));
  }
  call.addResult(op.getOutput());
  call.setArray("pads", op.getPads());
  call.set("mode", call.getBuilder().getStringAttr(op.getMode()));
  return call.create("pad");
}

/// range takes rank-0 start, limit and delta; one-element operands are
/// viewed as scalars.
LogicalResult lowerRange(graph::RangeOp op, LoweringState &state) {
  CallBuilder call(op, state);
  for (Value operand : op->getOperands()) {
    FailureOr<Value> buffer = state.getBuffer(operand);
    if (failed(buffer))
      return failure();
    if (cast<MemRefType>(buffer->getType()).getNumElements() != 1)
      return op.emitError("range operands must hold one element");
    call.addInputBuffer(state.createView(op.getLoc(), *buffer, {}));
  }
  call.addResult(op.getOutput());
  return call.create("range");
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
      .Case([&](graph::CumSumOp op) { return lowerCumSum(op, state); })
      .Default([](Operation *) { return std::nullopt; });
}
