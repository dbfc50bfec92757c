//===- GraphQuantOps.td - Linear quantization ops ------------*- tablegen -*-===//
//
// ONNX QuantizeLinear / DequantizeLinear with their scale and zero point
// already broadcastable to the input: the importer reshapes a per-axis
// (C) scale to (1, ..., C, ..., 1) and repeats a blocked one along its
// axis. The quantized side is an integer type (i2 to i16, signless or
// unsigned) or a float8 / float4 type; the other side is a float.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_GRAPH_QUANT_OPS
#define KILN_GRAPH_QUANT_OPS

def Graph_QuantizeOp : Graph_ShapedOp<"quantize"> {
  let summary = "elementwise saturate(round(x / scale) + zero_point)";
  let description = [{
    For an integer result: x / scale computed in x's float type, rounded to
    nearest even, plus the zero point (0 when absent), clamped to the
    result type's range. For a float8 result: x / scale converted with
    graph.cast's meaning, `saturate` included; for f4E2M1FN the zero point
    is added before. `scale` has x's element type, `zero_point` the
    result's; both broadcast to x.

    ```mlir
    %q = graph.quantize %x, %s, %zp : (tensor<2x4xf32>, tensor<1x4xf32>, tensor<1x4xi8>) -> tensor<2x4xi8>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$scale,
                   Optional<AnyRankedTensor>:$zero_point,
                   DefaultValuedAttr<BoolAttr, "true">:$saturate);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale (`,` $zero_point^)? attr-dict `:` functional-type(operands, results)
  }];
  // Inference (of the shape) is written in GraphShapesQuant.cpp.
  let extraClassDefinition = "";
  let hasVerifier = 1;
}

def Graph_DequantizeOp : Graph_ShapedOp<"dequantize"> {
  let summary = "elementwise (x - zero_point) * scale";
  let description = [{
    Computed in f32 and converted to the result's float type. The zero
    point, of x's element type, is ignored for float8 and float4 inputs (it
    must be zero there); `scale` is a float; both broadcast to x.

    ```mlir
    %y = graph.dequantize %q, %s : (tensor<2x4xi8>, tensor<f32>) -> tensor<2x4xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$scale,
                   Optional<AnyRankedTensor>:$zero_point);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale (`,` $zero_point^)? attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDefinition = "";
  let hasVerifier = 1;
}

#endif // KILN_GRAPH_QUANT_OPS
