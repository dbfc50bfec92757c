//===- Passes.td - Fusion passes ----------------------------*- tablegen -*-===//
//
// Passes that group ops into fewer kernels.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_FUSION_PASSES
#define KILN_PASSES_FUSION_PASSES

include "mlir/Pass/PassBase.td"

def FuseElementwisePass : Pass<"kiln-fuse-elementwise", "::mlir::func::FuncOp"> {
  let summary = "fuse an elementwise kernel into the elementwise kernel that reads its result";
  let description = [{
    ew2(ew1(a, b), c) => ew(a, b, c)

    On the kernel dialect, before buffers are planned. The producer's
    region is inlined into the consumer's and the intermediate
    `kernel.alloc` goes away. It applies when

    - the intermediate is a `kernel.alloc` whose only uses are the
      producer's single output and inputs of the consumer (not a model
      output, not read by a view or any other op);
    - producer and consumer sit in one block, and no op between them may
      write a buffer the producer reads, nor does the consumer write one;
    - the producer's output has the consumer's iteration shape (the shape
      of its outputs): equal static dims, or dynamic dims sized by the same
      SSA value. A producer result that the consumer broadcasts is not
      fused, since its inputs would then be read at the wrong offsets.

    The fused kernel reads each distinct buffer once: `x * sigmoid(x)`
    takes `x` as one operand. Repeated application fuses whole chains
    (GELU, batch normalization + ReLU, bias + activation, residual adds).

    ```mlir
    %t = kernel.alloc : memref<8xf32>
    kernel.elementwise ins(%a, %b : memref<8xf32>, memref<8xf32>)
                       outs(%t : memref<8xf32>) { ... addf ... }
    kernel.elementwise ins(%t : memref<8xf32>) outs(%o : memref<8xf32>)
                       { ... maximumf ... }
    // becomes
    kernel.elementwise ins(%a, %b : memref<8xf32>, memref<8xf32>)
                       outs(%o : memref<8xf32>) { ... addf, maximumf ... }
    ```
  }];
  let dependentDialects = ["::kiln::kernel::KernelDialect"];
}

#endif // KILN_PASSES_FUSION_PASSES
