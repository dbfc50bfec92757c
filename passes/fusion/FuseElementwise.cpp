//===- FuseElementwise.cpp - Fuse chains of elementwise kernels -*- C++ -*-===//
//
// ew2(ew1(a, b), c) => ew(a, b, c)
//
// The producer's region is inlined into the consumer's and the intermediate
// kernel.alloc removed, when the consumer is the only reader of that buffer
// and reads it at the producer's own indices (both iterate over one shape).
// Applied to a fixed point, a chain of N elementwise kernels becomes one
// kernel and one pass over memory.
//
//===----------------------------------------------------------------------===//

#include "passes/fusion/BufferAccess.h"
#include "passes/fusion/Passes.h"

#include "dialects/kernel/KernelOps.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/DenseSet.h"

namespace kiln {
#define GEN_PASS_DEF_FUSEELEMENTWISEPASS
#include "passes/fusion/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;
using namespace kiln::kernel;

namespace {

/// The single-output elementwise kernel that writes `intermediate`, when
/// every other use of it is an input of `consumer`; null otherwise.
ElementwiseOp getSoleProducer(Value intermediate, ElementwiseOp consumer) {
  ElementwiseOp producer;
  unsigned numInputs = consumer.getInputs().size();
  for (OpOperand &use : intermediate.getUses()) {
    Operation *owner = use.getOwner();
    if (owner == consumer.getOperation()) {
      if (use.getOperandNumber() >= numInputs)
        return {};
      continue;
    }
    auto writer = dyn_cast<ElementwiseOp>(owner);
    if (!writer || producer || writer.getOutputs().size() != 1 ||
        writer.getOutputs()[0] != intermediate ||
        llvm::is_contained(writer.getInputs(), intermediate))
      return {};
    producer = writer;
  }
  return producer;
}

/// The inputs of `producer` and `consumer` in order, each buffer once, the
/// intermediate left out.
SmallVector<Value> getFusedInputs(ElementwiseOp producer,
                                  ElementwiseOp consumer, Value intermediate) {
  SmallVector<Value> inputs;
  llvm::DenseSet<Value> seen;
  auto add = [&](Value input) {
    if (input != intermediate && seen.insert(input).second)
      inputs.push_back(input);
  };
  llvm::for_each(producer.getInputs(), add);
  llvm::for_each(consumer.getInputs(), add);
  return inputs;
}

/// The scalar type a body reads `input` as: the type of the block argument
/// some kernel already gives it.
Type getArgType(Value input, ElementwiseOp producer, ElementwiseOp consumer) {
  for (ElementwiseOp op : {producer, consumer})
    for (auto [operand, arg] :
         llvm::zip(op.getInputs(), op.getBody().getArguments()))
      if (operand == input)
        return arg.getType();
  llvm_unreachable("input of neither kernel");
}

// ew2(ew1(a, b), c) => ew(a, b, c)
struct FuseProducerIntoConsumer : public OpRewritePattern<ElementwiseOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ElementwiseOp consumer,
                                PatternRewriter &rewriter) const override {
    for (Value input : consumer.getInputs())
      if (succeeded(fuse(input, consumer, rewriter)))
        return success();
    return rewriter.notifyMatchFailure(consumer, "no input can be fused");
  }

private:
  LogicalResult fuse(Value intermediate, ElementwiseOp consumer,
                     PatternRewriter &rewriter) const {
    auto alloc = intermediate.getDefiningOp<AllocOp>();
    if (!alloc)
      return rewriter.notifyMatchFailure(consumer,
                                         "input is not an intermediate buffer");
    ElementwiseOp producer = getSoleProducer(intermediate, consumer);
    if (!producer)
      return rewriter.notifyMatchFailure(
          consumer, "intermediate has another reader or writer");
    if (producer->getBlock() != consumer->getBlock() ||
        !producer->isBeforeInBlock(consumer))
      return rewriter.notifyMatchFailure(consumer,
                                         "producer is not before in the block");
    if (!haveSameShape(intermediate, consumer.getOutputs()[0]))
      return rewriter.notifyMatchFailure(
          consumer, "intermediate is broadcast or of another shape");

    // The producer's reads move down to the consumer: nothing in between,
    // nor the consumer itself, may change what they read.
    llvm::DenseSet<Value> reads;
    for (Value input : producer.getInputs())
      reads.insert(getRootBuffer(input));
    for (Value output : consumer.getOutputs())
      if (reads.contains(getRootBuffer(output)))
        return rewriter.notifyMatchFailure(
            consumer, "consumer writes a buffer the producer reads");
    for (Operation *op = producer->getNextNode(); op != consumer;
         op = op->getNextNode())
      if (mayWriteAny(op, reads))
        return rewriter.notifyMatchFailure(
            op, "writes a buffer the producer reads");

    SmallVector<Value> inputs =
        getFusedInputs(producer, consumer, intermediate);
    SmallVector<Type> argTypes;
    for (Value input : inputs)
      argTypes.push_back(getArgType(input, producer, consumer));
    // The consumer's location first: codegen names the kernel after the op
    // whose result it writes.
    Location loc = rewriter.getFusedLoc({consumer.getLoc(), producer.getLoc()});

    rewriter.setInsertionPoint(consumer);
    auto fused =
        ElementwiseOp::create(rewriter, loc, inputs, consumer.getOutputs());
    Block *body =
        rewriter.createBlock(&fused.getBody(), {}, argTypes,
                             SmallVector<Location>(argTypes.size(), loc));
    auto argOf = [&](Value input) {
      return body->getArgument(llvm::find(inputs, input) - inputs.begin());
    };

    // The producer's body computes the intermediate's scalar ...
    IRMapping mapping;
    Block &producerBody = producer.getBody().front();
    for (auto [operand, arg] :
         llvm::zip(producer.getInputs(), producerBody.getArguments()))
      mapping.map(arg, argOf(operand));
    for (Operation &op : producerBody.without_terminator())
      rewriter.clone(op, mapping);
    Value scalar =
        mapping.lookupOrDefault(producerBody.getTerminator()->getOperand(0));

    // ... which the consumer's body reads in place of its argument.
    Block &consumerBody = consumer.getBody().front();
    for (auto [operand, arg] :
         llvm::zip(consumer.getInputs(), consumerBody.getArguments()))
      mapping.map(arg, operand == intermediate ? scalar : argOf(operand));
    for (Operation &op : consumerBody)
      rewriter.clone(op, mapping);

    rewriter.eraseOp(consumer);
    rewriter.eraseOp(producer);
    rewriter.eraseOp(alloc);
    return success();
  }
};

struct FuseElementwisePass
    : public kiln::impl::FuseElementwisePassBase<FuseElementwisePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseProducerIntoConsumer>(&getContext());
    GreedyRewriteConfig config;
    config.enableFolding(false);
    config.setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      signalPassFailure();
  }
};

} // namespace
