//===- Codegen.h - Print a planned kernel module as C++ or CUDA -*- C++ -*-===//
//
// Codegen is the last phase of kiln-compile: a kernel-dialect module whose
// buffers are planned (kiln-plan-buffers) becomes one source file that
// implements runtime/ModelAbi.h, and its weights become the bytes of
// weights.safetensors.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_CODEGEN_CODEGEN_H
#define KILN_PASSES_CODEGEN_CODEGEN_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace kiln {

enum class Target { Cpu, Cuda };

/// "cpu" or "cuda" to a Target; std::nullopt for anything else.
std::optional<Target> parseTarget(llvm::StringRef name);
llvm::StringRef getTargetName(Target target);

/// Prints `module` (func @main over memrefs, planned) as one C++ (cpu) or
/// CUDA C++ (cuda) source defining kiln_model_describe(). Emits a diagnostic
/// at the first op codegen cannot print and fails.
mlir::LogicalResult emitModelSource(mlir::ModuleOp module, Target target,
                                    llvm::raw_ostream &os);

/// One weight of the model, as it goes into weights.safetensors.
struct WeightData {
  std::string name;
  int32_t dtype; // ONNX TensorProto code
  std::vector<int64_t> shape;
  std::vector<char> bytes; // row-major, little-endian; i1 as one byte each
};

/// The kernel.weight ops of `module`'s @main, in order: the order in which
/// `run` receives them. Emits a diagnostic at a weight whose data cannot be
/// read.
mlir::FailureOr<std::vector<WeightData>> collectWeights(mlir::ModuleOp module);

} // namespace kiln

#endif // KILN_PASSES_CODEGEN_CODEGEN_H
