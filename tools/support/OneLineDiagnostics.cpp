//===- OneLineDiagnostics.cpp - Diagnostics as single lines ---------------===//

#include "tools/support/OneLineDiagnostics.h"
#include "tools/support/EscapeForTerminal.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace kiln {
namespace {

/// The first file position in `loc`, looking through names and call sites.
std::optional<FileLineColLoc> findFileLoc(Location loc) {
  std::optional<FileLineColLoc> result;
  loc->walk([&](Location inner) {
    if (auto fileLoc = dyn_cast<FileLineColLoc>(inner)) {
      result = fileLoc;
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return result;
}

/// The name of the first NameLoc in `loc`; "" if none.
StringRef findName(Location loc) {
  StringRef name;
  loc->walk([&](Location inner) {
    if (auto nameLoc = dyn_cast<NameLoc>(inner)) {
      name = nameLoc.getName().getValue();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return name;
}

} // namespace

std::string formatOneLine(Diagnostic &diag, StringRef tool) {
  std::string line;
  llvm::raw_string_ostream os(line);
  if (std::optional<FileLineColLoc> fileLoc = findFileLoc(diag.getLocation())) {
    os << escapeForTerminal(fileLoc->getFilename().getValue());
    if (fileLoc->getLine() != 0)
      os << ":" << fileLoc->getLine() << ":" << fileLoc->getColumn();
    os << ": ";
  } else {
    os << tool << ": ";
  }
  os << (diag.getSeverity() == DiagnosticSeverity::Error ? "error: "
                                                         : "warning: ");
  std::string message = diag.str();
  os << escapeForTerminal(message);
  StringRef name = findName(diag.getLocation());
  if (!name.empty() && !StringRef(message).contains(("'" + name + "'").str())) {
    // A long name keeps its end, which names the op.
    constexpr size_t kMaxName = 120;
    std::string shown = escapeForTerminal(name.take_back(kMaxName));
    os << " (at '" << (name.size() > kMaxName ? "..." : "") << shown << "')";
  }
  return line;
}

OneLineDiagnostics::OneLineDiagnostics(MLIRContext *context, StringRef tool)
    : ScopedDiagnosticHandler(context) {
  std::string prefix = tool.str();
  setHandler([prefix, printedError = false](Diagnostic &diag) mutable {
    if (diag.getSeverity() == DiagnosticSeverity::Note ||
        diag.getSeverity() == DiagnosticSeverity::Remark)
      return success();
    // Errors after the first follow from it.
    bool isError = diag.getSeverity() == DiagnosticSeverity::Error;
    if (isError && printedError)
      return success();
    printedError |= isError;
    llvm::errs() << formatOneLine(diag, prefix) << "\n";
    return success();
  });
}

} // namespace kiln
