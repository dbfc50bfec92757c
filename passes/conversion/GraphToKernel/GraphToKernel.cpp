//===- GraphToKernel.cpp - Lower @main from graph to kernel -----*- C++ -*-===//
//
// func @main(inputs) -> results  =>  func @main(inputs, outputs)
//
// An ordered walk over the single block of the graph-level @main: each op is
// lowered by the family that knows it (LowerElementwise, LowerViews,
// LowerMatmul, LowerLibraryCalls, and LowerControlFlow, which lowers the
// regions of If, Loop and Scan the same way) into a new function over
// memrefs. Results are written into the output arguments: the ops that
// produce a result write its output argument directly when the result has a
// buffer of its own (or is a view of one), a kernel.copy fills it otherwise.
//
//===----------------------------------------------------------------------===//

#include "passes/conversion/Passes.h"

#include "dialects/graph/GraphOps.h"
#include "passes/conversion/GraphToKernel/LoweringState.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringSet.h"

namespace kiln {
#define GEN_PASS_DEF_CONVERTGRAPHTOKERNELPASS
#include "passes/conversion/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;
using namespace kiln::graph_to_kernel;

namespace {

/// The kernel-level @main: the graph function's inputs, then one output
/// argument per result, all memrefs.
func::FuncOp createKernelFunction(func::FuncOp graphFunc) {
  FunctionType graphType = graphFunc.getFunctionType();
  SmallVector<Type> argTypes;
  SmallVector<DictionaryAttr> argAttrs;
  Builder builder(graphFunc.getContext());
  for (auto [index, type] : llvm::enumerate(graphType.getInputs())) {
    argTypes.push_back(getBufferType(type));
    argAttrs.push_back(graphFunc.getArgAttrDict(index));
  }
  for (auto [index, type] : llvm::enumerate(graphType.getResults())) {
    argTypes.push_back(getBufferType(type));
    NamedAttrList attrs(graphFunc.getResultAttrDict(index));
    attrs.set("kernel.output", builder.getUnitAttr());
    argAttrs.push_back(attrs.getDictionary(graphFunc.getContext()));
  }

  OpBuilder funcBuilder(graphFunc);
  auto func =
      func::FuncOp::create(funcBuilder, graphFunc.getLoc(), graphFunc.getName(),
                           builder.getFunctionType(argTypes, {}));
  for (auto [index, attrs] : llvm::enumerate(argAttrs))
    if (attrs)
      func.setArgAttrs(index, attrs);
  func->setAttr("kernel.num_inputs",
                builder.getI64IntegerAttr(graphType.getNumInputs()));
  Block *entry = func.addEntryBlock();
  OpBuilder bodyBuilder = OpBuilder::atBlockEnd(entry);
  func::ReturnOp::create(bodyBuilder, graphFunc.getLoc());
  return func;
}

/// A small integer tensor whose elements are sizes known from the inputs'
/// shapes (Shape, and Gather, Concat, arithmetic, comparisons and Where of
/// shapes; booleans are 0 and 1) is written from those sizes; its readers
/// that need sizes (Reshape's shape) take them from getShapeValues instead
/// of its data.
std::optional<LogicalResult> lowerShapeValuesOp(Operation *op,
                                                LoweringState &state) {
  if (op->getNumResults() != 1 || isa<graph::ConstantOp>(op))
    return std::nullopt;
  Value result = op->getResult(0);
  auto type = cast<RankedTensorType>(result.getType());
  if (!type.hasStaticShape() || type.getRank() > 1 ||
      !type.getElementType().isSignlessInteger())
    return std::nullopt;
  FailureOr<SmallVector<Value>> sizes = state.getShapeValues(result);
  if (failed(sizes))
    return std::nullopt;
  Value buffer = state.createResultBuffer(result);
  kernel::FillSizesOp::create(state.getBuilder(), op->getLoc(), buffer,
                              *sizes);
  return success();
}

LogicalResult lowerOp(Operation *op, LoweringState &state) {
  using LowerFn =
      std::optional<LogicalResult> (*)(Operation *, LoweringState &);
  for (LowerFn lower : {lowerShapeValuesOp, lowerControlFlowOp, lowerDistOp,
                        lowerViewOp,
                        lowerElementwiseOp, lowerMatmulOp, lowerAttentionOp,
                        lowerLibraryCallOp})
    if (std::optional<LogicalResult> result = lower(op, state))
      return *result;
  return op->emitError("cannot lower '")
         << op->getName() << "' to the kernel dialect";
}

} // namespace

LogicalResult kiln::graph_to_kernel::lowerBlock(Block &block,
                                                LoweringState &state) {
  for (Operation &op : block.without_terminator()) {
    // Constants become weights where a kernel reads them.
    if (isa<graph::ConstantOp>(op))
      continue;
    if (failed(lowerOp(&op, state)))
      return failure();
  }
  return success();
}

namespace {

/// The alloc that `buffer` is, or is a chain of views of; null otherwise.
kernel::AllocOp getRootAlloc(Value buffer) {
  while (auto view = buffer.getDefiningOp<kernel::ViewOp>())
    buffer = view.getSource();
  return buffer.getDefiningOp<kernel::AllocOp>();
}

/// Writes each result of the graph function into its output argument. A
/// result held by an alloc of its own (or a view of one) claims the alloc:
/// the ops that write the alloc write the output argument instead, seen with
/// the alloc's shape. Every other result is copied.
LogicalResult writeResults(func::ReturnOp graphReturn, func::FuncOp func,
                           unsigned numInputs, LoweringState &state) {
  OpBuilder &builder = state.getBuilder();
  llvm::MapVector<Operation *, BlockArgument> claims;
  for (auto [index, result] : llvm::enumerate(graphReturn.getOperands())) {
    BlockArgument output = func.getArgument(numInputs + index);
    FailureOr<Value> buffer = state.getBuffer(result);
    if (failed(buffer))
      return failure();
    // A dynamic output's dims are its result's.
    auto outputType = cast<MemRefType>(output.getType());
    if (!outputType.hasStaticShape()) {
      SmallVector<Value> dims = state.getBufferDims(*buffer), dynamic;
      for (auto [d, dim] : llvm::enumerate(dims))
        if (outputType.isDynamicDim(d))
          dynamic.push_back(dim);
      kernel::OutputDimsOp::create(builder, graphReturn.getLoc(), output,
                                   dynamic);
    }
    kernel::AllocOp alloc = getRootAlloc(*buffer);
    if (alloc && claims.insert({alloc, output}).second)
      continue;
    kernel::CopyOp::create(builder, graphReturn.getLoc(), *buffer, output);
  }
  // Copies from a claimed alloc now read the output that replaces it.
  for (auto [op, output] : claims) {
    auto alloc = cast<kernel::AllocOp>(op);
    OpBuilder viewBuilder(alloc);
    Value replacement = output;
    if (alloc.getType() != output.getType())
      replacement =
          kernel::ViewOp::create(viewBuilder, alloc.getLoc(), alloc.getType(),
                                 output, alloc.getDynamicSizes());
    alloc.getBuffer().replaceAllUsesWith(replacement);
    alloc.erase();
  }
  return success();
}

struct ConvertGraphToKernelPass
    : public kiln::impl::ConvertGraphToKernelPassBase<
          ConvertGraphToKernelPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    // @main, or the stages of a pipeline: each becomes an entry point.
    SmallVector<func::FuncOp> graphFuncs;
    if (auto main = module.lookupSymbol<func::FuncOp>("main"))
      graphFuncs.push_back(main);
    else
      for (auto func : module.getOps<func::FuncOp>())
        if (func->hasAttr("kiln.stage"))
          graphFuncs.push_back(func);
    if (graphFuncs.empty() ||
        llvm::any_of(graphFuncs, [](func::FuncOp f) { return f.isExternal(); })) {
      module.emitError("convert-graph-to-kernel expects a func.func @main "
                       "with a body");
      return signalPassFailure();
    }
    for (func::FuncOp graphFunc : graphFuncs)
      if (failed(lowerFunction(graphFunc)))
        return signalPassFailure();
    nameWeightsApart(module);
  }

  /// Weights of different entries that share a name share a value (a
  /// constant cloned into two pipeline stages); others are renamed.
  void nameWeightsApart(ModuleOp module) {
    llvm::StringMap<SmallVector<kernel::WeightOp>> byName;
    module.walk([&](kernel::WeightOp weight) {
      byName[weight.getName()].push_back(weight);
    });
    llvm::StringSet<> taken;
    for (auto &entry : byName)
      taken.insert(entry.getKey());
    for (auto &entry : byName) {
      SmallVector<kernel::WeightOp> &weights = entry.getValue();
      for (kernel::WeightOp weight : llvm::drop_begin(weights)) {
        kernel::WeightOp first = weights.front();
        if (weight.getValue() == first.getValue() &&
            weight.getSplitAttr() == first.getSplitAttr() &&
            weight.getType() == first.getType())
          continue;
        std::string name;
        for (unsigned suffix = 1;; ++suffix) {
          name = (entry.getKey() + "_" + Twine(suffix)).str();
          if (taken.insert(name).second)
            break;
        }
        weight.setName(name);
      }
    }
  }

  LogicalResult lowerFunction(func::FuncOp graphFunc) {
    if (!graphFunc.getBody().hasOneBlock())
      return graphFunc.emitError("convert-graph-to-kernel expects @")
             << graphFunc.getName() << " to have one block";

    func::FuncOp func = createKernelFunction(graphFunc);
    LoweringState state(func);
    unsigned numInputs = graphFunc.getNumArguments();
    for (auto [graphArg, arg] :
         llvm::zip(graphFunc.getArguments(),
                   func.getArguments().take_front(numInputs)))
      state.map(graphArg, arg);

    Block &body = graphFunc.getBody().front();
    auto graphReturn = cast<func::ReturnOp>(body.getTerminator());
    if (failed(lowerBlock(body, state)) ||
        failed(hoistOutOfControlFlow(func)) ||
        failed(writeResults(graphReturn, func, numInputs, state))) {
      func.erase();
      return failure();
    }
    // Sizes the lowering computed but nothing reads (static shapes need
    // none), and tensors of sizes that only sizes were taken from, go.
    SmallVector<kernel::FillSizesOp> fills(
        func.getBody().front().getOps<kernel::FillSizesOp>());
    for (kernel::FillSizesOp fill : fills) {
      auto alloc = fill.getTarget().getDefiningOp<kernel::AllocOp>();
      if (alloc && alloc->hasOneUse()) {
        fill.erase();
        alloc.erase();
      }
    }
    for (Operation &op :
         llvm::make_early_inc_range(llvm::reverse(func.getBody().front())))
      if ((isa_and_present<arith::ArithDialect>(op.getDialect()) ||
           isa<kernel::DimOp>(op)) &&
          isOpTriviallyDead(&op))
        op.erase();
    if (auto stage = graphFunc->getAttr("kiln.stage"))
      func->setAttr("kiln.stage", stage);
    graphFunc.erase();
    return success();
  }
};

} // namespace
