// RUN: kiln-opt %s -split-input-file -kiln-fuse-epilogue | FileCheck %s

// Residual add + ReLU after a conv with bias: the elementwise body becomes
// the epilogue, the residual its input, and the intermediate buffer is gone.
// CHECK-LABEL: func.func @residual_relu
// CHECK-SAME: (%[[X:.*]]: memref<1x3x8x8xf32>, %[[W:.*]]: memref<4x3x3x3xf32>, %[[B:.*]]: memref<4xf32>, %[[R:.*]]: memref<1x4x8x8xf32>, %[[Y:.*]]: memref<1x4x8x8xf32>)
// CHECK-NOT: kernel.alloc
// CHECK-NOT: kernel.library_call
// CHECK: kernel.conv %[[X]], %[[W]] bias(%[[B]] : memref<4xf32>) outs(%[[Y]]) epilogue(%[[R]] : memref<1x4x8x8xf32>)
// CHECK-SAME: group = 1 : i64, pads = array<i64: 1, 1, 1, 1>
// CHECK-NEXT: ^bb0(%[[V:.*]]: f32, %[[S:.*]]: f32):
// CHECK: %[[SUM:.*]] = arith.addf %[[V]], %[[S]]
// CHECK: arith.maximumf %[[SUM]]
// CHECK-NOT: kernel.elementwise
func.func @residual_relu(%x: memref<1x3x8x8xf32>, %w: memref<4x3x3x3xf32>, %b: memref<4xf32>, %r: memref<1x4x8x8xf32>, %y: memref<1x4x8x8xf32>) {
  %t = kernel.alloc : memref<1x4x8x8xf32>
  kernel.library_call "conv" ins(%x, %w, %b : memref<1x3x8x8xf32>, memref<4x3x3x3xf32>, memref<4xf32>) outs(%t : memref<1x4x8x8xf32>) {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64}
  kernel.elementwise ins(%t, %r : memref<1x4x8x8xf32>, memref<1x4x8x8xf32>) outs(%y : memref<1x4x8x8xf32>) {
  ^bb0(%a: f32, %c: f32):
    %s = arith.addf %a, %c : f32
    %z = arith.constant 0.0 : f32
    %m = arith.maximumf %s, %z : f32
    kernel.yield %m : f32
  }
  return
}

// -----

// A per-channel (4, 1, 1) input broadcasts in the epilogue; a conv without
// bias has none; the intermediate read twice by the body is one argument.
// CHECK-LABEL: func.func @per_channel
// CHECK-SAME: (%[[X:.*]]: memref<1x3x8x8xf32>, %[[W:.*]]: memref<4x3x1x1xf32>, %[[C:.*]]: memref<4x1x1xf32>, %[[Y:.*]]: memref<1x4x8x8xf32>)
// CHECK: kernel.conv %[[X]], %[[W]] outs(%[[Y]]) epilogue(%[[C]] : memref<4x1x1xf32>)
// CHECK-NEXT: ^bb0(%[[V:.*]]: f32, %[[S:.*]]: f32):
// CHECK: arith.mulf %[[V]], %[[S]]
func.func @per_channel(%x: memref<1x3x8x8xf32>, %w: memref<4x3x1x1xf32>, %c: memref<4x1x1xf32>, %y: memref<1x4x8x8xf32>) {
  %t = kernel.alloc : memref<1x4x8x8xf32>
  kernel.library_call "conv" ins(%x, %w : memref<1x3x8x8xf32>, memref<4x3x1x1xf32>) outs(%t : memref<1x4x8x8xf32>) {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64}
  kernel.elementwise ins(%t, %c, %t : memref<1x4x8x8xf32>, memref<4x1x1xf32>, memref<1x4x8x8xf32>) outs(%y : memref<1x4x8x8xf32>) {
  ^bb0(%a: f32, %s: f32, %a2: f32):
    %m = arith.mulf %a, %s : f32
    %n = arith.addf %m, %a2 : f32
    kernel.yield %n : f32
  }
  return
}

// -----

// The conv's result is also read by another kernel: both stay.
// CHECK-LABEL: func.func @negative_other_reader
// CHECK: kernel.library_call "conv"
// CHECK: kernel.elementwise
// CHECK-NOT: kernel.conv
func.func @negative_other_reader(%x: memref<1x3x8x8xf32>, %w: memref<4x3x1x1xf32>, %y: memref<1x4x8x8xf32>, %z: memref<1x4x8x8xf32>) {
  %t = kernel.alloc : memref<1x4x8x8xf32>
  kernel.library_call "conv" ins(%x, %w : memref<1x3x8x8xf32>, memref<4x3x1x1xf32>) outs(%t : memref<1x4x8x8xf32>) {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64}
  kernel.elementwise ins(%t : memref<1x4x8x8xf32>) outs(%y : memref<1x4x8x8xf32>) {
  ^bb0(%a: f32):
    %z0 = arith.constant 0.0 : f32
    %m = arith.maximumf %a, %z0 : f32
    kernel.yield %m : f32
  }
  kernel.copy %t, %z : memref<1x4x8x8xf32>, memref<1x4x8x8xf32>
  return
}

// -----

// The conv's result is broadcast to a larger output: its elements would be
// read at the wrong offsets.
// CHECK-LABEL: func.func @negative_broadcast
// CHECK: kernel.library_call "conv"
// CHECK: kernel.elementwise
// CHECK-NOT: kernel.conv
func.func @negative_broadcast(%x: memref<1x3x8x8xf32>, %w: memref<4x3x1x1xf32>, %r: memref<2x4x8x8xf32>, %y: memref<2x4x8x8xf32>) {
  %t = kernel.alloc : memref<1x4x8x8xf32>
  kernel.library_call "conv" ins(%x, %w : memref<1x3x8x8xf32>, memref<4x3x1x1xf32>) outs(%t : memref<1x4x8x8xf32>) {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64}
  kernel.elementwise ins(%t, %r : memref<1x4x8x8xf32>, memref<2x4x8x8xf32>) outs(%y : memref<2x4x8x8xf32>) {
  ^bb0(%a: f32, %c: f32):
    %s = arith.addf %a, %c : f32
    kernel.yield %s : f32
  }
  return
}

// -----

// Between the two, a copy writes the conv's input x: moving the conv down
// to the elementwise kernel would read the new x.
// CHECK-LABEL: func.func @negative_write_between
// CHECK: kernel.library_call "conv"
// CHECK: kernel.copy
// CHECK: kernel.elementwise
// CHECK-NOT: kernel.conv
func.func @negative_write_between(%x: memref<1x3x8x8xf32>, %w: memref<4x3x1x1xf32>, %x2: memref<1x3x8x8xf32>, %y: memref<1x4x8x8xf32>) {
  %t = kernel.alloc : memref<1x4x8x8xf32>
  kernel.library_call "conv" ins(%x, %w : memref<1x3x8x8xf32>, memref<4x3x1x1xf32>) outs(%t : memref<1x4x8x8xf32>) {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64}
  kernel.copy %x2, %x : memref<1x3x8x8xf32>, memref<1x3x8x8xf32>
  kernel.elementwise ins(%t : memref<1x4x8x8xf32>) outs(%y : memref<1x4x8x8xf32>) {
  ^bb0(%a: f32):
    %z0 = arith.constant 0.0 : f32
    %m = arith.maximumf %a, %z0 : f32
    kernel.yield %m : f32
  }
  return
}

// -----

// The conv writes a model output (an argument, not a kernel.alloc): the
// value must stay there, so nothing fuses.
// CHECK-LABEL: func.func @negative_model_output
// CHECK: kernel.library_call "conv"
// CHECK: kernel.elementwise
// CHECK-NOT: kernel.conv
func.func @negative_model_output(%x: memref<1x3x8x8xf32>, %w: memref<4x3x1x1xf32>, %t: memref<1x4x8x8xf32> {kernel.output}, %y: memref<1x4x8x8xf32> {kernel.output}) {
  kernel.library_call "conv" ins(%x, %w : memref<1x3x8x8xf32>, memref<4x3x1x1xf32>) outs(%t : memref<1x4x8x8xf32>) {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64}
  kernel.elementwise ins(%t : memref<1x4x8x8xf32>) outs(%y : memref<1x4x8x8xf32>) {
  ^bb0(%a: f32):
    %z0 = arith.constant 0.0 : f32
    %m = arith.maximumf %a, %z0 : f32
    kernel.yield %m : f32
  }
  return
}

// -----

// The residual is the output's own buffer: the conv would overwrite it
// before the epilogue reads it.
// CHECK-LABEL: func.func @negative_input_is_output
// CHECK: kernel.library_call "conv"
// CHECK: kernel.elementwise
// CHECK-NOT: kernel.conv
func.func @negative_input_is_output(%x: memref<1x3x8x8xf32>, %w: memref<4x3x1x1xf32>, %y: memref<1x4x8x8xf32>) {
  %t = kernel.alloc : memref<1x4x8x8xf32>
  kernel.library_call "conv" ins(%x, %w : memref<1x3x8x8xf32>, memref<4x3x1x1xf32>) outs(%t : memref<1x4x8x8xf32>) {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64}
  kernel.elementwise ins(%t, %y : memref<1x4x8x8xf32>, memref<1x4x8x8xf32>) outs(%y : memref<1x4x8x8xf32>) {
  ^bb0(%a: f32, %c: f32):
    %s = arith.addf %a, %c : f32
    kernel.yield %s : f32
  }
  return
}

// -----

// A conv with pads known only at run time (auto_pad over a dynamic dim)
// stays a library call.
// CHECK-LABEL: func.func @negative_dynamic
// CHECK: kernel.library_call "conv"
// CHECK: kernel.elementwise
// CHECK-NOT: kernel.conv
func.func @negative_dynamic(%x: memref<1x3x?x8xf32>, %w: memref<4x3x3x3xf32>, %y: memref<1x4x?x8xf32>, %n: index, %p: index, %q: index) {
  %t = kernel.alloc(%n) : memref<1x4x?x8xf32>
  kernel.library_call "conv" ins(%x, %w : memref<1x3x?x8xf32>, memref<4x3x3x3xf32>) outs(%t : memref<1x4x?x8xf32>) sizes(%p, %q) {strides = array<i64: 1, 1>, pads = array<i64: -9223372036854775808, 1, -9223372036854775808, 1>, dilations = array<i64: 1, 1>, group = 1 : i64}
  kernel.elementwise ins(%t : memref<1x4x?x8xf32>) outs(%y : memref<1x4x?x8xf32>) {
  ^bb0(%a: f32):
    %z0 = arith.constant 0.0 : f32
    %m = arith.maximumf %a, %z0 : f32
    kernel.yield %m : f32
  }
  return
}

// -----

// Bias add + tanh after a GEMM (a transformer's MLP): the (16) bias
// broadcasts in the epilogue; transB and alpha stay.
// CHECK-LABEL: func.func @matmul_bias_tanh
// CHECK-SAME: (%[[A:.*]]: memref<4x8xf32>, %[[B:.*]]: memref<16x8xf32>, %[[BIAS:.*]]: memref<16xf32>, %[[Y:.*]]: memref<4x16xf32>)
// CHECK-NOT: kernel.alloc
// CHECK: kernel.matmul %[[A]], %[[B]], %[[Y]] epilogue(%[[BIAS]] : memref<16xf32>) {alpha = 5.000000e-01 : f32, transB = true}
// CHECK-NEXT: ^bb0(%[[V:.*]]: f32, %[[S:.*]]: f32):
// CHECK: %[[SUM:.*]] = arith.addf %[[V]], %[[S]]
// CHECK: math.tanh %[[SUM]]
// CHECK-NOT: kernel.elementwise
func.func @matmul_bias_tanh(%a: memref<4x8xf32>, %b: memref<16x8xf32>, %bias: memref<16xf32>, %y: memref<4x16xf32>) {
  %t = kernel.alloc : memref<4x16xf32>
  kernel.matmul %a, %b, %t {alpha = 0.5 : f32, transB = true} : memref<4x8xf32>, memref<16x8xf32>, memref<4x16xf32>
  kernel.elementwise ins(%t, %bias : memref<4x16xf32>, memref<16xf32>) outs(%y : memref<4x16xf32>) {
  ^bb0(%v: f32, %s: f32):
    %sum = arith.addf %v, %s : f32
    %r = math.tanh %sum : f32
    kernel.yield %r : f32
  }
  return
}

// -----

// A GEMM that accumulates into its output (beta != 0) reads the
// intermediate: it stays.
// CHECK-LABEL: func.func @negative_matmul_beta
// CHECK: kernel.matmul %{{.*}}, %{{.*}}, %{{.*}} {beta = 1.000000e+00 : f32}
// CHECK: kernel.elementwise
func.func @negative_matmul_beta(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>, %y: memref<4x16xf32>) {
  %t = kernel.alloc : memref<4x16xf32>
  kernel.copy %c, %t : memref<4x16xf32>, memref<4x16xf32>
  kernel.matmul %a, %b, %t {beta = 1.0 : f32} : memref<4x8xf32>, memref<8x16xf32>, memref<4x16xf32>
  kernel.elementwise ins(%t : memref<4x16xf32>) outs(%y : memref<4x16xf32>) {
  ^bb0(%v: f32):
    %r = math.tanh %v : f32
    kernel.yield %r : f32
  }
  return
}

// -----

// The elementwise output is f16: the GEMM's epilogue writes f32 only.
// CHECK-LABEL: func.func @negative_matmul_cast
// CHECK: kernel.matmul
// CHECK: kernel.elementwise
func.func @negative_matmul_cast(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %y: memref<4x16xf16>) {
  %t = kernel.alloc : memref<4x16xf32>
  kernel.matmul %a, %b, %t : memref<4x8xf32>, memref<8x16xf32>, memref<4x16xf32>
  kernel.elementwise ins(%t : memref<4x16xf32>) outs(%y : memref<4x16xf16>) {
  ^bb0(%v: f32):
    %r = arith.truncf %v : f32 to f16
    kernel.yield %r : f16
  }
  return
}

// -----

// A dynamic batch: the conv's result and the output are sized by one value,
// so the epilogue fuses; the (4, 1, 1) input still broadcasts.
// CHECK-LABEL: func.func @dynamic_batch
// CHECK: kernel.conv %{{.*}}, %{{.*}} outs(%{{.*}}) epilogue(%{{.*}} : memref<4x1x1xf32>)
// CHECK-NOT: kernel.elementwise
func.func @dynamic_batch(%x: memref<?x3x8x8xf32>, %w: memref<4x3x1x1xf32>, %c: memref<4x1x1xf32>, %n: index) {
  %t = kernel.alloc(%n) : memref<?x4x8x8xf32>
  kernel.library_call "conv" ins(%x, %w : memref<?x3x8x8xf32>, memref<4x3x1x1xf32>) outs(%t : memref<?x4x8x8xf32>) {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64}
  %y = kernel.alloc(%n) : memref<?x4x8x8xf32>
  kernel.elementwise ins(%t, %c : memref<?x4x8x8xf32>, memref<4x1x1xf32>) outs(%y : memref<?x4x8x8xf32>) {
  ^bb0(%a: f32, %s: f32):
    %m = arith.mulf %a, %s : f32
    kernel.yield %m : f32
  }
  return
}
