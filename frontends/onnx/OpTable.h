//===- OpTable.h - (op type, schema version) -> import function -*- C++ -*-===//
//
// Each op of the default ONNX domain has schema versions, the opsets that
// (re)defined it (OnnxSchemaVersions.inc, generated from ONNX's own
// registry by gen_schema_versions.py). A node at opset M is of the op's
// schema version in effect at M, the largest since-version not above M; it
// is imported by the function registered for exactly that version, or
// refused when none is. An import function therefore states every schema
// version it implements: a newer version is imported only once someone has
// checked what it changed. The families register themselves from
// ImportMath.cpp, ImportNN.cpp, ImportReduce.cpp, ImportTensor.cpp,
// ImportConstant.cpp and ImportControlFlow.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_FRONTENDS_ONNX_OPTABLE_H
#define KILN_FRONTENDS_ONNX_OPTABLE_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include <initializer_list>
#include <string>
#include <utility>

namespace kiln::onnxfe {

class NodeImporter;

/// Imports one node; emits an error at the node and fails when it cannot.
using OpImportFn = mlir::LogicalResult (*)(NodeImporter &);

/// The newest opset of the default domain whose schemas Kiln knows; a model
/// importing a newer one is refused.
constexpr int64_t kMaxSupportedOpset = 28;

/// The since-versions of default-domain op `opType`, ascending; empty when
/// ONNX has no such op.
llvm::ArrayRef<int64_t> getSchemaVersions(llvm::StringRef opType);

/// The schema version of `opType` in effect at `opset`: its largest
/// since-version not above `opset`; 0 when the op does not exist (yet) at
/// `opset`.
int64_t getSchemaVersion(llvm::StringRef opType, int64_t opset);

/// Every op of the schema table, in name order.
llvm::SmallVector<llvm::StringRef> getSchemaOpTypes();

class OpTable {
public:
  /// Registers `fn` as the import of each schema version in `versions` of
  /// `opType` (since-versions from OnnxSchemaVersions.inc).
  void add(llvm::StringRef opType, std::initializer_list<int64_t> versions,
           OpImportFn fn);

  /// What a node of `opType` at `opset` is imported with.
  struct Lookup {
    /// The op's schema version in effect; 0 when there is none.
    int64_t schemaVersion = 0;
    /// The function registered for exactly that version; null when none.
    OpImportFn fn = nullptr;
  };
  Lookup lookup(llvm::StringRef opType, int64_t opset) const;

  /// Whether some schema version of `opType` has an import function.
  bool hasOp(llvm::StringRef opType) const { return entries.count(opType); }

  /// Every registered (op type, schema version), in no particular order.
  llvm::SmallVector<std::pair<std::string, int64_t>> getRegistered() const;

  /// The table of every supported op, built on first use.
  static const OpTable &get();

private:
  struct Entry {
    int64_t version;
    OpImportFn fn;
  };
  llvm::StringMap<llvm::SmallVector<Entry, 4>> entries;
};

void registerConstantOps(OpTable &table);
void registerControlFlowOps(OpTable &table);
void registerMathOps(OpTable &table);
void registerNNOps(OpTable &table);
void registerReduceOps(OpTable &table);
void registerQuantOps(OpTable &table);
void registerTensorOps(OpTable &table);

} // namespace kiln::onnxfe

#endif // KILN_FRONTENDS_ONNX_OPTABLE_H
