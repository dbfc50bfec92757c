//===- Passes.h - Fusion passes ---------------------------------*- C++ -*-===//
//
// Grouping ops into fewer kernels: constants folded into convolutions on the
// graph dialect, chains of elementwise kernels on the kernel dialect.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_FUSION_PASSES_H
#define KILN_PASSES_FUSION_PASSES_H

#include "dialects/graph/GraphDialect.h"
#include "dialects/kernel/KernelDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace kiln {

#define GEN_PASS_DECL
#include "passes/fusion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/fusion/Passes.h.inc"

} // namespace kiln

#endif // KILN_PASSES_FUSION_PASSES_H
