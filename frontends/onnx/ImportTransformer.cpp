//===- ImportTransformer.cpp - ONNX transformer-layer ops -----------------===//
//
// RMSNormalization, RotaryEmbedding and Attention (opset 23) rewritten at
// import into the graph ops Kiln has:
//
//   RMSNormalization(x, scale) = x / sqrt(reduce_mean(x * x, [axis, rank))
//                                         + epsilon) * scale
//   RotaryEmbedding(x, cos, sin) on x (b, n, s, h), or (b, s, n * h) seen
//   as (b, s, n, h): with x1, x2 the halves of the first
//   rotary_embedding_dim entries of h (or its even and odd entries when
//   interleaved) and cos, sin gathered at position_ids,
//     [x1 cos - x2 sin, x1 sin + x2 cos] (re-interleaved), then the rest
//   Attention(q, k, v) on (b, heads, s, d) (3-d inputs split into heads):
//     k' = concat(past_key, k), v' likewise (the present outputs), each kv
//     head repeated for its q heads (GQA), then
//     y = softmax(softcap(q sqrt(scale) @ (k' sqrt(scale))^T) + bias) @ v'
//     where bias adds attn_mask (bool: 0 or -inf) and the causal mask
//     (-inf above the diagonal shifted by the past length); rows the bias
//     masks entirely are 0
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"
#include "frontends/onnx/OpTable.h"

#include "dialects/graph/GraphOps.h"
#include "dialects/graph/GraphUtils.h"
#include "kernels/common/Checked.h"

#include <cmath>
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

/// x[start:end] along `axis`.
FailureOr<Value> sliceAxis(NodeImporter &n, Value value, int64_t axis,
                           int64_t start, int64_t end) {
  Value starts = n.createI64Tensor({start});
  Value ends = n.createI64Tensor({end});
  Value axes = n.createI64Tensor({axis});
  Value steps = n.createI64Tensor({1});
  return n.createValue<g::SliceOp>(
      {}, {value, starts, ends, axes, steps},
      {n.namedAttr("operandSegmentSizes",
                   n.getBuilder().getDenseI32ArrayAttr({1, 1, 1, 1, 1}))});
}

/// x[..., start:end] along the last dim.
FailureOr<Value> sliceLast(NodeImporter &n, Value value, int64_t start,
                           int64_t end) {
  int64_t rank = cast<RankedTensorType>(value.getType()).getRank();
  return sliceAxis(n, value, rank - 1, start, end);
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
  bool staticHead = !ShapedType::isDynamic(headSize);
  if (rotaryDim == 0 && staticHead)
    rotaryDim = headSize;
  if (rotaryDim != 0 && (rotaryDim < 2 || rotaryDim % 2 != 0 ||
                         (staticHead && rotaryDim > headSize)))
    return n.emitError() << "RotaryEmbedding rotary_embedding_dim " << rotaryDim
                         << " must be even and at most the head size, got "
                         << "head size " << headSize;
  // The rotated part: the first rotaryDim entries of h, or all of it (a
  // head size known at run time when rotaryDim is 0).
  bool partial = rotaryDim != 0 && (!staticHead || rotaryDim < headSize);
  Value rotated = x;
  if (partial) {
    FailureOr<Value> first = sliceLast(n, x, 0, rotaryDim);
    if (failed(first))
      return failure();
    rotated = *first;
  }
  // x1, x2: the rotated part seen as (..., 2, rot / 2), or interleaved as
  // (..., rot / 2, 2), sliced along the pair axis.
  int64_t pairAxis = interleaved ? 4 : 3;
  FailureOr<Value> pairs =
      reshape(n, rotated,
              interleaved ? ArrayRef<int64_t>{0, 0, 0, -1, 2}
                          : ArrayRef<int64_t>{0, 0, 0, 2, -1});
  if (failed(pairs))
    return failure();
  auto member = [&](int64_t index) -> FailureOr<Value> {
    FailureOr<Value> sliced = sliceAxis(n, *pairs, pairAxis, index, index + 1);
    if (failed(sliced))
      return failure();
    return n.createValue<g::SqueezeOp>(
        {}, {*sliced},
        {n.namedAttr("axes", n.getBuilder().getDenseI64ArrayAttr({pairAxis}))});
  };
  FailureOr<Value> x1 = member(0), x2 = member(1);
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
    FailureOr<Value> alternating = concatLast(n, {*realPairs, *imagPairs});
    if (failed(alternating))
      return failure();
    joined = reshape(n, *alternating, {0, 0, 0, -1});
  } else {
    joined = concatLast(n, {*real, *imag});
  }
  if (failed(joined))
    return failure();
  Value result = *joined;
  if (partial) {
    FailureOr<Value> rest =
        sliceLast(n, x, rotaryDim, std::numeric_limits<int64_t>::max());
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

/// (b, s, heads * d) -> (b, heads, s, d).
FailureOr<Value> splitHeads(NodeImporter &n, Value value, int64_t heads) {
  FailureOr<Value> split = reshape(n, value, {0, 0, heads, -1});
  if (failed(split))
    return failure();
  return n.createValue<g::TransposeOp>(
      {}, {*split},
      {n.namedAttr("perm", n.getBuilder().getDenseI64ArrayAttr({0, 2, 1, 3}))});
}

/// Attention (opsets 23, 24); nonpad_kv_seqlen (24) is refused.
LogicalResult importAttention(NodeImporter &n) {
  FailureOr<Value> q = n.getRequiredInput(0);
  FailureOr<Value> k = n.getRequiredInput(1);
  FailureOr<Value> v = n.getRequiredInput(2);
  if (failed(q) || failed(k) || failed(v))
    return failure();
  if (n.getInput(6))
    return n.emitError() << "Attention with nonpad_kv_seqlen is not supported";
  Builder &b = n.getBuilder();
  auto qType = cast<RankedTensorType>(q->getType());
  Type elementType = qType.getElementType();
  int64_t rank = qType.getRank();
  if (rank != 3 && rank != 4)
    return n.emitError() << "Attention inputs must be 3-d or 4-d, got "
                         << qType;
  int64_t qHeads = n.getInt("q_num_heads", 0);
  int64_t kvHeads = n.getInt("kv_num_heads", 0);
  if (std::optional<int64_t> precision =
          n.hasAttr("softmax_precision")
              ? std::optional<int64_t>(n.getInt("softmax_precision", 1))
              : std::nullopt;
      precision && *precision != onnx::TensorProto::FLOAT)
    return n.emitError() << "Attention softmax_precision other than float "
                            "is not supported";
  int64_t mode = n.getInt("qk_matmul_output_mode", 0);
  if (mode < 0 || mode > 3)
    return n.emitError() << "Attention qk_matmul_output_mode " << mode
                         << " is unknown";
  if (rank == 3) {
    if (qHeads < 1 || kvHeads < 1)
      return n.emitError() << "Attention of 3-d inputs needs q_num_heads and "
                              "kv_num_heads";
    q = splitHeads(n, *q, qHeads);
    k = splitHeads(n, *k, kvHeads);
    v = splitHeads(n, *v, kvHeads);
    if (failed(q) || failed(k) || failed(v))
      return failure();
  }
  ArrayRef<int64_t> qShape = cast<RankedTensorType>(q->getType()).getShape();
  int64_t headSize = qShape[3];
  qHeads = qShape[1];
  kvHeads = cast<RankedTensorType>(k->getType()).getShape()[1];

  // The key and value caches.
  Value key = *k, value = *v;
  Value pastKey = n.getInput(4), pastValue = n.getInput(5);
  if (!pastKey != !pastValue)
    return n.emitError() << "Attention needs both past_key and past_value or "
                            "neither";
  int64_t pastLength = 0;
  if (pastKey) {
    pastLength = cast<RankedTensorType>(pastKey.getType()).getShape()[2];
    auto axis2 = n.namedAttr("axis", b.getI64IntegerAttr(2));
    FailureOr<Value> keys =
        n.createValue<g::ConcatOp>({}, {pastKey, key}, {axis2});
    FailureOr<Value> values =
        n.createValue<g::ConcatOp>({}, {pastValue, value}, {axis2});
    if (failed(keys) || failed(values))
      return failure();
    key = *keys;
    value = *values;
  }
  n.setOutput(1, key);
  n.setOutput(2, value);

  // GQA: each kv head serves qHeads / kvHeads q heads, in order.
  bool staticHeads =
      !ShapedType::isDynamic(qHeads) && !ShapedType::isDynamic(kvHeads);
  if (staticHeads && qHeads % kvHeads != 0)
    return n.emitError() << "Attention needs q heads (" << qHeads
                         << ") a multiple of kv heads (" << kvHeads << ")";
  auto hasStaticHeadSize = [](Value tensor) {
    return !cast<RankedTensorType>(tensor.getType()).isDynamicDim(3);
  };
  if (!staticHeads || (qHeads != kvHeads && (!hasStaticHeadSize(key) ||
                                             !hasStaticHeadSize(value)))) {
    // The ratio at run time: kv (b, kvHeads, L, d) expanded to (b, kvHeads,
    // ratio, L, d) and seen as (b, qHeads, L, d); a run whose qHeads is no
    // multiple of kvHeads fails that view's element count check.
    FailureOr<Value> qHeadCount = n.createShape(*q, 1, 2);
    if (failed(qHeadCount))
      return failure();
    auto repeat = [&](Value tensor) -> FailureOr<Value> {
      FailureOr<Value> batch = n.createShape(tensor, 0, 1);
      FailureOr<Value> heads = n.createShape(tensor, 1, 2);
      FailureOr<Value> rest = n.createShape(tensor, 2, 4);
      if (failed(batch) || failed(heads) || failed(rest))
        return failure();
      FailureOr<Value> ratio =
          n.createValue<g::DivOp>({}, {*qHeadCount, *heads});
      FailureOr<Value> expanded = unsqueeze(n, tensor, 2);
      if (failed(ratio) || failed(expanded))
        return failure();
      auto axis0 = n.namedAttr("axis", b.getI64IntegerAttr(0));
      FailureOr<Value> expandedShape = n.createValue<g::ConcatOp>(
          {}, {*batch, *heads, *ratio, *rest}, {axis0});
      if (failed(expandedShape))
        return failure();
      FailureOr<Value> repeated =
          n.createValue<g::ExpandOp>({}, {*expanded, *expandedShape});
      FailureOr<Value> groupedShape =
          n.createValue<g::ConcatOp>({}, {*batch, *qHeadCount, *rest}, {axis0});
      if (failed(repeated) || failed(groupedShape))
        return failure();
      return n.createValue<g::ReshapeOp>({}, {*repeated, *groupedShape});
    };
    FailureOr<Value> keys = repeat(key), values = repeat(value);
    if (failed(keys) || failed(values))
      return failure();
    key = *keys;
    value = *values;
  } else if (qHeads != kvHeads) {
    int64_t repeats = qHeads / kvHeads;
    auto repeat = [&](Value tensor) -> FailureOr<Value> {
      int64_t dim = cast<RankedTensorType>(tensor.getType()).getShape()[3];
      FailureOr<Value> expanded = unsqueeze(n, tensor, 2);
      if (failed(expanded))
        return failure();
      FailureOr<Value> tiled = n.createValue<g::TileOp>(
          {}, {*expanded, n.createI64Tensor({1, 1, repeats, 1, 1})});
      if (failed(tiled))
        return failure();
      return reshape(n, *tiled, {0, qHeads, -1, dim});
    };
    FailureOr<Value> keys = repeat(key), values = repeat(value);
    if (failed(keys) || failed(values))
      return failure();
    key = *keys;
    value = *values;
  }

  // scores = (q sqrt(scale)) @ (k sqrt(scale))^T, as ONNX's reference
  // scales both sides.
  Value rootScale;
  if (n.hasAttr("scale") || !ShapedType::isDynamic(headSize)) {
    float scale = n.hasAttr("scale")
                      ? n.getFloat("scale", 1.0f)
                      : 1.0f / std::sqrt(static_cast<float>(headSize));
    rootScale = n.createScalar(elementType, std::sqrt(scale));
  } else {
    // sqrt(1 / sqrt(d)) = 1 / sqrt(sqrt(d)), the head size d read at run
    // time.
    FailureOr<Value> size = n.createShape(*q, 3, 4);
    if (failed(size))
      return failure();
    FailureOr<Value> real = n.createValue<g::CastOp>(
        RankedTensorType::get({1}, elementType), {*size});
    if (failed(real))
      return failure();
    FailureOr<Value> root = n.createValue<g::SqrtOp>({}, {*real});
    if (failed(root))
      return failure();
    FailureOr<Value> fourthRoot = n.createValue<g::SqrtOp>({}, {*root});
    if (failed(fourthRoot))
      return failure();
    FailureOr<Value> reciprocal = n.createValue<g::DivOp>(
        {}, {n.createScalar(elementType, 1.0), *fourthRoot});
    if (failed(reciprocal))
      return failure();
    rootScale = *reciprocal;
  }
  FailureOr<Value> scaledQ = n.createValue<g::MulOp>({}, {*q, rootScale});
  FailureOr<Value> scaledK = n.createValue<g::MulOp>({}, {key, rootScale});
  if (failed(scaledQ) || failed(scaledK))
    return failure();
  FailureOr<Value> keyT = n.createValue<g::TransposeOp>(
      {}, {*scaledK},
      {n.namedAttr("perm", b.getDenseI64ArrayAttr({0, 1, 3, 2}))});
  if (failed(keyT))
    return failure();
  FailureOr<Value> scores = n.createValue<g::MatMulOp>({}, {*scaledQ, *keyT});
  if (failed(scores))
    return failure();
  if (float softcap = n.getFloat("softcap", 0.0f); softcap > 0.0f) {
    FailureOr<Value> divided = n.createValue<g::DivOp>(
        {}, {*scores, n.createScalar(elementType, softcap)});
    if (failed(divided))
      return failure();
    FailureOr<Value> squashed = n.createValue<g::TanhOp>({}, {*divided});
    if (failed(squashed))
      return failure();
    scores = n.createValue<g::MulOp>(
        {}, {*squashed, n.createScalar(elementType, softcap)});
    if (failed(scores))
      return failure();
  }
  Value qk = *scores;

  // The additive bias: attn_mask (bool as 0 / -inf), then the causal mask.
  ArrayRef<int64_t> scoreShape =
      cast<RankedTensorType>(scores->getType()).getShape();
  int64_t qLength = scoreShape[2], kvLength = scoreShape[3];
  // bias: attn_mask (bool as 0 / -inf) plus the causal mask.
  Value bias;
  auto addBias = [&](Value term) -> LogicalResult {
    if (!bias) {
      bias = term;
      return success();
    }
    FailureOr<Value> sum = n.createValue<g::AddOp>({}, {bias, term});
    if (failed(sum))
      return failure();
    bias = *sum;
    return success();
  };
  Value negInf =
      n.createScalar(elementType, -std::numeric_limits<double>::infinity());
  Value zero = n.createScalar(elementType, 0.0);
  Value mask = n.getInput(3);
  if (mask) {
    auto maskType = cast<RankedTensorType>(mask.getType());
    // Dynamic lengths are checked where the mask meets the scores.
    int64_t maskKeys = maskType.getShape().back();
    if (!ShapedType::isDynamic(maskKeys) && !ShapedType::isDynamic(kvLength) &&
        maskKeys != kvLength)
      return n.emitError() << "Attention attn_mask must cover all " << kvLength
                           << " keys, got " << maskType;
    if (maskType.getElementType().isInteger(1)) {
      FailureOr<Value> additive =
          n.createValue<g::WhereOp>({}, {mask, zero, negInf});
      if (failed(additive))
        return failure();
      mask = *additive;
    }
    if (failed(addBias(mask)))
      return failure();
  }
  bool causal = n.getInt("is_causal", 0) != 0;
  if (causal &&
      (ShapedType::isDynamic(qLength) || ShapedType::isDynamic(kvLength) ||
       ShapedType::isDynamic(pastLength))) {
    // Query i sees keys j <= i + past length, i and j counted at run time.
    FailureOr<Value> rows = n.createIota(*scores, 2);
    FailureOr<Value> cols = n.createIota(*scores, 3);
    if (failed(rows) || failed(cols))
      return failure();
    if (pastKey) {
      FailureOr<Value> past = n.createDim(pastKey, 2);
      if (failed(past))
        return failure();
      rows = n.createValue<g::AddOp>({}, {*rows, *past});
      if (failed(rows))
        return failure();
    }
    FailureOr<Value> rowColumn = unsqueeze(n, *rows, 1);
    FailureOr<Value> colRow = unsqueeze(n, *cols, 0);
    if (failed(rowColumn) || failed(colRow))
      return failure();
    FailureOr<Value> visible =
        n.createValue<g::LessOrEqualOp>({}, {*colRow, *rowColumn});
    if (failed(visible))
      return failure();
    FailureOr<Value> causalBias =
        n.createValue<g::WhereOp>({}, {*visible, zero, negInf});
    if (failed(causalBias) || failed(addBias(*causalBias)))
      return failure();
  } else if (causal) {
    if (!elementType.isF32())
      return n.emitError() << "causal Attention supports f32 only";
    // The mask is a constant of (q, kv) entries.
    if (int64_t entries;
        !checkedMul(qLength, kvLength, entries) || entries > (int64_t(1) << 24))
      return n.emitError() << "causal Attention of " << qLength
                           << " queries and " << kvLength
                           << " keys needs a mask too large to build";
    // Query i sees keys j <= i + past length.
    SmallVector<float> causal;
    for (int64_t i = 0; i < qLength; ++i)
      for (int64_t j = 0; j < kvLength; ++j)
        causal.push_back(j <= i + pastLength
                             ? 0.0f
                             : -std::numeric_limits<float>::infinity());
    if (failed(addBias(n.createConstant(DenseElementsAttr::get(
            RankedTensorType::get({qLength, kvLength}, elementType),
            ArrayRef<float>(causal))))))
      return failure();
  }
  Value biased = *scores;
  if (bias) {
    FailureOr<Value> added = n.createValue<g::AddOp>({}, {biased, bias});
    if (failed(added))
      return failure();
    biased = *added;
  }
  FailureOr<Value> probabilities = n.createValue<g::SoftmaxOp>(
      {}, {biased}, {n.namedAttr("axis", b.getI64IntegerAttr(-1))});
  if (failed(probabilities))
    return failure();
  if (mask) {
    // A row whose bias is -inf everywhere attends to nothing: 0, as ONNX's
    // reference has it (the softmax of such a row is NaN).
    FailureOr<Value> rowMax = n.createValue<g::ReduceMaxOp>(
        {}, {bias},
        {n.namedAttr("axes", b.getDenseI64ArrayAttr({-1})),
         n.namedAttr("keepdims", b.getBoolAttr(true))});
    if (failed(rowMax))
      return failure();
    FailureOr<Value> masked = n.createValue<g::EqualOp>({}, {*rowMax, negInf});
    if (failed(masked))
      return failure();
    probabilities =
        n.createValue<g::WhereOp>({}, {*masked, zero, *probabilities});
    if (failed(probabilities))
      return failure();
  }
  if (mode == 2)
    qk = biased;
  else if (mode == 3)
    qk = *probabilities;
  n.setOutput(3, qk);

  FailureOr<Value> y = n.createValue<g::MatMulOp>({}, {*probabilities, value});
  if (failed(y))
    return failure();
  if (rank == 3) {
    FailureOr<Value> merged = n.createValue<g::TransposeOp>(
        {}, {*y}, {n.namedAttr("perm", b.getDenseI64ArrayAttr({0, 2, 1, 3}))});
    if (failed(merged))
      return failure();
    y = reshape(n, *merged, {0, 0, -1});
    if (failed(y))
      return failure();
  }
  return n.createOutput<g::IdentityOp>({*y}, {}, y->getType());
}

} // namespace

void registerTransformerOps(OpTable &table) {
  table.add("RMSNormalization", {23}, importRMSNorm);
  table.add("RotaryEmbedding", {23}, importRotaryEmbedding);
  table.add("Attention", {23, 24}, importAttention);
}

} // namespace kiln::onnxfe
