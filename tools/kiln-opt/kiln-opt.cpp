//===- kiln-opt.cpp - Kiln's mlir-opt ---------------------------*- C++ -*-===//
//
// Runs Kiln's and upstream passes over .mlir files with mlir-opt's
// conventions: --split-input-file, --verify-diagnostics, --pass-pipeline=.
//
//===----------------------------------------------------------------------===//

#include "tools/RegisterKiln.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  kiln::registerAllDialects(registry);
  kiln::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Kiln optimizer driver\n", registry));
}
