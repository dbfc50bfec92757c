// RUN: kiln-opt %s -split-input-file -convert-graph-to-kernel | FileCheck %s

// Inputs then outputs, all memrefs, graph.name kept; the op producing a
// result writes its output argument; a splat constant operand becomes an
// arith.constant of the body, a non-splat one a weight named after its
// resource, placed at the top of the function.
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[X:.*]]: memref<2x4xf32> {graph.name = "x"}, %[[Y:.*]]: memref<2x4xf32> {graph.name = "y", kernel.output})
// CHECK-SAME: attributes {kernel.num_inputs = 1 : i64}
// CHECK-NEXT: %[[W:.*]] = kernel.weight "fc.bias" : memref<4xf32> = dense_resource<fc.bias>
// CHECK-NEXT: %[[T:.*]] = kernel.alloc : memref<2x4xf32>
// CHECK-NEXT: kernel.elementwise ins(%[[X]], %[[W]] : memref<2x4xf32>, memref<4xf32>) outs(%[[T]] : memref<2x4xf32>)
// CHECK-NEXT: ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f32):
// CHECK-NEXT:   %[[S:.*]] = arith.addf %[[A]], %[[B]] : f32
// CHECK-NEXT:   kernel.yield %[[S]] : f32
// CHECK: kernel.elementwise ins(%[[T]] : memref<2x4xf32>) outs(%[[Y]] : memref<2x4xf32>)
// CHECK-NEXT: ^bb0(%[[C:.*]]: f32):
// CHECK-NEXT:   %[[TWO:.*]] = arith.constant 2.000000e+00 : f32
// CHECK-NEXT:   %[[P:.*]] = arith.mulf %[[C]], %[[TWO]] : f32
// CHECK-NEXT:   kernel.yield %[[P]] : f32
// CHECK-NOT: kernel.copy
// CHECK-NOT: graph.
func.func @main(%x: tensor<2x4xf32> {graph.name = "x"}) -> (tensor<2x4xf32> {graph.name = "y"}) {
  %b = graph.constant dense_resource<fc.bias> : tensor<4xf32>
  %two = graph.constant dense<2.0> : tensor<f32>
  %t = graph.add %x, %b : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %y = graph.mul %t, %two : (tensor<2x4xf32>, tensor<f32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
{-#
  dialect_resources: {
    builtin: {
      fc.bias: "0x040000000000803F000000400000404000008040"
    }
  }
#-}

// -----

// Results that are an input or a weight, or that one buffer holds twice,
// are copied; a small non-splat constant is a weight named after its
// location, and two constants of one value share it.
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[X:.*]]: memref<3xf32> {graph.name = "x"}, %[[O0:.*]]: memref<3xf32> {graph.name = "same", kernel.output}, %[[O1:.*]]: memref<3xf32> {graph.name = "const", kernel.output}, %[[O2:.*]]: memref<3xf32> {graph.name = "n1", kernel.output}, %[[O3:.*]]: memref<3xf32> {graph.name = "n2", kernel.output}, %[[O4:.*]]: memref<3xf32> {graph.name = "again", kernel.output})
// CHECK: %[[W:.*]] = kernel.weight "scale" : memref<3xf32> = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]>
// CHECK-NOT: kernel.weight
// CHECK: kernel.elementwise ins(%[[X]] : memref<3xf32>) outs(%[[O2]] : memref<3xf32>)
// CHECK:   arith.negf
// CHECK: kernel.copy %[[X]], %[[O0]]
// CHECK: kernel.copy %[[W]], %[[O1]]
// CHECK: kernel.copy %[[O2]], %[[O3]]
// CHECK: kernel.copy %[[W]], %[[O4]]
func.func @main(%x: tensor<3xf32> {graph.name = "x"}) -> (tensor<3xf32> {graph.name = "same"}, tensor<3xf32> {graph.name = "const"}, tensor<3xf32> {graph.name = "n1"}, tensor<3xf32> {graph.name = "n2"}, tensor<3xf32> {graph.name = "again"}) {
  %c = graph.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32> loc("scale")
  %d = graph.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32> loc("scale_copy")
  %n = graph.neg %x : tensor<3xf32> -> tensor<3xf32>
  return %x, %c, %n, %n, %d : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// A result that is a view of a fresh buffer claims that buffer: the softmax
// writes the output argument seen with its own shape. A second result
// aliasing the same buffer (identity) is copied from that output.
// CHECK-LABEL: func.func @main
// CHECK-SAME: %[[F:[^:]*]]: memref<8xf32> {graph.name = "flat", kernel.output}, %[[S:[^:]*]]: memref<2x4xf32> {graph.name = "same", kernel.output}
// CHECK-NEXT: %[[FV:.*]] = kernel.view %[[F]] : memref<8xf32> to memref<2x4xf32>
// CHECK-NEXT: kernel.library_call "softmax" ins(%{{.*}} : memref<2x4xf32>) outs(%[[FV]] : memref<2x4xf32>)
// CHECK-NEXT: %[[V:.*]] = kernel.view %[[FV]] : memref<2x4xf32> to memref<8xf32>
// CHECK-NEXT: kernel.copy %[[FV]], %[[S]] : memref<2x4xf32>, memref<2x4xf32>
func.func @main(%x: tensor<2x4xf32>) -> (tensor<8xf32> {graph.name = "flat"}, tensor<2x4xf32> {graph.name = "same"}) {
  %shape = graph.constant dense<[8]> : tensor<1xi64>
  %s = graph.softmax %x {axis = 1 : i64} : tensor<2x4xf32> -> tensor<2x4xf32>
  %f = graph.reshape %s, %shape : (tensor<2x4xf32>, tensor<1xi64>) -> tensor<8xf32>
  %i = graph.identity %s : tensor<2x4xf32> -> tensor<2x4xf32>
  return %f, %i : tensor<8xf32>, tensor<2x4xf32>
}

// -----

// Reshape-like ops are views of one buffer; identity and dropout are the
// buffer itself.
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[X:.*]]: memref<2x3x4xf32>
// CHECK-NEXT: %[[V1:.*]] = kernel.view %[[X]] : memref<2x3x4xf32> to memref<2x12xf32>
// CHECK-NEXT: %[[V2:.*]] = kernel.view %[[V1]] : memref<2x12xf32> to memref<1x2x12xf32>
// CHECK-NEXT: %[[V3:.*]] = kernel.view %[[V2]] : memref<1x2x12xf32> to memref<24xf32>
// CHECK-NEXT: kernel.copy %[[V3]], %{{.*}} : memref<24xf32>, memref<24xf32>
// CHECK-NEXT: return
func.func @main(%x: tensor<2x3x4xf32>) -> tensor<24xf32> {
  %shape = graph.constant dense<[24]> : tensor<1xi64>
  %f = graph.flatten %x {axis = 1 : i64} : tensor<2x3x4xf32> -> tensor<2x12xf32>
  %u = graph.unsqueeze %f {axes = array<i64: 0>} : tensor<2x12xf32> -> tensor<1x2x12xf32>
  %i = graph.identity %u : tensor<1x2x12xf32> -> tensor<1x2x12xf32>
  %d = graph.dropout %i : tensor<1x2x12xf32> -> tensor<1x2x12xf32>
  %r = graph.reshape %d, %shape : (tensor<1x2x12xf32>, tensor<1xi64>) -> tensor<24xf32>
  return %r : tensor<24xf32>
}

// -----

// Comparisons write i1 with ordered float predicates; where selects; not
// flips with xori true.
// CHECK-LABEL: func.func @main
// CHECK: kernel.elementwise ins(%{{.*}}, %{{.*}} : memref<4xf32>, memref<4xf32>) outs(%[[LT:.*]] : memref<4xi1>)
// CHECK:   arith.cmpf olt
// CHECK: kernel.elementwise ins(%[[LT]] : memref<4xi1>) outs(%[[N:.*]] : memref<4xi1>)
// CHECK:   %[[TRUE:.*]] = arith.constant true
// CHECK:   arith.xori %{{.*}}, %[[TRUE]] : i1
// CHECK: kernel.elementwise ins(%[[N]], %{{.*}}, %{{.*}} : memref<4xi1>, memref<4xf32>, memref<4xf32>)
// CHECK:   arith.select
func.func @main(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %lt = graph.less %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %n = graph.not %lt : tensor<4xi1> -> tensor<4xi1>
  %w = graph.where %n, %a, %b : (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %w : tensor<4xf32>
}

// -----

// Integer ops use the signed integer forms; mod without fmod takes the
// sign of the divisor.
// CHECK-LABEL: func.func @main
// CHECK: arith.divsi
// CHECK: arith.cmpi sgt
// CHECK: %[[R:.*]] = arith.remsi %{{.*}}, %[[D:.*]] : i64
// CHECK: %[[F:.*]] = arith.addi %[[R]], %[[D]] : i64
// CHECK: arith.select %{{.*}}, %[[F]], %[[R]] : i64
func.func @main(%a: tensor<4xi64>, %b: tensor<4xi64>) -> (tensor<4xi64>, tensor<4xi1>, tensor<4xi64>) {
  %d = graph.div %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %g = graph.greater %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1>
  %m = graph.mod %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  return %d, %g, %m : tensor<4xi64>, tensor<4xi1>, tensor<4xi64>
}

// -----

// Casts follow ONNX: float -> int truncates (fptosi), anything -> i1 is
// x != 0, i1 -> float is unsigned, narrowing floats truncate.
// CHECK-LABEL: func.func @main
// CHECK: arith.fptosi %{{.*}} : f32 to i32
// CHECK: arith.cmpf une
// CHECK: arith.uitofp %{{.*}} : i1 to f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: arith.extsi %{{.*}} : i32 to i64
func.func @main(%x: tensor<4xf32>) -> (tensor<4xi32>, tensor<4xf32>, tensor<4xf16>, tensor<4xi64>) {
  %i = graph.cast %x : tensor<4xf32> -> tensor<4xi32>
  %b = graph.cast %x : tensor<4xf32> -> tensor<4xi1>
  %f = graph.cast %b : tensor<4xi1> -> tensor<4xf32>
  %h = graph.cast %x : tensor<4xf32> -> tensor<4xf16>
  %l = graph.cast %i : tensor<4xi32> -> tensor<4xi64>
  return %i, %f, %h, %l : tensor<4xi32>, tensor<4xf32>, tensor<4xf16>, tensor<4xi64>
}

// -----

// Activations are math on scalars: gelu with erf, round half to even,
// clip with one splat bound, pow with an integer exponent.
// CHECK-LABEL: func.func @main
// CHECK: kernel.elementwise
// CHECK:   %[[SQRT1_2:.*]] = arith.constant 0.707106769 : f32
// CHECK:   math.erf
// CHECK: kernel.elementwise
// CHECK:   math.roundeven
// CHECK: kernel.elementwise ins(%{{.*}} : memref<4xf32>) outs
// CHECK:   %[[LO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:   arith.maximumf %{{.*}}, %[[LO]] : f32
// CHECK-NOT: arith.minimumf
// CHECK: kernel.elementwise ins(%{{.*}}, %{{.*}} : memref<4xf32>, memref<4xi64>)
// CHECK:   %[[E:.*]] = arith.sitofp %{{.*}} : i64 to f32
// CHECK:   math.powf %{{.*}}, %[[E]] : f32
func.func @main(%x: tensor<4xf32>, %e: tensor<4xi64>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %g = graph.gelu %x : tensor<4xf32> -> tensor<4xf32>
  %r = graph.round %x : tensor<4xf32> -> tensor<4xf32>
  %zero = graph.constant dense<0.0> : tensor<f32>
  %c = graph.clip %x min(%zero : tensor<f32>) : (tensor<4xf32>) -> tensor<4xf32>
  %p = graph.pow %x, %e : (tensor<4xf32>, tensor<4xi64>) -> tensor<4xf32>
  return %g, %r, %c, %p : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// batch_norm views its (C) parameters as (C, 1, 1) so that they broadcast
// along dimension 1.
// CHECK-LABEL: func.func @main
// CHECK-DAG: %[[S:.*]] = kernel.view %{{.*}} : memref<3xf32> to memref<3x1x1xf32>
// CHECK-DAG: %[[B:.*]] = kernel.view %{{.*}} : memref<3xf32> to memref<3x1x1xf32>
// CHECK-DAG: %[[M:.*]] = kernel.view %{{.*}} : memref<3xf32> to memref<3x1x1xf32>
// CHECK-DAG: %[[V:.*]] = kernel.view %{{.*}} : memref<3xf32> to memref<3x1x1xf32>
// CHECK: kernel.elementwise ins(%{{.*}}, %[[S]], %[[B]], %[[M]], %[[V]] : memref<2x3x4x4xf32>, memref<3x1x1xf32>, memref<3x1x1xf32>, memref<3x1x1xf32>, memref<3x1x1xf32>)
// CHECK:   arith.constant 9.99999974E-6 : f32
// CHECK:   math.sqrt
func.func @main(%x: tensor<2x3x4x4xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<2x3x4x4xf32> {
  %y = graph.batch_norm %x, %s, %b, %m, %v : (tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4x4xf32>
  return %y : tensor<2x3x4x4xf32>
}

// -----

// expand copies with broadcasting; constant_of_shape has no inputs.
// CHECK-LABEL: func.func @main
// CHECK: kernel.elementwise ins(%{{.*}} : memref<3x1xf32>) outs(%{{.*}} : memref<2x3x4xf32>)
// CHECK-NEXT: ^bb0(%[[A:.*]]: f32):
// CHECK-NEXT:   kernel.yield %[[A]] : f32
// CHECK: kernel.elementwise outs(%{{.*}} : memref<2x2xi64>)
// CHECK-NEXT:   %[[C:.*]] = arith.constant 7 : i64
// CHECK-NEXT:   kernel.yield %[[C]] : i64
func.func @main(%x: tensor<3x1xf32>) -> (tensor<2x3x4xf32>, tensor<2x2xi64>) {
  %shape = graph.constant dense<[2, 3, 4]> : tensor<3xi64>
  %e = graph.expand %x, %shape : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<2x3x4xf32>
  %s2 = graph.constant dense<[2, 2]> : tensor<2xi64>
  %c = graph.constant_of_shape %s2, dense<7> : tensor<1xi64> : (tensor<2xi64>) -> tensor<2x2xi64>
  return %e, %c : tensor<2x3x4xf32>, tensor<2x2xi64>
}

// -----

// 1-d matmul operands are promoted per numpy: (K) x (B, K, N) computes
// (B, 1, N) into a view of the (B, N) result.
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[A:.*]]: memref<4xf32>, %[[B:.*]]: memref<3x4x5xf32>, %[[Y:.*]]: memref<3x5xf32> {kernel.output})
// CHECK-NEXT: %[[AV:.*]] = kernel.view %[[A]] : memref<4xf32> to memref<1x4xf32>
// CHECK-NEXT: %[[YV:.*]] = kernel.view %[[Y]] : memref<3x5xf32> to memref<3x1x5xf32>
// CHECK-NEXT: kernel.matmul %[[AV]], %[[B]], %[[YV]] : memref<1x4xf32>, memref<3x4x5xf32>, memref<3x1x5xf32>
func.func @main(%a: tensor<4xf32>, %b: tensor<3x4x5xf32>) -> tensor<3x5xf32> {
  %y = graph.matmul %a, %b : (tensor<4xf32>, tensor<3x4x5xf32>) -> tensor<3x5xf32>
  return %y : tensor<3x5xf32>
}

// -----

// gemm keeps alpha and the transposes on the matmul and adds beta * C
// in place with a broadcasting elementwise kernel.
// CHECK-LABEL: func.func @main
// CHECK-SAME: %[[C:[^:]*]]: memref<4xf32>, %[[Y:.*]]: memref<2x4xf32> {kernel.output}
// CHECK-NEXT: kernel.matmul %{{.*}}, %{{.*}}, %[[Y]] {alpha = 5.000000e-01 : f32, transB = true} : memref<2x3xf32>, memref<4x3xf32>, memref<2x4xf32>
// CHECK-NEXT: kernel.elementwise ins(%[[Y]], %[[C]] : memref<2x4xf32>, memref<4xf32>) outs(%[[Y]] : memref<2x4xf32>)
// CHECK-NEXT: ^bb0(%[[P:.*]]: f32, %[[Q:.*]]: f32):
// CHECK-NEXT:   %[[BETA:.*]] = arith.constant 2.000000e+00 : f32
// CHECK-NEXT:   %[[S:.*]] = arith.mulf %[[BETA]], %[[Q]] : f32
// CHECK-NEXT:   %[[R:.*]] = arith.addf %[[P]], %[[S]] : f32
// CHECK-NEXT:   kernel.yield %[[R]] : f32
func.func @main(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c: tensor<4xf32>) -> tensor<2x4xf32> {
  %y = graph.gemm %a, %b, %c {alpha = 0.5 : f32, beta = 2.0 : f32, transB = true} : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// SAME_UPPER becomes explicit pads with the odd one at the end; ceil_mode
// grows the end pad so that the floor formula gives the result size.
// CHECK-LABEL: func.func @main
// CHECK: kernel.library_call "conv" ins(%{{.*}}, %{{.*}}, %{{.*}} : memref<1x3x8x8xf32>, memref<4x3x2x2xf32>, memref<4xf32>) outs(%{{.*}} : memref<1x4x8x8xf32>) {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 1, 1>, strides = array<i64: 1, 1>}
// CHECK: kernel.library_call "max_pool" ins(%{{.*}} : memref<1x4x8x8xf32>) outs(%{{.*}} : memref<1x4x3x3xf32>) {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 0, 0, 1, 1>, strides = array<i64: 3, 3>}
// CHECK: kernel.library_call "average_pool"
// CHECK-SAME: count_include_pad = true
// CHECK: kernel.library_call "global_average_pool" ins(%{{.*}} : memref<1x4x8x8xf32>) outs(%{{.*}} : memref<1x4x1x1xf32>)
func.func @main(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x2x2xf32>, %b: tensor<4xf32>) -> (tensor<1x4x3x3xf32>, tensor<1x4x4x4xf32>, tensor<1x4x1x1xf32>) {
  %c = graph.conv %x, %w, %b {kernel_shape = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, auto_pad = "SAME_UPPER"} : (tensor<1x3x8x8xf32>, tensor<4x3x2x2xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  %m = graph.max_pool %c {kernel_shape = array<i64: 3, 3>, strides = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = true} : tensor<1x4x8x8xf32> -> tensor<1x4x3x3xf32>
  %a = graph.average_pool %c {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, count_include_pad = true} : tensor<1x4x8x8xf32> -> tensor<1x4x4x4xf32>
  %g = graph.global_average_pool %c : tensor<1x4x8x8xf32> -> tensor<1x4x1x1xf32>
  return %m, %a, %g : tensor<1x4x3x3xf32>, tensor<1x4x4x4xf32>, tensor<1x4x1x1xf32>
}

// -----

// Axes are normalized; reductions without keepdims write a view with the
// reduced dims kept; empty axes reduce everything.
// CHECK-LABEL: func.func @main
// CHECK-SAME: %[[R:[^:]*]]: memref<3xf32> {kernel.output}, %[[S:[^:]*]]: memref<f32> {kernel.output}, %[[I:[^:]*]]: memref<2x4xi64> {kernel.output}
// CHECK: kernel.library_call "softmax" ins(%{{.*}} : memref<2x3x4xf32>) outs(%{{.*}} : memref<2x3x4xf32>) {axis = 2 : i64}
// CHECK: %[[RV:.*]] = kernel.view %[[R]] : memref<3xf32> to memref<1x3x1xf32>
// CHECK: kernel.library_call "reduce" ins(%{{.*}} : memref<2x3x4xf32>) outs(%[[RV]] : memref<1x3x1xf32>) {axes = array<i64: 0, 2>, kind = "mean"}
// CHECK: %[[SV:.*]] = kernel.view %[[S]] : memref<f32> to memref<1x1x1xf32>
// CHECK: kernel.library_call "reduce" ins(%{{.*}}) outs(%[[SV]] : memref<1x1x1xf32>) {axes = array<i64: 0, 1, 2>, kind = "log_sum_exp"}
// CHECK: %[[IV:.*]] = kernel.view %[[I]] : memref<2x4xi64> to memref<2x1x4xi64>
// CHECK: kernel.library_call "arg_max" ins(%{{.*}}) outs(%[[IV]] : memref<2x1x4xi64>) {axis = 1 : i64, select_last_index = true}
func.func @main(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<3xf32>, tensor<f32>, tensor<2x4xi64>) {
  %s = graph.softmax %x {axis = -1 : i64} : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  %r = graph.reduce_mean %s {axes = array<i64: 2, -3>, keepdims = false} : tensor<2x3x4xf32> -> tensor<3xf32>
  %l = graph.reduce_log_sum_exp %s {keepdims = false} : tensor<2x3x4xf32> -> tensor<f32>
  %i = graph.arg_max %s {axis = -2 : i64, keepdims = false, select_last_index = true} : tensor<2x3x4xf32> -> tensor<2x4xi64>
  return %s, %r, %l, %i : tensor<2x3x4xf32>, tensor<3xf32>, tensor<f32>, tensor<2x4xi64>
}

// -----

// Slice parameters become full-rank starts and steps: ends past the dim
// clamp, negative starts count from the end, negative steps walk back.
// CHECK-LABEL: func.func @main
// CHECK: kernel.library_call "slice" ins(%{{.*}} : memref<4x10xf32>) outs(%{{.*}} : memref<4x4xf32>) {starts = array<i64: 0, 9>, steps = array<i64: 1, -2>}
// CHECK: kernel.library_call "slice" ins(%{{.*}} : memref<4x10xf32>) outs(%{{.*}} : memref<2x10xf32>) {starts = array<i64: 2, 0>, steps = array<i64: 1, 1>}
func.func @main(%x: tensor<4x10xf32>) -> (tensor<4x4xf32>, tensor<2x10xf32>) {
  %starts = graph.constant dense<[-1]> : tensor<1xi64>
  %ends = graph.constant dense<[2]> : tensor<1xi64>
  %axes = graph.constant dense<[1]> : tensor<1xi64>
  %steps = graph.constant dense<[-2]> : tensor<1xi64>
  %a = graph.slice %x[%starts, %ends axes %axes steps %steps] : (tensor<4x10xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<4x4xf32>
  %s2 = graph.constant dense<[2]> : tensor<1xi32>
  %e2 = graph.constant dense<[100]> : tensor<1xi32>
  %b = graph.slice %x[%s2, %e2] : (tensor<4x10xf32>, tensor<1xi32>, tensor<1xi32>) -> tensor<2x10xf32>
  return %a, %b : tensor<4x4xf32>, tensor<2x10xf32>
}

// -----

// Data movement: transpose, concat (negative axis), split, gather, tile,
// and layer_norm.
// CHECK-LABEL: func.func @main
// CHECK: kernel.library_call "transpose" ins(%{{.*}} : memref<2x3xf32>) outs(%{{.*}} : memref<3x2xf32>) {perm = array<i64: 1, 0>}
// CHECK: kernel.library_call "concat" ins(%{{.*}}, %{{.*}} : memref<2x3xf32>, memref<2x3xf32>) outs(%{{.*}} : memref<2x6xf32>) {axis = 1 : i64}
// CHECK: kernel.library_call "split" ins(%{{.*}} : memref<2x6xf32>) outs(%{{.*}}, %{{.*}} : memref<2x2xf32>, memref<2x4xf32>) {axis = 1 : i64}
// CHECK: kernel.library_call "gather" ins(%{{.*}}, %{{.*}} : memref<2x3xf32>, memref<5xi64>) outs(%{{.*}} : memref<5x3xf32>) {axis = 0 : i64}
// CHECK: kernel.library_call "tile" ins(%{{.*}} : memref<2x3xf32>) outs(%{{.*}} : memref<4x3xf32>)
// CHECK-NOT: {
// CHECK: kernel.library_call "layer_norm" ins(%{{.*}}, %{{.*}} : memref<2x3xf32>, memref<3xf32>) outs(%{{.*}} : memref<2x3xf32>) {axis = 1 : i64, epsilon = 9.99999974E-6 : f32}
func.func @main(%x: tensor<2x3xf32>, %i: tensor<5xi64>, %g: tensor<3xf32>) -> (tensor<3x2xf32>, tensor<2x2xf32>, tensor<2x4xf32>, tensor<5x3xf32>, tensor<4x3xf32>, tensor<2x3xf32>) {
  %t = graph.transpose %x {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  %c = graph.concat %x, %x {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  %s:2 = graph.split %c {axis = 1 : i64, split = array<i64: 2, 4>} : (tensor<2x6xf32>) -> (tensor<2x2xf32>, tensor<2x4xf32>)
  %ga = graph.gather %x[%i] {axis = 0 : i64} : (tensor<2x3xf32>, tensor<5xi64>) -> tensor<5x3xf32>
  %reps = graph.constant dense<[2, 1]> : tensor<2xi64>
  %ti = graph.tile %x, %reps : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<4x3xf32>
  %ln = graph.layer_norm %x, %g {axis = -1 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %t, %s#0, %s#1, %ga, %ti, %ln : tensor<3x2xf32>, tensor<2x2xf32>, tensor<2x4xf32>, tensor<5x3xf32>, tensor<4x3xf32>, tensor<2x3xf32>
}

// -----

// range reads one-element operands as scalars.
// CHECK-LABEL: func.func @main
// CHECK: %[[L:.*]] = kernel.view %{{.*}} : memref<1xi64> to memref<i64>
// CHECK: kernel.library_call "range" ins(%{{.*}}, %[[L]], %{{.*}} : memref<i64>, memref<i64>, memref<i64>) outs(%{{.*}} : memref<5xi64>)
func.func @main(%limit: tensor<1xi64>) -> tensor<5xi64> {
  %start = graph.constant dense<0> : tensor<i64>
  %delta = graph.constant dense<1> : tensor<i64>
  %r = graph.range %start, %limit, %delta : (tensor<i64>, tensor<1xi64>, tensor<i64>) -> tensor<5xi64>
  return %r : tensor<5xi64>
}

// -----

// Trigonometry maps onto math ops; IsNaN and IsInf read a float and
// yield i1; IsInf with one sign compares with that infinity.
// CHECK-LABEL: func.func @main
// CHECK: kernel.elementwise
// CHECK:   math.tan
// CHECK:   math.acosh
// CHECK: kernel.elementwise
// CHECK:   %[[NAN:.*]] = math.isnan %{{.*}} : f32
// CHECK:   kernel.yield %[[NAN]] : i1
// CHECK: kernel.elementwise
// CHECK:   math.isinf
// CHECK: kernel.elementwise
// CHECK:   %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:   arith.cmpf oeq, %{{.*}}, %[[NINF]] : f32
// CHECK-NOT: math.isinf
func.func @main(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  %t = graph.tan %x : tensor<4xf32> -> tensor<4xf32>
  %a = graph.acosh %t : tensor<4xf32> -> tensor<4xf32>
  %n = graph.is_nan %x : tensor<4xf32> -> tensor<4xi1>
  %i = graph.is_inf %x : tensor<4xf32> -> tensor<4xi1>
  %m = graph.is_inf %x {detect_positive = false} : tensor<4xf32> -> tensor<4xi1>
  return %a, %n, %i, %m : tensor<4xf32>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}

// -----

// Shrink on integers compares and computes in f64, then truncates back;
// on floats it stays in the float type.
// CHECK-LABEL: func.func @main
// CHECK: kernel.elementwise ins(%{{.*}} : memref<5xi32>)
// CHECK:   %[[F:.*]] = arith.sitofp %{{.*}} : i32 to f64
// CHECK:   arith.cmpf olt, %[[F]], %{{.*}} : f64
// CHECK:   arith.select
// CHECK:   %[[R:.*]] = arith.select
// CHECK-NEXT:   %[[I:.*]] = arith.fptosi %[[R]] : f64 to i32
// CHECK:   kernel.yield %[[I]] : i32
// CHECK: kernel.elementwise ins(%{{.*}} : memref<5xf32>)
// CHECK-NOT: arith.sitofp
// CHECK:   arith.cmpf ogt, %{{.*}}, %{{.*}} : f32
func.func @main(%k: tensor<5xi32>, %x: tensor<5xf32>) -> (tensor<5xi32>, tensor<5xf32>) {
  %a = graph.shrink %k {lambd = 2.0 : f32} : tensor<5xi32> -> tensor<5xi32>
  %b = graph.shrink %x {bias = 1.5 : f32} : tensor<5xf32> -> tensor<5xf32>
  return %a, %b : tensor<5xi32>, tensor<5xf32>
}

// -----

// Gelu's tanh approximation, Celu and Mish.
// CHECK-LABEL: func.func @main
// CHECK: kernel.elementwise
// CHECK:   arith.constant 4.471500e-02 : f32
// CHECK:   math.tanh
// CHECK-NOT: math.erf
// CHECK: kernel.elementwise
// CHECK:   math.expm1
// CHECK:   arith.minimumf
// CHECK: kernel.elementwise
// CHECK:   math.log1p
// CHECK:   math.tanh
func.func @main(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %g = graph.gelu %x {approximate = "tanh"} : tensor<4xf32> -> tensor<4xf32>
  %c = graph.celu %x {alpha = 2.0 : f32} : tensor<4xf32> -> tensor<4xf32>
  %m = graph.mish %x : tensor<4xf32> -> tensor<4xf32>
  return %g, %c, %m : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Gathers and scatters are library calls; the elements kernels get a
// non-negative axis, the scatters their reduction.
// CHECK-LABEL: func.func @main
// CHECK: kernel.library_call "gather_elements" ins(%{{.*}}, %{{.*}} : memref<3x4xf32>, memref<3x2xi32>) outs(%{{.*}} : memref<3x2xf32>) {axis = 1 : i64}
// CHECK: kernel.library_call "scatter_elements" ins(%{{.*}}, %{{.*}}, %{{.*}} : memref<3x4xf32>, memref<3x2xi32>, memref<3x2xf32>) outs(%{{.*}} : memref<3x4xf32>) {axis = 1 : i64, reduction = "add"}
// CHECK: kernel.library_call "gather_nd" ins(%{{.*}}, %{{.*}} : memref<3x4xf32>, memref<2x1xi64>) outs(%{{.*}} : memref<2x4xf32>) {batch_dims = 0 : i64}
// CHECK: kernel.library_call "scatter_nd" ins(%{{.*}}, %{{.*}}, %{{.*}} : memref<3x4xf32>, memref<2x1xi64>, memref<2x4xf32>) outs(%{{.*}} : memref<3x4xf32>) {reduction = "none"}
func.func @main(%x: tensor<3x4xf32>, %i: tensor<3x2xi32>, %j: tensor<2x1xi64>) -> (tensor<3x4xf32>, tensor<3x4xf32>) {
  %g = graph.gather_elements %x[%i] {axis = -1 : i64} : (tensor<3x4xf32>, tensor<3x2xi32>) -> tensor<3x2xf32>
  %s = graph.scatter_elements %x[%i], %g {axis = 1 : i64, reduction = "add"} : (tensor<3x4xf32>, tensor<3x2xi32>, tensor<3x2xf32>) -> tensor<3x4xf32>
  %n = graph.gather_nd %x[%j] : (tensor<3x4xf32>, tensor<2x1xi64>) -> tensor<2x4xf32>
  %t = graph.scatter_nd %x[%j], %n : (tensor<3x4xf32>, tensor<2x1xi64>, tensor<2x4xf32>) -> tensor<3x4xf32>
  return %s, %t : tensor<3x4xf32>, tensor<3x4xf32>
}

// -----

// trilu views a one-element k as a scalar.
// CHECK-LABEL: func.func @main
// CHECK: %[[K:.*]] = kernel.view %{{.*}} : memref<1xi64> to memref<i64>
// CHECK: kernel.library_call "trilu" ins(%{{.*}}, %[[K]] : memref<2x3x4xf32>, memref<i64>) outs(%{{.*}} : memref<2x3x4xf32>) {upper = false}
// CHECK: kernel.library_call "trilu" ins(%{{.*}} : memref<2x3x4xf32>) outs(%{{.*}} : memref<2x3x4xf32>) {upper = true}
func.func @main(%x: tensor<2x3x4xf32>, %k: tensor<1xi64>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>) {
  %l = graph.trilu %x, %k {upper = false} : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x3x4xf32>
  %u = graph.trilu %x : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %l, %u : tensor<2x3x4xf32>, tensor<2x3x4xf32>
}

// -----

// cumsum gets a non-negative axis.
// CHECK-LABEL: func.func @main
// CHECK: kernel.library_call "cumsum" ins(%{{.*}} : memref<2x3xf32>) outs(%{{.*}} : memref<2x3xf32>) {axis = 1 : i64, exclusive = false, reverse = true}
func.func @main(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = graph.cumsum %x {axis = -1 : i64, reverse = true} : tensor<2x3xf32> -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// pad views a one-element value as a scalar and keeps its pads and mode.
// CHECK-LABEL: func.func @main
// CHECK: %[[V:.*]] = kernel.view %{{.*}} : memref<1xf32> to memref<f32>
// CHECK: kernel.library_call "pad" ins(%{{.*}}, %[[V]] : memref<3x4xf32>, memref<f32>) outs(%{{.*}} : memref<4x3xf32>) {mode = "constant", pads = array<i64: 1, 0, 0, -1>}
// CHECK: kernel.library_call "pad" ins(%{{.*}} : memref<3x4xf32>) outs(%{{.*}} : memref<3x8xf32>) {mode = "reflect", pads = array<i64: 0, 2, 0, 2>}
func.func @main(%x: tensor<3x4xf32>, %v: tensor<1xf32>) -> (tensor<4x3xf32>, tensor<3x8xf32>) {
  %a = graph.pad %x, %v {pads = array<i64: 1, 0, 0, -1>} : (tensor<3x4xf32>, tensor<1xf32>) -> tensor<4x3xf32>
  %b = graph.pad %x {mode = "reflect", pads = array<i64: 0, 2, 0, 2>} : (tensor<3x4xf32>) -> tensor<3x8xf32>
  return %a, %b : tensor<4x3xf32>, tensor<3x8xf32>
}

// -----

// bit_shift reads unsigned buffers as signless scalars and shifts with the
// unsigned meaning; amounts of the width or more give 0. A signed right
// shift is arithmetic, its amount clamped to width - 1.
// CHECK-LABEL: func.func @main
// CHECK: kernel.elementwise ins(%{{.*}}, %{{.*}} : memref<4xui8>, memref<4xui8>) outs(%{{.*}} : memref<4xui8>)
// CHECK: ^bb0(%[[X:.*]]: i8, %[[Y:.*]]: i8):
// CHECK:   %[[W:.*]] = arith.constant 8 : i8
// CHECK:   %[[FAR:.*]] = arith.cmpi uge, %[[Y]], %[[W]] : i8
// CHECK:   arith.shrui %[[X]], %{{.*}} : i8
// CHECK:   kernel.yield %{{.*}} : i8
// CHECK: kernel.elementwise ins(%{{.*}}, %{{.*}} : memref<4xi32>, memref<4xi32>) outs(%{{.*}} : memref<4xi32>)
// CHECK:   arith.shrsi
// CHECK-NOT: arith.shrui
func.func @main(%x: tensor<4xui8>, %y: tensor<4xui8>, %a: tensor<4xi32>, %b: tensor<4xi32>) -> (tensor<4xui8>, tensor<4xi32>) {
  %r = graph.bit_shift %x, %y {direction = "RIGHT"} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %s = graph.bit_shift %a, %b {direction = "RIGHT"} : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %r, %s : tensor<4xui8>, tensor<4xi32>
}
