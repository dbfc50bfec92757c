// RUN: rm -rf %t.cpu %t.cuda && kiln-compile %s -o %t.cpu --stop-after=source
// RUN: FileCheck %s --input-file=%t.cpu/src/model.cpp
// The source compiles as it is.
// RUN: c++ -std=c++17 -fsyntax-only -I%kiln_src %t.cpu/src/model.cpp
// RUN: kiln-compile %s -o %t.cuda --target=cuda --stop-after=source
// RUN: FileCheck %s --check-prefix=CUDA --input-file=%t.cuda/src/model.cu

// A bias added along the rows, then relu: the region is printed once as a
// KILN_HD body; the cpu driver loops over it, the cuda kernel strides a grid.

// CHECK: #include "kernels/cpu/Kernels.h"
// CHECK-LABEL: KILN_HD inline void kilnEw0Body(float a0, float a1, float &r0) {
// CHECK-NEXT:    const float v0 = a0 + a1;
// CHECK-NEXT:    const float v1 = 0.0f;
// CHECK-NEXT:    const float v2 = kilnMaximumF(v0, v1);
// CHECK-NEXT:    r0 = v2;
// CHECK-NEXT:  }
// The bias (8) repeats every row of the (4, 8) output: the cpu driver runs
// the rows in parallel and the body along a row, where the bias is read at j.
// CHECK:       void kilnEw0(float *in0, float *in1, float *out0) {
// CHECK-NEXT:    kiln::cpu::parallelFor(
// CHECK-NEXT:        4, [=](int64_t r) {
// CHECK:           const auto *row0 = in0 + r * 8;
// CHECK-NEXT:      const auto *row1 = in1;
// CHECK-NEXT:      auto *rowOut0 = out0 + r * 8;
// CHECK-NEXT:      for (int64_t j = 0; j < 8; ++j)
// CHECK-NEXT:        kilnEw0Body(row0[j], row1[j], rowOut0[j]);
// CHECK-LABEL: int run(
// CHECK:         float *[[X:b[0-9]+]] = static_cast<float *>(const_cast<void *>(inputs[0]));
// CHECK:         float *[[BIAS:b[0-9]+]] = static_cast<float *>(const_cast<void *>(inputs[1]));
// CHECK:         float *[[Y:b[0-9]+]] = static_cast<float *>(outputs[0]);
// The kernel is site 0: the profiler's mark before it counts the bytes of
// x, bias and y; the mark before return ends it.
// CHECK:         if (kprof) kilnMark(kprof, 0, 288.0, 0.0);
// CHECK-NEXT:    kilnEw0([[X]], [[BIAS]], [[Y]]);
// CHECK-NEXT:    if (kprof) kilnMark(kprof, -1, 0.0, 0.0);
// CHECK-NEXT:    return 0;
// CHECK:       const kiln_kernel_site kSites[] = {
// CHECK-NEXT:      {"elementwise", "{{.*}}"},
// CHECK-NEXT:  };
// CHECK:       const kiln_io_desc kInputs[] = {
// CHECK-NEXT:      {"x", 1, 2, kInputsShape0, nullptr},
// CHECK-NEXT:      {"bias", 1, 1, kInputsShape1, nullptr},
// CHECK:       const kiln_io_desc kOutputs[] = {
// CHECK-NEXT:      {"y", 1, 2, kOutputsShape0, nullptr},
// CHECK:       int plan(
// CHECK:         *arena_bytes = 0;
// CHECK:       const kiln_entry_desc kEntries[] = {
// CHECK-NEXT:      {"main", 2, entry0::kInputs, 1, entry0::kOutputs, entry0::plan, entry0::run, 1, entry0::kSites},
// CHECK:       const kiln_model_desc kModel = {
// CHECK-NEXT:      KILN_MODEL_ABI_VERSION,
// CHECK-NEXT:      "cpu",
// CHECK-NEXT:      0, nullptr,
// CHECK-NEXT:      1, kEntries,
// CHECK: const kiln_model_desc *kiln_model_describe(void) { return &kModel; }

// CUDA: #include "kernels/cuda/Kernels.h"
// CUDA: #include <cuda_runtime.h>
// CUDA-LABEL: KILN_HD inline void kilnEw0Body(float a0, float a1, float &r0) {
// CUDA-NEXT:    const float v0 = a0 + a1;
// CUDA:       KILN_HD inline void kilnEw0At(int64_t i, float *in0, float *in1, float *out0) {
// CUDA-NEXT:    kilnEw0Body(in0[i], in1[i % 8], out0[i]);
// CUDA:       __global__ void kilnEw0Kernel(float *in0, float *in1, float *out0) {
// CUDA:         i < 32; i += stride)
// CUDA-NEXT:      kilnEw0At(i, in0, in1, out0);
// CUDA:       kiln::Status kilnEw0(const kiln::cuda::Context &kctx, float *in0, float *in1, float *out0) {
// CUDA-NEXT:    kilnEw0Kernel<<<1, 256, 0, kctx.stream>>>(in0, in1, out0);
// CUDA-NEXT:    return kiln::cuda::checkLaunch("kilnEw0Kernel", __FILE__, __LINE__);
// CUDA-LABEL: int run(
// CUDA:         const kiln::cuda::Context kctx = kiln::cuda::makeContext(ctx);
// CUDA:         if (kiln::Status status = kilnEw0(kctx, b0, b1, b2); !status.ok())
// CUDA-NEXT:      return kilnFail(ctx, "kernel.elementwise at elementwise.mlir:{{[0-9]+}}:{{[0-9]+}}", status);
// CUDA:       "cuda",

func.func @main(%x: memref<4x8xf32> {graph.name = "x"},
                %bias: memref<8xf32> {graph.name = "bias"},
                %y: memref<4x8xf32> {graph.name = "y", kernel.output})
    attributes {kernel.num_inputs = 2 : i64, kernel.arena_bytes = 0 : i64} {
  kernel.elementwise ins(%x, %bias : memref<4x8xf32>, memref<8xf32>)
                     outs(%y : memref<4x8xf32>) {
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %b : f32
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %s, %zero : f32
    kernel.yield %r : f32
  }
  return
}
