//===- Passes.td - Codegen passes -----------------------------*- tablegen -*-===//
//
// Codegen is a translation, not a pass: passes/codegen/Codegen.h prints a
// planned kernel-dialect module as C++ or CUDA C++ (kiln-compile calls it).
// This file keeps the area's registration entry point for passes that
// prepare a module for printing.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_CODEGEN_PASSES
#define KILN_PASSES_CODEGEN_PASSES

include "mlir/Pass/PassBase.td"

#endif // KILN_PASSES_CODEGEN_PASSES
