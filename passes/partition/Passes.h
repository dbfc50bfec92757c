//===- Passes.h - Partitioning passes ---------------------------*- C++ -*-===//

#ifndef KILN_PASSES_PARTITION_PASSES_H
#define KILN_PASSES_PARTITION_PASSES_H

#include "dialects/dist/DistDialect.h"
#include "dialects/graph/GraphDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace kiln {

#define GEN_PASS_DECL
#include "passes/partition/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/partition/Passes.h.inc"

} // namespace kiln

#endif // KILN_PASSES_PARTITION_PASSES_H
