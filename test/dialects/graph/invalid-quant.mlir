// RUN: kiln-opt %s --split-input-file --verify-diagnostics

// The scale must broadcast to the input without widening it.
func.func @quantize_scale_shape(%x: tensor<2x4xf32>, %s: tensor<3xf32>) {
  // expected-error @+1 {{'graph.quantize' op the scale does not broadcast to the input}}
  %0 = graph.quantize %x, %s : (tensor<2x4xf32>, tensor<3xf32>) -> tensor<2x4xi8>
  return
}

// -----

// A scale of more dims than the input widens it.
func.func @dequantize_scale_rank(%x: tensor<4xi8>, %s: tensor<2x4xf32>) {
  // expected-error @+1 {{'graph.dequantize' op the scale does not broadcast to the input}}
  %0 = graph.dequantize %x, %s : (tensor<4xi8>, tensor<2x4xf32>) -> tensor<4xf32>
  return
}

// -----

// The zero point has the result's type.
func.func @quantize_zero_point_type(%x: tensor<4xf32>, %s: tensor<f32>, %zp: tensor<ui8>) {
  // expected-error @+1 {{'graph.quantize' op zero point element type 'ui8' differs from the result's 'i8'}}
  %0 = graph.quantize %x, %s, %zp : (tensor<4xf32>, tensor<f32>, tensor<ui8>) -> tensor<4xi8>
  return
}

// -----

// The scale has the input's type.
func.func @quantize_scale_type(%x: tensor<4xf32>, %s: tensor<f16>) {
  // expected-error @+1 {{'graph.quantize' op scale element type 'f16' differs from the input's 'f32'}}
  %0 = graph.quantize %x, %s : (tensor<4xf32>, tensor<f16>) -> tensor<4xi8>
  return
}

// -----

// A quantized result is an integer of 2 to 16 bits or a float of 8 or fewer.
func.func @quantize_result_type(%x: tensor<4xf32>, %s: tensor<f32>) {
  // expected-error @+1 {{'graph.quantize' op result element type 'f16' is not a quantized type}}
  %0 = graph.quantize %x, %s : (tensor<4xf32>, tensor<f32>) -> tensor<4xf16>
  return
}

// -----

// Quantizing takes a float input.
func.func @quantize_input_type(%x: tensor<4xi32>, %s: tensor<i32>) {
  // expected-error @+1 {{'graph.quantize' op input element type 'i32' is not a float of 16 bits or more}}
  %0 = graph.quantize %x, %s : (tensor<4xi32>, tensor<i32>) -> tensor<4xi8>
  return
}

// -----

// Dequantizing takes a quantized input.
func.func @dequantize_input_type(%x: tensor<4xf32>, %s: tensor<f32>) {
  // expected-error @+1 {{'graph.dequantize' op input element type 'f32' is not a quantized type}}
  %0 = graph.dequantize %x, %s : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return
}

// -----

// The zero point has the input's type.
func.func @dequantize_zero_point_type(%x: tensor<4xi4>, %s: tensor<f32>, %zp: tensor<i8>) {
  // expected-error @+1 {{'graph.dequantize' op zero point element type 'i8' differs from the input's 'i4'}}
  %0 = graph.dequantize %x, %s, %zp : (tensor<4xi4>, tensor<f32>, tensor<i8>) -> tensor<4xf32>
  return
}

// -----

// A dequantized result is a float.
func.func @dequantize_result_type(%x: tensor<4xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'graph.dequantize' op result element type 'i32' is not a float of 16 bits or more}}
  %0 = graph.dequantize %x, %s : (tensor<4xi8>, tensor<f32>) -> tensor<4xi32>
  return
}
