//===- kiln-plan.cpp - Candidate meshes of a model on a cluster -*- C++ -*-===//
//
//   kiln-plan MODEL.(onnx|onnxtxt|mlir) --shape NAME=DIMS... --cluster FILE
//       [--devices N] [--micro-batches 1,2,4,8] [--top K] [--details]
//
// prints one row per mesh dp x tp x pp = N (N given, or every N that
// divides the cluster's devices; micro-batches from the list when pp > 1):
// memory per device, compute and communication per step, the pipeline
// bubble, the predicted step time, throughput and scaling efficiency, best
// first; then `best: dp=..,tp=..,pp=..,micro-batches=..`, the fastest mesh
// that fits the device memory. Meshes that kiln-partition refuses are listed
// with its reason. The model goes through kiln-compile's graph phase once;
// each (dp, tp) through the real kiln-partition (docs/partitioning.md).
//
//===----------------------------------------------------------------------===//

#include "tools/RegisterKiln.h"
#include "tools/kiln-plan/Cluster.h"
#include "tools/kiln-plan/Plan.h"
#include "tools/support/EscapeForTerminal.h"
#include "tools/support/LoadModel.h"
#include "tools/support/OneLineDiagnostics.h"

#include "frontends/onnx/Import.h"
#include "passes/partition/CostModel.h"
#include "passes/partition/Passes.h"
#include "passes/pipeline/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#include <algorithm>
#include <map>

using namespace mlir;
using namespace kiln::plan;
namespace cl = llvm::cl;

namespace {

cl::OptionCategory category("kiln-plan options");

cl::opt<std::string>
    inputPath(cl::Positional, cl::Required,
              cl::desc("<model.onnx|model.onnxtxt|model.mlir>"),
              cl::cat(category));
cl::list<std::string>
    shapes("shape", cl::desc("the shape of an input, e.g. x=1x3x224x224"),
           cl::value_desc("name=d0xd1x..."), cl::cat(category));
cl::opt<std::string> clusterPath("cluster", cl::Required,
                                 cl::desc("the cluster description (JSON)"),
                                 cl::value_desc("file.json"),
                                 cl::cat(category));
cl::opt<int64_t> devices("devices", cl::init(0),
                         cl::desc("the number of devices (default: every "
                                  "number that divides the cluster's)"),
                         cl::cat(category));
cl::opt<std::string>
    microBatchText("micro-batches", cl::init("1,2,4,8"),
                   cl::desc("micro-batch counts to try when pp > 1"),
                   cl::value_desc("M1,M2,..."), cl::cat(category));
cl::opt<int64_t> top("top", cl::init(0),
                     cl::desc("print the K best meshes only (0: all)"),
                     cl::cat(category));
cl::opt<bool> details("details",
                      cl::desc("list each mesh's collectives and stages"),
                      cl::cat(category));

/// Prints `kiln-plan: error: <message>` and returns the exit code.
int fail(const llvm::Twine &message) {
  llvm::errs() << "kiln-plan: error: " << message << "\n";
  return 1;
}

std::string formatMesh(const MeshShape &mesh) {
  return "dp=" + std::to_string(mesh.dp) + ",tp=" + std::to_string(mesh.tp) +
         ",pp=" + std::to_string(mesh.pp);
}

OwningOpRef<ModuleOp> loadModel(MLIRContext &context,
                                llvm::SourceMgr &sources) {
  std::string error;
  OwningOpRef<ModuleOp> module = kiln::loadModelFile(
      inputPath, context, sources,
      [] { return FailureOr<kiln::onnxfe::ImportOptions>(kiln::onnxfe::ImportOptions()); },
      error);
  if (!module && !error.empty())
    fail(error);
  return module;
}

/// Checks that every --shape names an input of @main (by graph.name).
LogicalResult checkShapeNames(func::FuncOp func) {
  llvm::SmallVector<std::string> inputs;
  for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i)
    if (auto name = func.getArgAttrOfType<StringAttr>(i, "graph.name"))
      inputs.push_back(name.str());
  for (llvm::StringRef entry : shapes) {
    auto [name, dims] = entry.split('=');
    if (!entry.contains('=') || name.empty()) {
      fail("bad --shape '" + kiln::escapeForTerminal(entry.str()) +
           "' (expected NAME=D0xD1x..., e.g. x=1x3x224x224)");
      return failure();
    }
    if (!llvm::is_contained(inputs, name)) {
      fail("--shape names '" + kiln::escapeForTerminal(name.str()) +
           "', which is not an input of the model (inputs: " +
           llvm::join(inputs, ", ") + ")");
      return failure();
    }
  }
  return success();
}

/// The (dp, tp) program of one rank, or why kiln-partition refuses it.
struct Partitioned {
  std::optional<kiln::cost::GraphCost> cost;
  std::string reason;
};

Partitioned partition(ModuleOp graphModule, int64_t dp, int64_t tp) {
  Partitioned result;
  OwningOpRef<ModuleOp> module = graphModule.clone();
  // The pass's first error is the reason; nothing reaches the terminal.
  ScopedDiagnosticHandler capture(module->getContext(), [&](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error &&
        result.reason.empty())
      result.reason = kiln::escapeForTerminal(diag.str());
    return success();
  });
  if (dp * tp > 1) {
    // What kiln-compile --mesh runs after the graph phase.
    PassManager pm(module->getContext());
    kiln::PipelineOptions options;
    options.dp = dp;
    options.tp = tp;
    kiln::buildPartitionPhase(pm, options);
    if (failed(pm.run(*module))) {
      if (result.reason.empty())
        result.reason = "kiln-partition failed";
      return result;
    }
  }
  auto func = module->lookupSymbol<func::FuncOp>("main");
  FailureOr<kiln::cost::GraphCost> cost = kiln::cost::analyzeFunction(func);
  if (failed(cost)) {
    if (result.reason.empty())
      result.reason = "the cost model failed";
    return result;
  }
  result.cost = std::move(*cost);
  return result;
}

llvm::SmallVector<int64_t> getDivisors(int64_t n) {
  llvm::SmallVector<int64_t> divisors;
  for (int64_t d = 1; d <= n; ++d)
    if (n % d == 0)
      divisors.push_back(d);
  return divisors;
}

void printTable(llvm::ArrayRef<Candidate> candidates, const Candidate *best) {
  llvm::outs() << llvm::format(
      "  %-16s %3s %9s %9s %9s %9s %4s %9s %-26s %9s %6s %9s %11s %6s\n",
      "mesh", "M", "weights", "activ.", "buffers", "total", "fits", "compute",
      "comm volume dp/tp/pp", "comm", "bubble", "step", "samples/s", "eff.");
  int64_t printed = 0;
  for (const Candidate &c : candidates) {
    if (!c.infeasible.empty())
      continue;
    if (top > 0 && printed++ >= top)
      break;
    std::string volume = formatBytes(c.commBytes[0]) + "/" +
                         formatBytes(c.commBytes[1]) + "/" +
                         formatBytes(c.commBytes[2]);
    llvm::outs() << llvm::format(
        "%c %-16s %3lld %9s %9s %9s %9s %4s %9s %-26s %9s %5.1f%% %9s %11.1f "
        "%5.1f%%\n",
        &c == best ? '*' : ' ', formatMesh(c.mesh).c_str(),
        static_cast<long long>(c.mesh.micro),
        formatBytes(c.weightBytes).c_str(),
        formatBytes(c.activationBytes).c_str(),
        formatBytes(c.bufferBytes).c_str(), formatBytes(c.totalBytes).c_str(),
        c.fits ? "yes" : "no", formatTime(c.computeTime).c_str(),
        volume.c_str(), formatTime(c.commTime).c_str(), 100 * c.bubble,
        formatTime(c.stepTime).c_str(), c.throughput, 100 * c.efficiency);
    if (details)
      for (const std::string &line : c.details)
        llvm::outs() << "      " << line << "\n";
  }
  for (const Candidate &c : candidates)
    if (!c.infeasible.empty())
      llvm::outs() << llvm::format("  %-16s %3s  infeasible: ",
                                   formatMesh(c.mesh).c_str(),
                                   c.mesh.micro == 0
                                       ? "-"
                                       : std::to_string(c.mesh.micro).c_str())
                   << c.infeasible << "\n";
}

int plan(MLIRContext &context, const Cluster &cluster,
         llvm::ArrayRef<int64_t> microBatches) {
  llvm::SourceMgr sources;
  SourceMgrDiagnosticHandler sourceDiagnostics(sources, &context);
  std::optional<kiln::OneLineDiagnostics> oneLine;
  if (llvm::sys::path::extension(inputPath) != ".mlir")
    oneLine.emplace(&context, "kiln-plan");
  OwningOpRef<ModuleOp> module = loadModel(context, sources);
  if (!module)
    return 1;
  auto func = module->lookupSymbol<func::FuncOp>("main");
  if (!func)
    return fail("the model has no func.func @main");
  if (failed(checkShapeNames(func)))
    return 1;

  // kiln-compile's graph phase, unpartitioned: static shapes everywhere.
  kiln::PipelineOptions options;
  options.shapes.assign(shapes.begin(), shapes.end());
  PassManager pm(&context);
  kiln::buildCompilePipeline(pm, options, kiln::Phase::Import,
                             kiln::Phase::Graph);
  if (failed(pm.run(*module)))
    return 1;
  func = module->lookupSymbol<func::FuncOp>("main");

  // The batch: dim 0 of the first ranked input, as kiln-partition's dp.
  int64_t batch = 1;
  for (Type type : func.getArgumentTypes())
    if (auto tensor = dyn_cast<RankedTensorType>(type);
        tensor && tensor.getRank() > 0) {
      batch = tensor.getDimSize(0);
      break;
    }

  Partitioned single = partition(*module, 1, 1);
  if (!single.cost)
    return fail(single.reason);
  Candidate baseline = evaluate(*single.cost, {}, cluster, batch, 1);
  if (!baseline.infeasible.empty())
    return fail(baseline.infeasible);

  llvm::SmallVector<int64_t> counts;
  if (devices > 0)
    counts.push_back(devices);
  else
    counts = getDivisors(cluster.getNumDevices());
  std::map<std::pair<int64_t, int64_t>, Partitioned> programs;
  std::vector<Candidate> candidates;
  for (int64_t n : counts) {
    int64_t ranksPerDevice =
        (n + cluster.getNumDevices() - 1) / cluster.getNumDevices();
    for (int64_t dp : getDivisors(n))
      for (int64_t tp : getDivisors(n / dp)) {
        int64_t pp = n / dp / tp;
        auto key = std::make_pair(dp, tp);
        if (!programs.count(key))
          programs[key] = partition(*module, dp, tp);
        const Partitioned &program = programs[key];
        if (!program.cost) {
          // One row whatever the micro-batches (M = 0 prints as "-").
          Candidate refused;
          refused.mesh = {dp, tp, pp, 0};
          refused.infeasible = program.reason;
          candidates.push_back(refused);
          continue;
        }
        for (int64_t m : microBatches) {
          if (pp == 1 && m != 1)
            continue;
          MeshShape mesh{dp, tp, pp, m};
          Candidate candidate =
              evaluate(*program.cost, mesh, cluster, batch, ranksPerDevice);
          candidate.efficiency =
              candidate.throughput / (n * baseline.throughput);
          candidates.push_back(candidate);
        }
        if (pp == 1 && !llvm::is_contained(microBatches, 1)) {
          // An unpipelined mesh always has one micro-batch.
          MeshShape mesh{dp, tp, 1, 1};
          Candidate candidate =
              evaluate(*program.cost, mesh, cluster, batch, ranksPerDevice);
          candidate.efficiency =
              candidate.throughput / (n * baseline.throughput);
          candidates.push_back(candidate);
        }
      }
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate &a, const Candidate &b) {
                     if (a.infeasible.empty() != b.infeasible.empty())
                       return a.infeasible.empty();
                     return a.throughput > b.throughput;
                   });
  const Candidate *best = nullptr;
  for (const Candidate &c : candidates)
    if (c.infeasible.empty() && c.fits) {
      best = &c;
      break;
    }

  llvm::outs() << "model " << kiln::escapeForTerminal(inputPath) << ", batch "
               << batch << ", " << llvm::format("%.4g", single.cost->flops)
               << " FLOPs per step, weights "
               << formatBytes(single.cost->weightBytes) << "\n";
  llvm::outs() << "cluster " << kiln::escapeForTerminal(cluster.name) << ": "
               << cluster.nodes << " x " << cluster.devicesPerNode
               << " devices, " << formatBytes(cluster.deviceMemoryBytes)
               << " each; one device: step " << formatTime(baseline.stepTime)
               << ", " << llvm::format("%.1f", baseline.throughput)
               << " samples/s\n";
  if (devices > cluster.getNumDevices())
    llvm::outs() << "note: " << devices.getValue() << " ranks on "
                 << cluster.getNumDevices()
                 << " devices share each device's FLOP/s and bandwidth\n";
  printTable(candidates, best);
  if (!best) {
    llvm::outs() << "best: none (no feasible mesh fits "
                 << formatBytes(cluster.deviceMemoryBytes) << " per device)\n";
    return 0;
  }
  llvm::outs() << "best: " << formatMesh(best->mesh)
               << ",micro-batches=" << best->mesh.micro << "\n";
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  kiln::registerAllPasses();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "Kiln: the candidate meshes of a model on a "
                              "cluster, priced, and the best\n");

  if (devices < 0)
    return fail("--devices must be positive");
  if (top < 0)
    return fail("--top must be positive or 0 (all)");
  llvm::SmallVector<int64_t> microBatches;
  for (llvm::StringRef entry : llvm::split(microBatchText, ',')) {
    int64_t value = 0;
    if (entry.getAsInteger(10, value) || value < 1 || value > 4096)
      return fail("bad --micro-batches entry '" +
                  kiln::escapeForTerminal(entry.str()) +
                  "' (expected a list of counts from 1 to 4096, e.g. 1,2,4,8)");
    microBatches.push_back(value);
  }
  Cluster cluster;
  if (std::string error = readCluster(clusterPath, cluster); !error.empty()) {
    llvm::errs() << error << "\n";
    return 1;
  }

  DialectRegistry registry;
  kiln::registerAllDialects(registry);
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);
  kiln::onnxfe::loadImportDialects(context);
  context.loadAllAvailableDialects();
  return plan(context, cluster, microBatches);
}
