//===- KernelOps.h - Kiln kernel dialect ops --------------------*- C++ -*-===//

#ifndef KILN_DIALECTS_KERNEL_KERNELOPS_H
#define KILN_DIALECTS_KERNEL_KERNELOPS_H

#include "dialects/dist/DistDialect.h"
#include "dialects/kernel/KernelDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#include <optional>

#define GET_OP_CLASSES
#include "dialects/kernel/KernelOps.h.inc"

namespace kiln::kernel {

/// The bytes of a buffer of `type` (an i1 takes a byte); std::nullopt when
/// its shape is not static or it holds more than kMaxTensorBytes
/// (kernels/common/Checked.h). Every size the buffer plan and codegen form
/// from one buffer is then below that bound.
std::optional<int64_t> getBufferBytes(mlir::MemRefType type);

} // namespace kiln::kernel

#endif // KILN_DIALECTS_KERNEL_KERNELOPS_H
