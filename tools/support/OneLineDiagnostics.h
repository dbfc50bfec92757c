//===- OneLineDiagnostics.h - Diagnostics as single lines -------*- C++ -*-===//
//
// How kiln-import and kiln-compile report a model's errors: the first one,
// on one line,
//
//   <file>[:line:col]: error: <message> (at '<name>')
//
// where <name> is the node, input or initializer the location names (left
// out when the message already quotes it). Bytes outside printable ASCII are
// escaped (`\n`, `\x1b`), so a name from a model can neither break the line
// nor drive the terminal.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TOOLS_SUPPORT_ONELINEDIAGNOSTICS_H
#define KILN_TOOLS_SUPPORT_ONELINEDIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace kiln {

/// The one line of `diag`; `tool` prefixes diagnostics without a file.
std::string formatOneLine(mlir::Diagnostic &diag, llvm::StringRef tool);

/// Prints the first error and every warning of `context` as one line each
/// on stderr while in scope; later errors (which follow from the first),
/// notes and remarks are dropped.
class OneLineDiagnostics : public mlir::ScopedDiagnosticHandler {
public:
  OneLineDiagnostics(mlir::MLIRContext *context, llvm::StringRef tool);
};

} // namespace kiln

#endif // KILN_TOOLS_SUPPORT_ONELINEDIAGNOSTICS_H
