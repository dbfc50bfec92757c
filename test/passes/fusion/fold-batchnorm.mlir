// RUN: kiln-opt %s -split-input-file -kiln-fold-batchnorm | FileCheck %s

// s = scale / sqrt(var + 1) = (2, 0.5): W' = W * s[oc] = (2, 4, 1.5, 2) and
// b' = (b - mean) * s + B = (0.5, 0), as new dense_resource weights.
// CHECK-LABEL: func.func @conv_bn
// CHECK-DAG: %[[W:.*]] = graph.constant dense_resource<conv.bn_folded> : tensor<2x2x1x1xf32>
// CHECK-DAG: %[[B:.*]] = graph.constant dense_resource<conv.bn_folded_bias> : tensor<2xf32>
// CHECK: %[[Y:.*]] = graph.conv %{{.*}}, %[[W]], %[[B]]
// CHECK-NOT: graph.batch_norm
// CHECK: return %[[Y]]
// CHECK: conv.bn_folded: "0x0400000000000040000080400000C03F00000040"
// CHECK: conv.bn_folded_bias: "0x040000000000003F00000000"
func.func @conv_bn(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = graph.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %b = graph.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %scale = graph.constant dense<[4.0, 2.0]> : tensor<2xf32>
  %shift = graph.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = graph.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = graph.constant dense<[3.0, 15.0]> : tensor<2xf32>
  %y = graph.conv %x, %w, %b {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %z = graph.batch_norm %y, %scale, %shift, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %z : tensor<1x2x4x4xf32>
}

// -----

// A conv without a bias takes b = 0, and a resource weight names the folded
// weight; a grouped (depthwise) conv scales its output channels alike.
// CHECK-LABEL: func.func @depthwise_no_bias
// CHECK-DAG: graph.constant dense_resource<dw.weight.bn_folded> : tensor<2x1x1x1xf32>
// CHECK-DAG: graph.constant dense_resource<dw.weight.bn_folded_bias> : tensor<2xf32>
// CHECK: graph.conv
// CHECK-SAME: group = 2
// CHECK-NOT: graph.batch_norm
// CHECK: dw.weight.bn_folded: "0x04000000000000400000003F"
// CHECK: dw.weight.bn_folded_bias: "0x04000000000000C0000080BF"
func.func @depthwise_no_bias(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = graph.constant dense_resource<dw.weight> : tensor<2x1x1x1xf32>
  %scale = graph.constant dense<[4.0, 2.0]> : tensor<2xf32>
  %shift = graph.constant dense<[0.0, -1.0]> : tensor<2xf32>
  %mean = graph.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = graph.constant dense<[3.0, 15.0]> : tensor<2xf32>
  %y = graph.conv %x, %w {dilations = array<i64: 1, 1>, group = 2 : i64, kernel_shape = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %z = graph.batch_norm %y, %scale, %shift, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %z : tensor<1x2x4x4xf32>
}

{-#
  dialect_resources: {
    builtin: {
      dw.weight: "0x040000000000803F0000803F"
    }
  }
#-}

// -----

// The scale is a model input, not a constant: nothing to fold into W.
// CHECK-LABEL: func.func @negative_scale_not_constant
// CHECK: graph.conv
// CHECK: graph.batch_norm
func.func @negative_scale_not_constant(%x: tensor<1x2x4x4xf32>, %scale: tensor<2xf32>) -> tensor<1x2x4x4xf32> {
  %w = graph.constant dense<1.0> : tensor<2x2x1x1xf32>
  %shift = graph.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = graph.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = graph.constant dense<[3.0, 15.0]> : tensor<2xf32>
  %y = graph.conv %x, %w {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %z = graph.batch_norm %y, %scale, %shift, %mean, %var : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %z : tensor<1x2x4x4xf32>
}

// -----

// The conv's result is also returned: the unnormalized value must stay.
// CHECK-LABEL: func.func @negative_conv_used_twice
// CHECK-NOT: bn_folded
// CHECK: %[[Y:.*]] = graph.conv
// CHECK: %[[Z:.*]] = graph.batch_norm %[[Y]]
// CHECK: return %[[Y]], %[[Z]]
func.func @negative_conv_used_twice(%x: tensor<1x2x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = graph.constant dense<1.0> : tensor<2x2x1x1xf32>
  %scale = graph.constant dense<[4.0, 2.0]> : tensor<2xf32>
  %shift = graph.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = graph.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = graph.constant dense<[3.0, 15.0]> : tensor<2xf32>
  %y = graph.conv %x, %w {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %z = graph.batch_norm %y, %scale, %shift, %mean, %var : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %y, %z : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// The batch norm reads a model input, not a conv.
// CHECK-LABEL: func.func @negative_not_after_conv
// CHECK-NOT: bn_folded
// CHECK: graph.batch_norm %arg0
func.func @negative_not_after_conv(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %scale = graph.constant dense<[4.0, 2.0]> : tensor<2xf32>
  %shift = graph.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = graph.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = graph.constant dense<[3.0, 15.0]> : tensor<2xf32>
  %z = graph.batch_norm %x, %scale, %shift, %mean, %var : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %z : tensor<1x2x4x4xf32>
}

// -----

// f16 weights are not folded (the fold computes and stores f32).
// CHECK-LABEL: func.func @negative_f16
// CHECK-NOT: bn_folded
// CHECK: graph.batch_norm
func.func @negative_f16(%x: tensor<1x2x4x4xf16>) -> tensor<1x2x4x4xf16> {
  %w = graph.constant dense<1.0> : tensor<2x2x1x1xf16>
  %scale = graph.constant dense<[4.0, 2.0]> : tensor<2xf16>
  %shift = graph.constant dense<[0.5, -1.0]> : tensor<2xf16>
  %mean = graph.constant dense<[1.0, 0.0]> : tensor<2xf16>
  %var = graph.constant dense<[3.0, 15.0]> : tensor<2xf16>
  %y = graph.conv %x, %w {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4xf16>, tensor<2x2x1x1xf16>) -> tensor<1x2x4x4xf16>
  %z = graph.batch_norm %y, %scale, %shift, %mean, %var : (tensor<1x2x4x4xf16>, tensor<2xf16>, tensor<2xf16>, tensor<2xf16>, tensor<2xf16>) -> tensor<1x2x4x4xf16>
  return %z : tensor<1x2x4x4xf16>
}
