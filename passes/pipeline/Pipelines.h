//===- Pipelines.h - The phases of kiln-compile -----------------*- C++ -*-===//
//
// A model goes through phases; kiln-compile can stop after any of them and
// write the IR of that point:
//
//   import   ONNX -> graph dialect (frontends/onnx; no passes)
//   graph    static shapes everywhere, simplified graph
//   kernel   graph -> kernel dialect: buffers, kernels, library calls
//   plan     every buffer at an offset of one arena
//   source   C++ / CUDA C++ and weights (passes/codegen; not a pass pipeline)
//   library  the generated source built into a shared library (kiln-compile)
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_PIPELINE_PIPELINES_H
#define KILN_PASSES_PIPELINE_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace kiln {

enum class Phase { Import, Graph, Kernel, Plan, Source, Library };

/// "import", "graph", ... to a Phase; std::nullopt for anything else.
std::optional<Phase> parsePhase(llvm::StringRef name);
llvm::StringRef getPhaseName(Phase phase);

struct PipelineOptions {
  /// Input shapes as `name=d0xd1x...`, for kiln-specialize-shapes.
  llvm::SmallVector<std::string> shapes;
  /// The mesh to partition for (kiln-partition); 1 x 1 for one device.
  int64_t dp = 1, tp = 1, pp = 1, microBatches = 1;
};

/// graph: fixes the input shapes and makes every other shape static.
void buildGraphPhase(mlir::OpPassManager &pm, const PipelineOptions &options);
/// The end of the graph phase for a mesh: kiln-partition (dp, tp, micro-
/// batches), cleanup, and kiln-pipeline-stages when pp > 1.
void buildPartitionPhase(mlir::OpPassManager &pm,
                         const PipelineOptions &options);
/// kernel: fuses attention, then lowers the graph dialect to buffers and
/// kernels.
void buildKernelPhase(mlir::OpPassManager &pm);
/// plan: places the buffers in the arena.
void buildPlanPhase(mlir::OpPassManager &pm);

/// The phases after `from` up to and including `to` (both pass phases:
/// import, graph, kernel or plan).
void buildCompilePipeline(mlir::OpPassManager &pm,
                          const PipelineOptions &options, Phase from, Phase to);

/// Registers `kiln-compile-pipeline` (options `shapes`, `stop-after`) for
/// kiln-opt.
void registerPipelines();

} // namespace kiln

#endif // KILN_PASSES_PIPELINE_PIPELINES_H
