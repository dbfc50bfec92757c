// RUN: rm -rf %t.cpu %t.cuda && kiln-compile %s -o %t.cpu --stop-after=source
// RUN: FileCheck %s --input-file=%t.cpu/src/model.cpp
// The source compiles as it is.
// RUN: c++ -std=c++17 -fsyntax-only -I%kiln_src %t.cpu/src/model.cpp
// RUN: kiln-compile %s -o %t.cuda --target=cuda --stop-after=source
// RUN: FileCheck %s --check-prefix=CUDA --input-file=%t.cuda/src/model.cu

// If and Loop as host control flow in run: the condition is read from its
// buffer into a const bool; the loop is a for (;;) whose iteration number
// is a variable, with the trip count, the carried condition and the row of
// the scan output checked on the host.

// CHECK-LABEL: int run(
// CHECK: const bool [[C:s[0-9]+]] = b0[0];
// CHECK: if ([[C]]) {
// CHECK: kilnEw0(
// CHECK: } else {
// CHECK: }
// CHECK: const int64_t [[TRIP:s[0-9]+]] = b{{[0-9]+}}[0];
// CHECK: int64_t [[I:s[0-9]+]] = 0;
// CHECK-NEXT: int64_t [[N:s[0-9]+]] = 0;
// CHECK-NEXT: for (;;) {
// CHECK-NEXT: const bool [[GO:s[0-9]+]] = b{{[0-9]+}}[0];
// CHECK-NEXT: const bool [[LT:s[0-9]+]] = [[I]] < [[TRIP]];
// CHECK-NEXT: const bool [[BOTH:s[0-9]+]] = [[GO]] & [[LT]];
// CHECK-NEXT: [[N]] = [[I]];
// CHECK-NEXT: if (!([[BOTH]]))
// CHECK-NEXT: break;
// CHECK-NEXT: b{{[0-9]+}}[0] = [[N]];
// CHECK-NEXT: const int64_t [[NEXT:s[0-9]+]] = [[N]] + 1;
// CHECK: const int64_t row = [[N]];
// CHECK-NEXT: if (row < 0 || row >= 3)
// CHECK: memcpy(b4 + row * rowElements, b3, rowElements * 4);
// CHECK: [[I]] = [[NEXT]];
// CHECK-NEXT: }
// CHECK-NEXT: if ([[N]] != 3) {

// On CUDA the host copies each condition and the trip count from the device
// and waits for the stream before it decides.
// CUDA-LABEL: int run(
// CUDA: bool [[C:s[0-9]+]];
// CUDA-NEXT: if (cudaError_t error = cudaMemcpyAsync(&[[C]], b0, sizeof([[C]]), cudaMemcpyDeviceToHost, kctx.stream); error != cudaSuccess)
// CUDA: if (cudaError_t error = cudaStreamSynchronize(kctx.stream); error != cudaSuccess)
// CUDA: if ([[C]]) {
// CUDA: for (;;) {
// CUDA-NEXT: bool [[GO:s[0-9]+]];
// CUDA-NEXT: if (cudaError_t error = cudaMemcpyAsync(&[[GO]],
// CUDA: const int64_t value = [[N:s[0-9]+]];
// CUDA-NEXT: if (cudaError_t error = cudaMemcpyAsync(b{{[0-9]+}}, &value, sizeof(value), cudaMemcpyHostToDevice, kctx.stream); error != cudaSuccess)
// CUDA: cudaMemcpyAsync(b4 + row * rowElements, b3, rowElements * 4, cudaMemcpyDeviceToDevice, kctx.stream)

func.func @main(%c: tensor<i1> {graph.name = "c"}, %x: tensor<2xf32> {graph.name = "x"}) -> (tensor<2xf32> {graph.name = "y"}, tensor<2xf32> {graph.name = "z"}, tensor<3x2xf32> {graph.name = "s"}) {
  %y = graph.if %c : tensor<i1> -> tensor<2xf32> {
    %n = graph.neg %x : tensor<2xf32> -> tensor<2xf32>
    graph.yield %n : tensor<2xf32>
  } else {
    graph.yield %x : tensor<2xf32>
  }
  %m = graph.constant dense<3> : tensor<i64>
  %z, %s = graph.loop max_trip_count(%m : tensor<i64>) cond(%c : tensor<i1>) carried(%x : tensor<2xf32>) -> tensor<2xf32>, tensor<3x2xf32> {
  ^bb0(%i: tensor<i64>, %ci: tensor<i1>, %a: tensor<2xf32>):
    %t = graph.tanh %a : tensor<2xf32> -> tensor<2xf32>
    graph.yield %ci, %t, %a : tensor<i1>, tensor<2xf32>, tensor<2xf32>
  }
  return %y, %z, %s : tensor<2xf32>, tensor<2xf32>, tensor<3x2xf32>
}
