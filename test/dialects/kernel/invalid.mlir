// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// A weight whose value has another shape than its buffer.
func.func @weight_shape() {
  // expected-error @below {{value of type 'tensor<4xf32>' does not match buffer type 'memref<8xf32>'}}
  %w = "kernel.weight"() <{name = "w", value = dense<1.0> : tensor<4xf32>}> : () -> memref<8xf32>
  return
}

// -----

// A view may not reinterpret the element type.
func.func @view_element_type(%x: memref<4xf32>) {
  // expected-error @below {{changes the element type from 'f32' to 'i32'}}
  %v = kernel.view %x : memref<4xf32> to memref<4xi32>
  return
}

// -----

// A view keeps the number of elements.
func.func @view_size(%x: memref<4xf32>) {
  // expected-error @below {{changes the size from 4 to 6 elements}}
  %v = kernel.view %x : memref<4xf32> to memref<2x3xf32>
  return
}

// -----

// A copy between element types.
func.func @copy_element_type(%x: memref<4xf32>, %y: memref<4xi32>) {
  // expected-error @below {{copies 'f32' into 'i32'}}
  kernel.copy %x, %y : memref<4xf32>, memref<4xi32>
  return
}

// -----

// A copy between buffers of different sizes.
func.func @copy_size(%x: memref<4xf32>, %y: memref<8xf32>) {
  // expected-error @below {{copies 16 bytes into a buffer of 32 bytes}}
  kernel.copy %x, %y : memref<4xf32>, memref<8xf32>
  return
}

// -----

// Elementwise outputs share one shape.
func.func @elementwise_outputs(%y: memref<4xf32>, %z: memref<2xf32>) {
  // expected-error @below {{outputs must all have one shape}}
  kernel.elementwise outs(%y, %z : memref<4xf32>, memref<2xf32>) {
    %c = arith.constant 0.0 : f32
    kernel.yield %c, %c : f32, f32
  }
  return
}

// -----

// An input that does not broadcast to the output shape.
func.func @elementwise_broadcast(%x: memref<3xf32>, %y: memref<2x4xf32>) {
  // expected-error @below {{input #0 of type 'memref<3xf32>' does not broadcast to the output shape}}
  kernel.elementwise ins(%x : memref<3xf32>) outs(%y : memref<2x4xf32>) {
  ^bb0(%a: f32):
    kernel.yield %a : f32
  }
  return
}

// -----

// One body argument per input.
func.func @elementwise_arg_count(%x: memref<4xf32>, %y: memref<4xf32>) {
  // expected-error @below {{body takes 2 arguments for 1 inputs}}
  kernel.elementwise ins(%x : memref<4xf32>) outs(%y : memref<4xf32>) {
  ^bb0(%a: f32, %b: f32):
    kernel.yield %a : f32
  }
  return
}

// -----

// Body arguments have the inputs' element types.
func.func @elementwise_arg_type(%x: memref<4xf32>, %y: memref<4xf32>) {
  // expected-error @below {{body argument #0 has type 'f16', expected 'f32'}}
  kernel.elementwise ins(%x : memref<4xf32>) outs(%y : memref<4xf32>) {
  ^bb0(%a: f16):
    %e = arith.extf %a : f16 to f32
    kernel.yield %e : f32
  }
  return
}

// -----

// One yielded value per output.
func.func @elementwise_yield_count(%x: memref<4xf32>, %y: memref<4xf32>) {
  // expected-error @below {{body yields 2 values for 1 outputs}}
  kernel.elementwise ins(%x : memref<4xf32>) outs(%y : memref<4xf32>) {
  ^bb0(%a: f32):
    kernel.yield %a, %a : f32, f32
  }
  return
}

// -----

// Yielded values have the outputs' element types.
func.func @elementwise_yield_type(%x: memref<4xf32>, %y: memref<4xi32>) {
  // expected-error @below {{body yields 'f32' for output #0 of 'i32'}}
  kernel.elementwise ins(%x : memref<4xf32>) outs(%y : memref<4xi32>) {
  ^bb0(%a: f32):
    kernel.yield %a : f32
  }
  return
}

// -----

// The body holds arith and math ops only.
func.func @elementwise_body_op(%x: memref<4xf32>, %y: memref<4xf32>) {
  kernel.elementwise ins(%x : memref<4xf32>) outs(%y : memref<4xf32>) {
  ^bb0(%a: f32):
    // expected-error @below {{is not allowed in a kernel.elementwise body}}
    %m = memref.alloca() : memref<f32>
    kernel.yield %a : f32
  }
  return
}

// -----

// Matmul operands share one element type.
func.func @matmul_element_type(%a: memref<2x3xf32>, %b: memref<3x4xf16>, %c: memref<2x4xf32>) {
  // expected-error @below {{operands must share one element type}}
  kernel.matmul %a, %b, %c : memref<2x3xf32>, memref<3x4xf16>, memref<2x4xf32>
  return
}

// -----

// Matmul operands are at least matrices.
func.func @matmul_rank(%a: memref<3xf32>, %b: memref<3x4xf32>, %c: memref<1x4xf32>) {
  // expected-error @below {{operands must have rank 2 or more}}
  kernel.matmul %a, %b, %c : memref<3xf32>, memref<3x4xf32>, memref<1x4xf32>
  return
}

// -----

// transB makes B (N, K): here K would be 4 against A's 3.
func.func @matmul_contracting(%a: memref<2x3xf32>, %b: memref<3x4xf32>, %c: memref<2x3xf32>) {
  // expected-error @below {{contracting sizes differ: 3 and 4}}
  kernel.matmul %a, %b, %c {transB = true} : memref<2x3xf32>, memref<3x4xf32>, memref<2x3xf32>
  return
}

// -----

// transA makes A (K, M), so the output has M = 3 rows.
func.func @matmul_output(%a: memref<2x3xf32>, %b: memref<2x4xf32>, %c: memref<2x4xf32>) {
  // expected-error @below {{output is 2x4, expected 3x4}}
  kernel.matmul %a, %b, %c {transA = true} : memref<2x3xf32>, memref<2x4xf32>, memref<2x4xf32>
  return
}

// -----

// The output has as many batch dimensions as the larger operand.
func.func @matmul_batch_rank(%a: memref<5x2x3xf32>, %b: memref<3x4xf32>, %c: memref<2x4xf32>) {
  // expected-error @below {{output has 0 batch dimensions, expected 1}}
  kernel.matmul %a, %b, %c : memref<5x2x3xf32>, memref<3x4xf32>, memref<2x4xf32>
  return
}

// -----

// Batch sizes 5 and 6 do not broadcast.
func.func @matmul_batch_broadcast(%a: memref<5x2x3xf32>, %b: memref<6x3x4xf32>, %c: memref<6x2x4xf32>) {
  // expected-error @below {{batch dimension #0 does not broadcast: 5 and 6}}
  kernel.matmul %a, %b, %c : memref<5x2x3xf32>, memref<6x3x4xf32>, memref<6x2x4xf32>
  return
}

// -----

// The output batch is the broadcast of the operands' batches.
func.func @matmul_batch_output(%a: memref<1x2x3xf32>, %b: memref<3x4xf32>, %c: memref<5x2x4xf32>) {
  // expected-error @below {{output batch dimension #0 is 5, expected 1}}
  kernel.matmul %a, %b, %c : memref<1x2x3xf32>, memref<3x4xf32>, memref<5x2x4xf32>
  return
}

// -----

// A callee the kernel library does not have.
func.func @library_unknown(%x: memref<4xf32>, %y: memref<4xf32>) {
  // expected-error @below {{unknown library callee 'fft'}}
  kernel.library_call "fft" ins(%x : memref<4xf32>) outs(%y : memref<4xf32>)
  return
}

// -----

// conv takes x, w and an optional bias.
func.func @library_inputs(%x: memref<1x1x4x4xf32>, %y: memref<1x1x4x4xf32>) {
  // expected-error @below {{'conv' takes 2 to 3 inputs, got 1}}
  kernel.library_call "conv" ins(%x : memref<1x1x4x4xf32>) outs(%y : memref<1x1x4x4xf32>)
  return
}

// -----

// concat writes exactly one output.
func.func @library_outputs(%x: memref<4xf32>, %y: memref<4xf32>) {
  // expected-error @below {{'concat' takes 1 outputs, got 2}}
  kernel.library_call "concat" ins(%x : memref<4xf32>) outs(%y, %y : memref<4xf32>, memref<4xf32>) {axis = 0 : i64}
  return
}

// -----

// softmax needs its axis.
func.func @library_missing_attr(%x: memref<4xf32>, %y: memref<4xf32>) {
  // expected-error @below {{'softmax' requires attribute 'axis'}}
  kernel.library_call "softmax" ins(%x : memref<4xf32>) outs(%y : memref<4xf32>)
  return
}

// -----

// The axis is an i64, not an i32.
func.func @library_attr_kind(%x: memref<4xf32>, %y: memref<4xf32>) {
  // expected-error @below {{attribute 'axis' of 'softmax' must be i64 integer}}
  kernel.library_call "softmax" ins(%x : memref<4xf32>) outs(%y : memref<4xf32>) {axis = 0 : i32}
  return
}

// -----

// One dynamic pad, two sizes.
func.func @library_sizes(%x: memref<1x1x?xf32>, %y: memref<1x1x?xf32>, %s: index) {
  // expected-error @below {{'max_pool' has 1 dynamic attribute entries and 2 sizes}}
  kernel.library_call "max_pool" ins(%x : memref<1x1x?xf32>) outs(%y : memref<1x1x?xf32>) sizes(%s, %s)
      {kernel_shape = array<i64: 2>, strides = array<i64: 1>,
       pads = array<i64: -9223372036854775808, 0>, dilations = array<i64: 1>}
  return
}

// -----

// A 2-d max pool takes 4 pads (begins, then ends).
func.func @library_array_length(%x: memref<1x1x4x4xf32>, %y: memref<1x1x2x2xf32>) {
  // expected-error @below {{attribute 'pads' of 'max_pool' needs 4 entries for rank 4, got 2}}
  kernel.library_call "max_pool" ins(%x : memref<1x1x4x4xf32>) outs(%y : memref<1x1x2x2xf32>)
      {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>,
       pads = array<i64: 0, 0>, dilations = array<i64: 1, 1>}
  return
}

// -----

// Attributes outside the table are rejected.
func.func @library_unknown_attr(%x: memref<4xf32>, %y: memref<4xf32>) {
  // expected-error @below {{unknown attribute 'beta' for 'softmax'}}
  kernel.library_call "softmax" ins(%x : memref<4xf32>) outs(%y : memref<4xf32>) {axis = 0 : i64, beta = 1.0 : f32}
  return
}

// -----

// conv is f32 only.
func.func @library_dtype(%x: memref<1x1x4x4xi32>, %w: memref<1x1x1x1xi32>, %y: memref<1x1x4x4xi32>) {
  // expected-error @below {{'conv' does not support element type 'i32'}}
  kernel.library_call "conv" ins(%x, %w : memref<1x1x4x4xi32>, memref<1x1x1x1xi32>) outs(%y : memref<1x1x4x4xi32>)
      {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
       dilations = array<i64: 1, 1>, group = 1 : i64}
  return
}

// -----

// The reduce kinds are a closed set.
func.func @library_reduce_kind(%x: memref<4xf32>, %y: memref<1xf32>) {
  // expected-error @below {{unknown reduce kind 'median'}}
  kernel.library_call "reduce" ins(%x : memref<4xf32>) outs(%y : memref<1xf32>) {kind = "median", axes = array<i64: 0>}
  return
}

// -----

// Booleans reduce by max (any) or min (all) only.
func.func @library_reduce_bool(%x: memref<4xi1>, %y: memref<1xi1>) {
  // expected-error @below {{'reduce' of i1 is by max or min, not 'sum'}}
  kernel.library_call "reduce" ins(%x : memref<4xi1>) outs(%y : memref<1xi1>) {kind = "sum", axes = array<i64: 0>}
  return
}

// -----

// arg_max writes i64 indices.
func.func @library_arg_type(%x: memref<4xf32>, %y: memref<1xi32>) {
  // expected-error @below {{'arg_max' writes i64 indices}}
  kernel.library_call "arg_max" ins(%x : memref<4xf32>) outs(%y : memref<1xi32>) {axis = 0 : i64, select_last_index = false}
  return
}

// -----

// gather indices are integers.
func.func @library_gather_indices(%x: memref<4xf32>, %i: memref<2xf32>, %y: memref<2xf32>) {
  // expected-error @below {{gather indices must be i64 or i32}}
  kernel.library_call "gather" ins(%x, %i : memref<4xf32>, memref<2xf32>) outs(%y : memref<2xf32>) {axis = 0 : i64}
  return
}

// -----

// range takes scalars.
func.func @library_range(%s: memref<1xi64>, %y: memref<4xi64>) {
  // expected-error @below {{range takes rank-0 start, limit and delta}}
  kernel.library_call "range" ins(%s, %s, %s : memref<1xi64>, memref<1xi64>, memref<1xi64>) outs(%y : memref<4xi64>)
  return
}

// -----

// range writes a 1-d buffer.
func.func @library_range_output(%s: memref<i64>, %y: memref<2x2xi64>) {
  // expected-error @below {{range writes a 1-d buffer}}
  kernel.library_call "range" ins(%s, %s, %s : memref<i64>, memref<i64>, memref<i64>) outs(%y : memref<2x2xi64>)
  return
}

// -----

// An elementwise kernel writes at least one buffer (generic form: the
// custom syntax cannot spell an empty outs list).
func.func @elementwise_no_output() {
  // expected-error @below {{needs at least one output}}
  "kernel.elementwise"() <{operandSegmentSizes = array<i32: 0, 0>}> ({
    "kernel.yield"() : () -> ()
  }) : () -> ()
  return
}

// -----

// The body is isolated from above: it may not use a constant of the function.
func.func @elementwise_captures(%x: memref<4xf32>, %y: memref<4xf32>) {
  %zero = arith.constant 0.0 : f32
  // expected-note @below {{required by region isolation constraints}}
  kernel.elementwise ins(%x : memref<4xf32>) outs(%y : memref<4xf32>) {
  ^bb0(%a: f32):
    // expected-error @below {{using value defined outside the region}}
    %r = arith.maximumf %a, %zero : f32
    kernel.yield %r : f32
  }
  return
}

// -----

// gather_nd indices are i64.
func.func @library_gather_nd_indices(%x: memref<4x2xf32>, %i: memref<3x1xi32>, %y: memref<3x2xf32>) {
  // expected-error @below {{'gather_nd' indices must be i64}}
  kernel.library_call "gather_nd" ins(%x, %i : memref<4x2xf32>, memref<3x1xi32>) outs(%y : memref<3x2xf32>) {batch_dims = 0 : i64}
  return
}

// -----

// Scatter reductions compute on f32, f64, i64 or i32.
func.func @library_scatter_reduction_type(%x: memref<4xi8>, %i: memref<1xi64>, %u: memref<1xi8>, %y: memref<4xi8>) {
  // expected-error @below {{scatter reduction 'add' needs f32, f64, i64 or i32}}
  kernel.library_call "scatter_elements" ins(%x, %i, %u : memref<4xi8>, memref<1xi64>, memref<1xi8>) outs(%y : memref<4xi8>) {axis = 0 : i64, reduction = "add"}
  return
}

// -----

// Scatter reductions are a closed set.
func.func @library_scatter_reduction(%x: memref<4xf32>, %i: memref<1x1xi64>, %u: memref<1xf32>, %y: memref<4xf32>) {
  // expected-error @below {{unknown scatter reduction 'sum'}}
  kernel.library_call "scatter_nd" ins(%x, %i, %u : memref<4xf32>, memref<1x1xi64>, memref<1xf32>) outs(%y : memref<4xf32>) {reduction = "sum"}
  return
}

// -----

// trilu's k is a rank-0 i64.
func.func @library_trilu_k(%x: memref<3x3xf32>, %k: memref<2xi64>, %y: memref<3x3xf32>) {
  // expected-error @below {{trilu takes k as a rank-0 i64 buffer}}
  kernel.library_call "trilu" ins(%x, %k : memref<3x3xf32>, memref<2xi64>) outs(%y : memref<3x3xf32>) {upper = true}
  return
}

// -----

// pad has one begin and one end per dim.
func.func @library_pad_pads(%x: memref<3x4xf32>, %y: memref<4x4xf32>) {
  // expected-error @below {{pad needs 4 pads for rank 2}}
  kernel.library_call "pad" ins(%x : memref<3x4xf32>) outs(%y : memref<4x4xf32>) {mode = "constant", pads = array<i64: 1, 0>}
  return
}

// -----

// attention computes in f32 only.
func.func @attention_f16(%q: memref<2x16x8xf16>, %y: memref<2x16x8xf16>) {
  // expected-error @below {{operands must be f32, got 'memref<2x16x8xf16>'}}
  kernel.attention %q, %q, %q into %y {scale = 1.0 : f32} : memref<2x16x8xf16>, memref<2x16x8xf16>, memref<2x16x8xf16>, memref<2x16x8xf16>
  return
}

// -----

// A conv's pads are static.
func.func @conv_dynamic_pads(%x: memref<1x3x4x4xf32>, %w: memref<8x3x3x3xf32>, %y: memref<1x8x4x4xf32>) {
  // expected-error @below {{pads must be static}}
  kernel.conv %x, %w outs(%y) {strides = array<i64: 1, 1>, pads = array<i64: -9223372036854775808, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : memref<1x3x4x4xf32>, memref<8x3x3x3xf32>, memref<1x8x4x4xf32>
  return
}

// -----

// attention's operands share one rank.
func.func @attention_rank(%q: memref<2x16x8xf32>, %k: memref<16x8xf32>, %y: memref<2x16x8xf32>) {
  // expected-error @below {{q, k, v and out must have one rank >= 2}}
  kernel.attention %q, %k, %k into %y {scale = 1.0 : f32} : memref<2x16x8xf32>, memref<16x8xf32>, memref<16x8xf32>, memref<2x16x8xf32>
  return
}

// -----

// One stride and dilation per spatial dim, two pads.
func.func @conv_attr_lengths(%x: memref<1x3x4x4xf32>, %w: memref<8x3x3x3xf32>, %y: memref<1x8x4x4xf32>) {
  // expected-error @below {{strides and dilations need 2 entries and pads 4}}
  kernel.conv %x, %w outs(%y) {strides = array<i64: 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : memref<1x3x4x4xf32>, memref<8x3x3x3xf32>, memref<1x8x4x4xf32>
  return
}

// -----

// attention's batch dims are the same in q, k, v and out.
func.func @attention_batch(%q: memref<2x16x8xf32>, %k: memref<3x16x8xf32>, %y: memref<2x16x8xf32>) {
  // expected-error @below {{batch dim 0 of q, k, v and out differs}}
  kernel.attention %q, %k, %k into %y {scale = 1.0 : f32} : memref<2x16x8xf32>, memref<3x16x8xf32>, memref<3x16x8xf32>, memref<2x16x8xf32>
  return
}

// -----

// An epilogue input broadcasts to the output.
func.func @conv_epilogue_broadcast(%x: memref<1x3x4x4xf32>, %w: memref<8x3x3x3xf32>, %r: memref<3x1x1xf32>, %y: memref<1x8x4x4xf32>) {
  // expected-error @below {{epilogue input #0 of type 'memref<3x1x1xf32>' does not broadcast to the output shape}}
  kernel.conv %x, %w outs(%y) epilogue(%r : memref<3x1x1xf32>) {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : memref<1x3x4x4xf32>, memref<8x3x3x3xf32>, memref<1x8x4x4xf32> {
  ^bb0(%v: f32, %s: f32):
    %a = arith.addf %v, %s : f32
    kernel.yield %a : f32
  }
  return
}

// -----

// q and k share the head size.
func.func @attention_head_size(%q: memref<2x16x8xf32>, %k: memref<2x16x4xf32>, %y: memref<2x16x4xf32>) {
  // expected-error @below {{q and k have head sizes 8 and 4}}
  kernel.attention %q, %k, %k into %y {scale = 1.0 : f32} : memref<2x16x8xf32>, memref<2x16x4xf32>, memref<2x16x4xf32>, memref<2x16x4xf32>
  return
}

// -----

// The epilogue takes the conv's value and one scalar per input.
func.func @conv_epilogue_arguments(%x: memref<1x3x4x4xf32>, %w: memref<8x3x3x3xf32>, %y: memref<1x8x4x4xf32>) {
  // expected-error @below {{epilogue takes 2 arguments for the output and 0 inputs}}
  kernel.conv %x, %w outs(%y) {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : memref<1x3x4x4xf32>, memref<8x3x3x3xf32>, memref<1x8x4x4xf32> {
  ^bb0(%v: f32, %s: f32):
    %a = arith.addf %v, %s : f32
    kernel.yield %a : f32
  }
  return
}

// -----

// k and v share the number of keys.
func.func @attention_keys(%q: memref<2x16x8xf32>, %k: memref<2x20x8xf32>, %v: memref<2x16x8xf32>, %y: memref<2x16x8xf32>) {
  // expected-error @below {{k and v have sequence lengths 20 and 16}}
  kernel.attention %q, %k, %v into %y {scale = 1.0 : f32} : memref<2x16x8xf32>, memref<2x20x8xf32>, memref<2x16x8xf32>, memref<2x16x8xf32>
  return
}

// -----

// The epilogue yields the output's scalar.
func.func @conv_epilogue_yield(%x: memref<1x3x4x4xf32>, %w: memref<8x3x3x3xf32>, %y: memref<1x8x4x4xf32>) {
  // expected-error @below {{epilogue must yield one 'f32'}}
  kernel.conv %x, %w outs(%y) {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : memref<1x3x4x4xf32>, memref<8x3x3x3xf32>, memref<1x8x4x4xf32> {
  ^bb0(%v: f32):
    %i = arith.fptosi %v : f32 to i32
    kernel.yield %i : i32
  }
  return
}

// -----

// out is (..., S_q, D_v).
func.func @attention_out(%q: memref<2x16x8xf32>, %v: memref<2x16x4xf32>, %y: memref<2x16x8xf32>) {
  // expected-error @below {{out must be (..., S_q, D_v) = (..., 16, 4)}}
  kernel.attention %q, %q, %v into %y {scale = 1.0 : f32} : memref<2x16x8xf32>, memref<2x16x8xf32>, memref<2x16x4xf32>, memref<2x16x8xf32>
  return
}

// -----

// Epilogue inputs without an epilogue.
func.func @matmul_epilogue_inputs(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %bias: memref<16xf32>, %y: memref<4x16xf32>) {
  // expected-error @below {{has epilogue inputs but no epilogue}}
  kernel.matmul %a, %b, %y epilogue(%bias : memref<16xf32>) : memref<4x8xf32>, memref<8x16xf32>, memref<4x16xf32>
  return
}

// -----

// The mask is f32 of at most q's rank.
func.func @attention_mask_type(%q: memref<2x16x8xf32>, %m: memref<16x16xi1>, %y: memref<2x16x8xf32>) {
  // expected-error @below {{mask must be f32 of rank at most 3}}
  kernel.attention %q, %q, %q mask(%m : memref<16x16xi1>) into %y {scale = 1.0 : f32} : memref<2x16x8xf32>, memref<2x16x8xf32>, memref<2x16x8xf32>, memref<2x16x8xf32>
  return
}

// -----

// Each mask dim is 1 or the scores' dim.
func.func @attention_mask_shape(%q: memref<2x16x8xf32>, %m: memref<16x8xf32>, %y: memref<2x16x8xf32>) {
  // expected-error @below {{mask dim 1 of size 8 does not broadcast to 16}}
  kernel.attention %q, %q, %q mask(%m : memref<16x8xf32>) into %y {scale = 1.0 : f32} : memref<2x16x8xf32>, memref<2x16x8xf32>, memref<2x16x8xf32>, memref<2x16x8xf32>
  return
}

// -----

// A GEMM's epilogue needs f32.
func.func @matmul_epilogue_f64(%a: memref<4x8xf64>, %b: memref<8x16xf64>, %y: memref<4x16xf64>) {
  // expected-error @below {{an epilogue needs f32 operands}}
  kernel.matmul %a, %b, %y : memref<4x8xf64>, memref<8x16xf64>, memref<4x16xf64> {
  ^bb0(%v: f64):
    kernel.yield %v : f64
  }
  return
}
