//===- Passes.h - Passes over the kernel dialect ----------------*- C++ -*-===//

#ifndef KILN_PASSES_KERNEL_PASSES_H
#define KILN_PASSES_KERNEL_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace kiln {

#define GEN_PASS_DECL
#include "passes/kernel/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/kernel/Passes.h.inc"

} // namespace kiln

#endif // KILN_PASSES_KERNEL_PASSES_H
