//===- Report.h - What the compiler made of the model -----------*- C++ -*-===//
//
// DIR/report.txt, beside the library: for each entry point of the planned
// module, its kernels by kind and its memory plan against the sum of the
// intermediate buffers it places:
//
//   entry main: 106 kernels: 53 conv, 50 elementwise, 1 max_pool, ...
//   entry main: arena 12.25 MiB for 104 intermediate buffers of 81.40 MiB
//     (15.0% of their sum)
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TOOLS_KILN_COMPILE_REPORT_H
#define KILN_TOOLS_KILN_COMPILE_REPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

namespace kiln {

/// Writes the report of a module after the plan phase.
void writeCompileReport(mlir::ModuleOp module, llvm::raw_ostream &os);

} // namespace kiln

#endif // KILN_TOOLS_KILN_COMPILE_REPORT_H
