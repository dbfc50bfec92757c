// RUN: rm -rf %t.cpu %t.cuda && kiln-compile %s -o %t.cpu --stop-after=source
// RUN: FileCheck %s --input-file=%t.cpu/src/model.cpp
// The source compiles as it is.
// RUN: c++ -std=c++17 -fsyntax-only -I%kiln_src %t.cpu/src/model.cpp
// RUN: kiln-compile %s -o %t.cuda --target=cuda --stop-after=source
// RUN: FileCheck %s --check-prefix=CUDA --input-file=%t.cuda/src/model.cu

// A kernel.matmul with an epilogue over a (32) bias and a residual (the
// output projection of a transformer block): on the CPU a functor each slab
// of the GEMM calls, reading the bias along the row; on CUDA the same body
// launched after the GEMM.

// CHECK:       KILN_HD inline void [[BODY:kilnEpilogue0[A-Za-z0-9_]*Body]](float a0, float a1, float a2, float &r0) {
// CHECK:       void [[EP:kilnEpilogue0[A-Za-z0-9_]*]]Apply(const void *self, float *y, int64_t count) {
// CHECK:           const int64_t r = i / 32;
// CHECK:           const auto *row0 = e.in0;
// CHECK:           const auto *row1 = e.in1 + r * 32;
// CHECK:           for (int64_t j = i - r * 32; j < stop - r * 32; ++j)
// CHECK-NEXT:        [[BODY]](rowOut[j], row0[j], row1[j], rowOut[j]);
// CHECK-LABEL: int run(
// CHECK:         const kiln::cpu::Epilogue [[EP]]Callback{&[[EP]]Apply, &[[EP]]State};
// CHECK:         if (kiln::Status status = kiln::cpu::matmul(in0, in1, out0, 1.0f, 0.0f, false, true, &[[EP]]Callback); !status.ok())

// CUDA:       KILN_HD inline void [[EP:kilnEpilogue0[A-Za-z0-9_]*]]At(int64_t i, float *out0, float *in0, float *in1) {
// CUDA-NEXT:    [[EP]]Body(out0[i], in0[i % 32], in1[i], out0[i]);
// CUDA-LABEL: int run(
// CUDA:         if (kiln::Status status = kiln::cuda::matmul(kctx, in0, in1, out0, 1.0f, 0.0f, false, true); !status.ok())
// CUDA:         if (kiln::Status status = [[EP]](kctx, b{{[0-9]+}}, b{{[0-9]+}}, b{{[0-9]+}}); !status.ok())
// CUDA-NEXT:      return kilnFail(ctx, "kernel.matmul epilogue at matmul-epilogue.mlir:{{[0-9]+}}:{{[0-9]+}}", status);

func.func @main(%x: memref<1x8x16xf32> {graph.name = "x"},
                %r: memref<1x8x32xf32> {graph.name = "r"},
                %y: memref<1x8x32xf32> {graph.name = "y", kernel.output})
    attributes {kernel.num_inputs = 2 : i64, kernel.arena_bytes = 0 : i64} {
  %w = kernel.weight "proj.weight" : memref<32x16xf32> = dense<0.5>
  %b = kernel.weight "proj.bias" : memref<32xf32> = dense<1.0>
  kernel.matmul %x, %w, %y epilogue(%b, %r : memref<32xf32>, memref<1x8x32xf32>)
      {transB = true} : memref<1x8x16xf32>, memref<32x16xf32>, memref<1x8x32xf32> {
  ^bb0(%v: f32, %c: f32, %a: f32):
    %s = arith.addf %v, %c : f32
    %n = arith.addf %s, %a : f32
    kernel.yield %n : f32
  }
  return
}
