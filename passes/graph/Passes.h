//===- Passes.h - Passes of the graph dialect -------------------*- C++ -*-===//
//
// Shape specialization and propagation over the graph dialect.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_GRAPH_PASSES_H
#define KILN_PASSES_GRAPH_PASSES_H

#include "dialects/graph/GraphDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

#include <memory>
#include <string>

namespace kiln {

#define GEN_PASS_DECL
#include "passes/graph/Passes.h.inc"

/// The pattern of kiln-fuse-attention.
void populateFuseAttentionPatterns(mlir::RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "passes/graph/Passes.h.inc"

} // namespace kiln

#endif // KILN_PASSES_GRAPH_PASSES_H
