//===- GraphIndexingOps.td - Graph ops that index ------------*- tablegen -*-===//
//
// Gathers and scatters by index tensors, masks, running sums and products,
// and padding; included by GraphOps.td, whose op classes they use.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_GRAPH_INDEXING_OPS
#define KILN_GRAPH_INDEXING_OPS

//===----------------------------------------------------------------------===//
// Gathers and scatters by index tensors
//===----------------------------------------------------------------------===//

def Graph_GatherElementsOp : Graph_ShapedOp<"gather_elements"> {
  let summary = "y[c] = x[c with c[axis] = indices[c]]";
  let description = [{
    The result has the indices' shape; indices have the input's rank and
    no dim but `axis` larger than the input's. Negative indices count from
    the end.

    ```mlir
    %y = graph.gather_elements %x[%i] {axis = 1 : i64} : (tensor<3x4xf32>, tensor<3x2xi64>) -> tensor<3x2xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, RankedTensorOf<[I32, I64]>:$indices,
                   DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input `[` $indices `]` attr-dict `:` functional-type(operands, results)
  }];
}

def Graph_ScatterElementsOp : Graph_ShapedOp<"scatter_elements"> {
  let summary = "a copy of x with y[c with c[axis] = indices[c]] op= updates[c]";
  let description = [{
    `updates` has the indices' shape. `reduction` is "none", "add", "mul",
    "max" or "min"; duplicate indices apply in order.
  }];
  let arguments = (ins AnyRankedTensor:$input, RankedTensorOf<[I32, I64]>:$indices,
                   AnyRankedTensor:$updates,
                   DefaultValuedAttr<I64Attr, "0">:$axis,
                   DefaultValuedAttr<StrAttr, "\"none\"">:$reduction);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input `[` $indices `]` `,` $updates attr-dict `:` functional-type(operands, results)
  }];
}

def Graph_GatherNDOp : Graph_ShapedOp<"gather_nd"> {
  let summary = "slices of x picked by the index tuples in the last dim of indices";
  let description = [{
    indices is (B..., T..., k) with `batch_dims` leading dims B equal to
    the input's; the result is indices.shape[:-1] + input.shape[B + k:].
  }];
  let arguments = (ins AnyRankedTensor:$input, RankedTensorOf<[I64]>:$indices,
                   DefaultValuedAttr<I64Attr, "0">:$batch_dims);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input `[` $indices `]` attr-dict `:` functional-type(operands, results)
  }];
}

def Graph_ScatterNDOp : Graph_ShapedOp<"scatter_nd"> {
  let summary = "a copy of x with the slices at the index tuples op= updates";
  let description = [{
    indices is (T..., k); updates is T... + input.shape[k:]. `reduction`
    is "none", "add", "mul", "max" or "min".
  }];
  let arguments = (ins AnyRankedTensor:$input, RankedTensorOf<[I64]>:$indices,
                   AnyRankedTensor:$updates,
                   DefaultValuedAttr<StrAttr, "\"none\"">:$reduction);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input `[` $indices `]` `,` $updates attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Masks, scans and layout changes
//===----------------------------------------------------------------------===//

def Graph_TriluOp : Graph_ShapedOp<"trilu"> {
  let summary = "the upper or lower triangle of the last two dims, the rest 0";
  let description = [{
    With `upper`, element (i, j) is kept when j - i >= k, else when
    j - i <= k. `k` is an optional i64 scalar (rank 0 or one element),
    read at run time; 0 when absent.

    ```mlir
    %y = graph.trilu %x, %k {upper = false} : (tensor<3x4xf32>, tensor<i64>) -> tensor<3x4xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input,
                   Optional<RankedTensorOf<[I64]>>:$k,
                   DefaultValuedAttr<BoolAttr, "true">:$upper);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input (`,` $k^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Graph_CumSumOp : Graph_ShapedOp<"cumsum"> {
  let summary = "running sums along `axis`";
  let description = [{
    y[i] = x[0] + ... + x[i] along `axis`; with `exclusive` the sum stops
    before x[i], with `reverse` it runs from the end.

    ```mlir
    %y = graph.cumsum %x {axis = 1 : i64, reverse = true} : tensor<2x3xf32> -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$axis,
                   DefaultValuedAttr<BoolAttr, "false">:$exclusive,
                   DefaultValuedAttr<BoolAttr, "false">:$reverse);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($output)
  }];
}

def Graph_CumProdOp : Graph_ShapedOp<"cumprod"> {
  let summary = "running products along `axis`";
  let description = [{
    y[i] = x[0] * ... * x[i] along `axis`; with `exclusive` the product
    stops before x[i] (y[0] = 1), with `reverse` it runs from the end.

    ```mlir
    %y = graph.cumprod %x {axis = 0 : i64, exclusive = true} : tensor<5xf32> -> tensor<5xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$axis,
                   DefaultValuedAttr<BoolAttr, "false">:$exclusive,
                   DefaultValuedAttr<BoolAttr, "false">:$reverse);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($output)
  }];
}

def Graph_PadOp : Graph_ShapedOp<"pad"> {
  let summary = "pad (or, with negative pads, crop) every dim";
  let description = [{
    `pads` holds rank begins, then rank ends. `mode` is "constant" (the
    optional scalar `constant_value`, 0 when absent), "reflect", "edge" or
    "wrap".

    ```mlir
    %y = graph.pad %x {mode = "reflect", pads = array<i64: 0, 2, 0, 1>} : (tensor<3x4xf32>) -> tensor<3x7xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input,
                   Optional<AnyRankedTensor>:$constant_value,
                   DenseI64ArrayAttr:$pads,
                   DefaultValuedAttr<StrAttr, "\"constant\"">:$mode);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input (`,` $constant_value^)? attr-dict `:` functional-type(operands, results)
  }];
}

#endif // KILN_GRAPH_INDEXING_OPS
