// RUN: kiln-opt %s | kiln-opt | FileCheck %s

// Every op of the kernel dialect prints and parses back.
// CHECK-LABEL: func.func @main
// CHECK-SAME: %[[X:.*]]: memref<2x8xf32> {graph.name = "x"}
// CHECK-SAME: %[[Y:.*]]: memref<2x8xf32> {graph.name = "y", kernel.output}
func.func @main(%x: memref<2x8xf32> {graph.name = "x"},
                %y: memref<2x8xf32> {graph.name = "y", kernel.output}) {
  // CHECK: %[[W:.*]] = kernel.weight "fc.bias" : memref<8xf32> = dense<1.000000e+00>
  %w = kernel.weight "fc.bias" : memref<8xf32> = dense<1.0>
  // CHECK: %[[A:.*]] = kernel.alloc {offset = 0 : i64} : memref<2x8xf32>
  %a = kernel.alloc {offset = 0 : i64} : memref<2x8xf32>
  // CHECK: kernel.elementwise ins(%[[X]], %[[W]] : memref<2x8xf32>, memref<8xf32>) outs(%[[A]] : memref<2x8xf32>)
  // CHECK: ^bb0(%[[L:.*]]: f32, %[[R:.*]]: f32):
  // CHECK:   %[[S:.*]] = arith.addf %[[L]], %[[R]] : f32
  // CHECK:   kernel.yield %[[S]] : f32
  kernel.elementwise ins(%x, %w : memref<2x8xf32>, memref<8xf32>)
                     outs(%a : memref<2x8xf32>) {
  ^bb0(%l: f32, %r: f32):
    %s = arith.addf %l, %r : f32
    kernel.yield %s : f32
  }
  // CHECK: %[[V:.*]] = kernel.view %[[A]] : memref<2x8xf32> to memref<16xf32>
  %v = kernel.view %a : memref<2x8xf32> to memref<16xf32>
  // CHECK: %[[B:.*]] = kernel.alloc : memref<16xf32>
  %b = kernel.alloc : memref<16xf32>
  // CHECK: kernel.library_call "softmax" ins(%[[V]] : memref<16xf32>) outs(%[[B]] : memref<16xf32>) {axis = 0 : i64}
  kernel.library_call "softmax" ins(%v : memref<16xf32>)
      outs(%b : memref<16xf32>) {axis = 0 : i64}
  %m = kernel.alloc : memref<2x2xf32>
  // CHECK: kernel.matmul %{{.*}}, %{{.*}}, %{{.*}} {alpha = 2.000000e+00 : f32, transB = true} : memref<2x8xf32>, memref<2x8xf32>, memref<2x2xf32>
  kernel.matmul %a, %y, %m {alpha = 2.0 : f32, transB = true}
      : memref<2x8xf32>, memref<2x8xf32>, memref<2x2xf32>
  // CHECK: kernel.copy %[[B]], %[[Y]] : memref<16xf32>, memref<2x8xf32>
  kernel.copy %b, %y : memref<16xf32>, memref<2x8xf32>
  return
}

// An elementwise kernel without inputs yields a constant.
// CHECK-LABEL: func.func @fill
// CHECK: kernel.elementwise outs(%{{.*}} : memref<4xi64>)
// CHECK:   kernel.yield %{{.*}} : i64
func.func @fill(%y: memref<4xi64>) {
  kernel.elementwise outs(%y : memref<4xi64>) {
    %c = arith.constant 7 : i64
    kernel.yield %c : i64
  }
  return
}

// Batched matmul broadcasts the batch dimension of B.
// CHECK-LABEL: func.func @batched
// CHECK: kernel.matmul
func.func @batched(%a: memref<3x4x5xf32>, %b: memref<5x6xf32>, %c: memref<3x4x6xf32>) {
  kernel.matmul %a, %b, %c : memref<3x4x5xf32>, memref<5x6xf32>, memref<3x4x6xf32>
  return
}

// Library calls with variadic operands and array attributes.
// CHECK-LABEL: func.func @library
// CHECK: kernel.library_call "conv" ins(%{{.*}}, %{{.*}}, %{{.*}} : memref<1x3x8x8xf32>, memref<4x3x3x3xf32>, memref<4xf32>) outs(%{{.*}} : memref<1x4x8x8xf32>) {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
// CHECK: kernel.library_call "split" ins(%{{.*}} : memref<1x4x8x8xf32>) outs(%{{.*}}, %{{.*}} : memref<1x1x8x8xf32>, memref<1x3x8x8xf32>) {axis = 1 : i64}
// CHECK: kernel.library_call "range" ins(%{{.*}}, %{{.*}}, %{{.*}} : memref<i64>, memref<i64>, memref<i64>) outs(%{{.*}} : memref<5xi64>)
func.func @library(%x: memref<1x3x8x8xf32>, %w: memref<4x3x3x3xf32>, %b: memref<4xf32>,
                   %s: memref<i64>, %r: memref<5xi64>) {
  %y = kernel.alloc : memref<1x4x8x8xf32>
  kernel.library_call "conv" ins(%x, %w, %b : memref<1x3x8x8xf32>, memref<4x3x3x3xf32>, memref<4xf32>)
      outs(%y : memref<1x4x8x8xf32>)
      {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
       dilations = array<i64: 1, 1>, group = 1 : i64}
  %p = kernel.alloc : memref<1x1x8x8xf32>
  %q = kernel.alloc : memref<1x3x8x8xf32>
  kernel.library_call "split" ins(%y : memref<1x4x8x8xf32>)
      outs(%p, %q : memref<1x1x8x8xf32>, memref<1x3x8x8xf32>) {axis = 1 : i64}
  kernel.library_call "range" ins(%s, %s, %s : memref<i64>, memref<i64>, memref<i64>)
      outs(%r : memref<5xi64>)
  return
}

// Pads known at run time: each dynamic entry is the next of the sizes.
// CHECK-LABEL: func.func @library_sizes
// CHECK: kernel.library_call "max_pool" ins(%{{.*}} : memref<1x1x?xf32>) outs(%{{.*}} : memref<1x1x?xf32>) sizes(%[[B:.*]], %[[E:.*]]) {dilations = array<i64: 1>, kernel_shape = array<i64: 2>, pads = array<i64: -9223372036854775808, -9223372036854775808>, strides = array<i64: 1>}
func.func @library_sizes(%x: memref<1x1x?xf32>, %y: memref<1x1x?xf32>,
                         %b: index, %e: index) {
  kernel.library_call "max_pool" ins(%x : memref<1x1x?xf32>)
      outs(%y : memref<1x1x?xf32>) sizes(%b, %e)
      {kernel_shape = array<i64: 2>, strides = array<i64: 1>,
       pads = array<i64: -9223372036854775808, -9223372036854775808>,
       dilations = array<i64: 1>}
  return
}

// An unsigned buffer is read and written as signless scalars.
// CHECK-LABEL: func.func @unsigned_as_signless
// CHECK: ^bb0(%{{.*}}: i16):
func.func @unsigned_as_signless(%x: memref<4xui16>, %y: memref<4xui16>) {
  kernel.elementwise ins(%x : memref<4xui16>) outs(%y : memref<4xui16>) {
  ^bb0(%a: i16):
    %c = arith.constant 1 : i16
    %s = arith.shli %a, %c : i16
    kernel.yield %s : i16
  }
  return
}

// Attention with and without a mask.
// CHECK-LABEL: func.func @attention
// CHECK: kernel.attention %{{.*}}, %{{.*}}, %{{.*}} mask(%{{.*}} : memref<1x16x20xf32>) into %{{.*}} {scale = 1.250000e-01 : f32} : memref<2x16x8xf32>, memref<2x20x8xf32>, memref<2x20x6xf32>, memref<2x16x6xf32>
// CHECK: kernel.attention %{{.*}}, %{{.*}}, %{{.*}} into %{{.*}} {scale = 1.000000e+00 : f32} : memref<2x16x8xf32>, memref<2x20x8xf32>, memref<2x20x6xf32>, memref<2x16x6xf32>
func.func @attention(%q: memref<2x16x8xf32>, %k: memref<2x20x8xf32>, %v: memref<2x20x6xf32>, %m: memref<1x16x20xf32>, %y: memref<2x16x6xf32>) {
  kernel.attention %q, %k, %v mask(%m : memref<1x16x20xf32>) into %y {scale = 0.125 : f32} : memref<2x16x8xf32>, memref<2x20x8xf32>, memref<2x20x6xf32>, memref<2x16x6xf32>
  kernel.attention %q, %k, %v into %y {scale = 1.0 : f32} : memref<2x16x8xf32>, memref<2x20x8xf32>, memref<2x20x6xf32>, memref<2x16x6xf32>
  return
}

// A conv with bias and an epilogue over a residual, and one without either.
// CHECK-LABEL: func.func @conv
// CHECK: kernel.conv %{{.*}}, %{{.*}} bias(%{{.*}} : memref<8xf32>) outs(%{{.*}}) epilogue(%{{.*}} : memref<1x8x4x4xf32>) {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : memref<1x3x4x4xf32>, memref<8x3x3x3xf32>, memref<1x8x4x4xf32> {
// CHECK-NEXT: ^bb0(%{{.*}}: f32, %{{.*}}: f32):
// CHECK: kernel.yield
// CHECK: kernel.conv %{{.*}}, %{{.*}} outs(%{{.*}}) {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : memref<1x3x4x4xf32>, memref<8x3x3x3xf32>, memref<1x8x4x4xf32>{{$}}
func.func @conv(%x: memref<1x3x4x4xf32>, %w: memref<8x3x3x3xf32>, %b: memref<8xf32>, %r: memref<1x8x4x4xf32>, %y: memref<1x8x4x4xf32>) {
  kernel.conv %x, %w bias(%b : memref<8xf32>) outs(%y) epilogue(%r : memref<1x8x4x4xf32>) {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : memref<1x3x4x4xf32>, memref<8x3x3x3xf32>, memref<1x8x4x4xf32> {
  ^bb0(%v: f32, %s: f32):
    %a = arith.addf %v, %s : f32
    kernel.yield %a : f32
  }
  kernel.conv %x, %w outs(%y) {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : memref<1x3x4x4xf32>, memref<8x3x3x3xf32>, memref<1x8x4x4xf32>
  return
}

// A GEMM with an epilogue over a bias.
// CHECK-LABEL: func.func @matmul_epilogue
// CHECK: kernel.matmul %{{.*}}, %{{.*}}, %{{.*}} epilogue(%{{.*}} : memref<16xf32>) : memref<4x8xf32>, memref<8x16xf32>, memref<4x16xf32> {
// CHECK-NEXT: ^bb0(%{{.*}}: f32, %{{.*}}: f32):
func.func @matmul_epilogue(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %bias: memref<16xf32>, %y: memref<4x16xf32>) {
  kernel.matmul %a, %b, %y epilogue(%bias : memref<16xf32>) : memref<4x8xf32>, memref<8x16xf32>, memref<4x16xf32> {
  ^bb0(%v: f32, %s: f32):
    %r = arith.addf %v, %s : f32
    kernel.yield %r : f32
  }
  return
}
