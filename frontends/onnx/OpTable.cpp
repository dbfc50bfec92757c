//===- OpTable.cpp - (op type, since version) -> import function ----------===//

#include "frontends/onnx/OpTable.h"

#include "llvm/ADT/STLExtras.h"

#include <cassert>

namespace kiln::onnxfe {

void OpTable::add(llvm::StringRef opType, int64_t sinceVersion, OpImportFn fn) {
  llvm::SmallVector<Entry, 2> &versions = entries[opType];
  auto *pos = llvm::partition_point(versions, [&](const Entry &entry) {
    return entry.sinceVersion < sinceVersion;
  });
  assert((pos == versions.end() || pos->sinceVersion != sinceVersion) &&
         "op version registered twice");
  versions.insert(pos, Entry{sinceVersion, fn});
}

OpImportFn OpTable::lookup(llvm::StringRef opType, int64_t opset) const {
  if (opset > kMaxSupportedOpset)
    return nullptr;
  auto it = entries.find(opType);
  if (it == entries.end())
    return nullptr;
  OpImportFn best = nullptr;
  for (const Entry &entry : it->second)
    if (entry.sinceVersion <= opset)
      best = entry.fn;
  return best;
}

const OpTable &OpTable::get() {
  static const OpTable table = [] {
    OpTable result;
    registerConstantOps(result);
    registerMathOps(result);
    registerNNOps(result);
    registerReduceOps(result);
    registerTensorOps(result);
    return result;
  }();
  return table;
}

} // namespace kiln::onnxfe
