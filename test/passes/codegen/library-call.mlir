// RUN: rm -rf %t.cpu %t.cuda && kiln-compile %s -o %t.cpu --stop-after=source
// RUN: FileCheck %s --input-file=%t.cpu/src/model.cpp
// The source compiles as it is.
// RUN: c++ -std=c++17 -fsyntax-only -I%kiln_src %t.cpu/src/model.cpp
// RUN: %python %S/Inputs/print_safetensors.py %t.cpu/weights.safetensors | FileCheck %s --check-prefix=WEIGHTS
// RUN: kiln-compile %s -o %t.cuda --target=cuda --stop-after=source
// RUN: FileCheck %s --check-prefix=CUDA --input-file=%t.cuda/src/model.cu

// Buffers of every kind (weights, arena offsets, a view, outputs) and the
// calls into the kernel library: an optional operand by pointer (conv's
// bias) or null (layer_norm without bias), a variadic operand list as a
// braced list (concat), attributes as literals in the table's order, a GEMM
// and a copy.

// CHECK-LABEL: int run(
// CHECK:         char *const arenaBytes = static_cast<char *>(arena);
// CHECK:         float *[[X:b[0-9]+]] = static_cast<float *>(const_cast<void *>(inputs[0]));
// CHECK:         float *[[OUT:b[0-9]+]] = static_cast<float *>(outputs[0]);
// CHECK:         float *[[FIRST:b[0-9]+]] = static_cast<float *>(outputs[1]);
// CHECK:         float *[[W:b[0-9]+]] = static_cast<float *>(weights[0]);
// CHECK:         float *[[B:b[0-9]+]] = static_cast<float *>(weights[1]);
// CHECK:         float *[[C:b[0-9]+]] = static_cast<float *>(static_cast<void *>(arenaBytes + 0));
// CHECK:         {
// CHECK-NEXT:      const kiln::TensorView in0{[[X]], kiln::DType::Float, 4, {1, 3, 8, 8}};
// CHECK-NEXT:      const kiln::TensorView in1{[[W]], kiln::DType::Float, 4, {4, 3, 3, 3}};
// CHECK-NEXT:      const kiln::TensorView in2{[[B]], kiln::DType::Float, 1, {4}};
// CHECK-NEXT:      const kiln::TensorView out0{[[C]], kiln::DType::Float, 4, {1, 4, 6, 6}};
// CHECK-NEXT:      if (kiln::Status status = kiln::cpu::conv(in0, in1, &in2, out0, {1, 1}, {0, 0, 0, 0}, {1, 1}, 1); !status.ok())
// CHECK-NEXT:        return kilnFail(ctx, "kernel.library_call \"conv\" at library-call.mlir:{{[0-9]+}}:{{[0-9]+}}", status);
// CHECK-NEXT:    }
// CHECK-NEXT:    float *[[V:b[0-9]+]] = static_cast<float *>(static_cast<void *>([[C]]));
// CHECK-NEXT:    float *[[S:b[0-9]+]] = static_cast<float *>(static_cast<void *>(arenaBytes + 576));
// CHECK:           if (kiln::Status status = kiln::cpu::softmax(in0, out0, 1); !status.ok())
// CHECK:           const kiln::TensorView in0{[[V]], kiln::DType::Float, 2, {4, 36}};
// CHECK-NEXT:      const kiln::TensorView in1{[[S]], kiln::DType::Float, 2, {4, 36}};
// CHECK-NEXT:      const kiln::TensorView out0{b{{[0-9]+}}, kiln::DType::Float, 2, {8, 36}};
// CHECK-NEXT:      if (kiln::Status status = kiln::cpu::concat({in0, in1}, out0, 0); !status.ok())
// CHECK:           if (kiln::Status status = kiln::cpu::matmul(in0, in1, out0, 1.0f, 0.0f, false, true); !status.ok())
// CHECK:           if (kiln::Status status = kiln::cpu::layer_norm(in0, in1, nullptr, out0, nullptr, nullptr, 1, 9.99999975e-06f); !status.ok())
// CHECK:         memcpy([[FIRST]], [[S]], 576);
// CHECK-NEXT:    if (kprof) kilnMark(kprof, -1, 0.0, 0.0);
// CHECK-NEXT:    return 0;
// CHECK:         *arena_bytes = 2304;
// CHECK:       const kiln_io_desc kWeights[] = {
// CHECK-NEXT:      {"conv.weight", 1, 4, kWeightsShape0, nullptr},
// CHECK-NEXT:      {"conv.bias", 1, 1, kWeightsShape1, nullptr},
// CHECK-NEXT:      {"proj", 1, 2, kWeightsShape2, nullptr},
// CHECK-NEXT:      {"ln.scale", 1, 1, kWeightsShape3, nullptr},
// CHECK:           4, kWeights,

// CUDA:         const kiln::cuda::Context kctx = kiln::cuda::makeContext(ctx);
// CUDA:         if (kiln::Status status = kiln::cuda::conv(kctx, in0, in1, &in2, out0, {1, 1}, {0, 0, 0, 0}, {1, 1}, 1); !status.ok())
// CUDA:         if (kiln::Status status = kiln::cuda::matmul(kctx, in0, in1, out0, 1.0f, 0.0f, false, true); !status.ok())
// CUDA:         if (cudaError_t error = cudaMemcpyAsync(b{{[0-9]+}}, b{{[0-9]+}}, 576, cudaMemcpyDeviceToDevice, kctx.stream); error != cudaSuccess)
// CUDA-NEXT:      return kilnFail(ctx, "kernel.copy at library-call.mlir:{{[0-9]+}}:{{[0-9]+}}", cudaGetErrorString(error));

// Weights in the file, by name, with their data; the splat is expanded.
// WEIGHTS:      conv.bias F32 [4] [0.0, 1.0, 2.0, 3.0]
// WEIGHTS-NEXT: conv.weight F32 [4, 3, 3, 3] [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
// WEIGHTS-NEXT: ln.scale F32 [16] [2.0, 2.0, 2.0, 2.0, 2.0, 2.0]
// WEIGHTS-NEXT: proj F32 [16, 36] [0.25, 0.25, 0.25, 0.25, 0.25, 0.25]

func.func @main(%x: memref<1x3x8x8xf32> {graph.name = "x"},
                %out: memref<8x16xf32> {graph.name = "out", kernel.output},
                %first: memref<4x36xf32> {graph.name = "first", kernel.output})
    attributes {kernel.num_inputs = 1 : i64, kernel.arena_bytes = 2304 : i64} {
  %w = kernel.weight "conv.weight" : memref<4x3x3x3xf32> = dense<0.5>
  %b = kernel.weight "conv.bias" : memref<4xf32> = dense<[0.0, 1.0, 2.0, 3.0]>
  %c = kernel.alloc {offset = 0 : i64} : memref<1x4x6x6xf32>
  kernel.library_call "conv" ins(%x, %w, %b : memref<1x3x8x8xf32>, memref<4x3x3x3xf32>, memref<4xf32>)
      outs(%c : memref<1x4x6x6xf32>)
      {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64}
  %v = kernel.view %c : memref<1x4x6x6xf32> to memref<4x36xf32>
  %s = kernel.alloc {offset = 576 : i64} : memref<4x36xf32>
  kernel.library_call "softmax" ins(%v : memref<4x36xf32>) outs(%s : memref<4x36xf32>) {axis = 1 : i64}
  %cat = kernel.alloc {offset = 1152 : i64} : memref<8x36xf32>
  kernel.library_call "concat" ins(%v, %s : memref<4x36xf32>, memref<4x36xf32>) outs(%cat : memref<8x36xf32>) {axis = 0 : i64}
  %p = kernel.weight "proj" : memref<16x36xf32> = dense<0.25>
  %mm = kernel.alloc {offset = 0 : i64} : memref<8x16xf32>
  kernel.matmul %cat, %p, %mm {transB = true} : memref<8x36xf32>, memref<16x36xf32>, memref<8x16xf32>
  %scale = kernel.weight "ln.scale" : memref<16xf32> = dense<2.0>
  kernel.library_call "layer_norm" ins(%mm, %scale : memref<8x16xf32>, memref<16xf32>) outs(%out : memref<8x16xf32>) {axis = 1 : i64, epsilon = 1.0e-05 : f32}
  kernel.copy %s, %first : memref<4x36xf32>, memref<4x36xf32>
  return
}
