//===- KernelDialect.td - Kiln kernel dialect ----------------*- tablegen -*-===//
//
// The kernel dialect is the lowered program: buffers (memrefs) with a planned
// place in one arena, weights, fused elementwise kernels as regions over
// scalars, and calls into the kernel library. Codegen prints it as C++ or
// CUDA C++.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNEL_DIALECT
#define KILN_KERNEL_DIALECT

include "mlir/IR/OpBase.td"

def Kernel_Dialect : Dialect {
  let name = "kernel";
  let summary = "buffers, fused kernels and library calls of a lowered model";
  let cppNamespace = "::kiln::kernel";
  let dependentDialects = ["::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

class Kernel_Op<string mnemonic, list<Trait> traits = []> :
    Op<Kernel_Dialect, mnemonic, traits>;

#endif // KILN_KERNEL_DIALECT
