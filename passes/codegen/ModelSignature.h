//===- ModelSignature.h - The entry function of a lowered model -*- C++ -*-===//
//
// A lowered model is `func.func @main` over memrefs: its inputs, then its
// outputs (destination passing), each named by a `kernel.name` argument
// attribute. Codegen and the weight writer read it through this view.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_CODEGEN_MODELSIGNATURE_H
#define KILN_PASSES_CODEGEN_MODELSIGNATURE_H

#include "dialects/kernel/KernelOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace kiln::codegen {

struct ModelSignature {
  mlir::func::FuncOp func;
  unsigned numInputs;

  unsigned getNumOutputs() { return func.getNumArguments() - numInputs; }
  /// The name the runtime knows argument `index` by.
  std::string getArgName(unsigned index);
};

/// Finds @main and splits its arguments into inputs and outputs; emits a
/// diagnostic and fails when the module is not a lowered model.
mlir::FailureOr<ModelSignature> getModelSignature(mlir::ModuleOp module);

/// The entry points of a module: @main, or the stages of a pipeline
/// (@stage0, @stage1 ... with `kiln.stage`), in order.
mlir::FailureOr<llvm::SmallVector<ModelSignature>>
getModelSignatures(mlir::ModuleOp module);

/// The weights the entries read, once each in the order `run` receives
/// them, and the index of every kernel.weight among them: entries that read
/// one weight (a constant cloned into two pipeline stages) name it alike.
/// Two weights of one name but different values are an error.
struct EntryWeights {
  llvm::SmallVector<kernel::WeightOp> weights;
  llvm::DenseMap<mlir::Operation *, unsigned> index;
};
mlir::FailureOr<EntryWeights>
collectEntryWeights(llvm::ArrayRef<ModelSignature> entries);

} // namespace kiln::codegen

#endif // KILN_PASSES_CODEGEN_MODELSIGNATURE_H
