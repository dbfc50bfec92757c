// RUN: rm -rf %t && kiln-compile %s -o %t --stop-after=source
// RUN: FileCheck %s --input-file=%t/src/model.cpp
// The source compiles as it is.
// RUN: c++ -std=c++17 -fsyntax-only -I%kiln_src %t/src/model.cpp

// Broadcast index math: (N, C, H, W) = (2, 3, 4, 5) with a per-channel
// (3, 1, 1) scale, a one-element shift, a full-shape input, and a (2, 1, 4, 1)
// input that mixes broadcast and read dims. Output dims are grouped where
// every input reads or broadcasts them alike; size-1 dims are dropped.

// CHECK-LABEL: KILN_HD inline void kilnEw0At(
// CHECK-SAME:    int64_t i, float *in0, float *in1, float *in2, float *in3, float *out0)
// Full shape: the flat index; per channel: (i / (H * W)) % C; one element:
// index 0; (2, 1, 4, 1): n * 4 + h.
// CHECK-NEXT:    kilnEw0Body(in0[i], in1[(i / 20) % 3], in2[0], in3[(i / 60) * 4 + (i / 5) % 4], out0[i]);

func.func @main(%x: memref<2x3x4x5xf32> {graph.name = "x"},
                %scale: memref<3x1x1xf32> {graph.name = "scale"},
                %shift: memref<1xf32> {graph.name = "shift"},
                %gate: memref<2x1x4x1xf32> {graph.name = "gate"},
                %y: memref<2x3x4x5xf32> {graph.name = "y", kernel.output})
    attributes {kernel.num_inputs = 4 : i64, kernel.arena_bytes = 0 : i64} {
  kernel.elementwise ins(%x, %scale, %shift, %gate : memref<2x3x4x5xf32>, memref<3x1x1xf32>, memref<1xf32>, memref<2x1x4x1xf32>)
                     outs(%y : memref<2x3x4x5xf32>) {
  ^bb0(%a: f32, %s: f32, %t: f32, %g: f32):
    %0 = arith.mulf %a, %s : f32
    %1 = arith.addf %0, %t : f32
    %2 = arith.mulf %1, %g : f32
    kernel.yield %2 : f32
  }
  return
}
