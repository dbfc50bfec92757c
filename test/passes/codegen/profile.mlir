// RUN: rm -rf %t.cpu %t.cuda && kiln-compile %s -o %t.cpu --stop-after=source
// RUN: FileCheck %s --input-file=%t.cpu/src/model.cpp
// The source compiles as it is.
// RUN: c++ -std=c++17 -fsyntax-only -I%kiln_src %t.cpu/src/model.cpp
// RUN: kiln-compile %s -o %t.cuda --target=cuda --stop-after=source
// RUN: FileCheck %s --check-prefix=CUDA --input-file=%t.cuda/src/model.cu

// Each kernel call is a site: a mark for the profiler before it, with the
// bytes of its buffers and its flops computed in double from the run's
// (here dynamic) shapes, and one mark at the end of run. kSites lists the
// kind and the location of each, the name as an escaped literal.

// The helper, out of run's way.
// CHECK:       __attribute__((cold, noinline)) void kilnMark(kiln_profiler *profiler,
// CHECK:         profiler->mark(profiler, site, bytes, flops);
// CHECK-LABEL: int run(
// CHECK:         kiln_profiler *const kprof = ctx->profiler;
// A grouped conv: x (N, 2, 6, 6), w (4, 1, 3, 3), out (N, 4, 4, 4);
// flops 2 * N*4*4*4 * (2/2)*3*3 = 1152 N, bytes 4 * (72 N + 36 + 64 N).
// CHECK:         if (kprof) kilnMark(kprof, 0, 288.0 * [[N:sh.d[0-9]+]] + 256.0 * [[N]] + 144.0, 1152.0 * [[N]]);
// CHECK-NEXT:    {
// CHECK:           kiln::cpu::conv(
// A matmul (N, 16) x (16, 8): flops 2 * N*8 * 16, bytes 4 * (16 N + 128 + 8 N).
// CHECK:         if (kprof) kilnMark(kprof, 1, 64.0 * [[N]] + 32.0 * [[N]] + 512.0, 256.0 * [[N]]);
// CHECK-NEXT:    {
// CHECK:           kiln::cpu::matmul(
// CHECK:         if (kprof) kilnMark(kprof, -1, 0.0, 0.0);
// CHECK-NEXT:    return 0;
// CHECK:       const kiln_kernel_site kSites[] = {
// CHECK-NEXT:      {"conv", "conv \"1\"\012*/"},
// CHECK-NEXT:      {"matmul", "proj"},
// CHECK-NEXT:  };
// CHECK:       {"main", 2, entry0::kInputs, 2, entry0::kOutputs, entry0::plan, entry0::run, 2, entry0::kSites},

// On CUDA the mark waits for the stream first: the call before it ends
// when its kernels do.
// CUDA:       void kilnMark(kiln_profiler *profiler,
// CUDA-NEXT:    cudaStream_t stream,
// CUDA:         cudaStreamSynchronize(stream);
// CUDA-NEXT:    profiler->mark(profiler, site, bytes, flops);
// CUDA-LABEL: int run(
// CUDA:         if (kprof) kilnMark(kprof, kctx.stream, 0, {{.*}});
// CUDA:         if (kprof) kilnMark(kprof, kctx.stream, 1, {{.*}});
// CUDA:         if (kprof) kilnMark(kprof, kctx.stream, -1, 0.0, 0.0);

func.func @main(%x: tensor<?x2x6x6xf32> {graph.name = "x", graph.dim_names = ["batch", "", "", ""]},
                %a: tensor<?x16xf32> {graph.name = "a", graph.dim_names = ["batch", ""]})
    -> (tensor<?x4x4x4xf32> {graph.name = "c"}, tensor<?x8xf32> {graph.name = "m"}) {
  %w = graph.constant dense<0.5> : tensor<4x1x3x3xf32>
  %c = graph.conv %x, %w {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 2 : i64}
      : (tensor<?x2x6x6xf32>, tensor<4x1x3x3xf32>) -> tensor<?x4x4x4xf32> loc("conv \"1\"\n*/")
  %b = graph.constant dense<0.25> : tensor<16x8xf32>
  %m = graph.matmul %a, %b : (tensor<?x16xf32>, tensor<16x8xf32>) -> tensor<?x8xf32> loc("proj")
  return %c, %m : tensor<?x4x4x4xf32>, tensor<?x8xf32>
}
