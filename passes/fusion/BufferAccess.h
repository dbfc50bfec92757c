//===- BufferAccess.h - Which buffers kernel ops read and write -*- C++ -*-===//
//
// What the fusion passes on the kernel dialect ask before they move a read
// or a write of a buffer past other ops.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_FUSION_BUFFERACCESS_H
#define KILN_PASSES_FUSION_BUFFERACCESS_H

#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/DenseSet.h"

namespace kiln {

/// The buffer whose bytes `value` is: views followed to their source.
mlir::Value getRootBuffer(mlir::Value value);

/// Whether `a` and `b` have one shape: equal static dims, and dynamic dims
/// sized by the same value.
bool haveSameShape(mlir::Value a, mlir::Value b);

/// Whether `op` may write one of `buffers` (root buffers). An op without
/// regions and without buffer operands writes none; otherwise its declared
/// effects decide, and an op that declares none may write anything.
bool mayWriteAny(mlir::Operation *op,
                 const llvm::DenseSet<mlir::Value> &buffers);

} // namespace kiln

#endif // KILN_PASSES_FUSION_BUFFERACCESS_H
