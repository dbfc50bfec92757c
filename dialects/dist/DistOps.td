//===- DistOps.td - Kiln dist dialect ops --------------------*- tablegen -*-===//
//
// Tensor ops of a partitioned graph. `dist.shard` takes this rank's block
// (no communication), `dist.all_gather` puts the blocks of a group back
// together, `dist.all_reduce` sums the partial values of a group. The
// module's `dist.mesh` (array<i64: dp, tp, pp, micro>) gives each axis's
// size; `parts` repeats it so that each op's types can be verified alone.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIST_OPS
#define KILN_DIST_OPS

include "dialects/dist/DistDialect.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Dist_ShardOp : Dist_Op<"shard", [Pure]> {
  let summary = "this rank's block of a tensor every rank of the group holds";
  let description = [{
    Every rank holds `input` whole; the result is the block `split` gives
    this rank's coordinate. A shard of a constant is a split weight: each
    rank's weights file holds its block only.

    ```mlir
    %w1 = dist.shard %w #dist.split<tp, dim = 1, parts = 2, outer = 1, inner = 1>
        : tensor<768x3072xf32> -> tensor<768x1536xf32>
    ```
  }];
  let arguments = (ins AnyStaticShapeTensor:$input, Dist_SplitAttr:$split);
  let results = (outs AnyStaticShapeTensor:$output);
  let assemblyFormat = [{
    $input $split attr-dict `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
}

def Dist_AllGatherOp : Dist_Op<"all_gather"> {
  let summary = "the whole tensor from the blocks the ranks of a group hold";
  let description = [{
    The inverse of `dist.shard` with the same `split`: each rank of the
    group contributes its block, and every rank receives the whole tensor.
  }];
  let arguments = (ins AnyStaticShapeTensor:$input, Dist_SplitAttr:$split);
  let results = (outs AnyStaticShapeTensor:$output);
  let assemblyFormat = [{
    $input $split attr-dict `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
}

def Dist_AllReduceOp : Dist_Op<"all_reduce",
    [AllTypesMatch<["input", "output"]>]> {
  let summary = "the sum over the ranks of a group of their partial values";
  let description = [{
    Each rank holds a partial sum (after a GEMM whose contracted dim is
    split, for example); every rank receives the total.

    ```mlir
    %y = dist.all_reduce %p tp parts 2 : tensor<8x768xf32>
    ```
  }];
  let arguments = (ins AnyStaticShapeTensor:$input, Dist_AxisAttr:$axis,
                   I64Attr:$parts);
  let results = (outs AnyStaticShapeTensor:$output);
  let assemblyFormat = [{
    $input $axis `parts` $parts attr-dict `:` type($input)
  }];
  let hasVerifier = 1;
}

#endif // KILN_DIST_OPS
