//===- KernelDialect.h - Kiln kernel dialect --------------------*- C++ -*-===//

#ifndef KILN_DIALECTS_KERNEL_KERNELDIALECT_H
#define KILN_DIALECTS_KERNEL_KERNELDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Dialect.h"

#include "dialects/kernel/KernelDialect.h.inc"

#endif // KILN_DIALECTS_KERNEL_KERNELDIALECT_H
