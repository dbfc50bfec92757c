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
// Dims may be dynamic (`?`). Their sizes are `index` values: `kernel.dim` of
// an input, arith on those, `kernel.broadcast_dim`; allocs and views take
// one per dynamic dim, and `kernel.output_dims` gives those of an output.
// A function with a dynamic alloc is planned at run time: each alloc gets
// its `slot` and live range, and the function `kernel.arena_slots`.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNEL_OPS
#define KILN_KERNEL_OPS

include "dialects/kernel/KernelDialect.td"
include "dialects/dist/DistDialect.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/ViewLikeInterface.td"

def Kernel_AllocOp : Kernel_Op<"alloc", [
    MemoryEffects<[MemAlloc<DefaultResource>]>]> {
  let summary = "an intermediate buffer in the model's arena";
  let description = [{
    `offset` is the buffer's byte offset in the arena, set by
    `kiln-plan-buffers`; before planning it is absent. A buffer with dynamic
    dims takes their sizes as operands, in order, and is placed at run time:
    planning gives it a `slot` and the op positions `live` = [first, last]
    where it is used.

    ```mlir
    %b = kernel.alloc {offset = 256 : i64} : memref<1x64x56x56xf32>
    %d = kernel.alloc(%batch) {slot = 0 : i64, live = array<i64: 3, 7>}
        : memref<?x768xf32>
    ```
  }];
  let arguments = (ins Variadic<Index>:$dynamicSizes,
                   OptionalAttr<I64Attr>:$offset,
                   OptionalAttr<I64Attr>:$slot,
                   OptionalAttr<DenseI64ArrayAttr>:$live);
  let results = (outs AnyMemRef:$buffer);
  let assemblyFormat = "(`(` $dynamicSizes^ `)`)? attr-dict `:` type($buffer)";
  let hasVerifier = 1;
}

def Kernel_DimOp : Kernel_Op<"dim", [Pure]> {
  let summary = "the size of one dim of a model input";
  let description = [{
    Reads dim `index` of an input argument of @main from the shapes the run
    receives.

    ```mlir
    %batch = kernel.dim %arg0[0] : memref<?x128xi64>
    ```
  }];
  let arguments = (ins AnyMemRef:$source, I64Attr:$index);
  let results = (outs Index:$size);
  let assemblyFormat = "$source `[` $index `]` attr-dict `:` type($source)";
  let hasVerifier = 1;
}

def Kernel_BroadcastDimOp : Kernel_Op<"broadcast_dim"> {
  let summary = "the numpy broadcast of two dim sizes, checked at run time";
  let description = [{
    `lhs` if the sizes are equal or `rhs` is 1, `rhs` if `lhs` is 1; any
    other pair is a run-time error naming the op. The check is the op's
    effect: it stays when its result is unused.

    ```mlir
    %d = kernel.broadcast_dim %a, %b
    ```
  }];
  let arguments = (ins Index:$lhs, Index:$rhs);
  let results = (outs Index:$size);
  let assemblyFormat = "$lhs `,` $rhs attr-dict";
}

def Kernel_FillSizesOp : Kernel_Op<"fill_sizes"> {
  let summary = "writes sizes into a small integer buffer";
  let description = [{
    A tensor whose elements are sizes (ONNX Shape, and Gather, Concat and
    arithmetic of shapes) holds them as data for the ops that read it as
    data: element i of `target` is `sizes[i]`, converted to its element
    type.

    ```mlir
    kernel.fill_sizes %b(%batch, %seq) : memref<2xi64>
    ```
  }];
  let arguments = (ins Arg<AnyMemRef, "", [MemWrite]>:$target,
                   Variadic<Index>:$sizes);
  let assemblyFormat = "$target `(` $sizes `)` attr-dict `:` type($target)";
  let hasVerifier = 1;
}

def Kernel_AssertDimOp : Kernel_Op<"assert_dim"> {
  let summary = "checks at run time that a dim has the size the model needs";
  let description = [{
    A run where `size` differs from `expected` fails with a message naming
    the op and `what` the size is (a dim unless it says otherwise): a
    dynamic input dim meets a dim the model fixed, or a reshape to sizes
    computed at run time would change the element count.

    ```mlir
    kernel.assert_dim %n, %c3
    kernel.assert_dim %held, %viewed {what = "element count"}
    ```
  }];
  let arguments = (ins Index:$size, Index:$expected,
                   DefaultValuedStrAttr<StrAttr, "dim">:$what);
  let assemblyFormat = "$size `,` $expected attr-dict";
}

def Kernel_OutputDimsOp : Kernel_Op<"output_dims"> {
  let summary = "the sizes of the dynamic dims of an output of @main";
  let description = [{
    What a run reports as the output's shape, and what the code that writes
    the output uses for its dims; one operand per dynamic dim, in order.

    ```mlir
    kernel.output_dims %arg2(%batch, %seq) : memref<?x?x768xf32>
    ```
  }];
  let arguments = (ins AnyMemRef:$output, Variadic<Index>:$dynamicSizes);
  let assemblyFormat = [{
    $output `(` $dynamicSizes `)` attr-dict `:` type($output)
  }];
  let hasVerifier = 1;
}

def Kernel_WeightOp : Kernel_Op<"weight", [Pure]> {
  let summary = "a read-only buffer holding a constant of the model";
  let description = [{
    `name` is the tensor's name in weights.safetensors; `value` holds the data
    until codegen writes it out. A weight with a `split` is this rank's
    block of `value` (dist.shard of a constant): weights.safetensors holds
    each coordinate's block as "<name>@<c>". The value's tensor type has the buffer's
    shape and element type, so the assembly spells it once, as the buffer's.

    ```mlir
    %w = kernel.weight "conv1.weight" : memref<64x3x7x7xf32> = dense_resource<w0>
    ```
  }];
  let arguments = (ins StrAttr:$name, ElementsAttr:$value,
                   OptionalAttr<Dist_SplitAttr>:$split);
  let results = (outs AnyMemRef:$buffer);
  let assemblyFormat = [{
    $name (`split` $split^)? `:` type($buffer) `=`
    custom<WeightValue>($value, ref(type($buffer)), ref($split)) attr-dict
  }];
  let hasVerifier = 1;
}

def Kernel_ViewOp : Kernel_Op<"view", [Pure]> {
  let summary = "the same bytes seen with another shape";
  let description = [{
    Reshape, squeeze, unsqueeze and flatten lower to views: no data moves.
    The sizes of the result's dynamic dims are operands.

    ```mlir
    %v = kernel.view %b : memref<2x3xf32> to memref<6xf32>
    ```
  }];
  let arguments = (ins AnyMemRef:$source, Variadic<Index>:$dynamicSizes);
  let results = (outs AnyMemRef:$result);
  let assemblyFormat = [{
    $source (`(` $dynamicSizes^ `)`)? attr-dict `:` type($source) `to`
    type($result)
  }];
  let hasVerifier = 1;
}

def Kernel_CopyOp : Kernel_Op<"copy"> {
  let summary = "copy one buffer into another of the same size";
  let arguments = (ins Arg<AnyMemRef, "", [MemRead]>:$source,
                   Arg<AnyMemRef, "", [MemWrite]>:$target);
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
  let arguments = (ins Arg<Variadic<AnyMemRef>, "", [MemRead]>:$inputs,
                   Arg<Variadic<AnyMemRef>, "", [MemWrite]>:$outputs);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    (`ins` `(` $inputs^ `:` type($inputs) `)`)?
    `outs` `(` $outputs `:` type($outputs) `)` $body attr-dict
  }];
  let hasVerifier = 1;
}

def Kernel_YieldOp : Kernel_Op<"yield",
    [Pure, Terminator, ParentOneOf<["ElementwiseOp", "ConvOp", "MatmulOp"]>]> {
  let summary = "the scalars an elementwise kernel or an epilogue writes";
  let arguments = (ins Variadic<AnyType>:$values);
  let builders = [OpBuilder<(ins), [{ build($_builder, $_state, {}); }]>];
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
}

def Kernel_MatmulOp : Kernel_Op<"matmul", [IsolatedFromAbove]> {
  let summary = "library GEMM: out = alpha * op(A) op(B) + beta * out, batched";
  let description = [{
    A is (..., M, K) (or (..., K, M) with transA), B is (..., K, N) (or
    (..., N, K) with transB), out is (..., M, N); batch dimensions broadcast.
    Lowered to OpenBLAS on the CPU and cuBLAS on CUDA.

    The optional `epilogue` region is as kernel.conv's: the GEMM's value,
    then one scalar per `epilogue` input (broadcast to out: a bias (N), a
    residual), yielding the value stored; f32 only. The CPU GEMM runs it on
    each slab of out right after the slab's GEMM.

    ```mlir
    kernel.matmul %a, %b, %c {transB = true} : memref<8x16xf32>, memref<32x16xf32>, memref<8x32xf32>
    kernel.matmul %a, %b, %c epilogue(%bias : memref<32xf32>)
        : memref<8x16xf32>, memref<16x32xf32>, memref<8x32xf32> {
    ^bb0(%v: f32, %s: f32):
      %r = arith.addf %v, %s : f32
      kernel.yield %r : f32
    }
    ```
  }];
  let arguments = (ins Arg<AnyMemRef, "", [MemRead]>:$a,
                   Arg<AnyMemRef, "", [MemRead]>:$b,
                   Arg<AnyMemRef, "", [MemRead, MemWrite]>:$out,
                   Arg<Variadic<AnyMemRef>, "", [MemRead]>:$epilogueInputs,
                   DefaultValuedAttr<F32Attr, "1.0">:$alpha,
                   DefaultValuedAttr<F32Attr, "0.0">:$beta,
                   DefaultValuedAttr<BoolAttr, "false">:$transA,
                   DefaultValuedAttr<BoolAttr, "false">:$transB);
  let regions = (region AnyRegion:$epilogue);
  let assemblyFormat = [{
    $a `,` $b `,` $out
    (`epilogue` `(` $epilogueInputs^ `:` type($epilogueInputs) `)`)?
    attr-dict `:` type($a) `,` type($b) `,` type($out) ($epilogue^)?
  }];
  let hasVerifier = 1;
}

def Kernel_ConvOp : Kernel_Op<"conv",
    [AttrSizedOperandSegments, IsolatedFromAbove]> {
  let summary = "library convolution with an optional elementwise epilogue";
  let description = [{
    out = conv(x, w) + bias, as the `conv` library call
    (docs/kernel-library.md): x is (N, C, D1..Dn), w is (M, C / group,
    k1..kn), bias is (M), out is (N, M, O1..On). The pads are static.

    The optional `epilogue` region rewrites each output element while it is
    still in cache: its first argument is the conv's value, then one scalar
    per `epilogue` input, which broadcasts to the output like an input of
    `kernel.elementwise` (a per-channel (M, 1, 1) scale, a full-shape
    residual); it yields the value stored. Like an elementwise body it holds
    `arith` and `math` ops only. `kiln-fuse-epilogue` builds it.

    ```mlir
    kernel.conv %x, %w bias(%b : memref<8xf32>) outs(%y)
        epilogue(%r : memref<1x8x4x4xf32>) {strides = array<i64: 1, 1>,
        pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
        group = 1 : i64} : memref<1x3x4x4xf32>, memref<8x3x3x3xf32>,
        memref<1x8x4x4xf32> {
    ^bb0(%v: f32, %s: f32):
      %a = arith.addf %v, %s : f32
      kernel.yield %a : f32
    }
    ```
  }];
  let arguments = (ins Arg<AnyMemRef, "", [MemRead]>:$x,
                   Arg<AnyMemRef, "", [MemRead]>:$w,
                   Arg<Optional<AnyMemRef>, "", [MemRead]>:$bias,
                   Arg<AnyMemRef, "", [MemWrite]>:$out,
                   Arg<Variadic<AnyMemRef>, "", [MemRead]>:$epilogueInputs,
                   DenseI64ArrayAttr:$strides,
                   DenseI64ArrayAttr:$pads,
                   DenseI64ArrayAttr:$dilations,
                   I64Attr:$group);
  let regions = (region AnyRegion:$epilogue);
  let assemblyFormat = [{
    $x `,` $w (`bias` `(` $bias^ `:` type($bias) `)`)? `outs` `(` $out `)`
    (`epilogue` `(` $epilogueInputs^ `:` type($epilogueInputs) `)`)?
    attr-dict `:` type($x) `,` type($w) `,` type($out) ($epilogue^)?
  }];
  let hasVerifier = 1;
}

def Kernel_AttentionOp : Kernel_Op<"attention"> {
  let summary = "fused attention: out = softmax(q kᵀ · scale + mask) v";
  let description = [{
    q is (B..., S_q, D), k is (B..., S_k, D), v is (B..., S_k, D_v), out is
    (B..., S_q, D_v); the optional `mask` is added to the scores, broadcast
    (right-aligned) to (B..., S_q, S_k). The kernel streams over k and v in
    tiles with an online softmax, so the score matrix is never stored
    (kernels/common/Attention.h); a row whose scores are all -inf gives
    zeros. f32 only.

    ```mlir
    kernel.attention %q, %k, %v mask(%m : memref<1x1x128x128xf32>) into %y
        {scale = 1.250000e-01 : f32} : memref<1x12x128x64xf32>,
        memref<1x12x128x64xf32>, memref<1x12x128x64xf32>,
        memref<1x12x128x64xf32>
    ```
  }];
  let arguments = (ins Arg<AnyMemRef, "", [MemRead]>:$q,
                   Arg<AnyMemRef, "", [MemRead]>:$k,
                   Arg<AnyMemRef, "", [MemRead]>:$v,
                   Arg<Optional<AnyMemRef>, "", [MemRead]>:$mask,
                   Arg<AnyMemRef, "", [MemWrite]>:$out,
                   F32Attr:$scale);
  let assemblyFormat = [{
    $q `,` $k `,` $v (`mask` `(` $mask^ `:` type($mask) `)`)? `into` $out
    attr-dict `:` type($q) `,` type($k) `,` type($v) `,` type($out)
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

    An entry of an i64 array attribute that depends on dynamic dims (the
    pads of a window with auto_pad SAME over a dynamic input) is
    `ShapedType::kDynamic` in the attribute, and its run-time value is the
    next of `sizes`: the attributes in the order of the callee table, each
    from the front, as `static_offsets` and `offsets` of
    `tensor.extract_slice`.

    ```mlir
    kernel.library_call "softmax" ins(%x : memref<2x8xf32>)
        outs(%y : memref<2x8xf32>) {axis = 1 : i64}
    // pads = [%b, 0, %e, 0]
    kernel.library_call "max_pool" ins(%x : memref<1x3x?x8xf32>)
        outs(%y : memref<1x3x?x8xf32>) sizes(%b, %e) {
        kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 1>,
        pads = array<i64: -9223372036854775808, 0, -9223372036854775808, 0>,
        dilations = array<i64: 1, 1>}
    ```
  }];
  let arguments = (ins StrAttr:$callee,
                   Arg<Variadic<AnyMemRef>, "", [MemRead]>:$inputs,
                   Arg<Variadic<AnyMemRef>, "", [MemWrite]>:$outputs,
                   Variadic<Index>:$sizes);
  let assemblyFormat = [{
    $callee (`ins` `(` $inputs^ `:` type($inputs) `)`)?
    `outs` `(` $outputs `:` type($outputs) `)` (`sizes` `(` $sizes^ `)`)?
    attr-dict
  }];
  let builders = [
    // A call whose attributes are all static.
    OpBuilder<(ins "::llvm::StringRef":$callee, "::mlir::ValueRange":$inputs,
                   "::mlir::ValueRange":$outputs), [{
      build($_builder, $_state, callee, inputs, outputs, ::mlir::ValueRange());
    }]>
  ];
  let hasVerifier = 1;
}

// Scalars and rows for host control flow (scf.if, scf.for, scf.while).
include "dialects/kernel/KernelControlFlowOps.td"

//===----------------------------------------------------------------------===//
// Collectives of a partitioned model (dist ops on buffers). Each calls the
// runtime through the run context; `axis` picks the group of ranks.
//===----------------------------------------------------------------------===//

def Kernel_AllReduceOp : Kernel_Op<"all_reduce"> {
  let summary = "target = the sum over the group of each rank's source";
  let arguments = (ins Arg<AnyMemRef, "", [MemRead]>:$source,
                   Arg<AnyMemRef, "", [MemWrite]>:$target,
                   Dist_AxisAttr:$axis, I64Attr:$parts);
  let assemblyFormat = [{
    $source `,` $target $axis `parts` $parts attr-dict `:` type($source) `,`
    type($target)
  }];
  let hasVerifier = 1;
}

def Kernel_AllGatherOp : Kernel_Op<"all_gather"> {
  let summary = "target = the whole buffer from each rank's block `source`";
  let description = [{
    The ranks' blocks arrive one after another in `scratch` when the split
    dim has elements outside the block (outer > 1 or leading dims), and
    are then placed; without `scratch` they arrive in place.
  }];
  let arguments = (ins Arg<AnyMemRef, "", [MemRead]>:$source,
                   Arg<AnyMemRef, "", [MemWrite]>:$target,
                   Arg<Optional<AnyMemRef>, "", [MemWrite, MemRead]>:$scratch,
                   Dist_SplitAttr:$split);
  let assemblyFormat = [{
    $source `,` $target (`scratch` $scratch^ `:` type($scratch))? $split
    attr-dict `:` type($source) `,` type($target)
  }];
  let hasVerifier = 1;
}

def Kernel_ShardOp : Kernel_Op<"shard"> {
  let summary = "target = this rank's block of `source`";
  let arguments = (ins Arg<AnyMemRef, "", [MemRead]>:$source,
                   Arg<AnyMemRef, "", [MemWrite]>:$target,
                   Dist_SplitAttr:$split);
  let assemblyFormat = [{
    $source `,` $target $split attr-dict `:` type($source) `,` type($target)
  }];
  let hasVerifier = 1;
}

#endif // KILN_KERNEL_OPS
