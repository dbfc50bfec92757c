//===- ImportGatherScatter.cpp - Gathers and scatters by index tensors ----===//
//
// GatherElements, ScatterElements (and its opset-9 name Scatter), GatherND,
// ScatterND, ReverseSequence (a gather_elements along time) and Col2Im (a
// scatter_elements adding columns into the image). Attributes appear with
// the opset that introduced them: GatherND's batch_dims from 12, the
// scatters' reduction from 16 ("none", "add", "mul") and 18 ("max", "min");
// before that they are not read, so a model that sets them is refused as
// carrying an unknown attribute.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"
#include "frontends/onnx/OpTable.h"

#include "dialects/graph/GraphOps.h"

using namespace mlir;

namespace kiln::onnxfe {
namespace {

namespace g = ::kiln::graph;

/// The scatters' `reduction` as the node's opset knows it.
FailureOr<NamedAttribute> getReduction(NodeImporter &n) {
  std::string reduction = "none";
  if (n.getOpset() >= 16)
    reduction = n.getString("reduction", "none");
  bool known = reduction == "none" || reduction == "add" || reduction == "mul";
  bool fromOpset18 = reduction == "max" || reduction == "min";
  if (fromOpset18 && n.getOpset() < 18)
    return n.emitError() << n.getOpType() << " reduction '" << reduction
                         << "' needs opset 18";
  if (!known && !fromOpset18)
    return n.emitError() << "unknown " << n.getOpType() << " reduction '"
                         << reduction << "'";
  return n.namedAttr("reduction", n.getBuilder().getStringAttr(reduction));
}

LogicalResult importGatherElements(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  FailureOr<Value> indices = n.getRequiredInput(1);
  if (failed(input) || failed(indices))
    return failure();
  return n.createOutput<g::GatherElementsOp>(
      {*input, *indices}, {n.namedAttr("axis", n.getBuilder().getI64IntegerAttr(
                                                   n.getInt("axis", 0)))});
}

/// ScatterElements, and Scatter (opset 9), which has its meaning without
/// reduction.
LogicalResult importScatterElements(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  FailureOr<Value> indices = n.getRequiredInput(1);
  FailureOr<Value> updates = n.getRequiredInput(2);
  if (failed(input) || failed(indices) || failed(updates))
    return failure();
  FailureOr<NamedAttribute> reduction = getReduction(n);
  if (failed(reduction))
    return failure();
  return n.createOutput<g::ScatterElementsOp>(
      {*input, *indices, *updates},
      {n.namedAttr("axis",
                   n.getBuilder().getI64IntegerAttr(n.getInt("axis", 0))),
       *reduction},
      input->getType());
}

/// GatherND / ScatterND indices whose last dim (the length k of the index
/// tuples, which decides the result's rank) is dynamic, seen with k static
/// when the ranks around the node decide it: a reshape to (indices.shape[:-1],
/// k), whose element count check fails a run with another k.
FailureOr<Value> pinTupleLength(NodeImporter &n, Value indices, int64_t k,
                                int64_t dataRank) {
  auto type = cast<RankedTensorType>(indices.getType());
  int64_t rank = type.getRank();
  if (rank < 1 || !type.isDynamicDim(rank - 1) || k < 1 || k > dataRank)
    return indices;
  Value target = n.createI64Tensor({k});
  if (rank > 1) {
    FailureOr<Value> leading = n.createShape(indices, 0, rank - 1);
    if (failed(leading))
      return failure();
    FailureOr<Value> joined = n.createValue<g::ConcatOp>(
        {}, {*leading, target},
        {n.namedAttr("axis", n.getBuilder().getI64IntegerAttr(0))});
    if (failed(joined))
      return failure();
    target = *joined;
  }
  SmallVector<int64_t> shape(type.getShape());
  shape.back() = k;
  return n.createValue<g::ReshapeOp>(
      RankedTensorType::get(shape, type.getElementType()), {indices, target});
}

LogicalResult importGatherND(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  FailureOr<Value> indices = n.getRequiredInput(1);
  if (failed(input) || failed(indices))
    return failure();
  int64_t batchDims = n.getOpset() >= 12 ? n.getInt("batch_dims", 0) : 0;
  // The result has rank q + r - k - 1 - batch_dims: the model's declared
  // result rank gives k.
  int64_t dataRank = cast<RankedTensorType>(input->getType()).getRank();
  int64_t indexRank = cast<RankedTensorType>(indices->getType()).getRank();
  if (auto declared = dyn_cast_or_null<RankedTensorType>(n.getOutputHint(0)))
    indices = pinTupleLength(
        n, *indices, indexRank + dataRank - 1 - batchDims - declared.getRank(),
        dataRank - batchDims);
  if (failed(indices))
    return failure();
  return n.createOutput<g::GatherNDOp>(
      {*input, *indices},
      {n.namedAttr("batch_dims", n.getBuilder().getI64IntegerAttr(batchDims))});
}

LogicalResult importScatterND(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  FailureOr<Value> indices = n.getRequiredInput(1);
  FailureOr<Value> updates = n.getRequiredInput(2);
  if (failed(input) || failed(indices) || failed(updates))
    return failure();
  FailureOr<NamedAttribute> reduction = getReduction(n);
  if (failed(reduction))
    return failure();
  // updates have rank q - 1 + r - k.
  int64_t dataRank = cast<RankedTensorType>(input->getType()).getRank();
  int64_t indexRank = cast<RankedTensorType>(indices->getType()).getRank();
  int64_t updateRank = cast<RankedTensorType>(updates->getType()).getRank();
  indices = pinTupleLength(n, *indices, indexRank - 1 + dataRank - updateRank,
                           dataRank);
  if (failed(indices))
    return failure();
  return n.createOutput<g::ScatterNDOp>({*input, *indices, *updates},
                                        {*reduction}, input->getType());
}

/// ReverseSequence reverses the first lens[b] steps of each batch entry b
/// along the time axis; both axes are 0 or 1. With t the step index along
/// time and lens along batch, as 2-d tensors that broadcast:
///   from = where(t < lens, lens - 1 - t, t)
///   y    = gather_elements(x, expand(from with unit dims appended, shape(x)),
///                          time_axis)
/// The step count comes from shape(x), so the time dim may be dynamic.
LogicalResult importReverseSequence(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  FailureOr<Value> lens = n.getRequiredInput(1);
  if (failed(input) || failed(lens))
    return failure();
  auto inputType = cast<RankedTensorType>(input->getType());
  auto lensType = cast<RankedTensorType>(lens->getType());
  int64_t timeAxis = n.getInt("time_axis", 0);
  int64_t batchAxis = n.getInt("batch_axis", 1);
  if (inputType.getRank() < 2)
    return n.emitError() << "ReverseSequence needs an input of rank 2 or more";
  if ((timeAxis != 0 && timeAxis != 1) || (batchAxis != 0 && batchAxis != 1) ||
      timeAxis == batchAxis)
    return n.emitError() << "ReverseSequence time_axis and batch_axis must be "
                         << "0 and 1 in some order, got " << timeAxis << " and "
                         << batchAxis;
  if (lensType.getRank() != 1 || !lensType.getElementType().isInteger(64))
    return n.emitError()
           << "ReverseSequence sequence_lens must be a 1-d int64 tensor";

  // t: 0 .. steps - 1 along the time axis of a 2-d (dim 0, dim 1) tensor.
  Builder &b = n.getBuilder();
  Type i64 = b.getI64Type();
  FailureOr<Value> shape = n.createValue<g::ShapeOp>({}, {*input});
  if (failed(shape))
    return failure();
  FailureOr<Value> steps =
      n.createValue<g::GatherOp>({}, {*shape, n.createScalar(i64, timeAxis)});
  if (failed(steps))
    return failure();
  FailureOr<Value> range = n.createValue<g::RangeOp>(
      {}, {n.createScalar(i64, 0), *steps, n.createScalar(i64, 1)});
  if (failed(range))
    return failure();
  auto unsqueeze = [&](Value value, int64_t axis) {
    return n.createValue<g::UnsqueezeOp>(
        {}, {value}, {n.namedAttr("axes", b.getDenseI64ArrayAttr({axis}))});
  };
  FailureOr<Value> t = unsqueeze(*range, batchAxis);
  FailureOr<Value> length = unsqueeze(*lens, timeAxis);
  if (failed(t) || failed(length))
    return failure();

  FailureOr<Value> last =
      n.createValue<g::SubOp>({}, {*length, n.createScalar(i64, 1)});
  if (failed(last))
    return failure();
  FailureOr<Value> reversed = n.createValue<g::SubOp>({}, {*last, *t});
  FailureOr<Value> inSequence = n.createValue<g::LessOp>({}, {*t, *length});
  if (failed(reversed) || failed(inSequence))
    return failure();
  FailureOr<Value> from =
      n.createValue<g::WhereOp>({}, {*inSequence, *reversed, *t});
  if (failed(from))
    return failure();
  if (inputType.getRank() > 2) {
    SmallVector<int64_t> trailing =
        llvm::to_vector(llvm::seq<int64_t>(2, inputType.getRank()));
    from = n.createValue<g::UnsqueezeOp>(
        {}, {*from}, {n.namedAttr("axes", b.getDenseI64ArrayAttr(trailing))});
    if (failed(from))
      return failure();
  }
  FailureOr<Value> indices = n.createValue<g::ExpandOp>(
      RankedTensorType::get(inputType.getShape(), i64), {*from, *shape});
  if (failed(indices))
    return failure();
  return n.createOutput<g::GatherElementsOp>(
      {*input, *indices}, {n.namedAttr("axis", b.getI64IntegerAttr(timeAxis))},
      inputType);
}

/// The attribute `name` with one value per spatial dim, `fill` each when
/// absent; fails when it has another length.
FailureOr<SmallVector<int64_t>> getSpatialInts(NodeImporter &n, StringRef name,
                                               size_t count, int64_t fill) {
  SmallVector<int64_t> values =
      n.getInts(name).value_or(SmallVector<int64_t>(count, fill));
  if (values.size() != count)
    return n.emitError() << n.getOpType() << " " << name << " needs " << count
                         << " values, got " << values.size();
  return values;
}

/// Col2Im sums the columns of input (N, C * K, L) into an image: entry
/// (c, k, l) adds to the position of block offset k (dilated) in block l
/// (strided) of the image padded by `pads`. With those positions a
/// constant pos (K * L):
///   sums = scatter_elements(zeros (N, C, P), expand(pos, (N, C, K * L)),
///                           reshape(input, (N, C, K * L)), axis 2, add)
///   y    = slice(reshape(sums, (N, C, padded...)), the pads off)
LogicalResult importCol2Im(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  FailureOr<SmallVector<int64_t>> image =
      n.getRequiredConstantInts(1, "image_shape");
  FailureOr<SmallVector<int64_t>> block =
      n.getRequiredConstantInts(2, "block_shape");
  if (failed(image) || failed(block))
    return failure();
  size_t rank = image->size();
  if (rank == 0 || block->size() != rank)
    return n.emitError() << "Col2Im image_shape and block_shape must have "
                         << "one and the same number of values";
  FailureOr<SmallVector<int64_t>> dilations =
      getSpatialInts(n, "dilations", rank, 1);
  FailureOr<SmallVector<int64_t>> strides =
      getSpatialInts(n, "strides", rank, 1);
  FailureOr<SmallVector<int64_t>> pads = getSpatialInts(n, "pads", 2 * rank, 0);
  if (failed(dilations) || failed(strides) || failed(pads))
    return failure();

  // Sizes: K per block, L blocks, P padded positions, each bounded.
  constexpr int64_t kLimit = int64_t(1) << 24;
  SmallVector<int64_t> padded(rank), blocks(rank);
  int64_t k = 1, l = 1, p = 1;
  for (size_t d = 0; d < rank; ++d) {
    int64_t span = (*dilations)[d] * ((*block)[d] - 1) + 1;
    padded[d] = (*image)[d] + (*pads)[d] + (*pads)[d + rank];
    bool valid = (*image)[d] > 0 && (*image)[d] < kLimit && (*block)[d] > 0 &&
                 (*block)[d] < kLimit && (*dilations)[d] > 0 &&
                 (*dilations)[d] < kLimit && (*strides)[d] > 0 &&
                 (*pads)[d] >= 0 && (*pads)[d + rank] >= 0 &&
                 (*pads)[d] < kLimit && (*pads)[d + rank] < kLimit &&
                 span <= padded[d];
    if (!valid)
      return n.emitError() << "Col2Im sizes, dilations, strides and pads "
                           << "must be positive (pads not negative), and the "
                           << "dilated block must fit the padded image";
    blocks[d] = (padded[d] - span) / (*strides)[d] + 1;
    if ((k *= (*block)[d]) > kLimit || (l *= blocks[d]) > kLimit ||
        (p *= padded[d]) > kLimit || k * l > kLimit)
      return n.emitError() << "Col2Im blocks and image must hold at most "
                           << "2^24 elements";
  }
  auto inputType = cast<RankedTensorType>(input->getType());
  if (inputType.getRank() != 3)
    return n.emitError() << "Col2Im needs an input (N, C * K, L), got "
                         << inputType;
  int64_t columns = inputType.getDimSize(1), count = inputType.getDimSize(2);
  if (!ShapedType::isDynamic(columns) && columns % k != 0)
    return n.emitError() << "Col2Im input has " << columns
                         << " rows, not a multiple of the block size " << k;
  if (!ShapedType::isDynamic(count) && count != l)
    return n.emitError() << "Col2Im input has " << count
                         << " blocks where the image has " << l;
  int64_t channels =
      ShapedType::isDynamic(columns) ? ShapedType::kDynamic : columns / k;

  // pos[k, l]: block offset k and block l, both in C order, in the padded
  // image.
  SmallVector<int64_t> positions;
  positions.reserve(k * l);
  SmallVector<int64_t> offset(rank, 0);
  for (int64_t i = 0; i < k; ++i) {
    SmallVector<int64_t> at(rank, 0);
    for (int64_t j = 0; j < l; ++j) {
      int64_t position = 0;
      for (size_t d = 0; d < rank; ++d)
        position = position * padded[d] + at[d] * (*strides)[d] +
                   offset[d] * (*dilations)[d];
      positions.push_back(position);
      for (int64_t d = rank - 1; d >= 0 && ++at[d] == blocks[d]; --d)
        at[d] = 0;
    }
    for (int64_t d = rank - 1; d >= 0 && ++offset[d] == (*block)[d]; --d)
      offset[d] = 0;
  }

  // The shapes come from the input's (0 copies a dim, -1 infers C), so
  // N and C may be dynamic.
  Builder &b = n.getBuilder();
  Type elementType = inputType.getElementType();
  int64_t batch = inputType.getDimSize(0);
  FailureOr<Value> updates = n.createValue<g::ReshapeOp>(
      RankedTensorType::get({batch, channels, k * l}, elementType),
      {*input, n.createI64Tensor({0, -1, k * l})});
  if (failed(updates))
    return failure();
  FailureOr<Value> updatesShape = n.createValue<g::ShapeOp>({}, {*updates});
  FailureOr<Value> batchAndChannels = n.createValue<g::ShapeOp>(
      {}, {*updates}, {n.namedAttr("end", b.getI64IntegerAttr(2))});
  if (failed(updatesShape) || failed(batchAndChannels))
    return failure();
  FailureOr<Value> zerosShape = n.createValue<g::ConcatOp>(
      {}, {*batchAndChannels, n.createI64Tensor({p})},
      {n.namedAttr("axis", b.getI64IntegerAttr(0))});
  if (failed(zerosShape))
    return failure();
  FailureOr<Value> zeros = n.createValue<g::ConstantOfShapeOp>(
      RankedTensorType::get({batch, channels, p}, elementType), {*zerosShape},
      {n.namedAttr("value", DenseElementsAttr::get(
                                RankedTensorType::get({1}, elementType),
                                b.getZeroAttr(elementType)))});
  if (failed(zeros))
    return failure();
  Value pos = n.createConstant(DenseElementsAttr::get(
      RankedTensorType::get({1, 1, k * l}, b.getI64Type()),
      ArrayRef<int64_t>(positions)));
  FailureOr<Value> indices = n.createValue<g::ExpandOp>(
      RankedTensorType::get({batch, channels, k * l}, b.getI64Type()),
      {pos, *updatesShape});
  if (failed(indices))
    return failure();
  FailureOr<Value> sums = n.createValue<g::ScatterElementsOp>(
      {}, {*zeros, *indices, *updates},
      {n.namedAttr("axis", b.getI64IntegerAttr(2)),
       n.namedAttr("reduction", b.getStringAttr("add"))});
  if (failed(sums))
    return failure();
  // (N, C, padded...); then the pads sliced off.
  SmallVector<int64_t> reshapeTo = {0, 0}, imageShape = {batch, channels};
  llvm::append_range(reshapeTo, padded);
  llvm::append_range(imageShape, *image);
  auto imageType = RankedTensorType::get(imageShape, elementType);
  if (llvm::all_of(*pads, [](int64_t pad) { return pad == 0; }))
    return n.createOutput<g::ReshapeOp>({*sums, n.createI64Tensor(reshapeTo)},
                                        {}, imageType);
  SmallVector<int64_t> paddedShape = {batch, channels};
  llvm::append_range(paddedShape, padded);
  FailureOr<Value> paddedImage = n.createValue<g::ReshapeOp>(
      RankedTensorType::get(paddedShape, elementType),
      {*sums, n.createI64Tensor(reshapeTo)});
  if (failed(paddedImage))
    return failure();
  SmallVector<int64_t> starts, ends, axes;
  for (size_t d = 0; d < rank; ++d) {
    starts.push_back((*pads)[d]);
    ends.push_back((*pads)[d] + (*image)[d]);
    axes.push_back(d + 2);
  }
  return n.createOutput<g::SliceOp>(
      {*paddedImage, n.createI64Tensor(starts), n.createI64Tensor(ends),
       n.createI64Tensor(axes)},
      {n.namedAttr("operandSegmentSizes",
                   b.getDenseI32ArrayAttr({1, 1, 1, 1, 0}))},
      imageType);
}

} // namespace

void registerGatherScatterOps(OpTable &table) {
  // 13 adds element types (bfloat16).
  table.add("GatherElements", {11, 13}, importGatherElements);
  table.add("Scatter", {9}, importScatterElements);
  // 16 adds reduction "add" / "mul", 18 "max" / "min".
  table.add("ScatterElements", {11, 13, 16, 18}, importScatterElements);
  // 12 adds batch_dims, 13 element types.
  table.add("GatherND", {11, 12, 13}, importGatherND);
  table.add("ScatterND", {11, 13, 16, 18}, importScatterND);
  // 28 adds element types.
  table.add("ReverseSequence", {10, 28}, importReverseSequence);
  table.add("Col2Im", {18}, importCol2Im);
}

} // namespace kiln::onnxfe
