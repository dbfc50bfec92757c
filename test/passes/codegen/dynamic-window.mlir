// RUN: rm -rf %t.cpu %t.cuda && kiln-compile %s -o %t.cpu --stop-after=source
// RUN: FileCheck %s --input-file=%t.cpu/src/model.cpp
// The source compiles as it is.
// RUN: c++ -std=c++17 -fsyntax-only -I%kiln_src %t.cpu/src/model.cpp
// RUN: kiln-compile %s -o %t.cuda --target=cuda --stop-after=source
// RUN: FileCheck %s --check-prefix=CUDA --input-file=%t.cuda/src/model.cu

// A max_pool with auto_pad SAME_LOWER over a dynamic length: kilnShapes
// computes the output length ceil(len / 2) and the pads from the run's
// length, with checked arithmetic, and the call reads the pads by name.

// CHECK-LABEL: int kilnShapes(
// CHECK:         sh.[[LEN:d[0-9]+]] = input_shapes[0][2];
// CHECK:         sh.[[OUT:d[0-9]+]] = sh.[[LEN]] / 2 + ((sh.[[LEN]] % 2 != 0) && ((sh.[[LEN]] < 0) == (2 < 0)));
// CHECK:         if (__builtin_sub_overflow(
// CHECK-LABEL: int run(
// CHECK:         if (kiln::Status status = kiln::cpu::max_pool(in0, out0, {3}, {2}, {sh.[[BEGIN:d[0-9]+]], sh.[[END:d[0-9]+]]}, {1}); !status.ok())
// CHECK-LABEL: int plan(
// CHECK:         output_shapes[0][2] = sh.[[OUT]];

// CUDA:          if (kiln::Status status = kiln::cuda::max_pool(kctx, in0, out0, {3}, {2}, {sh.{{d[0-9]+}}, sh.{{d[0-9]+}}}, {1}); !status.ok())
func.func @main(%x: tensor<1x2x?xf32> {graph.name = "x", graph.dim_names = ["", "", "len"]})
    -> (tensor<1x2x?xf32> {graph.name = "y"}) {
  %y = graph.max_pool %x {kernel_shape = array<i64: 3>, strides = array<i64: 2>, pads = array<i64: 0, 0>, dilations = array<i64: 1>, auto_pad = "SAME_LOWER"} : tensor<1x2x?xf32> -> tensor<1x2x?xf32>
  return %y : tensor<1x2x?xf32>
}
