//===- Passes.td - Fusion passes ----------------------------*- tablegen -*-===//
//
// Passes that group ops into fewer kernels.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_FUSION_PASSES
#define KILN_PASSES_FUSION_PASSES

include "mlir/Pass/PassBase.td"

def FoldBatchNormPass : Pass<"kiln-fold-batchnorm", "::mlir::func::FuncOp"> {
  let summary = "fold an inference batch normalization into the conv before it";
  let description = [{
    batch_norm(conv(x, W, b), scale, B, mean, var)
        => conv(x, W * s[oc], (b - mean) * s + B),
    s = scale / sqrt(var + epsilon)

    Applies when W, b (or no b), scale, B, mean and var are `graph.constant`s
    of f32, the conv's result is read by the batch normalization only, and
    scale, B, mean and var hold one value per output channel. The folded
    weight and bias are new `dense_resource` blobs, named after the conv's
    weight (`<name>.bn_folded`, `<name>.bn_folded_bias`), so that codegen
    writes them to weights.safetensors like any imported weight; the
    original constants go when nothing else reads them.

    ```mlir
    %y = graph.conv %x, %w, %b {...} : (...) -> tensor<1x8x4x4xf32>
    %z = graph.batch_norm %y, %scale, %shift, %mean, %var : (...) -> ...
    // becomes
    %z = graph.conv %x, %w_folded, %b_folded {...} : (...) -> ...
    ```
  }];
  let dependentDialects = ["::kiln::graph::GraphDialect"];
}

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

def FuseEpiloguePass : Pass<"kiln-fuse-epilogue", "::mlir::func::FuncOp"> {
  let summary = "fuse an elementwise kernel into the conv or GEMM whose result it reads";
  let description = [{
    ew(conv(x, w), r) => conv(x, w) {epilogue ew(·, r)}
    ew(matmul(a, b), r) => matmul(a, b) {epilogue ew(·, r)}

    On the kernel dialect, after `kiln-fuse-elementwise` and before buffers
    are planned. A `kernel.library_call "conv"` and the
    `kernel.elementwise` that reads its output become one `kernel.conv`
    whose epilogue region is the elementwise body: its first argument is
    the conv's value, the others the elementwise kernel's remaining inputs,
    which still broadcast to the output (a per-channel scale, a residual).
    A `kernel.matmul` likewise takes the elementwise kernel as its
    epilogue. The CPU conv runs the epilogue on each block of its output
    while it is in cache, the CPU GEMM on each slab, instead of a second
    pass over memory. It applies when

    - the producer's output is a `kernel.alloc` whose only uses are the
      producer's single output and inputs of the elementwise kernel (not a
      model output, not read by a view or any other op);
    - the elementwise kernel has one output, of f32, with the producer
      output's shape (equal static dims, or dynamic dims sized by the same
      SSA value); a conv's pads are static, a GEMM's beta is 0;
    - producer and elementwise kernel sit in one block; the fused op takes
      the elementwise kernel's place, so no op between them may write what
      the producer reads, the elementwise output may not be a buffer the
      producer reads, and no epilogue input may share the elementwise
      output's buffer (the producer writes it before the epilogue reads
      it).

    ```mlir
    %t = kernel.alloc : memref<1x8x4x4xf32>
    kernel.library_call "conv" ins(%x, %w : ...) outs(%t : ...) {...}
    kernel.elementwise ins(%t, %r : ...) outs(%y : ...) { addf, maximumf }
    // becomes
    kernel.conv %x, %w outs(%y) epilogue(%r : ...) {...} : ... {
    ^bb0(%v: f32, %s: f32):  addf, maximumf
    }
    ```
  }];
  let dependentDialects = ["::kiln::kernel::KernelDialect"];
}

#endif // KILN_PASSES_FUSION_PASSES
