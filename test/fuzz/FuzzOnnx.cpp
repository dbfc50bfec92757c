//===- FuzzOnnx.cpp - libFuzzer target: an ONNX model through the compiler ===//
//
// Each input is a model file, binary (kiln-fuzz-onnx) or ONNX text
// (kiln-fuzz-onnxtxt, built with KILN_FUZZ_TEXT). It is imported and, when
// that succeeds, compiled through every phase up to the generated source,
// as kiln-compile would; every diagnostic is swallowed. Any crash, hang,
// sanitizer report or leak is a finding.
//
//===----------------------------------------------------------------------===//

#include "tools/RegisterKiln.h"

#include "frontends/onnx/Import.h"
#include "passes/codegen/Codegen.h"
#include "passes/pipeline/Pipelines.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

#include <stddef.h>
#include <stdint.h>

#include <string>

using namespace mlir;

namespace {

#ifdef KILN_FUZZ_TEXT
constexpr bool kIsText = true;
#else
constexpr bool kIsText = false;
#endif

const DialectRegistry &getRegistry() {
  static DialectRegistry *registry = [] {
    auto *r = new DialectRegistry();
    kiln::registerAllDialects(*r);
    return r;
  }();
  return *registry;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // A fresh context per input: resource blobs and uniqued attributes do not
  // pile up across inputs.
  MLIRContext context(getRegistry(), MLIRContext::Threading::DISABLED);
  context.printOpOnDiagnostic(false);
  ScopedDiagnosticHandler silence(&context,
                                  [](Diagnostic &) { return success(); });
  kiln::onnxfe::loadImportDialects(context);
  context.loadAllAvailableDialects();

  // The text parser reads up to a NUL; std::string keeps one after the
  // data. External data is looked up in a folder that does not exist.
  std::string bytes(reinterpret_cast<const char *>(data), size);
  OwningOpRef<ModuleOp> module = kiln::onnxfe::importOnnxBuffer(
      bytes, kIsText ? "fuzz.onnxtxt" : "fuzz.onnx", "/nonexistent-kiln-fuzz",
      kIsText, context);
  if (!module)
    return 0;

  PassManager pm(&context);
  kiln::buildCompilePipeline(pm, kiln::PipelineOptions(), kiln::Phase::Import,
                             kiln::Phase::Plan);
  if (failed(pm.run(*module)))
    return 0;
  llvm::raw_null_ostream sink;
  (void)kiln::emitModelSource(*module, kiln::Target::Cpu, sink);
  return 0;
}
