//===- Passes.h - Codegen passes --------------------------------*- C++ -*-===//

#ifndef KILN_PASSES_CODEGEN_PASSES_H
#define KILN_PASSES_CODEGEN_PASSES_H

#include "mlir/Pass/Pass.h"

namespace kiln {

#define GEN_PASS_DECL
#include "passes/codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/codegen/Passes.h.inc"

} // namespace kiln

#endif // KILN_PASSES_CODEGEN_PASSES_H
