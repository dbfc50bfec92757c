// RUN: rm -rf %t.cpu %t.cuda && kiln-compile %s -o %t.cpu --stop-after=source
// RUN: FileCheck %s --input-file=%t.cpu/src/model.cpp
// The source compiles as it is.
// RUN: c++ -std=c++17 -fsyntax-only -I%kiln_src %t.cpu/src/model.cpp
// RUN: kiln-compile %s -o %t.cuda --target=cuda --stop-after=source
// RUN: FileCheck %s --check-prefix=CUDA --input-file=%t.cuda/src/model.cu

// The network ops of exported models: two outputs (top_k), f64 arrays as
// braced double literals, and an empty one as an empty span (resize's roi),
// a recurrent layer's inputs as a braced list.

// CHECK:      if (kiln::Status status = kiln::cpu::top_k(in0, out0, out1, 1, true); !status.ok())
// CHECK:      if (kiln::Status status = kiln::cpu::resize(in0, out0, "linear", "half_pixel", "round_prefer_floor", {1.0, 1.0, 0.33333333333333331, 2.5}, kiln::Span<const double>(), -0.75f, false, 0.0f, true); !status.ok())
// CHECK:      if (kiln::Status status = kiln::cpu::resize(in0, out0, "nearest", "tf_crop_and_resize", "floor", {1.0, 1.0, 1.0, 2.0}, {0.0, 0.0, 0.0, 0.25, 1.0, 1.0, 1.0, 0.75}, -0.75f, false, 3.5f, false); !status.ok())
// CHECK:      if (kiln::Status status = kiln::cpu::conv_transpose(in0, in1, nullptr, out0, {2, 2}, {0, 0, -1, -1}, {1, 1}, 1); !status.ok())

// CHECK:      if (kiln::Status status = kiln::cpu::lstm({in0, in1, in2}, out0, out1, out2, {0, 1, 2}, "reverse", {2, 1, 1}, {0.0, 0.0, 0.0}, {0.0, 0.0, 0.0}, 1.5f, true); !status.ok())

// CUDA:       kiln::cuda::top_k(kctx, in0, out0, out1, 1, true)
// CUDA:       kiln::cuda::resize(kctx, in0, out0, "linear"
// CUDA:       kiln::cuda::conv_transpose(kctx, in0, in1, nullptr, out0
// CUDA:       kiln::cuda::lstm(kctx, {in0, in1, in2}, out0, out1, out2

func.func @main(%x: memref<1x2x3x4xf32> {graph.name = "x"},
                %v: memref<1x2x3x4xf32> {graph.name = "v", kernel.output},
                %i: memref<1x2x3x4xi64> {graph.name = "i", kernel.output},
                %r: memref<1x2x1x10xf32> {graph.name = "r", kernel.output},
                %n: memref<1x2x3x8xf32> {graph.name = "n", kernel.output},
                %t: memref<1x2x8x10xf32> {graph.name = "t", kernel.output},
                %ly: memref<3x1x2x4xf32> {graph.name = "ly", kernel.output},
                %lh: memref<1x2x4xf32> {graph.name = "lh", kernel.output},
                %lc: memref<1x2x4xf32> {graph.name = "lc", kernel.output})
    attributes {kernel.num_inputs = 1 : i64, kernel.arena_bytes = 0 : i64} {
  kernel.library_call "top_k" ins(%x : memref<1x2x3x4xf32>) outs(%v, %i : memref<1x2x3x4xf32>, memref<1x2x3x4xi64>) {axis = 1 : i64, largest = true}
  kernel.library_call "resize" ins(%x : memref<1x2x3x4xf32>) outs(%r : memref<1x2x1x10xf32>) {mode = "linear", coordinate_transformation_mode = "half_pixel", nearest_mode = "round_prefer_floor", scales = array<f64: 1.0, 1.0, 0.33333333333333331, 2.5>, roi = array<f64>, cubic_coeff_a = -0.75 : f32, exclude_outside = false, extrapolation_value = 0.0 : f32, antialias = true}
  kernel.library_call "resize" ins(%x : memref<1x2x3x4xf32>) outs(%n : memref<1x2x3x8xf32>) {mode = "nearest", coordinate_transformation_mode = "tf_crop_and_resize", nearest_mode = "floor", scales = array<f64: 1.0, 1.0, 1.0, 2.0>, roi = array<f64: 0.0, 0.0, 0.0, 0.25, 1.0, 1.0, 1.0, 0.75>, cubic_coeff_a = -0.75 : f32, exclude_outside = false, extrapolation_value = 3.5 : f32, antialias = false}
  %w = kernel.weight "w" : memref<2x2x3x3xf32> = dense<0.5>
  kernel.library_call "conv_transpose" ins(%x, %w : memref<1x2x3x4xf32>, memref<2x2x3x3xf32>) outs(%t : memref<1x2x8x10xf32>) {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, -1, -1>, dilations = array<i64: 1, 1>, group = 1 : i64}
  %seq = kernel.view %x : memref<1x2x3x4xf32> to memref<3x2x4xf32>
  %lw = kernel.weight "lw" : memref<1x16x4xf32> = dense<0.25>
  %lr = kernel.weight "lr" : memref<1x16x4xf32> = dense<0.5>
  kernel.library_call "lstm" ins(%seq, %lw, %lr : memref<3x2x4xf32>, memref<1x16x4xf32>, memref<1x16x4xf32>) outs(%ly, %lh, %lc : memref<3x1x2x4xf32>, memref<1x2x4xf32>, memref<1x2x4xf32>) {input_roles = array<i64: 0, 1, 2>, direction = "reverse", activations = array<i64: 2, 1, 1>, activation_alpha = array<f64: 0.0, 0.0, 0.0>, activation_beta = array<f64: 0.0, 0.0, 0.0>, clip = 1.5 : f32, input_forget = true}
  return
}
