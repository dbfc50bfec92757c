//===- GraphOps.h - Kiln graph dialect ops ----------------------*- C++ -*-===//
//
// The ops of the graph dialect, the trait that verifies them against their
// shape inference, and the inference helpers shared by op classes.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_GRAPH_GRAPHOPS_H
#define KILN_DIALECTS_GRAPH_GRAPHOPS_H

#include "dialects/graph/GraphDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace kiln::graph {

/// Infers the result types of `op` (which implements
/// InferShapedTypeOpInterface) from its current operands and attributes.
/// Errors are reported at the op's location when `emitErrors` is set.
mlir::LogicalResult
inferResultComponents(mlir::Operation *op,
                      llvm::SmallVectorImpl<mlir::ShapedTypeComponents> &result,
                      bool emitErrors);

/// Checks that the result types of `op` are compatible with its inferred
/// result types.
mlir::LogicalResult verifyResultsMatchInference(mlir::Operation *op);

/// Verifies an op against its shape inference (see GraphOps.td).
template <typename ConcreteType>
class ResultsMatchInference
    : public mlir::OpTrait::TraitBase<ConcreteType, ResultsMatchInference> {
public:
  static mlir::LogicalResult verifyTrait(mlir::Operation *op) {
    return verifyResultsMatchInference(op);
  }
};

/// Inference shared by the op classes of GraphOps.td.
/// The result has the shape and element type of `input`.
mlir::LogicalResult
inferSameShape(std::optional<mlir::Location> location, mlir::Value input,
               llvm::SmallVectorImpl<mlir::ShapedTypeComponents> &inferred);
/// Numpy broadcast of two operands of one element type; the result has
/// `elementType`, or the operands' one when it is null.
mlir::LogicalResult inferBroadcastShape(
    std::optional<mlir::Location> location, mlir::Value lhs, mlir::Value rhs,
    mlir::Type elementType,
    llvm::SmallVectorImpl<mlir::ShapedTypeComponents> &inferred);
/// The shape of a float `input` with element type i1; fails on other
/// element types.
mlir::LogicalResult inferFloatPredicateShape(
    std::optional<mlir::Location> location, mlir::Value input,
    llvm::SmallVectorImpl<mlir::ShapedTypeComponents> &inferred);
/// ONNX Reduce*: over `axes` (all when absent or empty, unless
/// noopWithEmptyAxes), keeping reduced dims as 1 when `keepdims`.
mlir::LogicalResult inferReductionShape(
    std::optional<mlir::Location> location, mlir::Value input,
    std::optional<llvm::ArrayRef<int64_t>> axes, bool keepdims,
    bool noopWithEmptyAxes,
    llvm::SmallVectorImpl<mlir::ShapedTypeComponents> &inferred);

/// Refines the types of the block arguments of a graph.loop or graph.scan
/// body from the types of the values they receive (initial carried values,
/// slices of scan inputs); returns how many changed. Other ops: 0.
int64_t refineBodyArgumentTypes(mlir::Operation *op);

} // namespace kiln::graph

#define GET_OP_CLASSES
#include "dialects/graph/GraphOps.h.inc"

#endif // KILN_DIALECTS_GRAPH_GRAPHOPS_H
