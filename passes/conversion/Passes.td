//===- Passes.td - Conversions between Kiln dialects ---------*- tablegen -*-===//
//
// Conversions from one level of the compiler to the next.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_CONVERSION_PASSES
#define KILN_PASSES_CONVERSION_PASSES

include "mlir/Pass/PassBase.td"

def ConvertGraphToKernelPass
    : Pass<"convert-graph-to-kernel", "::mlir::ModuleOp"> {
  let summary = "lower @main from graph tensors to kernel buffers";
  let description = [{
    func @main(inputs) -> results  =>  func @main(inputs, outputs)

    Every tensor becomes a static memref: constants become `kernel.weight`s,
    every other op writes a fresh `kernel.alloc` (or, for a result of @main,
    the output argument itself). Reshape, flatten, squeeze, unsqueeze,
    identity and dropout become `kernel.view`s; elementwise ops become
    `kernel.elementwise` kernels with an arith/math body; matmul and gemm
    become `kernel.matmul`; everything else becomes a `kernel.library_call`
    of docs/kernel-library.md. If, Loop and Scan become `scf.if`,
    `scf.while` and `scf.for` over kernel ops, with their buffers in front
    of the loop. Output arguments carry `kernel.output` and the
    function `kernel.num_inputs`; `graph.name` attributes are kept.

    The input must have static shapes (run kiln-specialize-shapes and
    kiln-propagate-shapes first); a dynamic dimension or an op without a
    lowering is an error at the op.
  }];
  let dependentDialects = ["::kiln::kernel::KernelDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::scf::SCFDialect"];
}

#endif // KILN_PASSES_CONVERSION_PASSES
