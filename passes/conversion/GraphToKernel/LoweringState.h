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

#include "dialects/dist/DistDialect.h"
#include "dialects/kernel/KernelOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <map>
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

  /// A fresh `kernel.alloc` of the shape and element type of `tensorType`,
  /// which must be static.
  mlir::Value createAlloc(mlir::Location loc, mlir::Type tensorType);

  /// A fresh `kernel.alloc` of `elementType` with the sizes `dims`: a dim
  /// whose size is a constant is static.
  mlir::Value createAlloc(mlir::Location loc, mlir::Type elementType,
                          llvm::ArrayRef<mlir::Value> dims);

  /// `buffer` seen with the static `shape`; `buffer` itself when the shape
  /// is its own.
  mlir::Value createView(mlir::Location loc, mlir::Value buffer,
                         llvm::ArrayRef<int64_t> shape);

  /// `buffer` seen with the sizes `dims`.
  mlir::Value createView(mlir::Location loc, mlir::Value buffer,
                         llvm::ArrayRef<mlir::Value> dims);

  /// A fresh alloc for the result `value` of a graph op, mapped to it. A
  /// result with dynamic dims gets them from `dims` when given, else from
  /// reifyResultDims; null after an error.
  mlir::Value createResultBuffer(mlir::Value value,
                                 std::optional<llvm::ArrayRef<mlir::Value>>
                                     dims = std::nullopt);

  //===--------------------------------------------------------------------===//
  // Dynamic dims (DynamicDims.cpp)
  //===--------------------------------------------------------------------===//

  /// The index constant `value`, made once at the top of the function.
  mlir::Value getIndex(int64_t value);

  /// The sizes of the dims of kernel-level `buffer`: constants for static
  /// dims; for a dynamic one, the operand of the alloc or view that made it,
  /// or `kernel.dim` of an input (one per symbolic dim name).
  llvm::SmallVector<mlir::Value> getBufferDims(mlir::Value buffer);

  /// The sizes of the dims of graph value `value`, lowered already.
  mlir::FailureOr<llvm::SmallVector<mlir::Value>> getDims(mlir::Value value);

  /// The elements of a small integer graph tensor as index values, where
  /// they follow from constants and shapes: Shape, Gather, Concat,
  /// Unsqueeze, Squeeze, Reshape, Cast, Slice and integer arithmetic of
  /// those. Fails without a diagnostic otherwise.
  mlir::FailureOr<llvm::SmallVector<mlir::Value>>
  getShapeValues(mlir::Value value);

  /// The numpy broadcast of `shapes` (right-aligned) to rank `rank`; dims
  /// that are not the same value are checked at run time.
  llvm::SmallVector<mlir::Value>
  broadcastDims(mlir::Location loc,
                llvm::ArrayRef<llvm::SmallVector<mlir::Value>> shapes,
                int64_t rank);

  /// Whether `dims` are all constants.
  static bool isStatic(llvm::ArrayRef<mlir::Value> dims);

  /// The weight of `constant`'s `value`; with `split`, the weight holding
  /// this rank's block of it (of tensor type `blockType`).
  mlir::Value createWeight(mlir::Operation *constant, mlir::ElementsAttr value,
                           kiln::dist::SplitAttr split = {},
                           mlir::Type blockType = {});

private:
  std::string getUniqueWeightName(mlir::Operation *constant,
                                  mlir::ElementsAttr value);

  mlir::OpBuilder builder;
  mlir::Block *entry;
  /// Weights go to the top of the function, in order of first use.
  mlir::Operation *lastWeight = nullptr;
  mlir::IRMapping mapping;
  /// A std::map: every int64_t is a key here (INT64_MAX ends a slice), and
  /// DenseMap reserves two of them.
  std::map<int64_t, mlir::Value> indexConstants;
  /// `kernel.dim`s of inputs by symbolic name (or "#arg.dim").
  llvm::StringMap<mlir::Value> inputDims;
  llvm::StringSet<> weightNames;
  llvm::DenseMap<std::pair<mlir::Attribute, mlir::Attribute>, mlir::Value>
      weightsByValue;
};

/// The memref type of a ranked tensor type.
mlir::MemRefType getBufferType(mlir::Type tensorType);

/// The parameters of a slice with dynamic dims: constant starts, steps and
/// axes (normalized), and the ends, constant or not.
struct SliceParams {
  llvm::SmallVector<int64_t> starts, steps, axes;
  std::optional<llvm::SmallVector<int64_t>> constantEnds;
};
/// Fails with a diagnostic for parameters a dynamic slice cannot take.
mlir::FailureOr<SliceParams> getSliceParams(mlir::Operation *sliceOp);

/// The spatial output sizes of a conv, max_pool or average_pool and the
/// begin and end pads its kernel reads, as index values that are constants
/// where the sizes they follow from are (WindowDims.cpp).
struct WindowSizes {
  llvm::SmallVector<mlir::Value> outDims, padsBegin, padsEnd;
};
mlir::FailureOr<WindowSizes> reifyWindow(mlir::Operation *op,
                                         LoweringState &state);
/// The same for a conv_transpose: its output sizes, and the pads the kernel
/// reads (ends negative for output padding).
mlir::FailureOr<WindowSizes> reifyTransposedWindow(mlir::Operation *op,
                                                   LoweringState &state);

/// The sizes of the dynamic dims of result `value` of its graph op, from
/// the sizes of its operands' dims and the shape values it reads; an error
/// naming the op for ops without dynamic-dim support.
mlir::FailureOr<llvm::SmallVector<mlir::Value>>
reifyResultDims(mlir::Value value, LoweringState &state);

/// Lowers `op` if it belongs to the family; std::nullopt when it does not.
std::optional<mlir::LogicalResult> lowerElementwiseOp(mlir::Operation *op,
                                                      LoweringState &state);
/// dist.shard, dist.all_gather and dist.all_reduce (LowerDist.cpp).
std::optional<mlir::LogicalResult> lowerDistOp(mlir::Operation *op,
                                               LoweringState &state);
std::optional<mlir::LogicalResult> lowerViewOp(mlir::Operation *op,
                                               LoweringState &state);
std::optional<mlir::LogicalResult> lowerMatmulOp(mlir::Operation *op,
                                                 LoweringState &state);
/// graph.attention as kernel.attention (LowerAttention.cpp).
std::optional<mlir::LogicalResult> lowerAttentionOp(mlir::Operation *op,
                                                    LoweringState &state);
std::optional<mlir::LogicalResult> lowerLibraryCallOp(mlir::Operation *op,
                                                      LoweringState &state);
std::optional<mlir::LogicalResult> lowerControlFlowOp(mlir::Operation *op,
                                                      LoweringState &state);

/// Lowers the ops of a graph block (not its terminator) at the builder's
/// insertion point, each by the family that knows it (GraphToKernel.cpp).
mlir::LogicalResult lowerBlock(mlir::Block &block, LoweringState &state);

/// Moves the allocs and sizes that the lowering of control flow left in
/// regions in front of the outermost control-flow op, where the plan and
/// codegen expect them; fails for one whose size depends on the iteration.
mlir::LogicalResult hoistOutOfControlFlow(mlir::func::FuncOp func);

} // namespace kiln::graph_to_kernel

#endif // KILN_PASSES_CONVERSION_GRAPHTOKERNEL_LOWERINGSTATE_H
