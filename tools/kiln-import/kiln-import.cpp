//===- kiln-import.cpp - ONNX model to graph-dialect MLIR -----------------===//
//
//   kiln-import MODEL.(onnx|onnxtxt) [-o OUT.mlir] [--emit-bytecode]
//               [--mlir-print-debuginfo]
//
// Prints the imported module. On error it prints one line per diagnostic
// ("<file>[:line:col]: error: <message>"), leaves no output file behind and
// exits with status 1.
//
//===----------------------------------------------------------------------===//

#include "tools/RegisterKiln.h"
#include "tools/support/OneLineDiagnostics.h"

#include "frontends/onnx/Import.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"


using namespace mlir;

namespace {

namespace cl = llvm::cl;

cl::OptionCategory category("kiln-import options");

cl::opt<std::string> inputFilename(cl::Positional,
                                   cl::desc("<model.onnx|model.onnxtxt>"),
                                   cl::Required, cl::cat(category));
cl::opt<std::string> outputFilename("o",
                                    cl::desc("the file to write (default: "
                                             "standard output)"),
                                    cl::value_desc("filename"), cl::init("-"),
                                    cl::cat(category));
cl::opt<bool> emitBytecode("emit-bytecode",
                           cl::desc("write MLIR bytecode instead of text"),
                           cl::init(false), cl::cat(category));

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  // --mlir-print-debuginfo and friends: they parse, but --help lists only
  // kiln-import's own options, not libLLVM's.
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "Kiln ONNX importer: prints a model as "
                              "graph-dialect MLIR\n");
  DialectRegistry registry;
  kiln::registerAllDialects(registry);
  MLIRContext context(registry);
  kiln::OneLineDiagnostics diagnostics(&context, "kiln-import");

  OwningOpRef<ModuleOp> module =
      kiln::onnxfe::importOnnxFile(inputFilename, context);
  if (!module)
    return 1;

  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFilename, &error);
  if (!output) {
    llvm::errs() << "kiln-import: error: " << error << "\n";
    return 1;
  }
  if (emitBytecode) {
    if (failed(writeBytecodeToFile(*module, output->os())))
      return 1;
  } else {
    module->print(output->os());
    output->os() << "\n";
  }
  output->keep();
  return 0;
}
