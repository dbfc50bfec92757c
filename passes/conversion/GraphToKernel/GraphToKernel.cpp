//===- GraphToKernel.cpp - Lower @main from graph to kernel -----*- C++ -*-===//
//
// func @main(inputs) -> results  =>  func @main(inputs, outputs)
//
// An ordered walk over the single block of the graph-level @main: each op is
// lowered by the family that knows it (LowerElementwise, LowerViews,
// LowerMatmul, LowerLibraryCalls) into a new function over memrefs. Results
// are written into the output arguments: the ops that produce a result
// write its output argument directly when the result has a buffer of its
// own (or is a view of one), a kernel.copy fills it otherwise.
//
//===----------------------------------------------------------------------===//

#include "passes/conversion/Passes.h"

#include "dialects/graph/GraphOps.h"
#include "passes/conversion/GraphToKernel/LoweringState.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/MapVector.h"

namespace kiln {
#define GEN_PASS_DEF_CONVERTGRAPHTOKERNELPASS
#include "passes/conversion/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;
using namespace kiln::graph_to_kernel;

namespace {

constexpr llvm::StringLiteral kShapeHint =
    "give --shape for the model's inputs";

bool isStatic(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  return shaped && shaped.hasStaticShape();
}

/// Every argument and op result of `func` must have a static shape.
LogicalResult verifyStaticShapes(func::FuncOp func) {
  for (BlockArgument arg : func.getArguments()) {
    if (isStatic(arg.getType()))
      continue;
    InFlightDiagnostic diag = func.emitError("dynamic dimension in input ");
    if (auto name =
            func.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "graph.name"))
      diag << "'" << name.getValue() << "'";
    else
      diag << "#" << arg.getArgNumber();
    return diag << " of type " << arg.getType() << ": " << kShapeHint;
  }
  WalkResult result = func.walk([&](Operation *op) {
    for (OpResult value : op->getResults()) {
      if (isStatic(value.getType()))
        continue;
      op->emitError("dynamic dimension in result #")
          << value.getResultNumber() << " of '" << op->getName() << "' of type "
          << value.getType() << ": " << kShapeHint;
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

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

LogicalResult lowerOp(Operation *op, LoweringState &state) {
  using LowerFn =
      std::optional<LogicalResult> (*)(Operation *, LoweringState &);
  for (LowerFn lower :
       {lowerViewOp, lowerElementwiseOp, lowerMatmulOp, lowerLibraryCallOp})
    if (std::optional<LogicalResult> result = lower(op, state))
      return *result;
  return op->emitError("cannot lower '")
         << op->getName() << "' to the kernel dialect";
}

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
      replacement = kernel::ViewOp::create(viewBuilder, alloc.getLoc(),
                                           alloc.getType(), output);
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
    auto graphFunc = module.lookupSymbol<func::FuncOp>("main");
    if (!graphFunc || graphFunc.isExternal()) {
      module.emitError("convert-graph-to-kernel expects a func.func @main "
                       "with a body");
      return signalPassFailure();
    }
    if (!graphFunc.getBody().hasOneBlock()) {
      graphFunc.emitError("convert-graph-to-kernel expects @main to have "
                          "one block");
      return signalPassFailure();
    }
    if (failed(verifyStaticShapes(graphFunc)))
      return signalPassFailure();

    func::FuncOp func = createKernelFunction(graphFunc);
    LoweringState state(func);
    unsigned numInputs = graphFunc.getNumArguments();
    for (auto [graphArg, arg] :
         llvm::zip(graphFunc.getArguments(),
                   func.getArguments().take_front(numInputs)))
      state.map(graphArg, arg);

    Block &body = graphFunc.getBody().front();
    for (Operation &op : body.without_terminator()) {
      // Constants become weights where a kernel reads them.
      if (isa<graph::ConstantOp>(op))
        continue;
      if (failed(lowerOp(&op, state))) {
        func.erase();
        return signalPassFailure();
      }
    }
    auto graphReturn = cast<func::ReturnOp>(body.getTerminator());
    if (failed(writeResults(graphReturn, func, numInputs, state))) {
      func.erase();
      return signalPassFailure();
    }
    graphFunc.erase();
  }
};

} // namespace
