//===- GraphOps.cpp - Kiln graph dialect ops ------------------------------===//
//
// Op definitions and verification. Shaped ops are verified against their
// shape inference (GraphShapes.cpp); folders live in GraphFolders.cpp.
//
//===----------------------------------------------------------------------===//

#include "dialects/graph/GraphOps.h"
#include "dialects/graph/GraphUtils.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;

namespace kiln::graph {

LogicalResult
inferResultComponents(Operation *op,
                      SmallVectorImpl<ShapedTypeComponents> &result,
                      bool emitErrors) {
  auto shaped = llvm::cast<InferShapedTypeOpInterface>(op);
  auto infer = [&](std::optional<Location> location) {
    return shaped.inferReturnTypeComponents(
        op->getContext(), location, op->getOperands(),
        op->getRawDictionaryAttrs(), op->getPropertiesStorage(),
        op->getRegions(), result);
  };
  LogicalResult inferred = infer(std::nullopt);
  if (succeeded(inferred)) {
    // No tensor may be larger than sizes can count (Checked.h).
    std::optional<Location> location;
    if (emitErrors)
      location = op->getLoc();
    for (auto [index, components] : llvm::enumerate(result))
      if (components.hasRank() &&
          failed(checkTensorSize(location, components.getDims(),
                                 components.getElementType(),
                                 "result #" + Twine(index) + " of " +
                                     op->getName().getStringRef())))
        return failure();
    return success();
  }
  if (!emitErrors)
    return inferred;
  // Infer again to report why. Inference reports plain errors at a
  // location; re-emit them as errors of the op, so that they name it.
  result.clear();
  std::string message;
  {
    ScopedDiagnosticHandler capture(op->getContext(), [&](Diagnostic &diag) {
      if (diag.getSeverity() != DiagnosticSeverity::Error || !message.empty())
        return failure();
      message = diag.str();
      return success();
    });
    inferred = infer(op->getLoc());
  }
  if (failed(inferred) && !message.empty())
    op->emitOpError(message);
  return inferred;
}

LogicalResult verifyResultsMatchInference(Operation *op) {
  SmallVector<ShapedTypeComponents> inferred;
  if (failed(inferResultComponents(op, inferred, /*emitErrors=*/true)))
    return failure();
  if (inferred.size() != op->getNumResults())
    return op->emitOpError("has ")
           << op->getNumResults() << " results, inferred " << inferred.size();
  for (auto [index, result, components] :
       llvm::enumerate(op->getResultTypes(), inferred)) {
    auto type = llvm::cast<RankedTensorType>(result);
    if (failed(checkTensorSize(op->getLoc(), type.getShape(),
                               type.getElementType(),
                               "result #" + Twine(index))))
      return failure();
    Type elementType = components.getElementType();
    if (elementType && elementType != type.getElementType())
      return op->emitOpError("result #")
             << index << " has element type " << type.getElementType()
             << ", inferred " << elementType;
    if (!components.hasRank())
      continue;
    ArrayRef<int64_t> dims = components.getDims();
    auto inferredType = RankedTensorType::get(
        dims, elementType ? elementType : type.getElementType());
    if (failed(verifyCompatibleShape(type.getShape(), dims)))
      return op->emitOpError("result #")
             << index << " type " << type
             << " is incompatible with the inferred type " << inferredType;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::verify() {
  // Consumers read constants as dense data, inline or in a resource blob.
  if (!llvm::isa<DenseElementsAttr, DenseResourceElementsAttr>(getValue()))
    return emitOpError("value must be dense or dense_resource elements, got ")
           << getValue();
  auto type = llvm::cast<ShapedType>(getType());
  return checkTensorSize(getLoc(), type.getShape(), type.getElementType(),
                         "the constant");
}

} // namespace kiln::graph

#define GET_OP_CLASSES
#include "dialects/graph/GraphOps.cpp.inc"
