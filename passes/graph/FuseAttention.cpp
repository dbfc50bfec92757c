//===- FuseAttention.cpp - Recognize scaled dot-product attention ---------===//
//
// matmul(softmax(matmul(q · a, kᵀ · b) · c + mask), v)
//   => attention(q, k, v, mask) {scale = a · b · c}
//
// The forms exported models give: scales as mul or div by a one-element
// constant on q, on kᵀ or on the scores (before the mask); the mask an
// additive tensor that broadcasts to the scores (causal masks included: a
// where or a trilu built it); the softmax guarded by
// where(is_nan(p), 0, p), or by where(reduce_max(mask) == -inf, 0, p) as
// the ONNX importer writes Attention; kᵀ a transpose of the last two dims
// of k, or the reshape / transpose / reshape that folds the batch dims
// around it, or else any tensor, transposed by a graph.transpose the
// pattern adds.
//
//===----------------------------------------------------------------------===//

#include "passes/graph/Passes.h"

#include "dialects/graph/GraphOps.h"
#include "dialects/graph/GraphUtils.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <algorithm>
#include <cmath>

namespace kiln {
#define GEN_PASS_DEF_FUSEATTENTIONPASS
#include "passes/graph/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

ArrayRef<int64_t> shapeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

/// The value of a one-element float constant.
std::optional<double> getScalarConstant(Value value) {
  auto dense =
      dyn_cast_or_null<DenseElementsAttr>(graph::getConstantElements(value));
  if (!dense || dense.getNumElements() != 1 ||
      !isa<FloatType>(dense.getElementType()))
    return std::nullopt;
  return (*dense.getValues<APFloat>().begin()).convertToDouble();
}

/// x = y * c, c * y or y / c with c a one-element constant that does not
/// change y's shape: returns y and multiplies `scale` by c (or 1 / c).
std::optional<Value> peelScale(Value x, double &scale) {
  Operation *op = x.getDefiningOp();
  if (!op || !isa<graph::MulOp, graph::DivOp>(op))
    return std::nullopt;
  bool isDiv = isa<graph::DivOp>(op);
  for (unsigned i = 0; i < (isDiv ? 1u : 2u); ++i) {
    Value y = op->getOperand(i), c = op->getOperand(1 - i);
    std::optional<double> value = getScalarConstant(c);
    if (!value || y.getType() != x.getType())
      continue;
    if (isDiv && *value == 0.0)
      return std::nullopt;
    scale *= isDiv ? 1.0 / *value : *value;
    return y;
  }
  return std::nullopt;
}

/// Strips every scale off `x` (its ops may have other users: the scales
/// are folded into the attention's, the ops stay for those users).
Value peelScales(Value x, double &scale) {
  while (std::optional<Value> y = peelScale(x, scale))
    x = *y;
  return x;
}

/// Whether `perm` swaps the last two dims and keeps the others.
bool swapsLastTwo(ArrayRef<int64_t> perm) {
  int64_t rank = perm.size();
  if (rank < 2)
    return false;
  for (int64_t i = 0; i < rank - 2; ++i)
    if (perm[i] != i)
      return false;
  return perm[rank - 2] == rank - 1 && perm[rank - 1] == rank - 2;
}

/// One entry of a shape tensor: the constant `size`, or dim `dim` of
/// `source`'s shape.
struct ShapeEntry {
  Value source;
  int64_t dim = 0;
  int64_t size = 0;
};

/// The entries of a 1-d i64 shape tensor built from constants, graph.shape,
/// graph.slice of one axis with constant bounds and step 1, and concat.
std::optional<SmallVector<ShapeEntry>> getShapeEntries(Value value) {
  if (std::optional<SmallVector<int64_t>> sizes =
          graph::getConstantIntValues(value)) {
    SmallVector<ShapeEntry> entries;
    for (int64_t size : *sizes)
      entries.push_back({Value(), 0, size});
    return entries;
  }
  Operation *op = value.getDefiningOp();
  if (auto shape = dyn_cast_or_null<graph::ShapeOp>(op)) {
    int64_t rank = shapeOf(shape.getInput()).size();
    int64_t start = shape.getStart(), end = shape.getEnd().value_or(rank);
    start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
    end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
    SmallVector<ShapeEntry> entries;
    for (int64_t d = start; d < end; ++d)
      entries.push_back({shape.getInput(), d, 0});
    return entries;
  }
  if (auto concat = dyn_cast_or_null<graph::ConcatOp>(op)) {
    SmallVector<ShapeEntry> entries;
    for (Value input : concat.getInputs()) {
      std::optional<SmallVector<ShapeEntry>> part = getShapeEntries(input);
      if (!part)
        return std::nullopt;
      entries.append(*part);
    }
    return entries;
  }
  auto slice = dyn_cast_or_null<graph::SliceOp>(op);
  if (!slice || shapeOf(slice.getInput()).size() != 1)
    return std::nullopt;
  std::optional<SmallVector<int64_t>> starts =
      graph::getConstantIntValues(slice.getStarts());
  std::optional<SmallVector<int64_t>> ends =
      graph::getConstantIntValues(slice.getEnds());
  std::optional<SmallVector<int64_t>> steps =
      slice.getSteps() ? graph::getConstantIntValues(slice.getSteps())
                       : SmallVector<int64_t>{1};
  std::optional<SmallVector<int64_t>> axes =
      slice.getAxes() ? graph::getConstantIntValues(slice.getAxes())
                      : SmallVector<int64_t>{0};
  std::optional<SmallVector<ShapeEntry>> input =
      getShapeEntries(slice.getInput());
  if (!starts || !ends || !steps || !axes || !input || starts->size() != 1 ||
      ends->size() != 1 || *steps != ArrayRef<int64_t>{1} ||
      (*axes != ArrayRef<int64_t>{0} && *axes != ArrayRef<int64_t>{-1}))
    return std::nullopt;
  int64_t length = input->size();
  auto clampIndex = [&](int64_t i) {
    return std::clamp<int64_t>(i < 0 ? i + length : i, 0, length);
  };
  int64_t begin = clampIndex((*starts)[0]), end = clampIndex((*ends)[0]);
  if (begin >= end)
    return SmallVector<ShapeEntry>();
  return SmallVector<ShapeEntry>(input->begin() + begin, input->begin() + end);
}

/// Whether `entry` is the size of dim `dim` of `value`.
bool isDimOf(const ShapeEntry &entry, Value value, int64_t dim) {
  if (entry.source)
    return entry.source == value && entry.dim == dim;
  int64_t size = shapeOf(value)[dim];
  return entry.size > 0 && !ShapedType::isDynamic(size) && entry.size == size;
}

/// Whether the sizes of `reshaped` (the result of a reshape to `shape`)
/// at positions `at` are the dims `dims` of `value`: by their static types,
/// or by the shape tensor.
bool reshapeKeepsDims(Value reshaped, Value shape, Value value,
                      ArrayRef<int64_t> at, ArrayRef<int64_t> dims) {
  ArrayRef<int64_t> sizes = shapeOf(reshaped), valueSizes = shapeOf(value);
  if (llvm::all_of(llvm::zip(at, dims), [&](auto pair) {
        auto [i, d] = pair;
        return !ShapedType::isDynamic(sizes[i]) && sizes[i] == valueSizes[d];
      }))
    return true;
  std::optional<SmallVector<ShapeEntry>> entries = getShapeEntries(shape);
  if (!entries || entries->size() != sizes.size())
    return false;
  return llvm::all_of(llvm::zip(at, dims), [&](auto pair) {
    auto [i, d] = pair;
    return isDimOf((*entries)[i], value, d);
  });
}

/// k (B..., S_k, D) of kᵀ (B..., D, S_k) when kᵀ is a transpose of it:
/// transpose(k), or reshape(transpose(reshape(k))) where the inner reshape
/// keeps (S_k, D) and the outer one gives (B..., D, S_k) of k's dims.
Value getTransposeSource(Value kT) {
  if (auto transpose = kT.getDefiningOp<graph::TransposeOp>())
    return swapsLastTwo(transpose.getPerm()) ? transpose.getInput() : Value();
  auto outer = kT.getDefiningOp<graph::ReshapeOp>();
  if (!outer)
    return {};
  auto transpose = outer.getInput().getDefiningOp<graph::TransposeOp>();
  if (!transpose || !swapsLastTwo(transpose.getPerm()))
    return {};
  auto inner = transpose.getInput().getDefiningOp<graph::ReshapeOp>();
  if (!inner)
    return {};
  Value k = inner.getInput();
  int64_t rank = shapeOf(k).size();
  int64_t midRank = shapeOf(inner.getOutput()).size();
  if (rank < 2 || midRank < 2 ||
      static_cast<int64_t>(shapeOf(kT).size()) != rank)
    return {};
  if (!reshapeKeepsDims(inner.getOutput(), inner.getShape(), k,
                        {midRank - 2, midRank - 1}, {rank - 2, rank - 1}))
    return {};
  // kᵀ's dims are k's, the last two swapped.
  SmallVector<int64_t> at = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  SmallVector<int64_t> dims(at);
  std::swap(dims[rank - 2], dims[rank - 1]);
  if (!reshapeKeepsDims(kT, outer.getShape(), k, at, dims))
    return {};
  return k;
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

// matmul(softmax(matmul(q · a, kᵀ · b) · c + mask), v)
//   => attention(q, k, v, mask) {scale = a · b · c}
struct FuseAttentionPattern : OpRewritePattern<graph::MatMulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(graph::MatMulOp op,
                                PatternRewriter &rewriter) const override {
    auto type = op.getOutput().getType();
    if (!type.getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "not f32");
    int64_t rank = type.getRank();
    Value v = op.getRhs();
    if (rank < 2 || cast<RankedTensorType>(v.getType()).getRank() != rank)
      return rewriter.notifyMatchFailure(op, "v is not (B..., S_k, D_v)");

    // p, where(is_nan(p), 0, p) or where(max(mask) == -inf, 0, p).
    Value probs = op.getLhs();
    Value p = probs, guardMask;
    if (auto guard = probs.getDefiningOp<graph::WhereOp>()) {
      std::optional<double> zero = getScalarConstant(guard.getX());
      if (!zero || *zero != 0.0 || guard.getType() != guard.getY().getType() ||
          !guard->hasOneUse())
        return rewriter.notifyMatchFailure(op, "lhs is no guarded softmax");
      p = guard.getY();
      Value condition = guard.getCondition();
      auto isNan = condition.getDefiningOp<graph::IsNaNOp>();
      if (!isNan) {
        guardMask = getFullyMaskedRows(condition);
        if (!guardMask)
          return rewriter.notifyMatchFailure(op, "lhs is no guarded softmax");
      } else if (isNan.getInput() != p || !isNan->hasOneUse()) {
        return rewriter.notifyMatchFailure(op, "lhs is no guarded softmax");
      }
    }
    auto softmax = p.getDefiningOp<graph::SoftmaxOp>();
    if (!softmax)
      return rewriter.notifyMatchFailure(op, "lhs is no softmax");
    int64_t axis = static_cast<int64_t>(softmax.getAxis());
    if (axis != -1 && axis != rank - 1)
      return rewriter.notifyMatchFailure(op, "softmax is not over the keys");
    // An is_nan guard reads p too.
    unsigned softmaxUses = p == probs || guardMask ? 1 : 2;
    if (!llvm::hasNItems(softmax->getUses(), softmaxUses))
      return rewriter.notifyMatchFailure(op, "softmax has other users");

    // The scores: scales and at most one additive mask, each used once.
    double scale = 1.0;
    Value scores = softmax.getInput(), mask;
    bool scaled = false;
    while (true) {
      if (!scores.hasOneUse())
        return rewriter.notifyMatchFailure(op, "scores have other users");
      if (std::optional<Value> inner = peelScale(scores, scale)) {
        scores = *inner;
        scaled = true;
        continue;
      }
      auto add = scores.getDefiningOp<graph::AddOp>();
      if (!add || mask)
        break;
      // (s + mask) · c would scale the mask too.
      if (scaled)
        return rewriter.notifyMatchFailure(op, "a scale follows the mask");
      // The scores are the operand of the add's shape that a matmul made.
      Value lhs = add.getLhs(), rhs = add.getRhs();
      bool lhsIsScores = lhs.getType() == add.getType() &&
                         isScoresPath(lhs);
      Value other = lhsIsScores ? rhs : lhs;
      Value self = lhsIsScores ? lhs : rhs;
      if (self.getType() != add.getType() || !isScoresPath(self))
        break;
      mask = other;
      scores = self;
    }
    // ONNX Attention's guard zeroes the rows this very mask hides.
    if (guardMask && guardMask != mask)
      return rewriter.notifyMatchFailure(op, "the guard reads another mask");
    auto qk = scores.getDefiningOp<graph::MatMulOp>();
    if (!qk)
      return rewriter.notifyMatchFailure(op, "softmax input is no q kᵀ");

    Value q = peelScales(qk.getLhs(), scale);
    Value kT = peelScales(qk.getRhs(), scale);
    auto qType = cast<RankedTensorType>(q.getType());
    auto kTType = cast<RankedTensorType>(kT.getType());
    if (qType.getRank() != rank || kTType.getRank() != rank ||
        !qType.getElementType().isF32() || !kTType.getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "q or kᵀ is not (B..., S, D)");
    // k from kᵀ: its source when kᵀ transposes one (scales inside the
    // transpose peeled too), else a new transpose.
    Value kSource = getTransposeSource(kT);
    if (kSource)
      kSource = peelScales(kSource, scale);
    ArrayRef<int64_t> qShape = qType.getShape(), kTShape = kTType.getShape();
    SmallVector<int64_t> kShape(kSource ? shapeOf(kSource) : kTShape);
    if (!kSource)
      std::swap(kShape[rank - 2], kShape[rank - 1]);
    ArrayRef<int64_t> vShape = shapeOf(v);
    // One set of batch dims: no broadcast between q, k and v. A dynamic
    // dim is dynamic in all three, and the kernel checks that they agree.
    if (qShape.drop_back(2) != ArrayRef<int64_t>(kShape).drop_back(2) ||
        qShape.drop_back(2) != vShape.drop_back(2))
      return rewriter.notifyMatchFailure(op, "batch dims of q, k, v differ");
    if (mask) {
      auto maskType = cast<RankedTensorType>(mask.getType());
      ArrayRef<int64_t> scoresShape = shapeOf(scores);
      FailureOr<SmallVector<int64_t>> joined =
          graph::broadcastShapes(maskType.getShape(), scoresShape);
      if (!maskType.getElementType().isF32() || maskType.getRank() > rank ||
          failed(joined) || ArrayRef<int64_t>(*joined) != scoresShape)
        return rewriter.notifyMatchFailure(op, "mask is no f32 tensor that "
                                               "broadcasts to the scores");
    }

    Value k = kSource;
    if (!k) {
      SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, rank));
      std::swap(perm[rank - 2], perm[rank - 1]);
      k = graph::TransposeOp::create(
          rewriter, op.getLoc(),
          RankedTensorType::get(kShape, kTType.getElementType()), kT, perm);
    }
    rewriter.replaceOpWithNewOp<graph::AttentionOp>(
        op, type, q, k, v, mask,
        rewriter.getF32FloatAttr(static_cast<float>(scale)));
    return success();
  }

private:
  /// The mask of equal(reduce_max(mask, [-1]), -inf): the rows the mask
  /// hides entirely, as the ONNX importer zeroes them; null otherwise.
  static Value getFullyMaskedRows(Value condition) {
    auto equal = condition.getDefiningOp<graph::EqualOp>();
    if (!equal || !equal->hasOneUse())
      return {};
    for (unsigned i = 0; i < 2; ++i) {
      auto rowMax = equal->getOperand(i).getDefiningOp<graph::ReduceMaxOp>();
      std::optional<double> limit = getScalarConstant(equal->getOperand(1 - i));
      if (!rowMax || !limit || *limit != -INFINITY || !rowMax.getKeepdims() ||
          !rowMax.getAxes() || rowMax.getAxes()->size() != 1)
        continue;
      int64_t rank = shapeOf(rowMax.getInput()).size();
      int64_t axis = (*rowMax.getAxes())[0];
      if (axis == -1 || axis == rank - 1)
        return rowMax.getInput();
    }
    return {};
  }

  /// Whether `value` is the q kᵀ matmul, possibly scaled: the operand of
  /// the mask's add that is not the mask.
  static bool isScoresPath(Value value) {
    double ignored = 1.0;
    while (std::optional<Value> inner = peelScale(value, ignored))
      value = *inner;
    return static_cast<bool>(value.getDefiningOp<graph::MatMulOp>());
  }
};

} // namespace

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

void populateFuseAttentionPatterns(RewritePatternSet &patterns) {
  patterns.add<FuseAttentionPattern>(patterns.getContext());
}

namespace {

struct FuseAttentionPass : impl::FuseAttentionPassBase<FuseAttentionPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFuseAttentionPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace kiln
