// RUN: rm -rf %t.cpu %t.cuda && kiln-compile %s -o %t.cpu --stop-after=source
// RUN: FileCheck %s --input-file=%t.cpu/src/model.cpp
// The source compiles as it is.
// RUN: c++ -std=c++17 -fsyntax-only -I%kiln_src %t.cpu/src/model.cpp
// RUN: kiln-compile %s -o %t.cuda --target=cuda --stop-after=source
// RUN: FileCheck %s --check-prefix=CUDA --input-file=%t.cuda/src/model.cu

// A kernel.conv with an epilogue over a per-channel scale and a residual:
// on the CPU a functor the conv calls on each block of the output, reading
// the scale once per (8, 8) plane and the residual along it; on CUDA the
// same body launched over the output after the conv.

// CHECK:       KILN_HD inline void [[BODY:kilnEpilogue0[A-Za-z0-9_]*Body]](float a0, float a1, float a2, float &r0) {
// CHECK:       struct [[EP:kilnEpilogue0[A-Za-z0-9_]*]]Epilogue {
// CHECK-NEXT:    float *out;
// CHECK-NEXT:    float *in0;
// CHECK-NEXT:    float *in1;
// CHECK-NEXT:  };
// CHECK:       void [[EP]]Apply(const void *self, float *y, int64_t count) {
// CHECK:           const int64_t r = i / 64;
// CHECK:           const auto s0 = e.in0[r];
// CHECK:           const auto *row1 = e.in1 + r * 64;
// CHECK:           for (int64_t j = i - r * 64; j < stop - r * 64; ++j)
// CHECK-NEXT:        [[BODY]](rowOut[j], s0, row1[j], rowOut[j]);
// CHECK-LABEL: int run(
// CHECK:         const [[EP]]Epilogue [[EP]]State{[[OUT:b[0-9]+]], [[SCALE:b[0-9]+]], [[RES:b[0-9]+]]};
// CHECK-NEXT:    const kiln::cpu::Epilogue [[EP]]Callback{&[[EP]]Apply, &[[EP]]State};
// CHECK:         if (kiln::Status status = kiln::cpu::conv(in0, in1, &in2, out0, {1, 1}, {1, 1, 1, 1}, {1, 1}, 1, &[[EP]]Callback); !status.ok())
// CHECK-NEXT:      return kilnFail(ctx, "kernel.conv at conv-epilogue.mlir:{{[0-9]+}}:{{[0-9]+}}", status);

// CUDA:       KILN_HD inline void [[EP:kilnEpilogue0[A-Za-z0-9_]*]]At(int64_t i, float *out0, float *in0, float *in1) {
// CUDA-NEXT:    [[EP]]Body(out0[i], in0[i / 64], in1[i], out0[i]);
// CUDA:       __global__ void [[EP]]Kernel(float *out0, float *in0, float *in1) {
// CUDA-LABEL: int run(
// CUDA:         if (kiln::Status status = kiln::cuda::conv(kctx, in0, in1, &in2, out0, {1, 1}, {1, 1, 1, 1}, {1, 1}, 1); !status.ok())
// CUDA:         if (kiln::Status status = [[EP]](kctx, b{{[0-9]+}}, b{{[0-9]+}}, b{{[0-9]+}}); !status.ok())
// CUDA-NEXT:      return kilnFail(ctx, "kernel.conv epilogue at conv-epilogue.mlir:{{[0-9]+}}:{{[0-9]+}}", status);

func.func @main(%x: memref<1x3x8x8xf32> {graph.name = "x"},
                %r: memref<1x4x8x8xf32> {graph.name = "r"},
                %y: memref<1x4x8x8xf32> {graph.name = "y", kernel.output})
    attributes {kernel.num_inputs = 2 : i64, kernel.arena_bytes = 0 : i64} {
  %w = kernel.weight "conv.weight" : memref<4x3x3x3xf32> = dense<0.5>
  %b = kernel.weight "conv.bias" : memref<4xf32> = dense<[0.0, 1.0, 2.0, 3.0]>
  %s = kernel.weight "scale" : memref<4x1x1xf32> = dense<[[[1.0]], [[2.0]], [[3.0]], [[4.0]]]>
  kernel.conv %x, %w bias(%b : memref<4xf32>) outs(%y)
      epilogue(%s, %r : memref<4x1x1xf32>, memref<1x4x8x8xf32>)
      {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
       dilations = array<i64: 1, 1>, group = 1 : i64}
      : memref<1x3x8x8xf32>, memref<4x3x3x3xf32>, memref<1x4x8x8xf32> {
  ^bb0(%v: f32, %c: f32, %a: f32):
    %m = arith.mulf %v, %c : f32
    %n = arith.addf %m, %a : f32
    %z = arith.constant 0.0 : f32
    %o = arith.maximumf %n, %z : f32
    kernel.yield %o : f32
  }
  return
}
