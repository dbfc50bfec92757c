//===- ModelSignature.cpp - The entry function of a lowered model -*- C++ -*-=//

#include "passes/codegen/ModelSignature.h"

#include "dialects/kernel/KernelOps.h"

#include "mlir/IR/BuiltinTypes.h"

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
    if (auto matmul = dyn_cast<kernel::MatmulOp>(user)) {
      if (&use == &matmul.getOutMutable())
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

FailureOr<ModelSignature> getModelSignature(ModuleOp module) {
  auto func = module.lookupSymbol<func::FuncOp>("main");
  if (!func)
    return module.emitError("codegen expects a func.func @main");
  if (func.isExternal() || !func.getBody().hasOneBlock())
    return func.emitError("codegen expects @main to have a body of one block");
  if (func.getNumResults() != 0)
    return func.emitError("codegen expects @main to return nothing: outputs "
                          "are arguments (run convert-graph-to-kernel)");
  for (BlockArgument arg : func.getArguments()) {
    auto type = dyn_cast<MemRefType>(arg.getType());
    if (!type)
      return func.emitError("codegen expects @main's arguments to be "
                            "memrefs, argument ")
             << arg.getArgNumber() << " is " << arg.getType();
  }

  // The lowering may state how many arguments are inputs; otherwise the
  // outputs are the trailing arguments the body writes.
  unsigned numArgs = func.getNumArguments();
  if (auto count = func->getAttrOfType<IntegerAttr>("kernel.num_inputs")) {
    if (count.getInt() < 0 || count.getInt() > numArgs)
      return func.emitError("kernel.num_inputs is ")
             << count.getInt() << " but @main has " << numArgs << " arguments";
    return ModelSignature{func, static_cast<unsigned>(count.getInt())};
  }
  unsigned numInputs = numArgs;
  while (numInputs > 0 && isWritten(func.getArgument(numInputs - 1)))
    --numInputs;
  return ModelSignature{func, numInputs};
}

} // namespace kiln::codegen
