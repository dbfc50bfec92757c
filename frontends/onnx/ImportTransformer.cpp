//===- ImportTransformer.cpp - ONNX transformer-layer ops -----------------===//
//
// RMSNormalization and RotaryEmbedding (opset 23) rewritten at import into
// the graph ops Kiln has:
//
//   RMSNormalization(x, scale) = x / sqrt(reduce_mean(x * x, [axis, rank))
//                                         + epsilon) * scale
//   RotaryEmbedding(x, cos, sin) on x (b, n, s, h), or (b, s, n * h) seen
//   as (b, s, n, h): with x1, x2 the halves of the first
//   rotary_embedding_dim entries of h (or its even and odd entries when
//   interleaved) and cos, sin gathered at position_ids,
//     [x1 cos - x2 sin, x1 sin + x2 cos] (re-interleaved), then the rest
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"
#include "frontends/onnx/OpTable.h"

#include "dialects/graph/GraphOps.h"
#include "dialects/graph/GraphUtils.h"

#include <limits>

using namespace mlir;

namespace kiln::onnxfe {
namespace {

namespace g = ::kiln::graph;

/// RMSNormalization (opset 23); statistics in f32 (stash_type 1) only.
LogicalResult importRMSNorm(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  FailureOr<Value> scale = n.getRequiredInput(1);
  if (failed(input) || failed(scale))
    return failure();
  if (n.getInt("stash_type", 1) != 1)
    return n.emitError() << "RMSNormalization with a stash_type other than "
                            "1 (float) is not supported";
  auto type = cast<RankedTensorType>(input->getType());
  int64_t rank = type.getRank();
  int64_t axis = n.getInt("axis", -1);
  if (!g::isValidAxis(axis, rank))
    return n.emitError() << "RMSNormalization axis " << axis
                         << " is out of range for rank " << rank;
  axis = g::normalizeAxis(axis, rank);
  SmallVector<int64_t> axes;
  for (int64_t a = axis; a < rank; ++a)
    axes.push_back(a);
  Builder &b = n.getBuilder();
  FailureOr<Value> squares = n.createValue<g::MulOp>(type, {*input, *input});
  if (failed(squares))
    return failure();
  FailureOr<Value> mean = n.createValue<g::ReduceMeanOp>(
      {}, {*squares},
      {n.namedAttr("axes", b.getDenseI64ArrayAttr(axes)),
       n.namedAttr("keepdims", b.getBoolAttr(true))});
  if (failed(mean))
    return failure();
  Value epsilon =
      n.createScalar(type.getElementType(), n.getFloat("epsilon", 1e-5f));
  FailureOr<Value> shifted =
      n.createValue<g::AddOp>(mean->getType(), {*mean, epsilon});
  if (failed(shifted))
    return failure();
  FailureOr<Value> rms =
      n.createValue<g::SqrtOp>(shifted->getType(), {*shifted});
  if (failed(rms))
    return failure();
  FailureOr<Value> normalized = n.createValue<g::DivOp>(type, {*input, *rms});
  if (failed(normalized))
    return failure();
  return n.createOutput<g::MulOp>({*normalized, *scale}, {}, type);
}

/// x[..., start:end:step] along the last of `rank` dims.
FailureOr<Value> sliceLast(NodeImporter &n, Value value, int64_t start,
                           int64_t end, int64_t step = 1) {
  int64_t rank = cast<RankedTensorType>(value.getType()).getRank();
  Value starts = n.createI64Tensor({start});
  Value ends = n.createI64Tensor({end});
  Value axes = n.createI64Tensor({rank - 1});
  Value steps = n.createI64Tensor({step});
  return n.createValue<g::SliceOp>(
      {}, {value, starts, ends, axes, steps},
      {n.namedAttr("operandSegmentSizes",
                   n.getBuilder().getDenseI32ArrayAttr({1, 1, 1, 1, 1}))});
}

FailureOr<Value> concatLast(NodeImporter &n, ValueRange values) {
  int64_t rank = cast<RankedTensorType>(values[0].getType()).getRank();
  return n.createValue<g::ConcatOp>(
      {}, values,
      {n.namedAttr("axis", n.getBuilder().getI64IntegerAttr(rank - 1))});
}

FailureOr<Value> unsqueeze(NodeImporter &n, Value value, int64_t axis) {
  return n.createValue<g::UnsqueezeOp>(
      {}, {value},
      {n.namedAttr("axes", n.getBuilder().getDenseI64ArrayAttr({axis}))});
}

FailureOr<Value> reshape(NodeImporter &n, Value value,
                         ArrayRef<int64_t> shape) {
  return n.createValue<g::ReshapeOp>({}, {value, n.createI64Tensor(shape)});
}

/// RotaryEmbedding (opset 23).
LogicalResult importRotaryEmbedding(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  FailureOr<Value> cosCache = n.getRequiredInput(1);
  FailureOr<Value> sinCache = n.getRequiredInput(2);
  if (failed(input) || failed(cosCache) || failed(sinCache))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  int64_t rank = type.getRank();
  bool interleaved = n.getInt("interleaved", 0) != 0;
  int64_t numHeads = n.getInt("num_heads", 0);
  int64_t rotaryDim = n.getInt("rotary_embedding_dim", 0);
  if (rank != 3 && rank != 4)
    return n.emitError() << "RotaryEmbedding input must be (batch, heads, "
                            "seq, head) or (batch, seq, hidden), got "
                         << type;
  if (rank == 3 && numHeads < 1)
    return n.emitError() << "RotaryEmbedding of a 3-d input needs num_heads";

  // cos and sin (b, s, rot / 2), gathered at position_ids when given.
  Value cos = *cosCache, sin = *sinCache;
  if (Value positions = n.getInput(3)) {
    FailureOr<Value> gatheredCos =
        n.createValue<g::GatherOp>({}, {cos, positions});
    FailureOr<Value> gatheredSin =
        n.createValue<g::GatherOp>({}, {sin, positions});
    if (failed(gatheredCos) || failed(gatheredSin))
      return failure();
    cos = *gatheredCos;
    sin = *gatheredSin;
  }
  // x as (b, n, s, h) with cos, sin (b, 1, s, rot / 2), or as (b, s, n, h)
  // with cos, sin (b, s, 1, rot / 2).
  Value x = *input;
  int64_t headAxis = 1;
  if (rank == 3) {
    FailureOr<Value> split = reshape(n, x, {0, 0, numHeads, -1});
    if (failed(split))
      return failure();
    x = *split;
    headAxis = 2;
  }
  FailureOr<Value> cos4 = unsqueeze(n, cos, headAxis);
  FailureOr<Value> sin4 = unsqueeze(n, sin, headAxis);
  if (failed(cos4) || failed(sin4))
    return failure();
  int64_t headSize = cast<RankedTensorType>(x.getType()).getShape().back();
  if (ShapedType::isDynamic(headSize))
    return n.emitError() << "RotaryEmbedding needs a static head size";
  if (rotaryDim == 0)
    rotaryDim = headSize;
  if (rotaryDim < 2 || rotaryDim % 2 != 0 || rotaryDim > headSize)
    return n.emitError() << "RotaryEmbedding rotary_embedding_dim " << rotaryDim
                         << " must be even and at most the "
                         << "head size " << headSize;
  int64_t half = rotaryDim / 2;

  FailureOr<Value> rotated = sliceLast(n, x, 0, rotaryDim);
  if (failed(rotated))
    return failure();
  FailureOr<Value> x1 = interleaved ? sliceLast(n, *rotated, 0, rotaryDim, 2)
                                    : sliceLast(n, *rotated, 0, half);
  FailureOr<Value> x2 = interleaved ? sliceLast(n, *rotated, 1, rotaryDim, 2)
                                    : sliceLast(n, *rotated, half, rotaryDim);
  if (failed(x1) || failed(x2))
    return failure();
  // real = x1 cos - x2 sin, imag = x1 sin + x2 cos.
  auto product = [&](Value a, Value c) {
    return n.createValue<g::MulOp>({}, {a, c});
  };
  FailureOr<Value> x1Cos = product(*x1, *cos4), x2Sin = product(*x2, *sin4);
  FailureOr<Value> x1Sin = product(*x1, *sin4), x2Cos = product(*x2, *cos4);
  if (failed(x1Cos) || failed(x2Sin) || failed(x1Sin) || failed(x2Cos))
    return failure();
  FailureOr<Value> real = n.createValue<g::SubOp>({}, {*x1Cos, *x2Sin});
  FailureOr<Value> imag = n.createValue<g::AddOp>({}, {*x1Sin, *x2Cos});
  if (failed(real) || failed(imag))
    return failure();
  FailureOr<Value> joined;
  if (interleaved) {
    // (..., rot / 2, 2) back to (..., rot): real and imag alternate.
    FailureOr<Value> realPairs = unsqueeze(n, *real, 4);
    FailureOr<Value> imagPairs = unsqueeze(n, *imag, 4);
    if (failed(realPairs) || failed(imagPairs))
      return failure();
    FailureOr<Value> pairs = concatLast(n, {*realPairs, *imagPairs});
    if (failed(pairs))
      return failure();
    joined = reshape(n, *pairs, {0, 0, 0, rotaryDim});
  } else {
    joined = concatLast(n, {*real, *imag});
  }
  if (failed(joined))
    return failure();
  Value result = *joined;
  if (rotaryDim < headSize) {
    FailureOr<Value> rest = sliceLast(n, x, rotaryDim, headSize);
    if (failed(rest))
      return failure();
    FailureOr<Value> whole = concatLast(n, {result, *rest});
    if (failed(whole))
      return failure();
    result = *whole;
  }
  if (rank == 3) {
    FailureOr<Value> merged = reshape(n, result, {0, 0, -1});
    if (failed(merged))
      return failure();
    result = *merged;
  }
  return n.createOutput<g::IdentityOp>({result}, {}, result.getType());
}

} // namespace

void registerTransformerOps(OpTable &table) {
  table.add("RMSNormalization", 23, importRMSNorm);
  table.add("RotaryEmbedding", 23, importRotaryEmbedding);
}

} // namespace kiln::onnxfe
