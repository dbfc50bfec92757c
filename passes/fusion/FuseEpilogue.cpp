//===- FuseEpilogue.cpp - Elementwise kernels into convs, GEMMs -*- C++ -*-===//
//
// ew(conv(x, w), r) => conv(x, w) {epilogue ew(·, r)}
// ew(matmul(a, b), r) => matmul(a, b) {epilogue ew(·, r)}
//
// The elementwise kernel that reads a conv's or GEMM's result becomes the
// epilogue region of a `kernel.conv` or `kernel.matmul` that writes the
// elementwise kernel's output, and the intermediate kernel.alloc goes away.
// The fused op sits where the elementwise kernel was: its epilogue inputs
// and output keep their place in the program, and only the producer's reads
// (x, w and bias; a and b) move down.
//
//===----------------------------------------------------------------------===//

#include "passes/fusion/BufferAccess.h"
#include "passes/fusion/Passes.h"

#include "dialects/kernel/KernelOps.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_FUSEEPILOGUEPASS
#include "passes/fusion/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;
using namespace kiln::kernel;

namespace {

/// Whether `op` is a conv library call or a GEMM without epilogue that
/// writes `intermediate` alone and reads it not at all.
bool isFusableProducer(Operation *op, Value intermediate) {
  if (auto call = dyn_cast<LibraryCallOp>(op))
    return call.getCallee() == "conv" && call.getOutputs().size() == 1 &&
           call.getOutputs()[0] == intermediate &&
           !llvm::is_contained(call.getInputs(), intermediate);
  if (auto matmul = dyn_cast<MatmulOp>(op))
    return matmul.getEpilogue().empty() && matmul.getOut() == intermediate &&
           matmul.getA() != intermediate && matmul.getB() != intermediate &&
           matmul.getBeta().isZero() &&
           cast<MemRefType>(intermediate.getType()).getElementType().isF32();
  return false;
}

/// The conv or GEMM that writes `intermediate`, when every other use of it
/// is an input of `consumer`; null otherwise.
Operation *getSoleProducer(Value intermediate, ElementwiseOp consumer) {
  Operation *producer = nullptr;
  unsigned numInputs = consumer.getInputs().size();
  for (OpOperand &use : intermediate.getUses()) {
    Operation *owner = use.getOwner();
    if (owner == consumer.getOperation()) {
      if (use.getOperandNumber() >= numInputs)
        return {};
      continue;
    }
    if (producer || !isFusableProducer(owner, intermediate))
      return {};
    producer = owner;
  }
  return producer;
}

/// The buffers `producer` reads (other than the intermediate).
SmallVector<Value> getProducerReads(Operation *producer) {
  if (auto matmul = dyn_cast<MatmulOp>(producer))
    return {matmul.getA(), matmul.getB()};
  return llvm::to_vector(cast<LibraryCallOp>(producer).getInputs());
}

/// `producer` rebuilt at the rewriter's insertion point, writing `out` and
/// reading `epilogueInputs` in an empty epilogue region.
Operation *createFusedOp(PatternRewriter &rewriter, Location loc,
                         Operation *producer, Value out,
                         ValueRange epilogueInputs) {
  if (auto matmul = dyn_cast<MatmulOp>(producer))
    return MatmulOp::create(rewriter, loc, matmul.getA(), matmul.getB(), out,
                            epilogueInputs, matmul.getAlphaAttr(),
                            matmul.getBetaAttr(), matmul.getTransAAttr(),
                            matmul.getTransBAttr());
  auto conv = cast<LibraryCallOp>(producer);
  ValueRange convInputs = conv.getInputs();
  Value bias = convInputs.size() > 2 ? convInputs[2] : Value();
  return ConvOp::create(rewriter, loc, convInputs[0], convInputs[1], bias, out,
                        epilogueInputs,
                        conv->getAttrOfType<DenseI64ArrayAttr>("strides"),
                        conv->getAttrOfType<DenseI64ArrayAttr>("pads"),
                        conv->getAttrOfType<DenseI64ArrayAttr>("dilations"),
                        conv->getAttrOfType<IntegerAttr>("group"));
}

// ew(conv(x, w), r) => conv(x, w) {epilogue ew(·, r)}
// ew(matmul(a, b), r) => matmul(a, b) {epilogue ew(·, r)}
struct FuseElementwiseIntoProducer : public OpRewritePattern<ElementwiseOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ElementwiseOp consumer,
                                PatternRewriter &rewriter) const override {
    if (consumer.getOutputs().size() != 1 ||
        !cast<MemRefType>(consumer.getOutputs()[0].getType())
             .getElementType()
             .isF32())
      return rewriter.notifyMatchFailure(consumer, "not a single f32 output");
    for (Value input : consumer.getInputs())
      if (succeeded(fuse(input, consumer, rewriter)))
        return success();
    return rewriter.notifyMatchFailure(consumer,
                                       "no conv or GEMM result to fuse");
  }

private:
  LogicalResult fuse(Value intermediate, ElementwiseOp consumer,
                     PatternRewriter &rewriter) const {
    auto alloc = intermediate.getDefiningOp<AllocOp>();
    if (!alloc)
      return rewriter.notifyMatchFailure(consumer,
                                         "input is not an intermediate buffer");
    Operation *producer = getSoleProducer(intermediate, consumer);
    if (!producer)
      return rewriter.notifyMatchFailure(
          consumer, "intermediate is not a conv or GEMM result read only here");
    if (producer->getNumRegions() == 0 &&
        !cast<LibraryCallOp>(producer).getSizes().empty())
      return rewriter.notifyMatchFailure(producer, "has dynamic pads");
    if (producer->getBlock() != consumer->getBlock() ||
        !producer->isBeforeInBlock(consumer))
      return rewriter.notifyMatchFailure(consumer,
                                         "producer is not before in the block");
    Value out = consumer.getOutputs()[0];
    if (!haveSameShape(intermediate, out))
      return rewriter.notifyMatchFailure(
          consumer, "producer result is broadcast or of another shape");

    // The producer's reads move down to the elementwise kernel's place.
    llvm::DenseSet<Value> reads;
    for (Value input : getProducerReads(producer))
      reads.insert(getRootBuffer(input));
    Value outRoot = getRootBuffer(out);
    if (reads.contains(outRoot))
      return rewriter.notifyMatchFailure(
          consumer, "output is a buffer the producer reads");
    for (Operation *op = producer->getNextNode(); op != consumer;
         op = op->getNextNode())
      if (mayWriteAny(op, reads))
        return rewriter.notifyMatchFailure(
            op, "writes a buffer the producer reads");

    // The producer writes the output before the epilogue reads its inputs.
    SmallVector<Value> epilogueInputs;
    for (Value input : consumer.getInputs()) {
      if (input == intermediate || llvm::is_contained(epilogueInputs, input))
        continue;
      if (getRootBuffer(input) == outRoot)
        return rewriter.notifyMatchFailure(
            consumer, "an epilogue input is the output's buffer");
      epilogueInputs.push_back(input);
    }

    Block &consumerBody = consumer.getBody().front();
    SmallVector<Type> argTypes{rewriter.getF32Type()};
    for (Value input : epilogueInputs)
      for (auto [operand, arg] :
           llvm::zip(consumer.getInputs(), consumerBody.getArguments()))
        if (operand == input) {
          argTypes.push_back(arg.getType());
          break;
        }

    // The producer's location first: codegen names the kernel, its profile
    // site and its errors after the conv or GEMM.
    Location loc =
        rewriter.getFusedLoc({producer->getLoc(), consumer.getLoc()});
    rewriter.setInsertionPoint(consumer);
    Operation *fused =
        createFusedOp(rewriter, loc, producer, out, epilogueInputs);
    Block *body =
        rewriter.createBlock(&fused->getRegion(0), {}, argTypes,
                             SmallVector<Location>(argTypes.size(), loc));
    IRMapping mapping;
    for (auto [operand, arg] :
         llvm::zip(consumer.getInputs(), consumerBody.getArguments())) {
      if (operand == intermediate) {
        mapping.map(arg, body->getArgument(0));
        continue;
      }
      unsigned index =
          llvm::find(epilogueInputs, operand) - epilogueInputs.begin();
      mapping.map(arg, body->getArgument(index + 1));
    }
    for (Operation &op : consumerBody)
      rewriter.clone(op, mapping);

    rewriter.eraseOp(consumer);
    rewriter.eraseOp(producer);
    rewriter.eraseOp(alloc);
    return success();
  }
};

struct FuseEpiloguePass
    : public kiln::impl::FuseEpiloguePassBase<FuseEpiloguePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseElementwiseIntoProducer>(&getContext());
    GreedyRewriteConfig config;
    config.enableFolding(false);
    config.setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      signalPassFailure();
  }
};

} // namespace
