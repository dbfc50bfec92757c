// RUN: rm -rf %t.cpu %t.cuda && kiln-compile %s -o %t.cpu --stop-after=source
// RUN: FileCheck %s --input-file=%t.cpu/src/model.cpp
// RUN: c++ -std=c++17 -fsyntax-only -I%kiln_src %t.cpu/src/model.cpp
// RUN: kiln-compile %s -o %t.cuda --target=cuda --stop-after=source
// RUN: FileCheck %s --check-prefix=CUDA --input-file=%t.cuda/src/model.cu

// kernel.attention calls the library's attention with q, k, v, the mask by
// pointer and the scale; its profiler site is of kind "attention" and
// counts 2 * B * S_q * S_k * (D + D_v) flops.

// CHECK-LABEL: int run(
// CHECK:         if (kprof) kilnMark(kprof, 0, 17408.0, 5120.0 * (8.0 + 6.0));
// CHECK-NEXT:    {
// CHECK-NEXT:      const kiln::TensorView in0{{.*}} kiln::DType::Float, 4, {2, 4, 16, 8}};
// CHECK-NEXT:      const kiln::TensorView in1{{.*}} kiln::DType::Float, 4, {2, 4, 20, 8}};
// CHECK-NEXT:      const kiln::TensorView in2{{.*}} kiln::DType::Float, 4, {2, 4, 20, 6}};
// CHECK-NEXT:      const kiln::TensorView in3{{.*}} kiln::DType::Float, 4, {1, 1, 16, 20}};
// CHECK-NEXT:      const kiln::TensorView out0{{.*}} kiln::DType::Float, 4, {2, 4, 16, 6}};
// CHECK-NEXT:      if (kiln::Status status = kiln::cpu::attention(in0, in1, in2, &in3, out0, 0.125f); !status.ok())
// CHECK:         kiln::cpu::attention(in0, in1, in2, nullptr, out0, 1.0f)
// CHECK:       {"attention", "node_attention"}

// CUDA: kiln::cuda::attention(kctx, in0, in1, in2, &in3, out0, 0.125f)
// CUDA: kiln::cuda::attention(kctx, in0, in1, in2, nullptr, out0, 1.0f)

func.func @main(%q: tensor<2x4x16x8xf32> {graph.name = "q"}, %k: tensor<2x4x20x8xf32> {graph.name = "k"}, %v: tensor<2x4x20x6xf32> {graph.name = "v"}, %m: tensor<1x1x16x20xf32> {graph.name = "m"}) -> (tensor<2x4x16x6xf32> {graph.name = "y"}, tensor<2x4x16x6xf32> {graph.name = "z"}) {
  %y = graph.attention %q, %k, %v, %m {scale = 0.125 : f32} : (tensor<2x4x16x8xf32>, tensor<2x4x20x8xf32>, tensor<2x4x20x6xf32>, tensor<1x1x16x20xf32>) -> tensor<2x4x16x6xf32> loc("node_attention")
  %z = graph.attention %q, %k, %v {scale = 1.0 : f32} : (tensor<2x4x16x8xf32>, tensor<2x4x20x8xf32>, tensor<2x4x20x6xf32>) -> tensor<2x4x16x6xf32>
  return %y, %z : tensor<2x4x16x6xf32>, tensor<2x4x16x6xf32>
}
