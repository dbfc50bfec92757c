//===- KernelOps.td - Kiln kernel dialect ops ----------------*- tablegen -*-===//
//
// The entry of a lowered model is a `func.func @main` over memrefs: its
// inputs, then its outputs (destination passing), named by the `graph.name`
// argument attributes of the imported model. Output arguments carry the unit
// attribute `kernel.output`, and the function the number of inputs as
// `kernel.num_inputs` (i64). Inside it, every intermediate buffer is a
// `kernel.alloc` whose byte offset in the arena `kiln-plan-buffers` assigns;
// the arena's size is the function's `kernel.arena_bytes` (i64).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNEL_OPS
#define KILN_KERNEL_OPS

include "dialects/kernel/KernelDialect.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/ViewLikeInterface.td"

def Kernel_AllocOp : Kernel_Op<"alloc"> {
  let summary = "an intermediate buffer in the model's arena";
  let description = [{
    `offset` is the buffer's byte offset in the arena, set by
    `kiln-plan-buffers`; before planning it is absent.

    ```mlir
    %b = kernel.alloc {offset = 256 : i64} : memref<1x64x56x56xf32>
    ```
  }];
  let arguments = (ins OptionalAttr<I64Attr>:$offset);
  let results = (outs AnyStaticShapeMemRef:$buffer);
  let assemblyFormat = "attr-dict `:` type($buffer)";
}

def Kernel_WeightOp : Kernel_Op<"weight", [Pure]> {
  let summary = "a read-only buffer holding a constant of the model";
  let description = [{
    `name` is the tensor's name in weights.safetensors; `value` holds the data
    until codegen writes it out. The value's tensor type has the buffer's
    shape and element type, so the assembly spells it once, as the buffer's.

    ```mlir
    %w = kernel.weight "conv1.weight" : memref<64x3x7x7xf32> = dense_resource<w0>
    ```
  }];
  let arguments = (ins StrAttr:$name, ElementsAttr:$value);
  let results = (outs AnyStaticShapeMemRef:$buffer);
  let assemblyFormat = [{
    $name `:` type($buffer) `=` custom<WeightValue>($value, ref(type($buffer)))
    attr-dict
  }];
  let hasVerifier = 1;
}

def Kernel_ViewOp : Kernel_Op<"view", [Pure]> {
  let summary = "the same bytes seen with another static shape";
  let description = [{
    Reshape, squeeze, unsqueeze and flatten lower to views: no data moves.

    ```mlir
    %v = kernel.view %b : memref<2x3xf32> to memref<6xf32>
    ```
  }];
  let arguments = (ins AnyStaticShapeMemRef:$source);
  let results = (outs AnyStaticShapeMemRef:$result);
  let assemblyFormat = "$source attr-dict `:` type($source) `to` type($result)";
  let hasVerifier = 1;
}

def Kernel_CopyOp : Kernel_Op<"copy"> {
  let summary = "copy one buffer into another of the same size";
  let arguments = (ins AnyStaticShapeMemRef:$source,
                   AnyStaticShapeMemRef:$target);
  let assemblyFormat = [{
    $source `,` $target attr-dict `:` type($source) `,` type($target)
  }];
  let hasVerifier = 1;
}

def Kernel_ElementwiseOp : Kernel_Op<"elementwise",
    [AttrSizedOperandSegments, IsolatedFromAbove,
     SingleBlockImplicitTerminator<"YieldOp">]> {
  let summary = "a fused elementwise kernel: a scalar region over broadcast inputs";
  let description = [{
    Each input is broadcast (numpy rules, right-aligned) to the shape of the
    outputs, which all share one shape. The region takes one scalar per input
    and yields one scalar per output; it holds `arith` and `math` ops only.
    The region is isolated from above: its constants live inside it, where
    canonicalization and CSE keep them, so the body is self-contained.
    A buffer of unsigned integers is read and written as the signless
    integers of its width (arith has no unsigned types); the ops of the
    body give the unsigned meaning (shrui, cmpi ult, ...).
    Codegen emits the region once as a `__host__ __device__` function and
    drives it from a CPU loop or a CUDA grid.

    ```mlir
    kernel.elementwise ins(%a, %b : memref<4x8xf32>, memref<8xf32>)
                       outs(%c : memref<4x8xf32>) {
    ^bb0(%x: f32, %y: f32):
      %s = arith.addf %x, %y : f32
      kernel.yield %s : f32
    }
    ```
  }];
  let arguments = (ins Variadic<AnyStaticShapeMemRef>:$inputs,
                   Variadic<AnyStaticShapeMemRef>:$outputs);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    (`ins` `(` $inputs^ `:` type($inputs) `)`)?
    `outs` `(` $outputs `:` type($outputs) `)` $body attr-dict
  }];
  let hasVerifier = 1;
}

def Kernel_YieldOp : Kernel_Op<"yield",
    [Pure, Terminator, HasParent<"ElementwiseOp">]> {
  let summary = "the scalars an elementwise kernel writes";
  let arguments = (ins Variadic<AnyType>:$values);
  let builders = [OpBuilder<(ins), [{ build($_builder, $_state, {}); }]>];
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
}

def Kernel_MatmulOp : Kernel_Op<"matmul"> {
  let summary = "library GEMM: out = alpha * op(A) op(B) + beta * out, batched";
  let description = [{
    A is (..., M, K) (or (..., K, M) with transA), B is (..., K, N) (or
    (..., N, K) with transB), out is (..., M, N); batch dimensions broadcast.
    Lowered to OpenBLAS on the CPU and cuBLAS on CUDA.

    ```mlir
    kernel.matmul %a, %b, %c {transB = true} : memref<8x16xf32>, memref<32x16xf32>, memref<8x32xf32>
    ```
  }];
  let arguments = (ins AnyStaticShapeMemRef:$a, AnyStaticShapeMemRef:$b,
                   AnyStaticShapeMemRef:$out,
                   DefaultValuedAttr<F32Attr, "1.0">:$alpha,
                   DefaultValuedAttr<F32Attr, "0.0">:$beta,
                   DefaultValuedAttr<BoolAttr, "false">:$transA,
                   DefaultValuedAttr<BoolAttr, "false">:$transB);
  let assemblyFormat = [{
    $a `,` $b `,` $out attr-dict `:` type($a) `,` type($b) `,` type($out)
  }];
  let hasVerifier = 1;
}

def Kernel_LibraryCallOp : Kernel_Op<"library_call", [AttrSizedOperandSegments]> {
  let summary = "a call into the kernel library (kernels/)";
  let description = [{
    `callee` names a library kernel (conv, max_pool, softmax, reduce,
    transpose, concat, slice, gather, ...); the remaining attributes are its
    parameters. Which callees exist, and which operands and attributes each
    takes, is one table (KernelLibrary.h) shared by the verifier and codegen.

    ```mlir
    kernel.library_call "softmax" ins(%x : memref<2x8xf32>)
        outs(%y : memref<2x8xf32>) {axis = 1 : i64}
    ```
  }];
  let arguments = (ins StrAttr:$callee,
                   Variadic<AnyStaticShapeMemRef>:$inputs,
                   Variadic<AnyStaticShapeMemRef>:$outputs);
  let assemblyFormat = [{
    $callee (`ins` `(` $inputs^ `:` type($inputs) `)`)?
    `outs` `(` $outputs `:` type($outputs) `)` attr-dict
  }];
  let hasVerifier = 1;
}

#endif // KILN_KERNEL_OPS
