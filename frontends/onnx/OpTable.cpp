//===- OpTable.cpp - (op type, schema version) -> import function ---------===//

#include "frontends/onnx/OpTable.h"

#include "llvm/ADT/STLExtras.h"

#include <cassert>

namespace kiln::onnxfe {
namespace {

/// The most since-versions one op has in the schema table.
constexpr size_t kMaxSchemaVersions = 16;

struct SchemaEntry {
  llvm::StringLiteral opType;
  /// Ascending, zero-padded.
  int64_t versions[kMaxSchemaVersions];

  llvm::ArrayRef<int64_t> getVersions() const {
    return llvm::ArrayRef<int64_t>(versions).take_while(
        [](int64_t version) { return version != 0; });
  }
};

#define KILN_ONNX_NEWEST_OPSET(opset)                                          \
  constexpr int64_t kSchemaNewestOpset = opset;
#define KILN_ONNX_OP(...)
#include "frontends/onnx/OnnxSchemaVersions.inc"
#undef KILN_ONNX_NEWEST_OPSET
#undef KILN_ONNX_OP

static_assert(kSchemaNewestOpset == kMaxSupportedOpset,
              "OnnxSchemaVersions.inc was made for another newest opset");

/// Sorted by op type (the generator writes them so).
constexpr SchemaEntry kSchemas[] = {
#define KILN_ONNX_NEWEST_OPSET(opset)
#define KILN_ONNX_OP(name, ...) {name, {__VA_ARGS__}},
#include "frontends/onnx/OnnxSchemaVersions.inc"
#undef KILN_ONNX_NEWEST_OPSET
#undef KILN_ONNX_OP
};

const SchemaEntry *findSchema(llvm::StringRef opType) {
  const SchemaEntry *it =
      llvm::partition_point(kSchemas, [&](const SchemaEntry &entry) {
        return entry.opType < opType;
      });
  if (it == std::end(kSchemas) || it->opType != opType)
    return nullptr;
  return it;
}

} // namespace

llvm::ArrayRef<int64_t> getSchemaVersions(llvm::StringRef opType) {
  const SchemaEntry *schema = findSchema(opType);
  return schema ? schema->getVersions() : llvm::ArrayRef<int64_t>();
}

int64_t getSchemaVersion(llvm::StringRef opType, int64_t opset) {
  int64_t inEffect = 0;
  for (int64_t version : getSchemaVersions(opType))
    if (version <= opset)
      inEffect = version;
  return inEffect;
}

llvm::SmallVector<llvm::StringRef> getSchemaOpTypes() {
  llvm::SmallVector<llvm::StringRef> opTypes;
  for (const SchemaEntry &entry : kSchemas)
    opTypes.push_back(entry.opType);
  return opTypes;
}

void OpTable::add(llvm::StringRef opType,
                  std::initializer_list<int64_t> versions, OpImportFn fn) {
  llvm::SmallVector<Entry, 4> &registered = entries[opType];
  for (int64_t version : versions) {
    assert(llvm::none_of(
               registered,
               [&](const Entry &entry) { return entry.version == version; }) &&
           "op version registered twice");
    registered.push_back(Entry{version, fn});
  }
}

OpTable::Lookup OpTable::lookup(llvm::StringRef opType, int64_t opset) const {
  Lookup result;
  if (opset > kMaxSupportedOpset)
    return result;
  result.schemaVersion = getSchemaVersion(opType, opset);
  auto it = entries.find(opType);
  if (result.schemaVersion == 0 || it == entries.end())
    return result;
  for (const Entry &entry : it->second)
    if (entry.version == result.schemaVersion)
      result.fn = entry.fn;
  return result;
}

llvm::SmallVector<std::pair<std::string, int64_t>>
OpTable::getRegistered() const {
  llvm::SmallVector<std::pair<std::string, int64_t>> registered;
  for (const auto &op : entries)
    for (const Entry &entry : op.getValue())
      registered.emplace_back(op.getKey().str(), entry.version);
  return registered;
}

const OpTable &OpTable::get() {
  static const OpTable table = [] {
    OpTable result;
    registerConstantOps(result);
    registerControlFlowOps(result);
    registerMathOps(result);
    registerNNOps(result);
    registerQuantOps(result);
    registerReduceOps(result);
    registerTensorOps(result);
    return result;
  }();
  return table;
}

} // namespace kiln::onnxfe
