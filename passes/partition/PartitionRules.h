//===- PartitionRules.h - Which pieces an op computes on --------*- C++ -*-===//
//
// A rule looks at the shardings of an op's operands and says which pieces
// of its operands the op needs and which pieces of its results it then
// computes, each rank running the op on its pieces alone. The driver
// (Partition.cpp) converts the operands and gives the results their
// per-rank types. An op without a rule needs every operand whole.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_PARTITION_PARTITIONRULES_H
#define KILN_PASSES_PARTITION_PARTITIONRULES_H

#include "passes/partition/Sharding.h"

#include "mlir/IR/Operation.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace kiln::partition {

struct OpPlan {
  llvm::SmallVector<Sharding> operands;
  llvm::SmallVector<Sharding> results;
};

/// What a rule may ask about the values around it.
struct RuleContext {
  Mesh mesh;
  /// The fewest elements of a constant that tensor parallelism splits.
  int64_t minSplitElements = 1024;
  /// The whole type of a value (operands and results of the op).
  llvm::function_ref<mlir::RankedTensorType(mlir::Value)> wholeType;
  /// The sharding a value has now.
  llvm::function_ref<Sharding(mlir::Value)> sharding;
};

/// The plan of `op`; every operand whole and every result whole when no
/// rule knows it.
OpPlan planOp(mlir::Operation *op, const RuleContext &context);

} // namespace kiln::partition

#endif // KILN_PASSES_PARTITION_PARTITIONRULES_H
