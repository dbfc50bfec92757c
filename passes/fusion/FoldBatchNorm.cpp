//===- FoldBatchNorm.cpp - Fold batch normalization into convs --*- C++ -*-===//
//
// batch_norm(conv(x, W, b), scale, B, mean, var)
//     => conv(x, W * s[oc], (b - mean) * s + B),  s = scale / sqrt(var + eps)
//
// An inference batch normalization is an affine map per output channel, and
// a convolution is linear in its weight and bias: scaling output channel oc
// of W and shifting the bias computes both in one op. Weight and bias must
// be constants; the folded ones are new dense_resource blobs, the weights of
// the compiled model.
//
//===----------------------------------------------------------------------===//

#include "passes/fusion/Passes.h"

#include "dialects/graph/GraphOps.h"
#include "dialects/graph/GraphUtils.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace kiln {
#define GEN_PASS_DEF_FOLDBATCHNORMPASS
#include "passes/fusion/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

namespace {

/// The elements of an f32 constant (dense or dense_resource), or
/// std::nullopt when `value` is not one or its data cannot be read.
std::optional<SmallVector<float>> getFloatValues(Value value) {
  ElementsAttr elements = graph::getConstantElements(value);
  if (!elements || !elements.getElementType().isF32())
    return std::nullopt;
  if (auto dense = dyn_cast<DenseElementsAttr>(elements)) {
    auto values = dense.getValues<float>();
    return SmallVector<float>(values.begin(), values.end());
  }
  auto resource = dyn_cast<DenseF32ResourceElementsAttr>(elements);
  if (!resource)
    return std::nullopt;
  std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef();
  if (!data)
    return std::nullopt;
  return SmallVector<float>(data->begin(), data->end());
}

/// Whether `value` is a tensor of shape (channels).
bool isPerChannel(Value value, int64_t channels) {
  auto type = cast<RankedTensorType>(value.getType());
  return type.getRank() == 1 && type.getDimSize(0) == channels;
}

/// The resource name a folded weight takes after `value`'s constant.
std::string getFoldedName(Value value, StringRef suffix) {
  std::string base = "conv";
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(
          graph::getConstantElements(value)))
    base = resource.getRawHandle().getKey().str();
  return base + suffix.str();
}

/// A graph.constant holding `values` as a new dense_resource blob.
Value createWeight(PatternRewriter &rewriter, Location loc,
                   RankedTensorType type, StringRef name,
                   ArrayRef<float> values) {
  ArrayRef<char> bytes(reinterpret_cast<const char *>(values.data()),
                       values.size() * sizeof(float));
  AsmResourceBlob blob =
      HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, alignof(float));
  auto attr = DenseResourceElementsAttr::get(type, name, std::move(blob));
  return graph::ConstantOp::create(rewriter, loc, type, attr);
}

// batch_norm(conv(x, W, b), scale, B, mean, var)
//     => conv(x, W * s[oc], (b - mean) * s + B)
struct FoldBatchNormIntoConv : public OpRewritePattern<graph::BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(graph::BatchNormOp norm,
                                PatternRewriter &rewriter) const override {
    auto conv = norm.getInput().getDefiningOp<graph::ConvOp>();
    if (!conv)
      return rewriter.notifyMatchFailure(norm, "input is not a conv");
    if (!conv.getOutput().hasOneUse())
      return rewriter.notifyMatchFailure(norm, "conv has another reader");

    // W is (M, C / group, k1, ..., kn), every other operand (M).
    auto weightType = cast<RankedTensorType>(conv.getWeight().getType());
    if (!weightType.hasStaticShape() || weightType.getRank() < 1)
      return rewriter.notifyMatchFailure(norm, "conv weight is not static");
    int64_t channels = weightType.getDimSize(0);
    Value bias = conv.getBias();
    SmallVector<Value> perChannel = {norm.getScale(), norm.getBias(),
                                     norm.getMean(), norm.getVar()};
    if (bias)
      perChannel.push_back(bias);
    if (!llvm::all_of(perChannel,
                      [&](Value v) { return isPerChannel(v, channels); }))
      return rewriter.notifyMatchFailure(
          norm, "operands are not one value per output channel");

    std::optional<SmallVector<float>> weight = getFloatValues(conv.getWeight());
    std::optional<SmallVector<float>> scale = getFloatValues(norm.getScale());
    std::optional<SmallVector<float>> shift = getFloatValues(norm.getBias());
    std::optional<SmallVector<float>> mean = getFloatValues(norm.getMean());
    std::optional<SmallVector<float>> var = getFloatValues(norm.getVar());
    std::optional<SmallVector<float>> oldBias =
        bias ? getFloatValues(bias) : SmallVector<float>(channels, 0.0f);
    if (!weight || !scale || !shift || !mean || !var || !oldBias)
      return rewriter.notifyMatchFailure(norm,
                                         "operands are not f32 constants");

    double epsilon = norm.getEpsilon().convertToDouble();
    int64_t perOutput = weight->size() / channels;
    SmallVector<float> newWeight(weight->size());
    SmallVector<float> newBias(channels);
    for (int64_t oc = 0; oc < channels; ++oc) {
      double s = (*scale)[oc] / std::sqrt(double((*var)[oc]) + epsilon);
      for (int64_t i = oc * perOutput, e = i + perOutput; i < e; ++i)
        newWeight[i] = static_cast<float>((*weight)[i] * s);
      newBias[oc] = static_cast<float>(
          (double((*oldBias)[oc]) - (*mean)[oc]) * s + (*shift)[oc]);
    }

    rewriter.setInsertionPoint(conv);
    Value foldedWeight =
        createWeight(rewriter, conv.getLoc(), weightType,
                     getFoldedName(conv.getWeight(), ".bn_folded"), newWeight);
    Value foldedBias = createWeight(
        rewriter, conv.getLoc(),
        RankedTensorType::get({channels}, weightType.getElementType()),
        getFoldedName(conv.getWeight(), ".bn_folded_bias"), newBias);
    auto folded = graph::ConvOp::create(
        rewriter, rewriter.getFusedLoc({conv.getLoc(), norm.getLoc()}),
        norm.getOutput().getType(), conv.getInput(), foldedWeight, foldedBias,
        conv.getKernelShapeAttr(), conv.getStridesAttr(), conv.getPadsAttr(),
        conv.getDilationsAttr(), conv.getGroupAttr(), conv.getAutoPadAttr());
    rewriter.replaceOp(norm, folded.getOutput());
    rewriter.eraseOp(conv);
    return success();
  }
};

struct FoldBatchNormPass
    : public kiln::impl::FoldBatchNormPassBase<FoldBatchNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldBatchNormIntoConv>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
