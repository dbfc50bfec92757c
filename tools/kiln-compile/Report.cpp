//===- Report.cpp - What the compiler made of the model -------------------===//

#include "tools/kiln-compile/Report.h"

#include "dialects/kernel/KernelOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include <map>
#include "llvm/Support/Format.h"

using namespace mlir;

namespace kiln {
namespace {

/// The kind of a kernel op as the profiler names it: a library call's
/// callee, else the op's name without "kernel.".
std::optional<std::string> kernelKind(Operation *op) {
  if (op->getDialect() == nullptr ||
      op->getDialect()->getNamespace() != "kernel")
    return std::nullopt;
  if (auto call = dyn_cast<kernel::LibraryCallOp>(op))
    return call.getCallee().str();
  if (isa<kernel::AllocOp, kernel::ViewOp, kernel::DimOp, kernel::WeightOp,
          kernel::YieldOp>(op) ||
      op->getParentOfType<kernel::ElementwiseOp>())
    return std::nullopt;
  return op->getName().stripDialect().str();
}

double mebibytes(int64_t bytes) { return static_cast<double>(bytes) / 1048576; }

} // namespace

void writeCompileReport(ModuleOp module, llvm::raw_ostream &os) {
  for (auto func : module.getOps<func::FuncOp>()) {
    auto arena = func->getAttrOfType<IntegerAttr>("kernel.arena_bytes");
    if (func.isExternal() || !arena)
      continue;
    std::map<std::string, int64_t> kinds;
    int64_t kernels = 0, buffers = 0;
    func.walk([&](Operation *op) {
      if (isa<kernel::AllocOp>(op))
        ++buffers;
      if (std::optional<std::string> kind = kernelKind(op)) {
        ++kinds[*kind];
        ++kernels;
      }
    });
    llvm::SmallVector<std::pair<std::string, int64_t>> sorted(kinds.begin(),
                                                              kinds.end());
    llvm::stable_sort(sorted, [](const auto &a, const auto &b) {
      return a.second > b.second;
    });
    os << "entry " << func.getSymName() << ": " << kernels << " kernels:";
    for (auto [index, kind] : llvm::enumerate(sorted))
      os << (index ? ", " : " ") << kind.second << " " << kind.first;
    os << "\n";
    auto total = func->getAttrOfType<IntegerAttr>("kernel.intermediate_bytes");
    int64_t sum = total ? total.getInt() : 0;
    os << "entry " << func.getSymName() << ": arena "
       << llvm::format("%.2f", mebibytes(arena.getInt())) << " MiB for "
       << buffers << " intermediate buffers of "
       << llvm::format("%.2f", mebibytes(sum)) << " MiB";
    if (sum > 0)
      os << " ("
         << llvm::format("%.1f", 100.0 * static_cast<double>(arena.getInt()) /
                                     static_cast<double>(sum))
         << "% of their sum)";
    os << "\n";
  }
}

} // namespace kiln
