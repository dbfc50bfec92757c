//===- ImportBlockShuffle.cpp - DepthToSpace and SpaceToDepth -------------===//
//
// DepthToSpace and SpaceToDepth as reshape -> transpose -> reshape:
//
//   DepthToSpace DCR: (N, C, H, W) -> (N, b, b, C / b^2, H, W)
//                     -> perm (0, 3, 4, 1, 5, 2) -> (N, C / b^2, H b, W b)
//   SpaceToDepth DCR: (N, C, H, W) -> (N, C, H / b, b, W / b, b)
//                     -> perm (0, 3, 5, 1, 2, 4) -> (N, C b^2, H / b, W / b)
//
// (CRD orders the block dims after the channels.) With dynamic C, H or W
// the reshapes take sizes computed at run time, whose element count checks
// fail a run where the blocksize does not divide.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"
#include "frontends/onnx/OpTable.h"

#include "dialects/graph/GraphOps.h"
#include "kernels/common/Checked.h"

using namespace mlir;

namespace kiln::onnxfe {
namespace {

namespace g = ::kiln::graph;

/// reshape(x, first) -> transpose(perm) -> reshape(last): the
/// DepthToSpace / SpaceToDepth rearrangement (a leading 0 keeps N).
LogicalResult importBlockShuffle(NodeImporter &n, Value input,
                                 ArrayRef<int64_t> first,
                                 ArrayRef<int64_t> perm,
                                 ArrayRef<int64_t> last) {
  FailureOr<Value> blocks =
      n.createValue<g::ReshapeOp>({}, {input, n.createI64Tensor(first)});
  if (failed(blocks))
    return failure();
  FailureOr<Value> moved = n.createValue<g::TransposeOp>(
      {}, {*blocks},
      {n.namedAttr("perm", n.getBuilder().getDenseI64ArrayAttr(perm))});
  if (failed(moved))
    return failure();
  return n.createOutput<g::ReshapeOp>({*moved, n.createI64Tensor(last)});
}

/// The concatenation of 1-d i64 tensors: a shape some of whose sizes are
/// known only at run time.
FailureOr<Value> concatShape(NodeImporter &n, ArrayRef<Value> parts) {
  return n.createValue<g::ConcatOp>(
      {}, parts, {n.namedAttr("axis", n.getBuilder().getI64IntegerAttr(0))});
}

/// reshape(x, first) -> transpose(perm) -> reshape(last), with shapes
/// computed at run time.
LogicalResult importBlockShuffle(NodeImporter &n, Value input,
                                 FailureOr<Value> first, ArrayRef<int64_t> perm,
                                 FailureOr<Value> last) {
  if (failed(first) || failed(last))
    return failure();
  FailureOr<Value> blocks = n.createValue<g::ReshapeOp>({}, {input, *first});
  if (failed(blocks))
    return failure();
  FailureOr<Value> moved = n.createValue<g::TransposeOp>(
      {}, {*blocks},
      {n.namedAttr("perm", n.getBuilder().getDenseI64ArrayAttr(perm))});
  if (failed(moved))
    return failure();
  return n.createOutput<g::ReshapeOp>({*moved, *last});
}

/// Element `index` of a 1-d i64 tensor, as a 1-d tensor.
FailureOr<Value> sliceShape(NodeImporter &n, Value shape, int64_t index) {
  return n.createValue<g::GatherOp>({}, {shape, n.createI64Tensor({index})});
}

/// H and W of an (N, C, H, W) tensor times (or, `divide`, over) b, as a 1-d
/// i64 tensor known at run time.
FailureOr<Value> scaledHeightWidth(NodeImporter &n, Value input, int64_t b,
                                   bool divide) {
  FailureOr<Value> hw = n.createShape(input, 2, 4);
  if (failed(hw))
    return failure();
  Value factor = n.createI64Tensor({b});
  return divide ? n.createValue<g::DivOp>({}, {*hw, factor})
                : n.createValue<g::MulOp>({}, {*hw, factor});
}

/// The (N, C, H, W) input of DepthToSpace / SpaceToDepth, C, H and W
/// (dynamic where the input's are), and its blocksize.
FailureOr<std::pair<Value, int64_t>> getBlockInput(NodeImporter &n, int64_t *c,
                                                   int64_t *h, int64_t *w) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  if (type.getRank() != 4)
    return n.emitError() << n.getOpType() << " needs a 4-d input, got " << type;
  *c = type.getDimSize(1);
  *h = type.getDimSize(2);
  *w = type.getDimSize(3);
  if (!n.hasAttr("blocksize"))
    return n.emitError() << n.getOpType() << " requires attribute 'blocksize'";
  int64_t blocksize = n.getInt("blocksize", 1);
  if (blocksize < 1 || blocksize > (int64_t(1) << 20))
    return n.emitError() << n.getOpType() << " blocksize " << blocksize
                         << " is not in [1, 2^20]";
  return std::make_pair(*input, blocksize);
}

/// DepthToSpace: (N, C, H, W) -> (N, C / b^2, H b, W b); mode "DCR" (depth,
/// column, row: the default) or, from opset 11, "CRD".
LogicalResult importDepthToSpace(NodeImporter &n) {
  int64_t c, h, w;
  FailureOr<std::pair<Value, int64_t>> input = getBlockInput(n, &c, &h, &w);
  if (failed(input))
    return failure();
  int64_t b = input->second;
  std::string mode = n.getOpset() >= 11 ? n.getString("mode", "DCR") : "DCR";
  if (mode != "DCR" && mode != "CRD")
    return n.emitError() << "unknown DepthToSpace mode '" << mode << "'";
  if (ShapedType::isDynamic(c) || ShapedType::isDynamic(h) ||
      ShapedType::isDynamic(w)) {
    // C / b^2 as the -1 of the first reshape, whose element count check
    // fails a run where b^2 does not divide C.
    Value x = input->first;
    FailureOr<Value> hw = n.createShape(x, 2, 4);
    FailureOr<Value> scaled = scaledHeightWidth(n, x, b, false);
    if (failed(hw) || failed(scaled))
      return failure();
    FailureOr<Value> last =
        concatShape(n, {n.createI64Tensor({0, -1}), *scaled});
    if (mode == "DCR")
      return importBlockShuffle(
          n, x, concatShape(n, {n.createI64Tensor({0, b, b, -1}), *hw}),
          {0, 3, 4, 1, 5, 2}, last);
    return importBlockShuffle(
        n, x, concatShape(n, {n.createI64Tensor({0, -1, b, b}), *hw}),
        {0, 1, 4, 2, 5, 3}, last);
  }
  if (c % (b * b) != 0)
    return n.emitError() << "DepthToSpace channels " << c
                         << " are not a multiple of blocksize^2 " << b * b;
  int64_t depth = c / (b * b), height, width;
  if (!checkedMul(h, b, height) || !checkedMul(w, b, width))
    return n.emitError() << "DepthToSpace output size overflows";
  SmallVector<int64_t> last = {0, depth, height, width};
  if (mode == "DCR")
    return importBlockShuffle(n, input->first, {0, b, b, depth, h, w},
                              {0, 3, 4, 1, 5, 2}, last);
  return importBlockShuffle(n, input->first, {0, depth, b, b, h, w},
                            {0, 1, 4, 2, 5, 3}, last);
}

/// SpaceToDepth: (N, C, H, W) -> (N, C b^2, H / b, W / b), the inverse of
/// DepthToSpace; mode "DCR" (the default) or, from opset 28, "CRD".
LogicalResult importSpaceToDepth(NodeImporter &n) {
  int64_t c, h, w;
  FailureOr<std::pair<Value, int64_t>> input = getBlockInput(n, &c, &h, &w);
  if (failed(input))
    return failure();
  int64_t b = input->second;
  std::string mode = n.getOpset() >= 28 ? n.getString("mode", "DCR") : "DCR";
  if (mode != "DCR" && mode != "CRD")
    return n.emitError() << "unknown SpaceToDepth mode '" << mode << "'";
  SmallVector<int64_t> perm = {0, 3, 5, 1, 2, 4};
  if (mode == "CRD")
    perm = {0, 1, 3, 5, 2, 4};
  if (ShapedType::isDynamic(c) || ShapedType::isDynamic(h) ||
      ShapedType::isDynamic(w)) {
    // (N, C, H / b, b, W / b, b): the first reshape's element count check
    // fails a run where b does not divide H or W.
    Value x = input->first;
    FailureOr<Value> channels = n.createShape(x, 1, 2);
    FailureOr<Value> blocks = scaledHeightWidth(n, x, b, true);
    if (failed(channels) || failed(blocks))
      return failure();
    FailureOr<Value> rows = sliceShape(n, *blocks, 0);
    FailureOr<Value> cols = sliceShape(n, *blocks, 1);
    if (failed(rows) || failed(cols))
      return failure();
    Value block = n.createI64Tensor({b});
    return importBlockShuffle(
        n, x,
        concatShape(
            n, {n.createI64Tensor({0}), *channels, *rows, block, *cols, block}),
        perm, concatShape(n, {n.createI64Tensor({0, -1}), *blocks}));
  }
  if (h % b != 0 || w % b != 0)
    return n.emitError() << "SpaceToDepth height " << h << " and width " << w
                         << " are not multiples of blocksize " << b;
  int64_t depth;
  if (!checkedMul(c, b * b, depth))
    return n.emitError() << "SpaceToDepth output size overflows";
  return importBlockShuffle(n, input->first, {0, c, h / b, b, w / b, b}, perm,
                            {0, depth, h / b, w / b});
}

} // namespace

void registerBlockShuffleOps(OpTable &table) {
  table.add("DepthToSpace", {1, 11, 13, 28}, importDepthToSpace);
  table.add("SpaceToDepth", {1, 13, 28}, importSpaceToDepth);
}

} // namespace kiln::onnxfe
