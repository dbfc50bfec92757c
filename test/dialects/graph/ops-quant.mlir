// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// The low-precision element types and the quantize ops print and parse
// back to themselves.

// CHECK-LABEL: func.func @casts
func.func @casts(%x: tensor<4xf32>, %h: tensor<4xf16>) {
  // Saturating is the default and is not printed.
  // CHECK: graph.cast %{{.*}} : tensor<4xf32> -> tensor<4xf8E4M3FN>
  %0 = graph.cast %x : tensor<4xf32> -> tensor<4xf8E4M3FN>
  // CHECK: graph.cast %{{.*}} {saturate = false} : tensor<4xf16> -> tensor<4xf8E5M2FNUZ>
  %1 = graph.cast %h {saturate = false} : tensor<4xf16> -> tensor<4xf8E5M2FNUZ>
  // CHECK: graph.cast %{{.*}} : tensor<4xf32> -> tensor<4xf4E2M1FN>
  %2 = graph.cast %x : tensor<4xf32> -> tensor<4xf4E2M1FN>
  // CHECK: graph.cast %{{.*}} : tensor<4xf32> -> tensor<4xi4>
  %3 = graph.cast %x : tensor<4xf32> -> tensor<4xi4>
  // CHECK: graph.cast %{{.*}} : tensor<4xi4> -> tensor<4xui2>
  %4 = graph.cast %3 : tensor<4xi4> -> tensor<4xui2>
  return
}

// CHECK-LABEL: func.func @quantize
func.func @quantize(%x: tensor<2x4xf32>, %s: tensor<1x4xf32>, %zp: tensor<1x4xi8>,
                    %s0: tensor<f32>, %zp4: tensor<ui4>) {
  // Per axis, with a zero point.
  // CHECK: graph.quantize %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x4xf32>, tensor<1x4xf32>, tensor<1x4xi8>) -> tensor<2x4xi8>
  %0 = graph.quantize %x, %s, %zp : (tensor<2x4xf32>, tensor<1x4xf32>, tensor<1x4xi8>) -> tensor<2x4xi8>
  // Per tensor, to a 4-bit type.
  // CHECK: graph.quantize %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x4xf32>, tensor<f32>, tensor<ui4>) -> tensor<2x4xui4>
  %1 = graph.quantize %x, %s0, %zp4 : (tensor<2x4xf32>, tensor<f32>, tensor<ui4>) -> tensor<2x4xui4>
  // To float8 without a zero point or saturation.
  // CHECK: graph.quantize %{{.*}}, %{{.*}} {saturate = false} : (tensor<2x4xf32>, tensor<f32>) -> tensor<2x4xf8E4M3FN>
  %2 = graph.quantize %x, %s0 {saturate = false} : (tensor<2x4xf32>, tensor<f32>) -> tensor<2x4xf8E4M3FN>
  // CHECK: graph.dequantize %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x4xi8>, tensor<1x4xf32>, tensor<1x4xi8>) -> tensor<2x4xf32>
  %3 = graph.dequantize %0, %s, %zp : (tensor<2x4xi8>, tensor<1x4xf32>, tensor<1x4xi8>) -> tensor<2x4xf32>
  // To another float than the scale's.
  // CHECK: graph.dequantize %{{.*}}, %{{.*}} : (tensor<2x4xf8E4M3FN>, tensor<f32>) -> tensor<2x4xf16>
  %4 = graph.dequantize %2, %s0 : (tensor<2x4xf8E4M3FN>, tensor<f32>) -> tensor<2x4xf16>
  return
}
