// RUN: kiln-opt %s -split-input-file -convert-graph-to-kernel -canonicalize -cse | FileCheck %s

// A max_pool over dynamic spatial dims with auto_pad SAME_UPPER: the output
// is ceil(in / stride) per dim, and the pads depend on the input, so they
// are computed at run time and passed to the kernel as the call's sizes
// (the dynamic entries of `pads`).

// CHECK-LABEL: func.func @main(
// CHECK-SAME:      %[[X:arg[0-9]+]]: memref<1x3x?x?xf32>
// CHECK-DAG:     %[[H:.*]] = kernel.dim %[[X]][2]
// CHECK-DAG:     %[[W:.*]] = kernel.dim %[[X]][3]
// CHECK-DAG:     %[[OH:.*]] = arith.ceildivsi %[[H]], %c2 : index
// CHECK-DAG:     %[[OW:.*]] = arith.ceildivsi %[[W]], %c2 : index
// CHECK:         kernel.library_call "max_pool" ins(%[[X]] : memref<1x3x?x?xf32>) outs(%{{.*}} : memref<1x3x?x?xf32>) sizes(%[[B0:.*]], %[[B1:.*]], %[[E0:.*]], %[[E1:.*]]) {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: -9223372036854775808, -9223372036854775808, -9223372036854775808, -9223372036854775808>, strides = array<i64: 2, 2>}
// CHECK:         kernel.output_dims %{{.*}}(%[[OH]], %[[OW]])
func.func @main(%x: tensor<1x3x?x?xf32> {graph.name = "x", graph.dim_names = ["", "", "h", "w"]})
    -> (tensor<1x3x?x?xf32> {graph.name = "y"}) {
  %y = graph.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, auto_pad = "SAME_UPPER"} : tensor<1x3x?x?xf32> -> tensor<1x3x?x?xf32>
  return %y : tensor<1x3x?x?xf32>
}

// -----

// Explicit pads stay constants in the attribute, so the call takes no
// sizes; with ceil_mode the output rounds up, less one when the last
// window would start past the input and its begin pad (in index arithmetic
// only, which control flow hoists out of its regions).

// CHECK-LABEL: func.func @main(
// CHECK:         %[[L:.*]] = kernel.dim
// CHECK:         arith.ceildivsi
// CHECK:         arith.maxsi
// CHECK:         arith.minsi
// CHECK-NOT:     arith.cmpi
// CHECK:         kernel.library_call "average_pool" ins(%{{.*}} : memref<1x1x?xf32>) outs(%{{.*}} : memref<1x1x?xf32>) {count_include_pad = false, dilations = array<i64: 1>, kernel_shape = array<i64: 3>, pads = array<i64: 1, 0>, strides = array<i64: 2>}
func.func @main(%x: tensor<1x1x?xf32> {graph.name = "x", graph.dim_names = ["", "", "len"]})
    -> (tensor<1x1x?xf32> {graph.name = "y"}) {
  %y = graph.average_pool %x {kernel_shape = array<i64: 3>, strides = array<i64: 2>, pads = array<i64: 1, 0>, dilations = array<i64: 1>, ceil_mode = true} : tensor<1x1x?xf32> -> tensor<1x1x?xf32>
  return %y : tensor<1x1x?xf32>
}

// -----

// A conv whose weight is an input with dynamic dims: the output channels
// are the weight's dim 0 and the window its spatial dims, both read at
// run time; pads are explicit, so the call takes no sizes.

// CHECK-LABEL: func.func @main(
// CHECK-SAME:      %[[X:arg[0-9]+]]: memref<1x2x?xf32> {{.*}}, %[[W:arg[0-9]+]]: memref<?x2x?xf32>
// CHECK-DAG:     %[[M:.*]] = kernel.dim %[[W]][0]
// CHECK-DAG:     %[[K:.*]] = kernel.dim %[[W]][2]
// CHECK-DAG:     %[[L:.*]] = kernel.dim %[[X]][2]
// CHECK:         %[[OUT:.*]] = kernel.alloc(%[[M]], %{{.*}}) : memref<1x?x?xf32>
// CHECK:         kernel.library_call "conv" ins(%[[X]], %[[W]] : memref<1x2x?xf32>, memref<?x2x?xf32>) outs(%[[OUT]] : memref<1x?x?xf32>) {dilations = array<i64: 1>, group = 1 : i64, pads = array<i64: 1, 1>, strides = array<i64: 1>}
func.func @main(%x: tensor<1x2x?xf32> {graph.name = "x", graph.dim_names = ["", "", "len"]},
                %w: tensor<?x2x?xf32> {graph.name = "w", graph.dim_names = ["m", "", "k"]})
    -> (tensor<1x?x?xf32> {graph.name = "y"}) {
  %y = graph.conv %x, %w {kernel_shape = array<i64: -9223372036854775808>, strides = array<i64: 1>, pads = array<i64: 1, 1>, dilations = array<i64: 1>} : (tensor<1x2x?xf32>, tensor<?x2x?xf32>) -> tensor<1x?x?xf32>
  %r = graph.relu %y : tensor<1x?x?xf32> -> tensor<1x?x?xf32>
  return %r : tensor<1x?x?xf32>
}

// -----

// Static spatial dims keep the pads resolved at compile time, ceil_mode's
// grown end pad included: no sizes.

// CHECK-LABEL: func.func @main(
// CHECK:         kernel.library_call "max_pool" ins(%{{.*}} : memref<?x4x8x8xf32>) outs(%{{.*}} : memref<?x4x3x3xf32>) {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 0, 0, 1, 1>, strides = array<i64: 3, 3>}
func.func @main(%x: tensor<?x4x8x8xf32> {graph.name = "x", graph.dim_names = ["n", "", "", ""]})
    -> (tensor<?x4x3x3xf32> {graph.name = "y"}) {
  %y = graph.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = true} : tensor<?x4x8x8xf32> -> tensor<?x4x3x3xf32>
  return %y : tensor<?x4x3x3xf32>
}

// -----

// A conv_transpose over a dynamic length with auto_pad SAME_UPPER: the
// output is in * stride, and the begin and end pads follow from the
// weight's window and the input at run time.

// CHECK-LABEL: func.func @main(
// CHECK-SAME:      %[[X:arg[0-9]+]]: memref<1x2x?xf32>
// CHECK:         %[[L:.*]] = kernel.dim %[[X]][2]
// CHECK:         %[[OUT:.*]] = arith.muli %[[L]], %c2 : index
// CHECK:         kernel.library_call "conv_transpose" ins(%[[X]], %{{.*}} : memref<1x2x?xf32>, memref<2x3x3xf32>) outs(%{{.*}} : memref<1x3x?xf32>) sizes(%{{.*}}, %{{.*}}) {dilations = array<i64: 1>, group = 1 : i64, pads = array<i64: -9223372036854775808, -9223372036854775808>, strides = array<i64: 2>}
// CHECK:         kernel.output_dims %{{.*}}(%[[OUT]])
func.func @main(%x: tensor<1x2x?xf32> {graph.name = "x", graph.dim_names = ["", "", "len"]})
    -> (tensor<1x3x?xf32> {graph.name = "y"}) {
  %w = graph.constant dense<1.0> : tensor<2x3x3xf32>
  %y = graph.conv_transpose %x, %w {kernel_shape = array<i64: 3>, strides = array<i64: 2>, pads = array<i64: 0, 0>, dilations = array<i64: 1>, output_padding = array<i64: 0>, auto_pad = "SAME_UPPER"} : (tensor<1x2x?xf32>, tensor<2x3x3xf32>) -> tensor<1x3x?xf32>
  return %y : tensor<1x3x?xf32>
}

// -----

// resize by scales over dynamic dims: floor(in * scale) with the float
// scale as the exact fraction it is (1.5 = 3 / 2); a scale of 1 keeps the
// dim.

// CHECK-LABEL: func.func @main(
// CHECK-SAME:      %[[X:arg[0-9]+]]: memref<?x?xf32>
// CHECK-DAG:     %[[R:.*]] = kernel.dim %[[X]][0]
// CHECK-DAG:     %[[C:.*]] = kernel.dim %[[X]][1]
// CHECK:         %[[P:.*]] = arith.muli %[[C]], %c3 : index
// CHECK:         %[[Q:.*]] = arith.divsi %[[P]], %c2 : index
// CHECK:         kernel.library_call "resize" {{.*}}scales = array<f64: 1.000000e+00, 1.500000e+00>
// CHECK:         kernel.output_dims %{{.*}}(%[[R]], %[[Q]])
func.func @main(%x: tensor<?x?xf32> {graph.name = "x", graph.dim_names = ["r", "c"]})
    -> (tensor<?x?xf32> {graph.name = "y"}) {
  %y = graph.resize %x {scales = array<f32: 1.0, 1.5>} : tensor<?x?xf32> -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// resize to sizes over a dynamic input: the output dims are the sizes and
// the factors 0, which the kernel reads as y's dim over x's.

// CHECK-LABEL: func.func @main(
// CHECK:         kernel.library_call "resize" {{.*}}scales = array<f64: 0.000000e+00, 0.000000e+00>
func.func @main(%x: tensor<?x?xf32> {graph.name = "x", graph.dim_names = ["r", "c"]})
    -> (tensor<3x5xf32> {graph.name = "y"}) {
  %y = graph.resize %x {sizes = array<i64: 3, 5>} : tensor<?x?xf32> -> tensor<3x5xf32>
  return %y : tensor<3x5xf32>
}

// -----

// An average counting the pads with a ceil-mode window past the end pad:
// static dims too keep the model's pads (grown ends would count the cells
// past them), and the kernel takes the one more window.

// CHECK-LABEL: func.func @main(
// CHECK:         kernel.library_call "average_pool" ins(%{{.*}} : memref<1x1x8x8xf32>) outs(%{{.*}} : memref<1x1x3x3xf32>) {count_include_pad = true, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 3, 3>}
func.func @main(%x: tensor<1x1x8x8xf32> {graph.name = "x"}) -> (tensor<1x1x3x3xf32> {graph.name = "y"}) {
  %y = graph.average_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = true, count_include_pad = true} : tensor<1x1x8x8xf32> -> tensor<1x1x3x3xf32>
  return %y : tensor<1x1x3x3xf32>
}
