//===- PipelineStages.cpp - Contiguous pipeline stages of @main -*- C++ -*-===//
//
// main(x) -> y  =>  stage0(x) -> (b0..)
//                   stage1(x, b0..) -> (b1..)
//                   ...
//                   stage<P-1>(x, b..) -> y
//
// The ops of @main, in order, are cut into P runs whose largest cost (the
// roofline time of CostModel.h) is least. The
// values that cross cut s (made before it, read after it or returned) are
// stage s's results and stage s+1's arguments after the model's inputs,
// in the order they are made; a value crossing several cuts passes through
// the stages between. Free ops (constants, and dist.shard of a constant or
// an input) belong to no stage and are cloned where they are read.
//
//===----------------------------------------------------------------------===//

#include "passes/partition/Passes.h"

#include "passes/partition/CostModel.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"

namespace kiln {
#define GEN_PASS_DEF_PIPELINESTAGESPASS
#include "passes/partition/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

/// Ops that belong to no stage: each stage that reads one gets a copy.
bool isFree(Operation *op) {
  if (isa<graph::ConstantOp>(op))
    return true;
  if (auto shard = dyn_cast<dist::ShardOp>(op)) {
    Value input = shard.getInput();
    return isa<BlockArgument>(input) ||
           (input.getDefiningOp() && isFree(input.getDefiningOp()));
  }
  return false;
}

struct PipelineStagesPass
    : public impl::PipelineStagesPassBase<PipelineStagesPass> {
  using PipelineStagesPassBase::PipelineStagesPassBase;

  void runOnOperation() override;
};

void PipelineStagesPass::runOnOperation() {
  ModuleOp module = getOperation();
  if (pp <= 1)
    return;
  auto main = module.lookupSymbol<func::FuncOp>("main");
  if (!main || main.isExternal() || !main.getBody().hasOneBlock()) {
    module.emitError("pipeline stages expect a func.func @main with one "
                     "block");
    return signalPassFailure();
  }
  Block &body = main.getBody().front();
  Operation *terminator = body.getTerminator();
  // Each op's roofline time at a balance of 5 FLOP per byte (a CPU's; the
  // split only compares ops with each other).
  FailureOr<cost::GraphCost> costs = cost::analyzeFunction(main);
  if (failed(costs))
    return signalPassFailure();
  DenseMap<Operation *, double> timeOf;
  for (const cost::OpCost &op : costs->ops)
    timeOf[op.op] = cost::getComputeTime(op, /*peakFlops=*/5e11,
                                         /*memoryBandwidth=*/1e11);
  SmallVector<Operation *> ops;
  SmallVector<double> times;
  for (Operation &op : body.without_terminator())
    if (!isFree(&op)) {
      ops.push_back(&op);
      times.push_back(timeOf.lookup(&op));
    }
  if (static_cast<int64_t>(ops.size()) < pp) {
    main.emitError("pp=") << static_cast<int64_t>(pp)
                          << " is more stages than the model has ops ("
                          << ops.size() << ")";
    return signalPassFailure();
  }
  // Contiguous stages of the least largest time (CostModel.h).
  SmallVector<size_t> starts = cost::splitStages(times, pp);
  DenseMap<Operation *, int64_t> stageOf;
  for (int64_t s = 0; s < pp; ++s) {
    size_t end = s + 1 < pp ? starts[s + 1] : ops.size();
    for (size_t i = starts[s]; i < end; ++i)
      stageOf[ops[i]] = s;
  }

  // The last stage that reads each stage-made value (pp for a returned one).
  llvm::MapVector<Value, int64_t> lastReader;
  for (Operation *op : ops)
    for (Value result : op->getResults())
      for (OpOperand &use : result.getUses()) {
        Operation *user = body.findAncestorOpInBlock(*use.getOwner());
        int64_t reader = user == terminator ? pp : stageOf.lookup(user);
        if (user != terminator && isFree(user))
          continue;
        int64_t &last = lastReader[result];
        last = std::max(last, reader);
      }
  // What crosses into stage s: made before s, read at s or later.
  auto crossing = [&](int64_t s) {
    SmallVector<Value> values;
    for (auto [value, last] : lastReader) {
      int64_t made = stageOf.lookup(value.getDefiningOp());
      if (made < s && last >= s)
        values.push_back(value);
    }
    return values;
  };

  OpBuilder builder(module.getContext());
  builder.setInsertionPoint(main);
  unsigned numInputs = main.getNumArguments();
  for (int64_t s = 0; s < pp; ++s) {
    SmallVector<Value> received = crossing(s);
    bool last = s == pp - 1;
    SmallVector<Value> sent;
    if (!last)
      sent = crossing(s + 1);
    else
      sent.assign(terminator->operand_begin(), terminator->operand_end());

    SmallVector<Type> argTypes(main.getArgumentTypes());
    for (Value value : received)
      argTypes.push_back(value.getType());
    SmallVector<Type> resultTypes;
    for (Value value : sent)
      resultTypes.push_back(value.getType());
    auto func = func::FuncOp::create(
        builder, main.getLoc(), ("stage" + Twine(s)).str(),
        builder.getFunctionType(argTypes, resultTypes));
    func->setAttr("kiln.stage", builder.getI64IntegerAttr(s));
    for (unsigned i = 0; i < numInputs; ++i)
      if (DictionaryAttr attrs = main.getArgAttrDict(i))
        func.setArgAttrs(i, attrs);
    for (auto [i, value] : llvm::enumerate(received))
      func.setArgAttr(numInputs + i, "graph.name",
                      builder.getStringAttr("stage" + Twine(s - 1) + ".out" +
                                            Twine(i)));
    for (unsigned i = 0; i < sent.size(); ++i) {
      if (last) {
        if (DictionaryAttr attrs = main.getResultAttrDict(i))
          func.setResultAttrs(i, attrs);
      } else {
        func.setResultAttr(i, "graph.name",
                           builder.getStringAttr("stage" + Twine(s) + ".out" +
                                                 Twine(i)));
      }
    }

    Block *entry = func.addEntryBlock();
    OpBuilder inner = OpBuilder::atBlockEnd(entry);
    IRMapping mapping;
    for (unsigned i = 0; i < numInputs; ++i)
      mapping.map(main.getArgument(i), entry->getArgument(i));
    for (auto [i, value] : llvm::enumerate(received))
      mapping.map(value, entry->getArgument(numInputs + i));
    // Free ops are cloned, with what they read, where they are read.
    std::function<void(Value)> cloneFree = [&](Value value) {
      if (mapping.contains(value))
        return;
      Operation *op = value.getDefiningOp();
      if (!op || !isFree(op))
        return;
      for (Value operand : op->getOperands())
        cloneFree(operand);
      inner.clone(*op, mapping);
    };
    for (Operation *op : ops) {
      if (stageOf.lookup(op) != s)
        continue;
      op->walk([&](Operation *nested) {
        for (Value operand : nested->getOperands())
          cloneFree(operand);
      });
      inner.clone(*op, mapping);
    }
    SmallVector<Value> results;
    for (Value value : sent) {
      cloneFree(value);
      results.push_back(mapping.lookupOrDefault(value));
    }
    func::ReturnOp::create(inner, main.getLoc(), results);
  }
  main.erase();
}

} // namespace
} // namespace kiln
