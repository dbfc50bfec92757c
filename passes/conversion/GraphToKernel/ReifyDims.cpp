//===- ReifyDims.cpp - Result dims of graph ops as index values -*- C++ -*-===//
//
// dims(op(x...)) = f(dims(x)..., shape values, attributes)
//
// The run-time twin of graph shape inference for the ops a model with
// dynamic dims may hold: a result's dim that inference left dynamic is
// computed from the operands' dim sizes (index values) here. Dims that
// inference found static come from the result type. The elementwise family
// broadcasts its inputs itself (LowerElementwise.cpp).
//
//===----------------------------------------------------------------------===//

#include "passes/conversion/GraphToKernel/LoweringState.h"

#include "dialects/graph/GraphOps.h"
#include "dialects/graph/GraphUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace kiln;
using namespace kiln::graph_to_kernel;

namespace {

using Dims = SmallVector<Value>;

/// `axis` counted from the front (ONNX axes may count from the back).
int64_t normalizeAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}
using DimsOrFailure = FailureOr<Dims>;

class Reifier {
public:
  Reifier(Operation *op, LoweringState &state)
      : op(op), state(state), builder(state.getBuilder()), loc(op->getLoc()) {}

  DimsOrFailure operandDims(unsigned index) {
    return state.getDims(op->getOperand(index));
  }

  Value mul(Value a, Value b) { return arith::MulIOp::create(builder, loc, a, b); }
  Value add(Value a, Value b) { return arith::AddIOp::create(builder, loc, a, b); }

  Value product(ArrayRef<Value> dims) {
    Value result = state.getIndex(1);
    for (Value dim : dims)
      result = getConstantIntValue(result) == 1 ? dim : mul(result, dim);
    return result;
  }

  DimsOrFailure unsupported(StringRef why = "") {
    InFlightDiagnostic diag = op->emitError("'")
                              << op->getName()
                              << "' does not support dynamic dims";
    if (!why.empty())
      diag << " " << why;
    return diag << ": give --shape for the model's inputs";
  }

  DimsOrFailure matmul(graph::MatMulOp matmul) {
    DimsOrFailure a = operandDims(0), b = operandDims(1);
    if (failed(a) || failed(b))
      return failure();
    Dims lhs = *a, rhs = *b;
    bool vectorA = lhs.size() == 1, vectorB = rhs.size() == 1;
    if (vectorA)
      lhs.insert(lhs.begin(), state.getIndex(1));
    if (vectorB)
      rhs.push_back(state.getIndex(1));
    int64_t batchRank =
        std::max(lhs.size(), rhs.size()) - 2;
    SmallVector<Dims> batches{Dims(lhs.begin(), lhs.end() - 2),
                              Dims(rhs.begin(), rhs.end() - 2)};
    Dims batch = state.broadcastDims(loc, batches, batchRank);
    if (!vectorA)
      batch.push_back(lhs[lhs.size() - 2]);
    if (!vectorB)
      batch.push_back(rhs.back());
    return batch;
  }

  DimsOrFailure gemm(graph::GemmOp gemm) {
    DimsOrFailure a = operandDims(0), b = operandDims(1);
    if (failed(a) || failed(b))
      return failure();
    return Dims{gemm.getTransA() ? (*a)[1] : (*a)[0],
                gemm.getTransB() ? (*b)[0] : (*b)[1]};
  }

  DimsOrFailure reshape(graph::ReshapeOp reshape) {
    DimsOrFailure input = operandDims(0);
    FailureOr<Dims> values = state.getShapeValues(reshape.getShape());
    if (failed(input))
      return failure();
    if (failed(values))
      return unsupported("with a shape that does not follow from the "
                         "inputs' shapes");
    Dims result;
    int64_t inferred = -1;
    for (auto [i, value] : llvm::enumerate(*values)) {
      std::optional<int64_t> constant = getConstantIntValue(value);
      if (constant == 0 && !reshape.getAllowzero()) {
        if (i >= input->size())
          return unsupported("with a 0 past the input's rank");
        result.push_back((*input)[i]);
      } else if (constant == -1) {
        if (inferred >= 0)
          return unsupported("with two -1 dims");
        inferred = i;
        result.push_back(Value());
      } else if (constant && *constant < -1) {
        return unsupported("with a negative dim");
      } else {
        result.push_back(value);
      }
    }
    if (inferred >= 0) {
      SmallVector<Value> known;
      for (Value dim : result)
        if (dim)
          known.push_back(dim);
      // total / product of the others; the runtime checks the kernel's
      // view of the same bytes.
      result[inferred] = arith::DivSIOp::create(builder, loc, product(*input),
                                                product(known));
    }
    return result;
  }

  DimsOrFailure transpose(graph::TransposeOp transpose) {
    DimsOrFailure input = operandDims(0);
    if (failed(input))
      return failure();
    Dims result;
    for (int64_t axis : transpose.getPerm())
      result.push_back((*input)[axis]);
    return result;
  }

  DimsOrFailure flatten(graph::FlattenOp flatten) {
    DimsOrFailure input = operandDims(0);
    if (failed(input))
      return failure();
    int64_t rank = input->size();
    int64_t axis = normalizeAxis(flatten.getAxis(), rank);
    ArrayRef<Value> dims(*input);
    return Dims{product(dims.take_front(axis)), product(dims.drop_front(axis))};
  }

  DimsOrFailure squeeze(graph::SqueezeOp squeeze) {
    DimsOrFailure input = operandDims(0);
    if (failed(input))
      return failure();
    int64_t rank = input->size();
    SmallVector<bool> drop(rank, false);
    std::optional<ArrayRef<int64_t>> axes = squeeze.getAxes();
    if (!axes)
      return unsupported("without axes");
    for (int64_t axis : *axes)
      drop[normalizeAxis(axis, rank)] = true;
    Dims result;
    for (int64_t d = 0; d < rank; ++d)
      if (!drop[d])
        result.push_back((*input)[d]);
    return result;
  }

  DimsOrFailure unsqueeze(graph::UnsqueezeOp unsqueeze) {
    DimsOrFailure input = operandDims(0);
    if (failed(input))
      return failure();
    int64_t rank = input->size() + unsqueeze.getAxes().size();
    SmallVector<bool> inserted(rank, false);
    for (int64_t axis : unsqueeze.getAxes())
      inserted[normalizeAxis(axis, rank)] = true;
    Dims result;
    unsigned next = 0;
    for (int64_t d = 0; d < rank; ++d)
      result.push_back(inserted[d] ? state.getIndex(1) : (*input)[next++]);
    return result;
  }

  DimsOrFailure concat(graph::ConcatOp concat) {
    int64_t rank = concat.getOutput().getType().getRank();
    int64_t axis = normalizeAxis(concat.getAxis(), rank);
    Dims result;
    for (Value input : concat.getInputs()) {
      DimsOrFailure dims = state.getDims(input);
      if (failed(dims))
        return failure();
      if (result.empty()) {
        result = *dims;
        continue;
      }
      result[axis] = add(result[axis], (*dims)[axis]);
    }
    return result;
  }

  DimsOrFailure gather(graph::GatherOp gather) {
    DimsOrFailure input = operandDims(0), indices = operandDims(1);
    if (failed(input) || failed(indices))
      return failure();
    int64_t rank = input->size();
    int64_t axis = normalizeAxis(gather.getAxis(), rank);
    Dims result(input->begin(), input->begin() + axis);
    llvm::append_range(result, *indices);
    result.append(input->begin() + axis + 1, input->end());
    return result;
  }

  template <typename ReduceOp>
  DimsOrFailure reduce(ReduceOp reduce) {
    DimsOrFailure input = operandDims(0);
    if (failed(input))
      return failure();
    int64_t rank = input->size();
    SmallVector<bool> reduced(rank, false);
    std::optional<ArrayRef<int64_t>> axes = reduce.getAxes();
    if (axes && !axes->empty()) {
      for (int64_t axis : *axes)
        reduced[normalizeAxis(axis, rank)] = true;
    } else if (reduce.getNoopWithEmptyAxes()) {
      return *input;
    } else {
      reduced.assign(rank, true);
    }
    Dims result;
    for (int64_t d = 0; d < rank; ++d) {
      if (!reduced[d])
        result.push_back((*input)[d]);
      else if (reduce.getKeepdims())
        result.push_back(state.getIndex(1));
    }
    return result;
  }

  template <typename ArgOp>
  DimsOrFailure arg(ArgOp argOp) {
    DimsOrFailure input = operandDims(0);
    if (failed(input))
      return failure();
    int64_t rank = input->size();
    int64_t axis = normalizeAxis(argOp.getAxis(), rank);
    Dims result;
    for (int64_t d = 0; d < rank; ++d) {
      if (d != axis)
        result.push_back((*input)[d]);
      else if (argOp.getKeepdims())
        result.push_back(state.getIndex(1));
    }
    return result;
  }

  DimsOrFailure expand(graph::ExpandOp expand) {
    DimsOrFailure input = operandDims(0);
    FailureOr<Dims> shape = state.getShapeValues(expand.getShape());
    if (failed(input))
      return failure();
    if (failed(shape))
      return unsupported("with a shape that does not follow from the "
                         "inputs' shapes");
    int64_t rank = std::max(input->size(), shape->size());
    SmallVector<Dims> shapes{*input, *shape};
    return state.broadcastDims(loc, shapes, rank);
  }

  DimsOrFailure constantOfShape(graph::ConstantOfShapeOp constant) {
    FailureOr<Dims> shape = state.getShapeValues(constant.getShape());
    if (failed(shape))
      return unsupported("with a shape that does not follow from the "
                         "inputs' shapes");
    return *shape;
  }

  DimsOrFailure range(graph::RangeOp range) {
    FailureOr<Dims> start = state.getShapeValues(range.getStart());
    FailureOr<Dims> limit = state.getShapeValues(range.getLimit());
    FailureOr<Dims> delta = state.getShapeValues(range.getDelta());
    if (failed(start) || failed(limit) || failed(delta) ||
        start->size() != 1 || limit->size() != 1 || delta->size() != 1)
      return unsupported("with bounds that do not follow from the inputs' "
                         "shapes");
    // max(ceil((limit - start) / delta), 0)
    Value span = arith::SubIOp::create(builder, loc, (*limit)[0], (*start)[0]);
    Value count = arith::CeilDivSIOp::create(builder, loc, span, (*delta)[0]);
    return Dims{arith::MaxSIOp::create(builder, loc, count, state.getIndex(0))};
  }

  /// conv: (N, M, out...), pools: (N, C, out...), the spatial sizes by
  /// the window arithmetic of WindowDims.cpp.
  DimsOrFailure window() {
    DimsOrFailure input = operandDims(0);
    FailureOr<WindowSizes> sizes = reifyWindow(op, state);
    if (failed(input) || failed(sizes))
      return failure();
    Dims result{(*input)[0], (*input)[1]};
    if (auto conv = dyn_cast<graph::ConvOp>(op)) {
      DimsOrFailure weight = state.getDims(conv.getWeight());
      if (failed(weight))
        return failure();
      result[1] = (*weight)[0];
    }
    llvm::append_range(result, sizes->outDims);
    return result;
  }

  /// conv_transpose: (N, group * W[1], out...).
  DimsOrFailure transposedWindow(graph::ConvTransposeOp convTranspose) {
    DimsOrFailure input = operandDims(0), weight = operandDims(1);
    FailureOr<WindowSizes> sizes = reifyTransposedWindow(op, state);
    if (failed(input) || failed(weight) || failed(sizes))
      return failure();
    Value channels = (*weight)[1];
    if (convTranspose.getGroup() != 1)
      channels = mul(channels, state.getIndex(convTranspose.getGroup()));
    Dims result{(*input)[0], channels};
    llvm::append_range(result, sizes->outDims);
    return result;
  }

  /// resize: floor(in * scale) per dim, the float scale as the exact
  /// fraction m / 2^e it is (so in * m, checked at run time, divides
  /// exactly as ONNX's double product rounds down); sizes as they are, and
  /// -1 keeps the dim.
  DimsOrFailure resize(graph::ResizeOp resize) {
    DimsOrFailure input = operandDims(0);
    if (failed(input))
      return failure();
    Dims result;
    if (std::optional<ArrayRef<int64_t>> sizes = resize.getSizes()) {
      if (resize.getKeepAspectRatioPolicy() != "stretch")
        return unsupported("with keep_aspect_ratio_policy '" +
                           resize.getKeepAspectRatioPolicy().str() + "'");
      for (auto [dim, size] : llvm::zip_equal(*input, *sizes))
        result.push_back(size == -1 ? dim : state.getIndex(size));
      return result;
    }
    std::optional<ArrayRef<float>> scales = resize.getScales();
    if (!scales)
      return unsupported("without scales or sizes");
    for (auto [dim, scale] : llvm::zip_equal(*input, *scales)) {
      if (scale == 1.0f) {
        result.push_back(dim);
        continue;
      }
      int exponent;
      // scale = fraction * 2^exponent with fraction in [0.5, 1): as an
      // integer m of 24 bits, scale = m / 2^(24 - exponent).
      double fraction = std::frexp(static_cast<double>(scale), &exponent);
      auto numerator = static_cast<int64_t>(std::ldexp(fraction, 24));
      int64_t shift = 24 - exponent;
      while (shift > 0 && numerator % 2 == 0) {
        numerator /= 2;
        --shift;
      }
      if (shift < 0 || shift > 40)
        return unsupported("with a scale of magnitude beyond 2^-16 .. 2^24");
      Value product = mul(dim, state.getIndex(numerator));
      result.push_back(
          shift == 0 ? product
                     : Value(arith::DivSIOp::create(
                           builder, loc, product,
                           state.getIndex(int64_t(1) << shift))));
    }
    return result;
  }

  /// Global pools: (N, C, 1...).
  DimsOrFailure globalPool() {
    DimsOrFailure input = operandDims(0);
    if (failed(input))
      return failure();
    Dims result{(*input)[0], (*input)[1]};
    result.resize(input->size(), state.getIndex(1));
    return result;
  }

  /// size = max(0, ceildiv(min(end, dim) - start, step)) per sliced dim,
  /// end counted from the back when negative.
  DimsOrFailure slice(graph::SliceOp slice) {
    DimsOrFailure input = operandDims(0);
    FailureOr<SliceParams> params = getSliceParams(slice);
    if (failed(input) || failed(params))
      return failure();
    FailureOr<Dims> ends = state.getShapeValues(slice.getEnds());
    if (failed(ends))
      return unsupported("with ends that do not follow from the inputs' "
                         "shapes");
    Dims result = *input;
    for (auto [index, axis] : llvm::enumerate(params->axes)) {
      Value dim = (*input)[axis];
      Value end = (*ends)[index];
      std::optional<int64_t> constantEnd = getConstantIntValue(end);
      if (constantEnd && *constantEnd < 0)
        end = add(dim, end);
      else if (!constantEnd || *constantEnd < (int64_t(1) << 62))
        end = arith::MinSIOp::create(builder, loc, end, dim);
      else
        end = dim;
      Value start = state.getIndex(params->starts[index]);
      Value span = arith::SubIOp::create(builder, loc, end, start);
      Value count = arith::CeilDivSIOp::create(
          builder, loc, span, state.getIndex(params->steps[index]));
      result[axis] =
          arith::MaxSIOp::create(builder, loc, count, state.getIndex(0));
    }
    return result;
  }

  /// Split: the input's dims, the split axis static in each result.
  DimsOrFailure split(graph::SplitOp split, unsigned resultIndex) {
    DimsOrFailure input = operandDims(0);
    if (failed(input))
      return failure();
    auto type =
        cast<RankedTensorType>(split.getOutputs()[resultIndex].getType());
    int64_t axis = normalizeAxis(split.getAxis(), type.getRank());
    if (type.isDynamicDim(axis))
      return unsupported("along a dynamic dim");
    Dims result = *input;
    result[axis] = state.getIndex(type.getDimSize(axis));
    return result;
  }

  /// Tile: each dim times its repeat count.
  DimsOrFailure tile(graph::TileOp tile) {
    DimsOrFailure input = operandDims(0);
    FailureOr<Dims> repeats = state.getShapeValues(tile.getRepeats());
    if (failed(input))
      return failure();
    if (failed(repeats) || repeats->size() != input->size())
      return unsupported("with repeats that do not follow from the inputs' "
                         "shapes");
    Dims result;
    for (auto [dim, repeat] : llvm::zip(*input, *repeats))
      result.push_back(getConstantIntValue(repeat) == 1 ? dim
                                                        : mul(dim, repeat));
    return result;
  }

  /// rnn, gru, lstm: Y (seq, dirs, batch, hidden), Y_h and Y_c (dirs,
  /// batch, hidden), seq and batch from X (seq, batch, input); dirs and
  /// hidden follow from the attributes.
  DimsOrFailure recurrent(unsigned resultIndex) {
    DimsOrFailure input = operandDims(0);
    if (failed(input))
      return failure();
    auto type = cast<RankedTensorType>(op->getResult(resultIndex).getType());
    int64_t rank = type.getRank();
    if (type.isDynamicDim(rank - 1) || type.isDynamicDim(rank - 3))
      return unsupported("in the directions or the hidden size");
    Value dirs = state.getIndex(type.getDimSize(rank - 3));
    Value hidden = state.getIndex(type.getDimSize(rank - 1));
    Value batch = (*input)[1];
    if (resultIndex == 0)
      return Dims{(*input)[0], dirs, batch, hidden};
    return Dims{dirs, batch, hidden};
  }

  DimsOrFailure reify(unsigned resultIndex) {
    return llvm::TypeSwitch<Operation *, DimsOrFailure>(op)
        .Case<graph::SoftmaxOp, graph::LogSoftmaxOp, graph::BatchNormOp,
              graph::IdentityOp, graph::DropoutOp, graph::CumSumOp,
              graph::CumProdOp, graph::ScatterElementsOp>(
            [&](Operation *) { return operandDims(0); })
        // gather_elements has the indices' shape.
        .Case([&](graph::GatherElementsOp) { return operandDims(1); })
        .Case([&](graph::LayerNormOp norm) -> DimsOrFailure {
          DimsOrFailure input = operandDims(0);
          if (failed(input))
            return failure();
          // The statistics keep the dims before the axis.
          int64_t rank = input->size();
          int64_t axis = normalizeAxis(norm.getAxis(), rank);
          Dims result = *input;
          if (op->getNumResults() > 1)
            for (int64_t d = axis; d < rank; ++d)
              result[d] = state.getIndex(1);
          return result;
        })
        .Case([&](graph::MatMulOp m) { return matmul(m); })
        .Case([&](graph::GemmOp g) { return gemm(g); })
        .Case([&](graph::ReshapeOp r) { return reshape(r); })
        .Case([&](graph::TransposeOp t) { return transpose(t); })
        .Case([&](graph::FlattenOp f) { return flatten(f); })
        .Case([&](graph::SqueezeOp s) { return squeeze(s); })
        .Case([&](graph::UnsqueezeOp u) { return unsqueeze(u); })
        .Case([&](graph::ConcatOp c) { return concat(c); })
        .Case([&](graph::GatherOp g) { return gather(g); })
        .Case([&](graph::ReduceMeanOp r) { return reduce(r); })
        .Case([&](graph::ReduceSumOp r) { return reduce(r); })
        .Case([&](graph::ReduceMaxOp r) { return reduce(r); })
        .Case([&](graph::ReduceMinOp r) { return reduce(r); })
        .Case([&](graph::ReduceProdOp r) { return reduce(r); })
        .Case([&](graph::ReduceSumSquareOp r) { return reduce(r); })
        .Case([&](graph::ReduceL1Op r) { return reduce(r); })
        .Case([&](graph::ReduceL2Op r) { return reduce(r); })
        .Case([&](graph::ReduceLogSumExpOp r) { return reduce(r); })
        .Case([&](graph::ArgMaxOp a) { return arg(a); })
        .Case([&](graph::ArgMinOp a) { return arg(a); })
        .Case([&](graph::ExpandOp e) { return expand(e); })
        .Case([&](graph::ConstantOfShapeOp c) { return constantOfShape(c); })
        .Case([&](graph::RangeOp r) { return range(r); })
        .Case<graph::ConvOp, graph::MaxPoolOp, graph::AveragePoolOp>(
            [&](Operation *) { return window(); })
        .Case([&](graph::ConvTransposeOp c) { return transposedWindow(c); })
        .Case([&](graph::ResizeOp r) { return resize(r); })
        .Case<graph::GlobalAveragePoolOp, graph::GlobalMaxPoolOp>(
            [&](Operation *) { return globalPool(); })
        .Case([&](graph::SliceOp s) { return slice(s); })
        .Case([&](graph::SplitOp s) { return split(s, resultIndex); })
        .Case([&](graph::TileOp t) { return tile(t); })
        .Case<graph::RNNOp, graph::GRUOp, graph::LSTMOp>(
            [&](Operation *) { return recurrent(resultIndex); })
        .Default([&](Operation *) { return unsupported(); });
  }

private:
  Operation *op;
  LoweringState &state;
  OpBuilder &builder;
  Location loc;
};

} // namespace

FailureOr<SliceParams> kiln::graph_to_kernel::getSliceParams(Operation *op) {
  auto slice = cast<graph::SliceOp>(op);
  auto type = slice.getInput().getType();
  int64_t rank = type.getRank();
  std::optional<SmallVector<int64_t>> starts =
      graph::getConstantIntValues(slice.getStarts());
  if (!starts)
    return op->emitError("a slice with dynamic dims needs constant starts");
  SliceParams params;
  params.starts = *starts;
  params.constantEnds = graph::getConstantIntValues(slice.getEnds());
  params.steps.assign(starts->size(), 1);
  if (slice.getSteps()) {
    std::optional<SmallVector<int64_t>> steps =
        graph::getConstantIntValues(slice.getSteps());
    if (!steps || steps->size() != starts->size())
      return op->emitError("a slice with dynamic dims needs constant steps");
    params.steps = *steps;
  }
  if (slice.getAxes()) {
    std::optional<SmallVector<int64_t>> axes =
        graph::getConstantIntValues(slice.getAxes());
    if (!axes || axes->size() != starts->size())
      return op->emitError("a slice with dynamic dims needs constant axes");
    params.axes = *axes;
  } else {
    for (int64_t axis = 0; axis < static_cast<int64_t>(starts->size()); ++axis)
      params.axes.push_back(axis);
  }
  for (auto [index, axis] : llvm::enumerate(params.axes)) {
    if (axis < -rank || axis >= rank)
      return op->emitError("slice axis ")
             << axis << " is out of range for rank " << rank;
    axis = normalizeAxis(axis, rank);
    // Positive steps from a start that needs no clamping below.
    if (params.steps[index] <= 0 || params.starts[index] < 0)
      return op->emitError("a slice with dynamic dims needs starts of 0 or "
                           "more and positive steps: give --shape for the "
                           "model's inputs");
  }
  return params;
}

FailureOr<SmallVector<Value>>
kiln::graph_to_kernel::reifyResultDims(Value value, LoweringState &state) {
  auto result = cast<OpResult>(value);
  Operation *op = result.getOwner();
  FailureOr<SmallVector<Value>> dims =
      Reifier(op, state).reify(result.getResultNumber());
  if (failed(dims))
    return failure();
  auto type = cast<RankedTensorType>(value.getType());
  if (static_cast<int64_t>(dims->size()) != type.getRank())
    return op->emitError("dynamic dims of '")
           << op->getName() << "' reify to rank " << dims->size()
           << ", the result has rank " << type.getRank();
  // Dims inference found static stay static.
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (!type.isDynamicDim(d))
      (*dims)[d] = state.getIndex(type.getDimSize(d));
  return dims;
}
