//===- ImportTensor.cpp - Shape and data-movement ONNX ops ----------------===//
//
// Shape, Reshape, Flatten, (Un)Squeeze, Transpose, Expand, Concat, Split,
// Slice, Gather, Tile, Range, Identity, Trilu, CumSum, CumProd, OneHot, Pad,
// CenterCropPad, EyeLike, Hardmax.
// Operands that later opsets turned from attributes into inputs (Reshape's
// shape, Slice's bounds, Pad's pads) become constants when an old opset
// gives them as attributes; inputs that the graph ops hold as attributes
// (Squeeze / Unsqueeze axes, Split sizes from opset 13, CumSum's axis,
// OneHot's depth, Pad's pads and axes, CenterCropPad's shape) must be
// constants. OneHot, CenterCropPad, EyeLike and Hardmax are built from
// graph ops, and so are Slice's axes whose negative start or step meets a
// dynamic dim (a gather at positions computed at run time).
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"
#include "frontends/onnx/OpTable.h"

#include "dialects/graph/GraphOps.h"
#include "dialects/graph/GraphUtils.h"
#include "kernels/common/Checked.h"

#include <algorithm>
#include <numeric>

using namespace mlir;

namespace kiln::onnxfe {
namespace {

namespace g = ::kiln::graph;

/// Shape; `start` and `end` exist from opset 15.
LogicalResult importShape(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  Builder &b = n.getBuilder();
  SmallVector<NamedAttribute> attrs = {
      n.namedAttr("start", b.getI64IntegerAttr(n.getInt("start", 0)))};
  if (n.hasAttr("end"))
    attrs.push_back(
        n.namedAttr("end", b.getI64IntegerAttr(n.getInt("end", 0))));
  return n.createOutput<g::ShapeOp>({*input}, attrs);
}

/// size(x) -> reduce_prod(shape(x)), a rank-0 i64 tensor.
LogicalResult importSize(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  Builder &b = n.getBuilder();
  int64_t rank = cast<RankedTensorType>(input->getType()).getRank();
  FailureOr<Value> shape = n.createValue<g::ShapeOp>(
      RankedTensorType::get({rank}, b.getI64Type()), {*input});
  if (failed(shape))
    return failure();
  return n.createOutput<g::ReduceProdOp>(
      {*shape}, {n.namedAttr("keepdims", b.getBoolAttr(false))},
      RankedTensorType::get({}, b.getI64Type()));
}

LogicalResult importIdentity(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  return n.createOutput<g::IdentityOp>({*input}, {}, input->getType());
}

/// Reshape; the shape is an attribute before opset 5, an input after, and
/// `allowzero` exists from opset 14.
LogicalResult importReshape(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  Value shape;
  if (n.getOpset() < 5) {
    std::optional<SmallVector<int64_t>> dims = n.getInts("shape");
    if (!dims)
      return n.emitError() << "Reshape requires attribute 'shape'";
    shape = n.createI64Tensor(*dims);
  } else {
    FailureOr<Value> shapeInput = n.getRequiredInput(1);
    if (failed(shapeInput))
      return failure();
    shape = *shapeInput;
  }
  return n.createOutput<g::ReshapeOp>(
      {*input, shape},
      {n.namedAttr("allowzero",
                   n.getBuilder().getBoolAttr(n.getInt("allowzero", 0)))});
}

LogicalResult importFlatten(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  return n.createOutput<g::FlattenOp>(
      {*input}, {n.namedAttr("axis", n.getBuilder().getI64IntegerAttr(
                                         n.getInt("axis", 1)))});
}

/// The axes of (Un)Squeeze: an attribute before opset 13, a constant input
/// from 13 on; std::nullopt when absent.
FailureOr<std::optional<SmallVector<int64_t>>> getAxes(NodeImporter &n) {
  if (n.getOpset() < 13)
    return n.getInts("axes");
  if (!n.getInput(1))
    return std::optional<SmallVector<int64_t>>();
  FailureOr<SmallVector<int64_t>> axes = n.getRequiredConstantInts(1, "axes");
  if (failed(axes))
    return failure();
  return std::optional<SmallVector<int64_t>>(*axes);
}

LogicalResult importSqueeze(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  FailureOr<std::optional<SmallVector<int64_t>>> axes = getAxes(n);
  if (failed(input) || failed(axes))
    return failure();
  SmallVector<NamedAttribute> attrs;
  if (*axes)
    attrs.push_back(
        n.namedAttr("axes", n.getBuilder().getDenseI64ArrayAttr(**axes)));
  return n.createOutput<g::SqueezeOp>({*input}, attrs);
}

LogicalResult importUnsqueeze(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  FailureOr<std::optional<SmallVector<int64_t>>> axes = getAxes(n);
  if (failed(input) || failed(axes))
    return failure();
  if (!*axes)
    return n.emitError() << "Unsqueeze requires axes";
  return n.createOutput<g::UnsqueezeOp>(
      {*input},
      {n.namedAttr("axes", n.getBuilder().getDenseI64ArrayAttr(**axes))});
}

/// Transpose; `perm` defaults to the reversed dimensions.
LogicalResult importTranspose(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  int64_t rank = cast<RankedTensorType>(input->getType()).getRank();
  SmallVector<int64_t> perm(rank);
  std::iota(perm.rbegin(), perm.rend(), 0);
  if (std::optional<SmallVector<int64_t>> attr = n.getInts("perm"))
    perm = *attr;
  return n.createOutput<g::TransposeOp>(
      {*input},
      {n.namedAttr("perm", n.getBuilder().getDenseI64ArrayAttr(perm))});
}

LogicalResult importExpand(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  FailureOr<Value> shape = n.getRequiredInput(1);
  if (failed(input) || failed(shape))
    return failure();
  return n.createOutput<g::ExpandOp>({*input, *shape});
}

/// Concat; `axis` defaults to 1 before opset 4 and is required after.
LogicalResult importConcat(NodeImporter &n) {
  SmallVector<Value> inputs;
  for (unsigned i = 0, e = n.getNumInputs(); i < e; ++i)
    if (Value input = n.getInput(i))
      inputs.push_back(input);
  if (inputs.empty())
    return n.emitError() << "Concat needs at least one input";
  if (n.getOpset() >= 4 && !n.hasAttr("axis"))
    return n.emitError() << "Concat requires attribute 'axis'";
  return n.createOutput<g::ConcatOp>(
      inputs, {n.namedAttr("axis", n.getBuilder().getI64IntegerAttr(
                                       n.getInt("axis", 1)))});
}

/// Split. The sizes come from the `split` attribute (opsets 1 to 12), or a
/// constant input (input 1 in opset 1 and from 13 on); without them the
/// dimension splits evenly among the outputs. From opset 18 `num_outputs`
/// says how many outputs there are when the sizes are not given; the
/// node's outputs must be that many.
LogicalResult importSplit(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  if (n.getOpset() >= 18 && n.hasAttr("num_outputs")) {
    int64_t declared = n.getInt("num_outputs", 0);
    if (n.getInput(1))
      return n.emitError() << "Split has both split sizes and num_outputs";
    if (declared != static_cast<int64_t>(n.getNumOutputs()))
      return n.emitError() << "Split has num_outputs " << declared << " but "
                           << n.getNumOutputs() << " outputs";
  } else if (n.getOpset() >= 18 && !n.getInput(1)) {
    return n.emitError() << "Split needs split sizes or num_outputs";
  }
  std::optional<SmallVector<int64_t>> sizes;
  bool sizesFromInput =
      n.getOpset() >= 13 || (n.getOpset() < 2 && n.getInput(1));
  if (sizesFromInput && n.getInput(1)) {
    FailureOr<SmallVector<int64_t>> constant =
        n.getRequiredConstantInts(1, "split sizes");
    if (failed(constant))
      return failure();
    sizes = *constant;
  } else if (!sizesFromInput) {
    sizes = n.getInts("split");
  }
  int64_t numOutputs = n.getNumOutputs();
  // Even pieces of a static dimension are spelled out; of a dynamic one they
  // are left to `num_outputs`.
  auto inputType = cast<RankedTensorType>(input->getType());
  int64_t axis = n.getInt("axis", 0);
  if (!sizes && numOutputs > 0 && axis >= -inputType.getRank() &&
      axis < inputType.getRank()) {
    int64_t size =
        inputType.getDimSize(axis < 0 ? axis + inputType.getRank() : axis);
    if (!ShapedType::isDynamic(size) && size % numOutputs == 0) {
      sizes = SmallVector<int64_t>(numOutputs, size / numOutputs);
    } else if (!ShapedType::isDynamic(size) && n.getOpset() >= 18) {
      // From opset 18 an uneven split gives every output but the last
      // ceil(size / n) and the last what remains.
      int64_t chunk = size / numOutputs + 1;
      int64_t last = size - chunk * (numOutputs - 1);
      if (last < 1)
        return n.emitError() << "Split cannot cut a dimension of " << size
                             << " into " << numOutputs << " outputs";
      sizes = SmallVector<int64_t>(numOutputs, chunk);
      sizes->back() = last;
    }
  }
  if (sizes && static_cast<int64_t>(sizes->size()) != numOutputs)
    return n.emitError() << "Split has " << numOutputs << " outputs but "
                         << sizes->size() << " split sizes";

  Builder &b = n.getBuilder();
  SmallVector<NamedAttribute> attrs = {
      n.namedAttr("axis", b.getI64IntegerAttr(axis)),
      n.namedAttr("split", b.getDenseI64ArrayAttr(
                               sizes ? *sizes : ArrayRef<int64_t>()))};
  if (!sizes)
    attrs.push_back(
        n.namedAttr("num_outputs", b.getI64IntegerAttr(numOutputs)));
  SmallVector<Type> hints;
  for (int64_t i = 0; i < numOutputs; ++i)
    hints.push_back(n.getOutputHint(i));
  FailureOr<g::SplitOp> split = n.create<g::SplitOp>(hints, {*input}, attrs);
  if (failed(split))
    return failure();
  for (auto [index, result] : llvm::enumerate(split->getResults()))
    n.setOutput(index, result);
  return success();
}

/// x[start:end:step] along a dynamic `axis` as gather(x, s + t * range(0,
/// n)), ONNX's clamping done at run time on the size D there: s and e get D
/// added when negative and are clamped to [0, D] (t > 0) or [-1, D - 1]
/// (t < 0); n = max(0, ceildiv(e - s, t)), with |t| capped at 2^62 for the
/// count (a step past D takes one element either way).
FailureOr<Value> importGatherSlice(NodeImporter &n, Value x, int64_t axis,
                                   int64_t start, int64_t end, int64_t step) {
  Type i64 = n.getBuilder().getI64Type();
  auto scalar = [&](int64_t value) { return n.createScalar(i64, value); };
  FailureOr<Value> size = n.createDim(x, axis);
  if (failed(size))
    return failure();
  auto binary = [&](auto tag, Value a, Value b) -> FailureOr<Value> {
    using OpTy = decltype(tag);
    return n.createValue<OpTy>({}, {a, b});
  };
  auto resolve = [&](int64_t bound) -> FailureOr<Value> {
    FailureOr<Value> value = scalar(bound);
    if (bound < 0)
      value = binary(g::AddOp(), *value, *size);
    if (failed(value))
      return failure();
    FailureOr<Value> low = scalar(step > 0 ? 0 : -1);
    FailureOr<Value> high = *size;
    if (step < 0)
      high = binary(g::SubOp(), *size, scalar(1));
    if (failed(high))
      return failure();
    FailureOr<Value> above = binary(g::MaxOp(), *value, *low);
    if (failed(above))
      return failure();
    return binary(g::MinOp(), *above, *high);
  };
  FailureOr<Value> first = resolve(start), last = resolve(end);
  if (failed(first) || failed(last))
    return failure();
  int64_t stride = std::min<int64_t>(
      step > 0 ? step : (step == INT64_MIN ? INT64_MAX : -step), int64_t(1)
                                                                     << 62);
  // span = e - s (t > 0) or s - e (t < 0); n = max(0, (span + |t| - 1) / |t|).
  FailureOr<Value> span = step > 0 ? binary(g::SubOp(), *last, *first)
                                   : binary(g::SubOp(), *first, *last);
  if (failed(span))
    return failure();
  FailureOr<Value> rounded = binary(g::AddOp(), *span, scalar(stride - 1));
  if (failed(rounded))
    return failure();
  FailureOr<Value> quotient = binary(g::DivOp(), *rounded, scalar(stride));
  if (failed(quotient))
    return failure();
  FailureOr<Value> count = binary(g::MaxOp(), *quotient, scalar(0));
  if (failed(count))
    return failure();
  FailureOr<Value> steps =
      n.createValue<g::RangeOp>({}, {scalar(0), *count, scalar(1)});
  if (failed(steps))
    return failure();
  FailureOr<Value> offsets = binary(g::MulOp(), *steps, scalar(step));
  if (failed(offsets))
    return failure();
  FailureOr<Value> positions = binary(g::AddOp(), *offsets, *first);
  if (failed(positions))
    return failure();
  return n.createValue<g::GatherOp>(
      {}, {x, *positions},
      {n.namedAttr("axis", n.getBuilder().getI64IntegerAttr(axis))});
}

/// Slice; before opset 10 starts, ends and axes are attributes, from 10 on
/// inputs (with optional axes and steps).
LogicalResult importSlice(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  Value starts, ends, axes, steps;
  if (n.getOpset() < 10) {
    std::optional<SmallVector<int64_t>> startsAttr = n.getInts("starts");
    std::optional<SmallVector<int64_t>> endsAttr = n.getInts("ends");
    if (!startsAttr || !endsAttr)
      return n.emitError() << "Slice requires attributes 'starts' and 'ends'";
    starts = n.createI64Tensor(*startsAttr);
    ends = n.createI64Tensor(*endsAttr);
    if (std::optional<SmallVector<int64_t>> axesAttr = n.getInts("axes"))
      axes = n.createI64Tensor(*axesAttr);
  } else {
    FailureOr<Value> startsInput = n.getRequiredInput(1);
    FailureOr<Value> endsInput = n.getRequiredInput(2);
    if (failed(startsInput) || failed(endsInput))
      return failure();
    starts = *startsInput;
    ends = *endsInput;
    axes = n.getInput(3);
    steps = n.getInput(4);
  }
  // Constant parameters whose start or step is negative along a dynamic
  // dim resolve against that dim at run time: those axes are gathers.
  auto type = cast<RankedTensorType>(input->getType());
  int64_t rank = type.getRank();
  std::optional<SmallVector<int64_t>> startValues = n.getConstantInts(starts);
  std::optional<SmallVector<int64_t>> endValues = n.getConstantInts(ends);
  std::optional<SmallVector<int64_t>> axisValues =
      axes ? n.getConstantInts(axes) : std::nullopt;
  std::optional<SmallVector<int64_t>> stepValues =
      steps ? n.getConstantInts(steps) : std::nullopt;
  if (startValues && endValues && (!axes || axisValues) &&
      (!steps || stepValues)) {
    size_t count = startValues->size();
    if (!axisValues) {
      axisValues.emplace();
      for (size_t i = 0; i < count; ++i)
        axisValues->push_back(i);
    }
    if (!stepValues)
      stepValues = SmallVector<int64_t>(count, 1);
    auto needsGather = [&](size_t i) {
      int64_t axis = (*axisValues)[i];
      return graph::isValidAxis(axis, rank) &&
             type.isDynamicDim(graph::normalizeAxis(axis, rank)) &&
             (*stepValues)[i] != 0 &&
             ((*stepValues)[i] < 0 || (*startValues)[i] < 0);
    };
    if (endValues->size() == count && axisValues->size() == count &&
        stepValues->size() == count &&
        llvm::any_of(llvm::seq(count), needsGather)) {
      Value result = *input;
      for (size_t i = 0; i < count; ++i) {
        if (!needsGather(i)) {
          FailureOr<Value> sliced = n.createValue<g::SliceOp>(
              {},
              {result, n.createI64Tensor({(*startValues)[i]}),
               n.createI64Tensor({(*endValues)[i]}),
               n.createI64Tensor({(*axisValues)[i]}),
               n.createI64Tensor({(*stepValues)[i]})},
              {n.namedAttr(
                  "operandSegmentSizes",
                  n.getBuilder().getDenseI32ArrayAttr({1, 1, 1, 1, 1}))});
          if (failed(sliced))
            return failure();
          result = *sliced;
          continue;
        }
        FailureOr<Value> gathered = importGatherSlice(
            n, result, graph::normalizeAxis((*axisValues)[i], rank),
            (*startValues)[i], (*endValues)[i], (*stepValues)[i]);
        if (failed(gathered))
          return failure();
        result = *gathered;
      }
      return n.createOutput<g::IdentityOp>({result}, {}, result.getType());
    }
  }
  SmallVector<Value> operands = {*input, starts, ends};
  if (axes)
    operands.push_back(axes);
  if (steps)
    operands.push_back(steps);
  int32_t segments[] = {1, 1, 1, axes ? 1 : 0, steps ? 1 : 0};
  return n.createOutput<g::SliceOp>(
      operands, {n.namedAttr("operandSegmentSizes",
                             n.getBuilder().getDenseI32ArrayAttr(segments))});
}

LogicalResult importGather(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  FailureOr<Value> indices = n.getRequiredInput(1);
  if (failed(input) || failed(indices))
    return failure();
  return n.createOutput<g::GatherOp>(
      {*input, *indices}, {n.namedAttr("axis", n.getBuilder().getI64IntegerAttr(
                                                   n.getInt("axis", 0)))});
}

/// Tile from opset 6 (repeats as one input; opset 1 had tiles and axis).
LogicalResult importTile(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  FailureOr<Value> repeats = n.getRequiredInput(1);
  if (failed(input) || failed(repeats))
    return failure();
  return n.createOutput<g::TileOp>({*input, *repeats});
}

/// Range; `stash_type` (opset 27) is the type in which f16 and bf16 ranges
/// are computed, and changes nothing for the other types.
LogicalResult importRange(NodeImporter &n) {
  FailureOr<Value> start = n.getRequiredInput(0);
  FailureOr<Value> limit = n.getRequiredInput(1);
  FailureOr<Value> delta = n.getRequiredInput(2);
  if (failed(start) || failed(limit) || failed(delta))
    return failure();
  if (n.getOpset() >= 27) {
    n.ignoreAttr("stash_type", onnx::AttributeProto::INT);
    Type elementType = cast<ShapedType>(start->getType()).getElementType();
    if (elementType.isF16() || elementType.isBF16())
      return n.emitError() << "Range of " << elementType
                           << " (computed in its stash_type) is not supported";
  }
  return n.createOutput<g::RangeOp>({*start, *limit, *delta});
}

/// Trilu; `k` is an optional input read at run time.
LogicalResult importTrilu(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  SmallVector<Value> operands = {*input};
  if (Value k = n.getInput(1))
    operands.push_back(k);
  return n.createOutput<g::TriluOp>(
      operands,
      {n.namedAttr("upper",
                   n.getBuilder().getBoolAttr(n.getInt("upper", 1) != 0))},
      input->getType());
}

/// CumSum and CumProd; the axis input must be a constant (it decides the
/// kernel's loop).
template <typename OpTy> LogicalResult importCumulative(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  FailureOr<SmallVector<int64_t>> axis = n.getRequiredConstantInts(1, "axis");
  if (failed(axis))
    return failure();
  if (axis->size() != 1)
    return n.emitError() << n.getOpType() << " axis must hold one value, got "
                         << axis->size();
  Builder &b = n.getBuilder();
  return n.createOutput<OpTy>(
      {*input},
      {n.namedAttr("axis", b.getI64IntegerAttr((*axis)[0])),
       n.namedAttr("exclusive", b.getBoolAttr(n.getInt("exclusive", 0) != 0)),
       n.namedAttr("reverse", b.getBoolAttr(n.getInt("reverse", 0) != 0))},
      input->getType());
}

/// OneHot's depth: one constant value of any number type, truncated to an
/// integer as ONNX casts it.
FailureOr<int64_t> getOneHotDepth(NodeImporter &n) {
  ElementsAttr depth = graph::foldToElements(n.getInput(1));
  if (!depth || depth.getNumElements() != 1)
    return n.emitError() << "OneHot needs a constant depth of one value "
                            "(input #1)";
  double value = 0;
  if (std::optional<SmallVector<int64_t>> ints = graph::getIntValues(depth))
    value = static_cast<double>((*ints)[0]);
  else if (isa<FloatType>(depth.getElementType()))
    value = (*depth.value_begin<APFloat>()).convertToDouble();
  else
    return n.emitError() << "OneHot depth has unsupported element type "
                         << depth.getElementType();
  if (!(value >= 1 && value <= static_cast<double>(int64_t(1) << 40)))
    return n.emitError() << "OneHot depth " << value << " is not in [1, 2^40]";
  return static_cast<int64_t>(value);
}

/// onehot(i) -> where(unsqueeze(i', axis) == iota, on, off), where i' is i
/// as i64, wrapped into [0, depth) from opset 11, and iota holds
/// 0..depth-1 along `axis` of the result; on and off are values[1] and
/// values[0].
LogicalResult importOneHot(NodeImporter &n) {
  FailureOr<Value> indices = n.getRequiredInput(0);
  FailureOr<Value> values = n.getRequiredInput(2);
  if (failed(indices) || failed(values))
    return failure();
  FailureOr<int64_t> depth = getOneHotDepth(n);
  if (failed(depth))
    return failure();
  auto indexType = cast<RankedTensorType>(indices->getType());
  auto valuesType = cast<RankedTensorType>(values->getType());
  if (valuesType.getRank() != 1 || valuesType.getDimSize(0) != 2)
    return n.emitError() << "OneHot values must be [off, on], got "
                         << valuesType;
  int64_t rank = indexType.getRank() + 1;
  int64_t axis = n.getInt("axis", -1);
  if (!graph::isValidAxis(axis, rank))
    return n.emitError() << "OneHot axis " << axis << " is out of range for "
                         << "a result of rank " << rank;
  axis = graph::normalizeAxis(axis, rank);

  Builder &b = n.getBuilder();
  Type i64 = b.getI64Type();
  Value index = *indices;
  if (indexType.getElementType() != i64) {
    FailureOr<Value> cast = n.createValue<g::CastOp>(
        RankedTensorType::get(indexType.getShape(), i64), {index});
    if (failed(cast))
      return failure();
    index = *cast;
  }
  if (n.getOpset() >= 11) {
    Value zero = n.createScalar(i64, 0);
    Value depthValue = n.createScalar(i64, static_cast<double>(*depth));
    FailureOr<Value> negative = n.createValue<g::LessOp>({}, {index, zero});
    FailureOr<Value> shifted = n.createValue<g::AddOp>({}, {index, depthValue});
    if (failed(negative) || failed(shifted))
      return failure();
    FailureOr<Value> wrapped =
        n.createValue<g::WhereOp>({}, {*negative, *shifted, index});
    if (failed(wrapped))
      return failure();
    index = *wrapped;
  }
  FailureOr<Value> expanded = n.createValue<g::UnsqueezeOp>(
      {}, {index}, {n.namedAttr("axes", b.getDenseI64ArrayAttr({axis}))});
  if (failed(expanded))
    return failure();
  SmallVector<int64_t> iotaShape(rank, 1), iota;
  iotaShape[axis] = *depth;
  for (int64_t i = 0; i < *depth; ++i)
    iota.push_back(i);
  Value iotaValue = n.createConstant(cast<ElementsAttr>(DenseElementsAttr::get(
      RankedTensorType::get(iotaShape, i64), ArrayRef<int64_t>(iota))));
  FailureOr<Value> hot = n.createValue<g::EqualOp>({}, {*expanded, iotaValue});
  if (failed(hot))
    return failure();
  auto pick = [&](int64_t i) {
    return n.createValue<g::GatherOp>(
        RankedTensorType::get({}, valuesType.getElementType()),
        {*values, n.createScalar(i64, static_cast<double>(i))},
        {n.namedAttr("axis", b.getI64IntegerAttr(0))});
  };
  FailureOr<Value> off = pick(0), on = pick(1);
  if (failed(off) || failed(on))
    return failure();
  return n.createOutput<g::WhereOp>({*hot, *on, *off});
}

/// Pad's begins-then-ends pads over every dim. Before opset 11 they are
/// the `pads` attribute; from 11 a constant input, over the dims `axes`
/// (a constant input from 18) when given.
FailureOr<SmallVector<int64_t>> getPads(NodeImporter &n, int64_t rank) {
  std::optional<SmallVector<int64_t>> pads;
  if (n.getOpset() < 11) {
    pads = n.getInts("pads");
    if (!pads)
      return n.emitError() << "Pad requires attribute 'pads'";
  } else {
    FailureOr<SmallVector<int64_t>> input =
        n.getRequiredConstantInts(1, "pads");
    if (failed(input))
      return failure();
    pads = *input;
  }
  SmallVector<int64_t> axes;
  if (n.getOpset() >= 18 && n.getInput(3)) {
    FailureOr<SmallVector<int64_t>> input =
        n.getRequiredConstantInts(3, "axes");
    if (failed(input))
      return failure();
    axes = *input;
  } else {
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  int64_t count = axes.size();
  if (static_cast<int64_t>(pads->size()) != 2 * count)
    return n.emitError() << "Pad has " << pads->size() << " pads for " << count
                         << " axes, expected " << 2 * count;
  SmallVector<int64_t> full(2 * rank, 0);
  SmallVector<bool> seen(rank, false);
  for (int64_t i = 0; i < count; ++i) {
    if (!graph::isValidAxis(axes[i], rank))
      return n.emitError() << "Pad axis " << axes[i]
                           << " is out of range for rank " << rank;
    int64_t axis = graph::normalizeAxis(axes[i], rank);
    if (seen[axis])
      return n.emitError() << "Pad axis " << axes[i] << " is repeated";
    seen[axis] = true;
    full[axis] = (*pads)[i];
    full[axis + rank] = (*pads)[i + count];
  }
  return full;
}

/// Pad; the pad value is the `value` attribute before opset 11 and the
/// optional constant_value input (read at run time) from 11.
LogicalResult importPad(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  auto inputType = cast<RankedTensorType>(input->getType());
  FailureOr<SmallVector<int64_t>> pads = getPads(n, inputType.getRank());
  if (failed(pads))
    return failure();
  std::string mode = n.getString("mode", "constant");
  bool known = mode == "constant" || mode == "reflect" || mode == "edge";
  if (mode == "wrap" && n.getOpset() < 19)
    return n.emitError() << "Pad mode 'wrap' needs opset 19";
  if (!known && mode != "wrap")
    return n.emitError() << "unknown Pad mode '" << mode << "'";
  SmallVector<Value> operands = {*input};
  if (n.getOpset() < 11) {
    float value = n.getFloat("value", 0.0f);
    if (value != 0.0f)
      operands.push_back(n.createScalar(inputType.getElementType(), value));
  } else if (Value value = n.getInput(2)) {
    operands.push_back(value);
  }
  Builder &b = n.getBuilder();
  return n.createOutput<g::PadOp>(
      operands, {n.namedAttr("pads", b.getDenseI64ArrayAttr(*pads)),
                 n.namedAttr("mode", b.getStringAttr(mode))});
}

/// CenterCropPad: a pad whose negative pads crop. Along each axis listed
/// (every axis when `axes` is absent) the target size t of the constant
/// `shape` input centers the input of size d: pads (diff / 2, diff - diff / 2)
/// with diff = t - d and / rounding toward zero, so that an odd crop drops
/// the extra element at the end and an odd pad adds it there.
LogicalResult importCenterCropPad(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  FailureOr<SmallVector<int64_t>> shape = n.getRequiredConstantInts(1, "shape");
  if (failed(shape))
    return failure();
  auto inputType = cast<RankedTensorType>(input->getType());
  int64_t rank = inputType.getRank();
  SmallVector<int64_t> axes =
      n.getInts("axes").value_or(llvm::to_vector(llvm::seq<int64_t>(0, rank)));
  if (axes.size() != shape->size())
    return n.emitError() << "CenterCropPad has " << shape->size()
                         << " sizes for " << axes.size() << " axes";
  SmallVector<int64_t> pads(2 * rank, 0);
  SmallVector<bool> seen(rank, false);
  for (auto [axis, target] : llvm::zip_equal(axes, *shape)) {
    if (!graph::isValidAxis(axis, rank))
      return n.emitError() << "CenterCropPad axis " << axis
                           << " is out of range for rank " << rank;
    int64_t d = graph::normalizeAxis(axis, rank);
    if (seen[d])
      return n.emitError() << "CenterCropPad axis " << axis << " is repeated";
    seen[d] = true;
    if (target < 0 || target > (int64_t(1) << 40))
      return n.emitError() << "CenterCropPad size " << target
                           << " is out of range";
    int64_t size = inputType.getDimSize(d);
    if (ShapedType::isDynamic(size))
      return n.emitError() << "CenterCropPad needs static dims on its axes: "
                           << "give --shape for the model's inputs";
    int64_t diff = target - size;
    pads[d] = diff / 2;
    pads[d + rank] = diff - diff / 2;
  }
  Builder &b = n.getBuilder();
  return n.createOutput<g::PadOp>(
      {*input}, {n.namedAttr("pads", b.getDenseI64ArrayAttr(pads)),
                 n.namedAttr("mode", b.getStringAttr("constant"))});
}

/// A constant i64 tensor of `shape` holding `values` (one per element).
Value createI64Constant(NodeImporter &n, ArrayRef<int64_t> shape,
                        ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get(shape, n.getBuilder().getI64Type());
  return n.createConstant(
      cast<ElementsAttr>(DenseElementsAttr::get(type, values)));
}

/// eye_like(x) -> cast((rows + k)[:, None] == cols[None, :]): ones where
/// column - row is k, of the `dtype` attribute's type (x's when absent).
LogicalResult importEyeLike(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  if (type.getRank() != 2)
    return n.emitError() << "EyeLike needs a 2-d input, got " << type;
  Type elementType = type.getElementType();
  if (n.hasAttr("dtype")) {
    int64_t dataType = n.getInt("dtype", 0);
    elementType = convertElementType(dataType, n.getContext());
    if (!elementType)
      return n.emitError() << "EyeLike to unsupported type "
                           << getDataTypeName(dataType);
  }
  auto resultType = RankedTensorType::get(type.getShape(), elementType);
  if (!type.hasStaticShape()) {
    // rows + k and cols counted at run time; k clamped so that no sum
    // overflows (a diagonal that far out leaves the matrix zero either way).
    constexpr int64_t kFar = int64_t(1) << 62;
    int64_t k = std::clamp<int64_t>(n.getInt("k", 0), -kFar, kFar);
    FailureOr<Value> rows = n.createIota(*input, 0);
    FailureOr<Value> cols = n.createIota(*input, 1);
    if (failed(rows) || failed(cols))
      return failure();
    FailureOr<Value> shifted = n.createValue<g::AddOp>(
        {}, {*rows, n.createScalar(n.getBuilder().getI64Type(), k)});
    if (failed(shifted))
      return failure();
    FailureOr<Value> rowColumn = n.createValue<g::UnsqueezeOp>(
        {}, {*shifted},
        {n.namedAttr("axes", n.getBuilder().getDenseI64ArrayAttr({1}))});
    FailureOr<Value> colRow = n.createValue<g::UnsqueezeOp>(
        {}, {*cols},
        {n.namedAttr("axes", n.getBuilder().getDenseI64ArrayAttr({0}))});
    if (failed(rowColumn) || failed(colRow))
      return failure();
    FailureOr<Value> diagonal =
        n.createValue<g::EqualOp>({}, {*rowColumn, *colRow});
    if (failed(diagonal))
      return failure();
    return n.createOutput<g::CastOp>({*diagonal}, {}, resultType);
  }
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  // A diagonal outside the matrix leaves it zero; clamping k keeps the
  // sums below in range.
  int64_t k = std::clamp<int64_t>(n.getInt("k", 0), -rows, cols);
  SmallVector<int64_t> rowValues, colValues;
  for (int64_t i = 0; i < rows; ++i)
    rowValues.push_back(i + k);
  for (int64_t j = 0; j < cols; ++j)
    colValues.push_back(j);
  FailureOr<Value> diagonal = n.createValue<g::EqualOp>(
      {}, {createI64Constant(n, {rows, 1}, rowValues),
           createI64Constant(n, {1, cols}, colValues)});
  if (failed(diagonal))
    return failure();
  return n.createOutput<g::CastOp>({*diagonal}, {}, resultType);
}

/// hardmax(x) along `axis` -> cast(arg_max(x, axis) == iota): 1 at the
/// first maximum, 0 elsewhere, iota holding 0..n-1 along `axis`.
FailureOr<Value> createHardmax(NodeImporter &n, Value input, int64_t axis,
                               Type resultHint) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  if (!graph::isValidAxis(axis, rank))
    return n.emitError() << "Hardmax axis " << axis
                         << " is out of range for rank " << rank;
  axis = graph::normalizeAxis(axis, rank);
  Builder &b = n.getBuilder();
  FailureOr<Value> argMax = n.createValue<g::ArgMaxOp>(
      {}, {input}, {n.namedAttr("axis", b.getI64IntegerAttr(axis))});
  if (failed(argMax))
    return failure();
  // iota is 1 everywhere but along `axis`, counted at run time when that
  // size is.
  Value positions;
  if (type.isDynamicDim(axis)) {
    FailureOr<Value> line = n.createIota(input, axis);
    if (failed(line))
      return failure();
    SmallVector<int64_t> others;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis)
        others.push_back(d);
    FailureOr<Value> spread = *line;
    if (!others.empty())
      spread = n.createValue<g::UnsqueezeOp>(
          {}, {*line}, {n.namedAttr("axes", b.getDenseI64ArrayAttr(others))});
    if (failed(spread))
      return failure();
    positions = *spread;
  } else {
    SmallVector<int64_t> iotaShape(rank, 1), iota;
    iotaShape[axis] = type.getDimSize(axis);
    for (int64_t i = 0; i < iotaShape[axis]; ++i)
      iota.push_back(i);
    positions = createI64Constant(n, iotaShape, iota);
  }
  FailureOr<Value> hot = n.createValue<g::EqualOp>({}, {*argMax, positions});
  if (failed(hot))
    return failure();
  return n.createValue<g::CastOp>(NodeImporter::joinHints(resultHint, type),
                                  {*hot});
}

/// Hardmax from opset 13 works along `axis` (default -1); before, on x
/// flattened to 2-d at `axis` (default 1), along its second dim.
LogicalResult importHardmax(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  if (n.getOpset() >= 13) {
    FailureOr<Value> result =
        createHardmax(n, *input, n.getInt("axis", -1), n.getOutputHint(0));
    if (failed(result))
      return failure();
    n.setOutput(0, *result);
    return success();
  }
  int64_t rank = cast<RankedTensorType>(input->getType()).getRank();
  int64_t axis = n.getInt("axis", 1);
  if (axis < -rank || axis > rank)
    return n.emitError() << "Hardmax axis " << axis
                         << " is out of range for rank " << rank;
  Builder &b = n.getBuilder();
  FailureOr<Value> flat = n.createValue<g::FlattenOp>(
      {}, {*input}, {n.namedAttr("axis", b.getI64IntegerAttr(axis))});
  if (failed(flat))
    return failure();
  FailureOr<Value> result = createHardmax(n, *flat, 1, Type());
  FailureOr<Value> shape = n.createValue<g::ShapeOp>({}, {*input});
  if (failed(result) || failed(shape))
    return failure();
  return n.createOutput<g::ReshapeOp>({*result, *shape}, {}, input->getType());
}

} // namespace

/// The gathers and scatters by index tensors (ImportGatherScatter.cpp).
void registerGatherScatterOps(OpTable &table);
void registerBlockShuffleOps(OpTable &table);

void registerTensorOps(OpTable &table) {
  // Versions from 19 on (and Identity 14 / 16, Expand, Gather and Tile 13)
  // add element types or non-tensor values, which Kiln refuses.
  table.add("Shape", {1, 13, 15, 19, 21, 23, 24, 25}, importShape);
  table.add("Size", {1, 13, 19, 21, 23, 24, 25}, importSize);
  table.add("Identity", {1, 13, 14, 16, 19, 21, 23, 24, 25}, importIdentity);
  table.add("Reshape", {1, 5, 13, 14, 19, 21, 23, 24, 25}, importReshape);
  table.add("Flatten", {1, 9, 11, 13, 21, 23, 24, 25}, importFlatten);
  table.add("Squeeze", {1, 11, 13, 21, 23, 24, 25}, importSqueeze);
  table.add("Unsqueeze", {1, 11, 13, 21, 23, 24, 25}, importUnsqueeze);
  table.add("Transpose", {1, 13, 21, 23, 24, 25}, importTranspose);
  table.add("Expand", {8, 13}, importExpand);
  table.add("Concat", {1, 4, 11, 13}, importConcat);
  table.add("Split", {1, 2, 11, 13, 18}, importSplit);
  table.add("Slice", {1, 10, 11, 13}, importSlice);
  table.add("Gather", {1, 11, 13}, importGather);
  table.add("Tile", {6, 13}, importTile);
  table.add("Range", {11, 27}, importRange);
  // Ops of exported models. Pad 11 moves pads and the value to inputs, 18
  // adds axes, 19 mode "wrap"; the other versions add element types.
  table.add("Hardmax", {1, 11, 13}, importHardmax);
  table.add("Pad", {2, 11, 13, 18, 19, 21, 23, 24, 25}, importPad);
  table.add("CenterCropPad", {18}, importCenterCropPad);
  table.add("OneHot", {9, 11, 28}, importOneHot);
  table.add("Trilu", {14}, importTrilu);
  table.add("EyeLike", {9, 22}, importEyeLike);
  table.add("CumSum", {11, 14}, importCumulative<g::CumSumOp>);
  table.add("CumProd", {26}, importCumulative<g::CumProdOp>);
  registerGatherScatterOps(table);
  registerBlockShuffleOps(table);
}

} // namespace kiln::onnxfe
