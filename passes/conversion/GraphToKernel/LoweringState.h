//===- LoweringState.h - State of the graph -> kernel lowering --*- C++ -*-===//
//
// What the lowering of one graph op needs: a builder placed in the new
// function, the buffer of every graph value lowered so far, and helpers that
// create allocs, views, weights and the kernel ops themselves. Each family of
// ops (elementwise, views, matmul, library calls) has one entry point that
// lowers the ops of its family and leaves the others alone.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_CONVERSION_GRAPHTOKERNEL_LOWERINGSTATE_H
#define KILN_PASSES_CONVERSION_GRAPHTOKERNEL_LOWERINGSTATE_H

#include "dialects/kernel/KernelOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/StringSet.h"

#include <optional>

namespace kiln::graph_to_kernel {

class LoweringState {
public:
  /// Lowers into the entry block of `func`, before its terminator.
  explicit LoweringState(mlir::func::FuncOp func);

  mlir::OpBuilder &getBuilder() { return builder; }

  /// The buffer holding graph value `value`: the one it was mapped to, or,
  /// for a `graph.constant`, a `kernel.weight` created on first use.
  mlir::FailureOr<mlir::Value> getBuffer(mlir::Value value);

  /// Records that graph value `value` lives in `buffer`.
  void map(mlir::Value value, mlir::Value buffer);

  /// A fresh `kernel.alloc` of the shape and element type of `tensorType`.
  mlir::Value createAlloc(mlir::Location loc, mlir::Type tensorType);

  /// `buffer` seen with `shape`; `buffer` itself when the shape is its own.
  mlir::Value createView(mlir::Location loc, mlir::Value buffer,
                         llvm::ArrayRef<int64_t> shape);

  /// A fresh alloc for the result `value` of a graph op, mapped to it.
  mlir::Value createResultBuffer(mlir::Value value);

private:
  mlir::Value createWeight(mlir::Operation *constant, mlir::ElementsAttr value);
  std::string getUniqueWeightName(mlir::Operation *constant,
                                  mlir::ElementsAttr value);

  mlir::OpBuilder builder;
  mlir::Block *entry;
  /// Weights go to the top of the function, in order of first use.
  mlir::Operation *lastWeight = nullptr;
  mlir::IRMapping mapping;
  llvm::StringSet<> weightNames;
  llvm::DenseMap<mlir::Attribute, mlir::Value> weightsByValue;
};

/// The memref type of a ranked tensor type.
mlir::MemRefType getBufferType(mlir::Type tensorType);

/// Lowers `op` if it belongs to the family; std::nullopt when it does not.
std::optional<mlir::LogicalResult> lowerElementwiseOp(mlir::Operation *op,
                                                      LoweringState &state);
std::optional<mlir::LogicalResult> lowerViewOp(mlir::Operation *op,
                                               LoweringState &state);
std::optional<mlir::LogicalResult> lowerMatmulOp(mlir::Operation *op,
                                                 LoweringState &state);
std::optional<mlir::LogicalResult> lowerLibraryCallOp(mlir::Operation *op,
                                                      LoweringState &state);

} // namespace kiln::graph_to_kernel

#endif // KILN_PASSES_CONVERSION_GRAPHTOKERNEL_LOWERINGSTATE_H
