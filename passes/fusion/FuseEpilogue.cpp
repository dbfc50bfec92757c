//===- FuseEpilogue.cpp - Fuse elementwise kernels into convs ---*- C++ -*-===//
//
// ew(conv(x, w), r) => conv(x, w) {epilogue ew(·, r)}
//
// The elementwise kernel that reads a conv's result becomes the epilogue
// region of a `kernel.conv` that writes the elementwise kernel's output, and
// the intermediate kernel.alloc goes away. The fused conv sits where the
// elementwise kernel was: its epilogue inputs and output keep their place in
// the program, and only the conv's reads of x, w and bias move down.
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

/// Whether every operand of `op` that is a buffer has a static shape.
bool hasStaticBuffers(Operation *op) {
  return llvm::all_of(op->getOperandTypes(), [](Type type) {
    auto memref = dyn_cast<MemRefType>(type);
    return !memref || memref.hasStaticShape();
  });
}

/// The conv library call that writes `intermediate`, when every other use
/// of it is an input of `consumer`; null otherwise.
LibraryCallOp getSoleConv(Value intermediate, ElementwiseOp consumer) {
  LibraryCallOp producer;
  unsigned numInputs = consumer.getInputs().size();
  for (OpOperand &use : intermediate.getUses()) {
    Operation *owner = use.getOwner();
    if (owner == consumer.getOperation()) {
      if (use.getOperandNumber() >= numInputs)
        return {};
      continue;
    }
    auto call = dyn_cast<LibraryCallOp>(owner);
    if (!call || producer || call.getCallee() != "conv" ||
        call.getOutputs().size() != 1 ||
        call.getOutputs()[0] != intermediate ||
        llvm::is_contained(call.getInputs(), intermediate))
      return {};
    producer = call;
  }
  return producer;
}

// ew(conv(x, w), r) => conv(x, w) {epilogue ew(·, r)}
struct FuseElementwiseIntoConv : public OpRewritePattern<ElementwiseOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ElementwiseOp consumer,
                                PatternRewriter &rewriter) const override {
    if (consumer.getOutputs().size() != 1 ||
        !cast<MemRefType>(consumer.getOutputs()[0].getType())
             .getElementType()
             .isF32())
      return rewriter.notifyMatchFailure(consumer,
                                         "not a single f32 output");
    if (!hasStaticBuffers(consumer))
      return rewriter.notifyMatchFailure(consumer, "has dynamic shapes");
    for (Value input : consumer.getInputs())
      if (succeeded(fuse(input, consumer, rewriter)))
        return success();
    return rewriter.notifyMatchFailure(consumer, "no conv result to fuse");
  }

private:
  LogicalResult fuse(Value intermediate, ElementwiseOp consumer,
                     PatternRewriter &rewriter) const {
    auto alloc = intermediate.getDefiningOp<AllocOp>();
    if (!alloc)
      return rewriter.notifyMatchFailure(consumer,
                                         "input is not an intermediate buffer");
    LibraryCallOp conv = getSoleConv(intermediate, consumer);
    if (!conv)
      return rewriter.notifyMatchFailure(
          consumer, "intermediate is not a conv result read only here");
    if (!conv.getSizes().empty() || !hasStaticBuffers(conv))
      return rewriter.notifyMatchFailure(conv, "has dynamic shapes or pads");
    if (conv->getBlock() != consumer->getBlock() ||
        !conv->isBeforeInBlock(consumer))
      return rewriter.notifyMatchFailure(consumer,
                                         "conv is not before in the block");
    Value out = consumer.getOutputs()[0];
    if (!haveSameShape(intermediate, out))
      return rewriter.notifyMatchFailure(
          consumer, "conv result is broadcast or of another shape");

    // The conv's reads move down to the elementwise kernel's place.
    llvm::DenseSet<Value> reads;
    for (Value input : conv.getInputs())
      reads.insert(getRootBuffer(input));
    Value outRoot = getRootBuffer(out);
    if (reads.contains(outRoot))
      return rewriter.notifyMatchFailure(
          consumer, "output is a buffer the conv reads");
    for (Operation *op = conv->getNextNode(); op != consumer;
         op = op->getNextNode())
      if (mayWriteAny(op, reads))
        return rewriter.notifyMatchFailure(op,
                                           "writes a buffer the conv reads");

    // The conv writes the output before the epilogue reads its inputs.
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

    // The elementwise kernel's location first: codegen names the kernel
    // after the op whose result it writes.
    Location loc = rewriter.getFusedLoc({consumer.getLoc(), conv.getLoc()});
    rewriter.setInsertionPoint(consumer);
    ValueRange convInputs = conv.getInputs();
    Value bias = convInputs.size() > 2 ? convInputs[2] : Value();
    auto fused = ConvOp::create(
        rewriter, loc, convInputs[0], convInputs[1], bias, out,
        epilogueInputs, conv->getAttrOfType<DenseI64ArrayAttr>("strides"),
        conv->getAttrOfType<DenseI64ArrayAttr>("pads"),
        conv->getAttrOfType<DenseI64ArrayAttr>("dilations"),
        conv->getAttrOfType<IntegerAttr>("group"));
    Block *body =
        rewriter.createBlock(&fused.getEpilogue(), {}, argTypes,
                             SmallVector<Location>(argTypes.size(), loc));
    IRMapping mapping;
    for (auto [operand, arg] :
         llvm::zip(consumer.getInputs(), consumerBody.getArguments())) {
      if (operand == intermediate) {
        mapping.map(arg, body->getArgument(0));
        continue;
      }
      unsigned index = llvm::find(epilogueInputs, operand) -
                       epilogueInputs.begin();
      mapping.map(arg, body->getArgument(index + 1));
    }
    for (Operation &op : consumerBody)
      rewriter.clone(op, mapping);

    rewriter.eraseOp(consumer);
    rewriter.eraseOp(conv);
    rewriter.eraseOp(alloc);
    return success();
  }
};

struct FuseEpiloguePass
    : public kiln::impl::FuseEpiloguePassBase<FuseEpiloguePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseElementwiseIntoConv>(&getContext());
    GreedyRewriteConfig config;
    config.enableFolding(false);
    config.setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      signalPassFailure();
  }
};

} // namespace
