//===- ModelSignature.cpp - The entry function of a lowered model -*- C++ -*-=//

#include "passes/codegen/ModelSignature.h"

#include "dialects/kernel/KernelOps.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringMap.h"

using namespace mlir;

namespace kiln::codegen {
namespace {

/// Whether the model writes `buffer` (directly or through a view): outputs
/// are written, inputs never are.
bool isWritten(Value buffer) {
  for (OpOperand &use : buffer.getUses()) {
    Operation *user = use.getOwner();
    if (auto view = dyn_cast<kernel::ViewOp>(user)) {
      if (isWritten(view.getResult()))
        return true;
      continue;
    }
    if (auto copy = dyn_cast<kernel::CopyOp>(user)) {
      if (use.get() == copy.getTarget())
        return true;
      continue;
    }
    if (auto conv = dyn_cast<kernel::ConvOp>(user)) {
      if (&use == &conv.getOutMutable())
        return true;
      continue;
    }
    if (auto matmul = dyn_cast<kernel::MatmulOp>(user)) {
      if (&use == &matmul.getOutMutable())
        return true;
      continue;
    }
    if (auto attention = dyn_cast<kernel::AttentionOp>(user)) {
      if (&use == &attention.getOutMutable())
        return true;
      continue;
    }
    if (auto elementwise = dyn_cast<kernel::ElementwiseOp>(user)) {
      if (llvm::is_contained(elementwise.getOutputs(), use.get()))
        return true;
      continue;
    }
    if (auto call = dyn_cast<kernel::LibraryCallOp>(user)) {
      if (llvm::is_contained(call.getOutputs(), use.get()))
        return true;
      continue;
    }
  }
  return false;
}

} // namespace

std::string ModelSignature::getArgName(unsigned index) {
  for (StringRef attrName : {"kernel.name", "graph.name"})
    if (auto name = func.getArgAttrOfType<StringAttr>(index, attrName))
      return name.str();
  if (index < numInputs)
    return "input" + std::to_string(index);
  return "output" + std::to_string(index - numInputs);
}

/// The signature of one entry function `func`.
static FailureOr<ModelSignature> getSignature(func::FuncOp func) {
  StringRef name = func.getName();
  if (func.isExternal() || !func.getBody().hasOneBlock())
    return func.emitError("codegen expects @")
           << name << " to have a body of one block";
  if (func.getNumResults() != 0)
    return func.emitError("codegen expects @")
           << name
           << " to return nothing: outputs are arguments (run "
              "convert-graph-to-kernel)";
  for (BlockArgument arg : func.getArguments()) {
    auto type = dyn_cast<MemRefType>(arg.getType());
    if (!type)
      return func.emitError("codegen expects @")
             << name << "'s arguments to be memrefs, argument "
             << arg.getArgNumber() << " is " << arg.getType();
  }

  // The lowering may state how many arguments are inputs; otherwise the
  // outputs are the trailing arguments the body writes.
  unsigned numArgs = func.getNumArguments();
  if (auto count = func->getAttrOfType<IntegerAttr>("kernel.num_inputs")) {
    if (count.getInt() < 0 || count.getInt() > numArgs)
      return func.emitError("kernel.num_inputs is ")
             << count.getInt() << " but @" << name << " has " << numArgs
             << " arguments";
    return ModelSignature{func, static_cast<unsigned>(count.getInt())};
  }
  unsigned numInputs = numArgs;
  while (numInputs > 0 && isWritten(func.getArgument(numInputs - 1)))
    --numInputs;
  return ModelSignature{func, numInputs};
}

FailureOr<ModelSignature> getModelSignature(ModuleOp module) {
  auto func = module.lookupSymbol<func::FuncOp>("main");
  if (!func)
    return module.emitError("codegen expects a func.func @main");
  return getSignature(func);
}

FailureOr<SmallVector<ModelSignature>> getModelSignatures(ModuleOp module) {
  if (module.lookupSymbol<func::FuncOp>("main")) {
    FailureOr<ModelSignature> main = getModelSignature(module);
    if (failed(main))
      return failure();
    return SmallVector<ModelSignature>{*main};
  }
  // The stages of a pipeline, in order.
  SmallVector<ModelSignature> stages;
  for (auto func : module.getOps<func::FuncOp>()) {
    auto stage = func->getAttrOfType<IntegerAttr>("kiln.stage");
    if (!stage || stage.getInt() != static_cast<int64_t>(stages.size()))
      return func.emitError("codegen expects @main, or stages @stage0, "
                            "@stage1 ... in order with kiln.stage");
    FailureOr<ModelSignature> signature = getSignature(func);
    if (failed(signature))
      return failure();
    stages.push_back(*signature);
  }
  if (stages.empty())
    return module.emitError("codegen expects a func.func @main");
  return stages;
}

FailureOr<EntryWeights>
collectEntryWeights(ArrayRef<ModelSignature> entries) {
  EntryWeights result;
  llvm::StringMap<unsigned> byName;
  for (const ModelSignature &entry : entries) {
    WalkResult walk = entry.func->walk([&](kernel::WeightOp weight) {
      auto [it, inserted] =
          byName.try_emplace(weight.getName(), result.weights.size());
      result.index[weight] = it->second;
      if (inserted) {
        result.weights.push_back(weight);
        return WalkResult::advance();
      }
      kernel::WeightOp first = result.weights[it->second];
      if (first.getValue() == weight.getValue() &&
          first.getSplitAttr() == weight.getSplitAttr() &&
          first.getType() == weight.getType())
        return WalkResult::advance();
      weight.emitError("two weights are named '") << weight.getName() << "'";
      return WalkResult::interrupt();
    });
    if (walk.wasInterrupted())
      return failure();
  }
  return result;
}

} // namespace kiln::codegen
