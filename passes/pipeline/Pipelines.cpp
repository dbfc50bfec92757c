//===- Pipelines.cpp - The phases of kiln-compile ---------------*- C++ -*-===//

#include "passes/pipeline/Pipelines.h"

#include "passes/conversion/Passes.h"
#include "passes/fusion/Passes.h"
#include "passes/graph/Passes.h"
#include "passes/kernel/Passes.h"
#include "passes/partition/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;

namespace kiln {

std::optional<Phase> parsePhase(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<Phase>>(name)
      .Case("import", Phase::Import)
      .Case("graph", Phase::Graph)
      .Case("kernel", Phase::Kernel)
      .Case("plan", Phase::Plan)
      .Case("source", Phase::Source)
      .Case("library", Phase::Library)
      .Default(std::nullopt);
}

llvm::StringRef getPhaseName(Phase phase) {
  switch (phase) {
  case Phase::Import:
    return "import";
  case Phase::Graph:
    return "graph";
  case Phase::Kernel:
    return "kernel";
  case Phase::Plan:
    return "plan";
  case Phase::Source:
    return "source";
  case Phase::Library:
    return "library";
  }
  llvm_unreachable("unknown phase");
}

void buildGraphPhase(OpPassManager &pm, const PipelineOptions &options) {
  SpecializeShapesPassOptions specialize;
  specialize.shapes.assign(options.shapes.begin(), options.shapes.end());
  // Codegen needs static shapes: the user's --shape fixes the dynamic inputs.
  pm.addPass(createSpecializeShapesPass(specialize));
  // Inference from the now static inputs makes every tensor static, and
  // folds shape computations (Shape -> Gather -> Reshape) into constants.
  pm.addNestedPass<func::FuncOp>(createPropagateShapesPass());
  // Removes what folding left dead and simplifies the graph for lowering.
  pm.addPass(createCanonicalizerPass());
  // Shares identical subgraphs (the same constant imported twice, ...).
  pm.addPass(createCSEPass());
  // Inference batch norms after convs become the convs' weights and biases.
  pm.addNestedPass<func::FuncOp>(createFoldBatchNormPass());
  if (options.dp * options.tp * options.pp > 1)
    buildPartitionPhase(pm, options);
}

void buildPartitionPhase(OpPassManager &pm, const PipelineOptions &options) {
  // One rank's program of the mesh, with its collectives.
  PartitionPassOptions partition;
  partition.dp = options.dp;
  partition.tp = options.tp;
  partition.pp = options.pp;
  partition.microBatches = options.microBatches;
  pm.addPass(createPartitionPass(partition));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Its pipeline stages, one entry point each.
  if (options.pp > 1) {
    PipelineStagesPassOptions stages;
    stages.pp = options.pp;
    pm.addPass(createPipelineStagesPass(stages));
  }
}

void buildKernelPhase(OpPassManager &pm) {
  // Attention as one op, so that its scores are never stored; after
  // partitioning (kiln-compile --mesh, kiln-plan), on each rank's own heads.
  pm.addNestedPass<func::FuncOp>(createFuseAttentionPass());
  // Tensors become buffers; ops become kernels, GEMMs and library calls.
  pm.addPass(createConvertGraphToKernelPass());
  // Folds the views and copies the lowering leaves behind; one value per
  // size that dynamic dims compute more than once.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // One kernel, one pass over memory per chain of elementwise ops; after CSE,
  // which gives equal dynamic dims one size value.
  pm.addNestedPass<func::FuncOp>(createFuseElementwisePass());
  // The fused chain after a conv runs on the conv's output while it is in
  // cache; after elementwise fusion, so the whole chain goes.
  pm.addNestedPass<func::FuncOp>(createFuseEpiloguePass());
  // Shares the constants and subexpressions the fused bodies repeat.
  pm.addPass(createCSEPass());
}

void buildPlanPhase(OpPassManager &pm) {
  // One arena for all intermediates, shared by buffers that never overlap.
  pm.addNestedPass<func::FuncOp>(createPlanBuffersPass());
}

void buildCompilePipeline(OpPassManager &pm, const PipelineOptions &options,
                          Phase from, Phase to) {
  auto runs = [&](Phase phase) { return from < phase && phase <= to; };
  if (runs(Phase::Graph))
    buildGraphPhase(pm, options);
  if (runs(Phase::Kernel))
    buildKernelPhase(pm);
  if (runs(Phase::Plan))
    buildPlanPhase(pm);
}

namespace {

struct CompilePipelineOptions
    : public PassPipelineOptions<CompilePipelineOptions> {
  ListOption<std::string> shapes{
      *this, "shapes",
      llvm::cl::desc("input shapes as name=d0xd1x... (e.g. x=1x3x224x224)")};
  Option<std::string> stopAfter{
      *this, "stop-after",
      llvm::cl::desc("the last phase to run: graph, kernel or plan"),
      llvm::cl::init("plan")};
};

} // namespace

void registerPipelines() {
  registerPassPipeline(
      "kiln-compile-pipeline",
      "the phases of kiln-compile from an imported model to a planned kernel "
      "module, or to the end of the phase stop-after names",
      [](OpPassManager &pm, llvm::StringRef text,
         llvm::function_ref<LogicalResult(const llvm::Twine &)> errorHandler)
          -> LogicalResult {
        CompilePipelineOptions cliOptions;
        if (failed(cliOptions.parseFromString(text)))
          return failure();
        std::optional<Phase> last = parsePhase(cliOptions.stopAfter);
        if (!last || *last == Phase::Import || *last > Phase::Plan)
          return errorHandler(
              "stop-after must be graph, kernel or plan, got '" +
              cliOptions.stopAfter + "'");
        PipelineOptions options;
        options.shapes.assign(cliOptions.shapes.begin(),
                              cliOptions.shapes.end());
        buildCompilePipeline(pm, options, Phase::Import, *last);
        return success();
      },
      [](llvm::function_ref<void(const detail::PassOptions &)> optHandler) {
        optHandler(CompilePipelineOptions());
      });
}

} // namespace kiln
