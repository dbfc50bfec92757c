//===- OpTable.h - (op type, since version) -> import function --*- C++ -*-===//
//
// Each ONNX op of the default domain maps to import functions keyed by the
// opset version that introduced the meaning they import; a node uses the
// newest one not above the model's opset. The families register themselves
// from ImportMath.cpp, ImportNN.cpp, ImportReduce.cpp, ImportTensor.cpp and
// ImportConstant.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_FRONTENDS_ONNX_OPTABLE_H
#define KILN_FRONTENDS_ONNX_OPTABLE_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

namespace kiln::onnxfe {

class NodeImporter;

/// Imports one node; emits an error at the node and fails when it cannot.
using OpImportFn = mlir::LogicalResult (*)(NodeImporter &);

/// The newest opset of the default domain whose ops the table knows.
constexpr int64_t kMaxSupportedOpset = 17;

class OpTable {
public:
  /// Registers `fn` for `opType` from opset `sinceVersion` on.
  void add(llvm::StringRef opType, int64_t sinceVersion, OpImportFn fn);

  /// The function for `opType` at `opset`: the newest registered version not
  /// above `opset`; null when there is none or `opset` is newer than
  /// kMaxSupportedOpset.
  OpImportFn lookup(llvm::StringRef opType, int64_t opset) const;

  /// The table of every supported op, built on first use.
  static const OpTable &get();

private:
  struct Entry {
    int64_t sinceVersion;
    OpImportFn fn;
  };
  llvm::StringMap<llvm::SmallVector<Entry, 2>> entries;
};

void registerConstantOps(OpTable &table);
void registerMathOps(OpTable &table);
void registerNNOps(OpTable &table);
void registerReduceOps(OpTable &table);
void registerTensorOps(OpTable &table);

} // namespace kiln::onnxfe

#endif // KILN_FRONTENDS_ONNX_OPTABLE_H
