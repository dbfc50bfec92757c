//===- DistDialect.h - Kiln dist dialect ------------------------*- C++ -*-===//

#ifndef KILN_DIALECTS_DIST_DISTDIALECT_H
#define KILN_DIALECTS_DIST_DISTDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/dist/DistDialect.h.inc"
#include "dialects/dist/DistEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/dist/DistAttrs.h.inc"

#define GET_OP_CLASSES
#include "dialects/dist/DistOps.h.inc"

namespace kiln::dist {

/// The name of the module attribute that holds the mesh of a partitioned
/// model: array<i64: dp, tp, pp, micro>.
inline constexpr llvm::StringLiteral kMeshAttrName = "dist.mesh";

/// The type of this rank's block of `whole` under `split`, or a message
/// saying why `split` does not fit `whole` (dim out of range, a factor
/// that does not divide).
llvm::FailureOr<mlir::RankedTensorType>
getBlockType(mlir::RankedTensorType whole, SplitAttr split,
             std::string &message);

} // namespace kiln::dist

#endif // KILN_DIALECTS_DIST_DISTDIALECT_H
