//===- KernelOps.h - Kiln kernel dialect ops --------------------*- C++ -*-===//

#ifndef KILN_DIALECTS_KERNEL_KERNELOPS_H
#define KILN_DIALECTS_KERNEL_KERNELOPS_H

#include "dialects/kernel/KernelDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#define GET_OP_CLASSES
#include "dialects/kernel/KernelOps.h.inc"

#endif // KILN_DIALECTS_KERNEL_KERNELOPS_H
