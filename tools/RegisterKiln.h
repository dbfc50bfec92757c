//===- RegisterKiln.h - Dialects and passes of every Kiln tool -*- C++ -*-===//
//
// One place registers what the tools know: kiln-opt, kiln-import and
// kiln-compile all call these two functions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TOOLS_REGISTERKILN_H
#define KILN_TOOLS_REGISTERKILN_H

#include "dialects/dist/DistDialect.h"
#include "dialects/graph/GraphDialect.h"
#include "dialects/kernel/KernelDialect.h"
#include "passes/codegen/Passes.h"
#include "passes/conversion/Passes.h"
#include "passes/fusion/Passes.h"
#include "passes/graph/Passes.h"
#include "passes/kernel/Passes.h"
#include "passes/partition/Passes.h"
#include "passes/pipeline/Pipelines.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Transforms/Passes.h"

namespace kiln {

inline void registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<dist::DistDialect, graph::GraphDialect, kernel::KernelDialect,
                  mlir::func::FuncDialect, mlir::arith::ArithDialect,
                  mlir::math::MathDialect, mlir::memref::MemRefDialect,
                  mlir::scf::SCFDialect>();
}

inline void registerAllPasses() {
  // Upstream passes the pipelines use: canonicalize, cse, symbol-dce, ...
  mlir::registerTransformsPasses();
  registerGraphPasses();
  registerPartitionPasses();
  registerConversionPasses();
  registerFusionPasses();
  registerKernelPasses();
  registerCodegenPasses();
  registerPipelines();
}

} // namespace kiln

#endif // KILN_TOOLS_REGISTERKILN_H
