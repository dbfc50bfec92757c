// RUN: rm -rf %t.cpu %t.cuda && kiln-compile %s -o %t.cpu --stop-after=source
// RUN: FileCheck %s --input-file=%t.cpu/src/model.cpp
// The source compiles as it is.
// RUN: c++ -std=c++17 -fsyntax-only -I%kiln_src %t.cpu/src/model.cpp
// RUN: kiln-compile %s -o %t.cuda --target=cuda --stop-after=source
// RUN: FileCheck %s --check-prefix=CUDA --input-file=%t.cuda/src/model.cu

// A model with dynamic dims: kilnShapes computes every size from the input
// shapes with checked arithmetic and places the buffers at run time; plan
// reports the output shapes from it; broadcasts read through a
// kiln::BroadcastShape filled in run; dims of one name are one size.

// CHECK: #include "kernels/common/ArenaPlan.h"
// CHECK: #include "kernels/common/Broadcast.h"
// CHECK-LABEL: struct KilnShapes {
// CHECK:         int64_t offsets[1];
// CHECK-NEXT:    int64_t arenaBytes;
// CHECK-LABEL: int kilnShapes(
// CHECK:         sh.[[ANON:d[0-9]+]] = input_shapes[2][0];
// CHECK-NEXT:    sh.[[SEQ:d[0-9]+]] = input_shapes[0][1];
// CHECK-NEXT:    sh.[[BATCH:d[0-9]+]] = input_shapes[0][0];
// CHECK-NEXT:    if (__builtin_mul_overflow(sh.[[BATCH]], sh.[[SEQ]], &sh.[[ROWS:d[0-9]+]]))
// CHECK-NEXT:      return kilnFail(ctx, "arith.muli at {{.*}}", "size arithmetic overflows");
// CHECK-NEXT:    sh.[[Y:d[0-9]+]] = sh.[[ROWS]] == sh.[[ANON]] || sh.[[ANON]] == 1 ? sh.[[ROWS]] : sh.[[ANON]];
// CHECK-NEXT:    if (sh.[[ROWS]] != sh.[[ANON]] && sh.[[ROWS]] != 1 && sh.[[ANON]] != 1) {
// CHECK-NEXT:      char message[96];
// CHECK-NEXT:      snprintf(message, sizeof(message), "dims %lld and %lld do not broadcast", static_cast<long long>(sh.[[ROWS]]), static_cast<long long>(sh.[[ANON]]));
// CHECK-NEXT:      return kilnFail(ctx, "kernel.broadcast_dim at {{.*}}", message);
// CHECK:         const int64_t dims[] = {sh.[[BATCH]], sh.[[SEQ]], 8};
// CHECK:         if (!kiln::arenaBufferBytes(dims, 3, 4, lives[0].bytes))
// CHECK:       if (!kiln::planArena(lives, 1, sh.offsets, &sh.arenaBytes))
// CHECK-LABEL: int run(
// CHECK:         if (kilnShapes(ctx, input_shapes, sh) != 0)
// CHECK:         // input "m" is (sh.[[SEQ]], 8).
// CHECK:         float *[[SUM:b[0-9]+]] = static_cast<float *>(static_cast<void *>(arenaBytes + sh.offsets[0]));
// CHECK:         kiln::BroadcastShape<3, 2> s{};
// CHECK-NEXT:    s.dims[0] = sh.[[BATCH]];
// CHECK-NEXT:    s.dims[1] = sh.[[SEQ]];
// CHECK-NEXT:    s.dims[2] = 8;
// CHECK-NEXT:    const int64_t in1Dims[] = {sh.[[SEQ]], 8};
// CHECK-NEXT:    kiln::broadcastStrides(in1Dims, 2, 3, s.strides[1]);
// CHECK-NEXT:    kilnEw0(s, sh.[[BATCH]] * sh.[[SEQ]] * 8, b0, b1, [[SUM]]);
// CHECK:         [[S:b[0-9]+]][0] = static_cast<int64_t>(sh.[[BATCH]]);
// CHECK-NEXT:    [[S]][1] = static_cast<int64_t>(sh.[[SEQ]]);
// CHECK:       const int64_t kInputsShape0[] = {-1, -1, 8};
// CHECK-NEXT:  const char *const kInputsDims0[] = {"batch", "seq", nullptr};
// CHECK:         {"x", 1, 3, kInputsShape0, kInputsDims0},
// CHECK:         {"b", 1, 2, kInputsShape2, nullptr},
// CHECK-LABEL: int plan(
// CHECK:         output_shapes[0][0] = sh.[[Y]];
// CHECK-NEXT:    output_shapes[0][1] = 8;
// CHECK-NEXT:    output_shapes[1][0] = 2;
// CHECK-NEXT:    *arena_bytes = sh.arenaBytes;

// CUDA:       __global__ void kilnFillSizes(T *p, KilnSizes sizes, int n) {
// CUDA:       __global__ void kilnEw0Kernel(const kiln::BroadcastShape<3, 2> s, int64_t n,
// CUDA:         const int64_t blocks = (n + 255) / 256 < 65535 * 32 ? (n + 255) / 256 : 65535 * 32;
// CUDA:         if (kiln::Status status = kilnEw0(kctx, s, sh.{{d[0-9]+}} * sh.{{d[0-9]+}} * 8, b0, b1, b{{[0-9]+}}); !status.ok())
// CUDA:         kilnFillSizes<int64_t><<<1, 64, 0, kctx.stream>>>(b{{[0-9]+}}, sizes, 2);
func.func @main(%x: tensor<?x?x8xf32> {graph.name = "x", graph.dim_names = ["batch", "seq", ""]},
                %m: tensor<?x8xf32> {graph.name = "m", graph.dim_names = ["seq", ""]},
                %b: tensor<?x8xf32> {graph.name = "b", graph.dim_names = ["", ""]})
    -> (tensor<?x8xf32> {graph.name = "y"}, tensor<2xi64> {graph.name = "s"}) {
  %sum = graph.add %x, %m : (tensor<?x?x8xf32>, tensor<?x8xf32>) -> tensor<?x?x8xf32>
  %shape = graph.shape %sum : tensor<?x?x8xf32> -> tensor<3xi64>
  %i0 = graph.constant dense<[0]> : tensor<1xi64>
  %i1 = graph.constant dense<[1]> : tensor<1xi64>
  %d0 = graph.gather %shape[%i0] : (tensor<3xi64>, tensor<1xi64>) -> tensor<1xi64>
  %d1 = graph.gather %shape[%i1] : (tensor<3xi64>, tensor<1xi64>) -> tensor<1xi64>
  %rows = graph.mul %d0, %d1 : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %eight = graph.constant dense<[8]> : tensor<1xi64>
  %new = graph.concat %rows, %eight {axis = 0} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %flat = graph.reshape %sum, %new : (tensor<?x?x8xf32>, tensor<2xi64>) -> tensor<?x8xf32>
  %y = graph.add %flat, %b : (tensor<?x8xf32>, tensor<?x8xf32>) -> tensor<?x8xf32>
  %s = graph.concat %d0, %d1 {axis = 0} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  return %y, %s : tensor<?x8xf32>, tensor<2xi64>
}
