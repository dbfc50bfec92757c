// RUN: rm -rf %t && kiln-compile %s -o %t --stop-after=source
// RUN: FileCheck %s --input-file=%t/src/model.cpp
// The source compiles as it is.
// RUN: c++ -std=c++17 -fsyntax-only -I%kiln_src %t/src/model.cpp

// Broadcast index math: (N, C, H, W) = (2, 3, 4, 5) with a per-channel
// (3, 1, 1) scale, a one-element shift, a full-shape input, and a (2, 1, 4, 1)
// input that mixes broadcast and read dims. Output dims are grouped where
// every input reads or broadcasts them alike; size-1 dims are dropped.

// The CPU driver loops over rows (the last group, W) in parallel and over a
// row's elements inside: a full-shape input is read at the row's offset + j,
// a per-channel input once per row at its coordinate (r / H) % C, a
// one-element input at index 0, and (2, 1, 4, 1) at n * 4 + h.
// CHECK-LABEL: void kilnEw0(
// CHECK-SAME:    float *in0, float *in1, float *in2, float *in3, float *out0)
// CHECK-NEXT:    kiln::cpu::parallelFor(
// CHECK-NEXT:        24, [=](int64_t r) {
// CHECK:           const auto *row0 = in0 + r * 5;
// CHECK-NEXT:      const auto s1 = in1[(r / 4) % 3];
// CHECK-NEXT:      const auto s3 = in3[(r / 12) * 4 + r % 4];
// CHECK-NEXT:      auto *rowOut0 = out0 + r * 5;
// CHECK-NEXT:      for (int64_t j = 0; j < 5; ++j)
// CHECK-NEXT:        kilnEw0Body(row0[j], s1, in2[0], s3, rowOut0[j]);

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
