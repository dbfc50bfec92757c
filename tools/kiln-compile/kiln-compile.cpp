//===- kiln-compile.cpp - A model to a library the runtime loads -*- C++ -*-==//
//
//   kiln-compile MODEL.(onnx|onnxtxt|mlir) -o DIR [--target=cpu|cuda]
//       [--shape NAME=1x3x224x224]... [--bind NAME=FILE.npy]...
//       [--stop-after=PHASE] [-O0] [--cpu=native|portable|x86-64-vN]
//
// writes DIR/libmodel.so, DIR/weights.safetensors, DIR/model.mlir (the IR
// codegen printed), DIR/src/model.cpp (model.cu for cuda) and
// DIR/report.txt (kernels by kind, memory plan: Report.h). With
// --stop-after=import|graph|kernel|plan only DIR/model.mlir, the IR after
// that phase; with --stop-after=source everything but the library. An .mlir
// model starts from the phase its IR is in (graph, lowered or planned).
// --bind fixes an ONNX input to the array in a .npy file: the input becomes a
// constant of the model (for inputs that determine shapes, such as axes).
//
// Everything is written into a fresh directory beside DIR that replaces DIR
// at the end, so a failed compile leaves DIR as it was. DIR must be new,
// empty, or an earlier output of kiln-compile (OutputDirectory.h): Kiln
// never deletes what it did not write.
//
//===----------------------------------------------------------------------===//

#include "tools/RegisterKiln.h"
#include "tools/kiln-compile/BuildLibrary.h"
#include "tools/kiln-compile/OutputDirectory.h"
#include "tools/kiln-compile/Report.h"
#include "tools/support/LoadModel.h"
#include "tools/support/OneLineDiagnostics.h"

#include "frontends/onnx/Import.h"
#include "kernels/common/Checked.h"
#include "passes/codegen/Codegen.h"
#include "passes/pipeline/Pipelines.h"
#include "runtime/Npy.h"
#include "runtime/Safetensors.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
namespace cl = llvm::cl;

namespace {

cl::OptionCategory category("kiln-compile options");

cl::opt<std::string>
    inputPath(cl::Positional, cl::Required,
              cl::desc("<model.onnx|model.onnxtxt|model.mlir>"),
              cl::cat(category));
cl::opt<std::string> outputDir("o", cl::Required,
                               cl::desc("the directory to write"),
                               cl::value_desc("dir"), cl::cat(category));
cl::opt<std::string> targetName("target", cl::init("cpu"),
                                cl::desc("cpu or cuda"), cl::cat(category));
cl::list<std::string>
    shapes("shape", cl::desc("the shape of an input, e.g. x=1x3x224x224"),
           cl::value_desc("name=d0xd1x..."), cl::cat(category));
cl::list<std::string>
    bindings("bind",
             cl::desc("fix an ONNX input to the array in a .npy file, e.g. "
                      "axes=axes.npy"),
             cl::value_desc("name=file.npy"), cl::cat(category));
cl::opt<std::string>
    meshText("mesh",
             cl::desc("partition for a device mesh, e.g. dp=2,tp=2 (one "
                      "program for each of dp x tp ranks)"),
             cl::value_desc("dp=D,tp=T,pp=P"), cl::cat(category));
cl::opt<int64_t> microBatches(
    "micro-batches", cl::init(1),
    cl::desc("micro-batches of a pipeline-parallel mesh"), cl::cat(category));
cl::opt<bool> fastBuild("O0",
                        cl::desc("build the generated source without "
                                 "optimization (fast, for tests)"),
                        cl::cat(category));
cl::opt<std::string>
    cpuName("cpu", cl::init("native"),
            cl::desc("the instruction set of the generated host code: native "
                     "(this machine's, the default), portable, or x86-64, "
                     "x86-64-v2, x86-64-v3, x86-64-v4"),
            cl::cat(category));
cl::alias fastBuildAlias("fast", cl::aliasopt(fastBuild),
                         cl::desc("alias for -O0"), cl::cat(category));

/// The sizes of the axes of --mesh.
struct MeshSizes {
  int64_t dp = 1, tp = 1, pp = 1;
};
MeshSizes mesh;

/// Parses `dp=D,tp=T,pp=P` (any subset, any order) into `mesh`; a message
/// saying what is wrong otherwise.
std::string parseMesh(llvm::StringRef text) {
  for (llvm::StringRef entry : llvm::split(text, ',')) {
    auto [axis, size] = entry.split('=');
    int64_t value = 0;
    if (size.getAsInteger(10, value) || value < 1 || value > 4096)
      return "bad --mesh entry '" + entry.str() +
             "' (expected AXIS=N with N from 1 to 4096, e.g. dp=2,tp=2)";
    int64_t *slot = llvm::StringSwitch<int64_t *>(axis)
                        .Case("dp", &mesh.dp)
                        .Case("tp", &mesh.tp)
                        .Case("pp", &mesh.pp)
                        .Default(nullptr);
    if (!slot)
      return "unknown --mesh axis '" + axis.str() + "' (expected dp, tp or pp)";
    *slot = value;
  }
  return "";
}

/// Prints `kiln-compile: error: <message>` and returns the exit code.
int fail(const llvm::Twine &message) {
  llvm::errs() << "kiln-compile: error: " << message << "\n";
  return 1;
}

/// `name=d0xd1x...` with positive sizes (`name=` is a scalar) whose
/// product a tensor can hold.
bool isValidShape(llvm::StringRef entry) {
  auto [name, dims] = entry.split('=');
  if (name.empty() || !entry.contains('='))
    return false;
  if (dims.empty())
    return true;
  llvm::SmallVector<llvm::StringRef> sizes;
  dims.split(sizes, 'x');
  int64_t elements = 1;
  return llvm::all_of(sizes, [&](llvm::StringRef size) {
    int64_t value;
    return !size.getAsInteger(10, value) && value > 0 &&
           kiln::checkedMul(elements, value, elements) &&
           elements <= kiln::kMaxTensorBytes;
  });
}

/// The phase the IR of `module` is in: graph-level (tensors), lowered
/// (memrefs) or planned (an arena size on @main).
kiln::Phase getModulePhase(ModuleOp module) {
  auto func = module.lookupSymbol<func::FuncOp>("main");
  if (!func)
    return kiln::Phase::Import;
  bool isLowered = llvm::any_of(
      func.getArgumentTypes(), [](Type type) { return isa<MemRefType>(type); });
  if (!isLowered)
    return kiln::Phase::Import;
  return func->hasAttr("kernel.arena_bytes") ? kiln::Phase::Plan
                                             : kiln::Phase::Kernel;
}

/// Checks that every --shape names an input of @main (by graph.name).
LogicalResult checkShapeNames(ModuleOp module) {
  auto func = module.lookupSymbol<func::FuncOp>("main");
  if (!func || shapes.empty())
    return success();
  llvm::SmallVector<std::string> inputs;
  for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i)
    if (auto name = func.getArgAttrOfType<StringAttr>(i, "graph.name"))
      inputs.push_back(name.str());
  for (llvm::StringRef entry : shapes) {
    llvm::StringRef name = entry.split('=').first;
    if (!llvm::is_contained(inputs, name)) {
      fail("--shape names '" + name + "', which is not an input of the model " +
           "(inputs: " + llvm::join(inputs, ", ") + ")");
      return failure();
    }
  }
  return success();
}

/// The --bind values, read from their .npy files.
FailureOr<kiln::onnxfe::ImportOptions> readBindings(MLIRContext &context) {
  kiln::onnxfe::ImportOptions options;
  for (llvm::StringRef entry : bindings) {
    auto [name, path] = entry.split('=');
    kiln::NpyArray array;
    std::string error = kiln::readNpy(path.str(), array);
    if (!error.empty()) {
      fail("--bind " + name + ": " + error);
      return failure();
    }
    llvm::ArrayRef<char> bytes(
        reinterpret_cast<const char *>(array.data.data()), array.data.size());
    DenseElementsAttr value = kiln::onnxfe::getElementsFromBytes(
        array.dtype, array.shape, bytes, context);
    if (!value) {
      fail("--bind " + name + ": the array in '" + path +
           "' has an element type the compiler does not support");
      return failure();
    }
    options.bindings.push_back({name.str(), value});
  }
  return options;
}

OwningOpRef<ModuleOp> loadModel(MLIRContext &context,
                                llvm::SourceMgr &sources) {
  if (!bindings.empty() && llvm::sys::path::extension(inputPath) == ".mlir") {
    fail("--bind needs an ONNX model; '" + inputPath + "' is not one");
    return nullptr;
  }
  std::string error;
  OwningOpRef<ModuleOp> module = kiln::loadModelFile(
      inputPath, context, sources, [&] { return readBindings(context); },
      error);
  if (!module && !error.empty())
    fail(error);
  return module;
}

LogicalResult
writeText(llvm::StringRef path,
          llvm::function_ref<LogicalResult(llvm::raw_ostream &)> write) {
  std::error_code error;
  llvm::raw_fd_ostream os(path, error);
  if (error) {
    fail("cannot write " + path + ": " + error.message());
    return failure();
  }
  if (failed(write(os)))
    return failure();
  os.close();
  if (os.has_error()) {
    fail("cannot write " + path + ": " + os.error().message());
    os.clear_error();
    return failure();
  }
  return success();
}

LogicalResult writeWeights(ModuleOp module, llvm::StringRef path) {
  FailureOr<std::vector<kiln::WeightData>> weights =
      kiln::collectWeights(module);
  if (failed(weights))
    return failure();
  std::vector<kiln::SafetensorsEntry> entries;
  for (const kiln::WeightData &weight : *weights)
    entries.push_back({weight.name, weight.dtype, weight.shape,
                       weight.bytes.data(), weight.bytes.size()});
  std::string error = kiln::writeSafetensors(path.str(), entries);
  if (!error.empty()) {
    fail(error);
    return failure();
  }
  return success();
}

/// Constants with more elements (or resource blobs of more bytes) are
/// elided in the model.mlir written beside a library.
constexpr int64_t kElidedElements = 64;

/// The first line of a build log kiln-compile keeps beside DIR; only a file
/// that starts with it is ever replaced or removed.
constexpr const char *kBuildLogHeader =
    "# kiln-compile build log: the compiler's output for a failed build\n";

/// Keeps the compiler's output in `log` beside DIR; returns where.
std::string keepBuildLog(const kiln::OutputDirectory &output,
                         llvm::StringRef log) {
  auto text = llvm::MemoryBuffer::getFile(log, /*IsText=*/true);
  std::string kept = kiln::writeOwnedFile(
      output.beside(".build.log"), kBuildLogHeader,
      text ? (*text)->getBuffer().str() : std::string());
  return kept.empty() ? "the log could not be kept" : "see " + kept;
}

int compile(MLIRContext &context, kiln::Target target, kiln::Phase last) {
  // DIR is checked before any work: a folder that holds files Kiln did not
  // write is refused, not replaced.
  kiln::OutputDirectory output(outputDir, inputPath);
  if (std::string message = output.check(); !message.empty())
    return fail(message);

  // An .mlir model gets MLIR's diagnostics with its source lines; an ONNX
  // model, whose names are untrusted, one escaped line each.
  llvm::SourceMgr sources;
  SourceMgrDiagnosticHandler diagnostics(sources, &context);
  std::optional<kiln::OneLineDiagnostics> oneLine;
  if (llvm::sys::path::extension(inputPath) != ".mlir")
    oneLine.emplace(&context, "kiln-compile");
  OwningOpRef<ModuleOp> module = loadModel(context, sources);
  if (!module)
    return 1;

  kiln::Phase first = getModulePhase(*module);
  if (last < first)
    return fail("the model is already past phase '" + kiln::getPhaseName(last) +
                "'");
  if (!shapes.empty() && first != kiln::Phase::Import)
    return fail("--shape needs a graph-level model; this one is already "
                "lowered");
  if (failed(checkShapeNames(*module)))
    return 1;

  kiln::PipelineOptions options;
  options.shapes.assign(shapes.begin(), shapes.end());
  options.dp = mesh.dp;
  options.tp = mesh.tp;
  options.pp = mesh.pp;
  options.microBatches = microBatches;
  PassManager pm(&context);
  if (failed(applyPassManagerCLOptions(pm)))
    return 1;
  kiln::buildCompilePipeline(pm, options, first,
                             std::min(last, kiln::Phase::Plan));
  if (failed(pm.run(*module)))
    return 1;

  // The output goes to a fresh directory beside DIR first.
  if (std::string message = output.createStaging(); !message.empty())
    return fail(message);
  auto inStaging = [&](llvm::StringRef name) {
    return output.inStaging(name.str());
  };

  // With --stop-after the IR is the output and can be compiled again; beside
  // a library it is for reading, and the weights are in weights.safetensors.
  OpPrintingFlags printing;
  if (last >= kiln::Phase::Source)
    printing.elideLargeElementsAttrs(kElidedElements)
        .elideLargeResourceString(kElidedElements);
  if (failed(writeText(inStaging("model.mlir"), [&](llvm::raw_ostream &os) {
        module->print(os, printing);
        return success();
      })))
    return 1;

  if (last >= kiln::Phase::Source) {
    if (failed(writeText(inStaging("report.txt"), [&](llvm::raw_ostream &os) {
          kiln::writeCompileReport(*module, os);
          return success();
        })))
      return 1;
    bool isCuda = target == kiln::Target::Cuda;
    std::string sourceName = isCuda ? "model.cu" : "model.cpp";
    if (std::error_code error =
            llvm::sys::fs::create_directory(inStaging("src")))
      return fail("cannot create " + inStaging("src") + ": " + error.message());
    std::string source = inStaging("src/" + sourceName);
    if (failed(writeText(source, [&](llvm::raw_ostream &os) {
          return kiln::emitModelSource(*module, target, os);
        })))
      return 1;
    if (failed(writeWeights(*module, inStaging("weights.safetensors"))))
      return 1;

    if (last == kiln::Phase::Library) {
      kiln::BuildOptions build;
      build.target = target;
      build.optimize = !fastBuild;
      build.cpu = *kiln::parseCpu(cpuName);
      std::string log = inStaging("build.log");
      kiln::BuildResult result =
          kiln::buildLibrary(source, inStaging("libmodel.so"), log, build);
      if (!result.error.empty()) {
        if (!result.compilerRan)
          return fail(result.error);
        // The log outlives the staging directory, beside DIR.
        return fail(result.error + "; " + keepBuildLog(output, log));
      }
    }
  }

  std::string warning;
  if (std::string message = output.commit(warning); !message.empty())
    return fail(message);
  if (!warning.empty())
    llvm::errs() << "kiln-compile: warning: " << warning << "\n";
  kiln::removeOwnedFile(output.beside(".build.log"), kBuildLogHeader);
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // libLLVM's code generator registers a global --stop-after (a pass name)
  // when the library loads, and two options of one name cannot both be
  // registered. There is no way to keep libLLVM's static options out of a
  // tool, so its option is unregistered (it has no meaning here) before the
  // phase option takes the name; hence the phase option is built here, not
  // at namespace scope.
  auto &registered = cl::getRegisteredOptions();
  if (auto it = registered.find("stop-after"); it != registered.end())
    it->second->removeArgument();
  cl::opt<std::string> stopAfter(
      "stop-after", cl::init(""),
      cl::desc("stop after import, graph, kernel, plan or source"),
      cl::cat(category));
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  kiln::registerAllPasses();
  // --help lists kiln-compile's options and --help/--version; the MLIR and
  // LLVM debugging options (--mlir-print-ir-after-all, ...) still parse.
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "Kiln: compile a model to a library\n");

  std::optional<kiln::Target> target = kiln::parseTarget(targetName);
  if (!target)
    return fail("unknown --target '" + targetName + "' (expected cpu or cuda)");
  if (!kiln::parseCpu(cpuName))
    return fail("unknown --cpu '" + cpuName +
                "' (expected native, portable, x86-64, x86-64-v2, x86-64-v3 "
                "or x86-64-v4)");
  kiln::Phase last = kiln::Phase::Library;
  if (!stopAfter.empty()) {
    std::optional<kiln::Phase> phase = kiln::parsePhase(stopAfter);
    if (!phase)
      return fail("unknown --stop-after '" + stopAfter +
                  "' (expected import, graph, kernel, plan or source)");
    last = *phase;
  }
  for (llvm::StringRef entry : shapes)
    if (!isValidShape(entry))
      return fail("bad --shape '" + entry +
                  "' (expected NAME=D0xD1x... of positive sizes whose product "
                  "is below 2^62, e.g. x=1x3x224x224)");
  if (!meshText.empty())
    if (std::string message = parseMesh(meshText); !message.empty())
      return fail(message);
  if (microBatches < 1)
    return fail("--micro-batches must be positive");
  if (microBatches > 1 && mesh.pp == 1)
    return fail("--micro-batches needs a mesh with pp > 1");
  for (llvm::StringRef entry : bindings) {
    auto [name, path] = entry.split('=');
    if (name.empty() || path.empty())
      return fail("bad --bind '" + entry +
                  "' (expected NAME=FILE.npy, e.g. axes=axes.npy)");
  }

  DialectRegistry registry;
  kiln::registerAllDialects(registry);
  MLIRContext context(registry);
  // A diagnostic is one line with a location, not a dump of the IR.
  context.printOpOnDiagnostic(false);
  kiln::onnxfe::loadImportDialects(context);
  context.loadAllAvailableDialects();
  return compile(context, *target, last);
}
