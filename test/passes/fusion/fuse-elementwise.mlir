// RUN: kiln-opt %s -split-input-file -kiln-fuse-elementwise | FileCheck %s

// Bias add + ReLU: the (8) bias broadcasts inside the fused kernel as it did
// in the add; the intermediate buffer is gone.
// CHECK-LABEL: func.func @bias_relu
// CHECK-SAME: (%[[X:.*]]: memref<4x8xf32>, %[[B:.*]]: memref<8xf32>, %[[OUT:.*]]: memref<4x8xf32>)
// CHECK-NOT: kernel.alloc
// CHECK: kernel.elementwise ins(%[[X]], %[[B]] : memref<4x8xf32>, memref<8xf32>) outs(%[[OUT]] : memref<4x8xf32>)
// CHECK-NEXT: ^bb0(%[[A0:.*]]: f32, %[[A1:.*]]: f32):
// CHECK: %[[S:.*]] = arith.addf %[[A0]], %[[A1]]
// CHECK: arith.maximumf %[[S]]
// CHECK-NOT: kernel.elementwise
func.func @bias_relu(%x: memref<4x8xf32>, %b: memref<8xf32>, %out: memref<4x8xf32>) {
  %t = kernel.alloc : memref<4x8xf32>
  kernel.elementwise ins(%x, %b : memref<4x8xf32>, memref<8xf32>) outs(%t : memref<4x8xf32>) {
  ^bb0(%p: f32, %q: f32):
    %s = arith.addf %p, %q : f32
    kernel.yield %s : f32
  }
  kernel.elementwise ins(%t : memref<4x8xf32>) outs(%out : memref<4x8xf32>) {
  ^bb0(%p: f32):
    %c0 = arith.constant 0.0 : f32
    %r = arith.maximumf %p, %c0 : f32
    kernel.yield %r : f32
  }
  return
}

// -----

// x * sigmoid(x) reads x once: the repeated input is one operand.
// CHECK-LABEL: func.func @swish
// CHECK-SAME: (%[[X:.*]]: memref<16xf32>, %[[OUT:.*]]: memref<16xf32>)
// CHECK-NOT: kernel.alloc
// CHECK: kernel.elementwise ins(%[[X]] : memref<16xf32>) outs(%[[OUT]] : memref<16xf32>)
// CHECK-NEXT: ^bb0(%[[A:.*]]: f32):
// CHECK: %[[N:.*]] = arith.negf %[[A]]
// CHECK: %[[SIG:.*]] = arith.divf
// CHECK: arith.mulf %[[A]], %[[SIG]]
func.func @swish(%x: memref<16xf32>, %out: memref<16xf32>) {
  %s = kernel.alloc : memref<16xf32>
  kernel.elementwise ins(%x : memref<16xf32>) outs(%s : memref<16xf32>) {
  ^bb0(%p: f32):
    %one = arith.constant 1.0 : f32
    %n = arith.negf %p : f32
    %e = math.exp %n : f32
    %d = arith.addf %e, %one : f32
    %r = arith.divf %one, %d : f32
    kernel.yield %r : f32
  }
  kernel.elementwise ins(%x, %s : memref<16xf32>, memref<16xf32>) outs(%out : memref<16xf32>) {
  ^bb0(%p: f32, %q: f32):
    %r = arith.mulf %p, %q : f32
    kernel.yield %r : f32
  }
  return
}

// -----

// GELU, tanh form, as the importer leaves it: nine kernels over x become one
// that reads x once and writes only the output.
// CHECK-LABEL: func.func @gelu_tanh
// CHECK-SAME: (%[[X:.*]]: memref<2x64xf32>, %[[OUT:.*]]: memref<2x64xf32>)
// CHECK-NOT: kernel.alloc
// CHECK: kernel.elementwise ins(%[[X]] : memref<2x64xf32>) outs(%[[OUT]] : memref<2x64xf32>)
// CHECK: math.tanh
// CHECK: kernel.yield
// CHECK-NOT: kernel.elementwise
func.func @gelu_tanh(%x: memref<2x64xf32>, %out: memref<2x64xf32>) {
  %a = kernel.alloc : memref<2x64xf32>
  kernel.elementwise ins(%x, %x : memref<2x64xf32>, memref<2x64xf32>) outs(%a : memref<2x64xf32>) {
  ^bb0(%p: f32, %q: f32):
    %r = arith.mulf %p, %q : f32
    kernel.yield %r : f32
  }
  %b = kernel.alloc : memref<2x64xf32>
  kernel.elementwise ins(%a, %x : memref<2x64xf32>, memref<2x64xf32>) outs(%b : memref<2x64xf32>) {
  ^bb0(%p: f32, %q: f32):
    %r = arith.mulf %p, %q : f32
    kernel.yield %r : f32
  }
  %c = kernel.alloc : memref<2x64xf32>
  kernel.elementwise ins(%b : memref<2x64xf32>) outs(%c : memref<2x64xf32>) {
  ^bb0(%p: f32):
    %k = arith.constant 0.044715 : f32
    %r = arith.mulf %p, %k : f32
    kernel.yield %r : f32
  }
  %d = kernel.alloc : memref<2x64xf32>
  kernel.elementwise ins(%x, %c : memref<2x64xf32>, memref<2x64xf32>) outs(%d : memref<2x64xf32>) {
  ^bb0(%p: f32, %q: f32):
    %r = arith.addf %p, %q : f32
    kernel.yield %r : f32
  }
  %e = kernel.alloc : memref<2x64xf32>
  kernel.elementwise ins(%d : memref<2x64xf32>) outs(%e : memref<2x64xf32>) {
  ^bb0(%p: f32):
    %k = arith.constant 0.797884583 : f32
    %r = arith.mulf %p, %k : f32
    kernel.yield %r : f32
  }
  %f = kernel.alloc : memref<2x64xf32>
  kernel.elementwise ins(%e : memref<2x64xf32>) outs(%f : memref<2x64xf32>) {
  ^bb0(%p: f32):
    %r = math.tanh %p : f32
    kernel.yield %r : f32
  }
  %g = kernel.alloc : memref<2x64xf32>
  kernel.elementwise ins(%f : memref<2x64xf32>) outs(%g : memref<2x64xf32>) {
  ^bb0(%p: f32):
    %one = arith.constant 1.0 : f32
    %r = arith.addf %p, %one : f32
    kernel.yield %r : f32
  }
  %h = kernel.alloc : memref<2x64xf32>
  kernel.elementwise ins(%x, %g : memref<2x64xf32>, memref<2x64xf32>) outs(%h : memref<2x64xf32>) {
  ^bb0(%p: f32, %q: f32):
    %r = arith.mulf %p, %q : f32
    kernel.yield %r : f32
  }
  kernel.elementwise ins(%h : memref<2x64xf32>) outs(%out : memref<2x64xf32>) {
  ^bb0(%p: f32):
    %half = arith.constant 0.5 : f32
    %r = arith.mulf %p, %half : f32
    kernel.yield %r : f32
  }
  return
}

// -----

// GELU, erf form: 0.5 * x * (1 + erf(x / sqrt(2))), with its constants as
// one-element buffers (weights) that the fused kernel reads once each.
// CHECK-LABEL: func.func @gelu_erf
// CHECK-SAME: (%[[X:.*]]: memref<3x5xf32>, %[[R:.*]]: memref<1xf32>, %[[ONE:.*]]: memref<1xf32>, %[[OUT:.*]]: memref<3x5xf32>)
// CHECK-NOT: kernel.alloc
// CHECK: kernel.elementwise ins(%[[X]], %[[R]], %[[ONE]] : memref<3x5xf32>, memref<1xf32>, memref<1xf32>) outs(%[[OUT]] : memref<3x5xf32>)
// CHECK: math.erf
// CHECK-NOT: kernel.elementwise
func.func @gelu_erf(%x: memref<3x5xf32>, %rsqrt2: memref<1xf32>, %one: memref<1xf32>, %out: memref<3x5xf32>) {
  %a = kernel.alloc : memref<3x5xf32>
  kernel.elementwise ins(%x, %rsqrt2 : memref<3x5xf32>, memref<1xf32>) outs(%a : memref<3x5xf32>) {
  ^bb0(%p: f32, %q: f32):
    %r = arith.mulf %p, %q : f32
    kernel.yield %r : f32
  }
  %b = kernel.alloc : memref<3x5xf32>
  kernel.elementwise ins(%a : memref<3x5xf32>) outs(%b : memref<3x5xf32>) {
  ^bb0(%p: f32):
    %r = math.erf %p : f32
    kernel.yield %r : f32
  }
  %c = kernel.alloc : memref<3x5xf32>
  kernel.elementwise ins(%b, %one : memref<3x5xf32>, memref<1xf32>) outs(%c : memref<3x5xf32>) {
  ^bb0(%p: f32, %q: f32):
    %r = arith.addf %p, %q : f32
    kernel.yield %r : f32
  }
  %d = kernel.alloc : memref<3x5xf32>
  kernel.elementwise ins(%x, %c : memref<3x5xf32>, memref<3x5xf32>) outs(%d : memref<3x5xf32>) {
  ^bb0(%p: f32, %q: f32):
    %r = arith.mulf %p, %q : f32
    kernel.yield %r : f32
  }
  kernel.elementwise ins(%d : memref<3x5xf32>) outs(%out : memref<3x5xf32>) {
  ^bb0(%p: f32):
    %half = arith.constant 0.5 : f32
    %r = arith.mulf %p, %half : f32
    kernel.yield %r : f32
  }
  return
}

// -----

// Inference batch norm + ReLU: the per-channel (4x1x1) operands broadcast to
// the (1x4x8x8) iteration shape of both kernels.
// CHECK-LABEL: func.func @batchnorm_relu
// CHECK-SAME: (%[[X:.*]]: memref<1x4x8x8xf32>, %[[S:.*]]: memref<4x1x1xf32>, %[[B:.*]]: memref<4x1x1xf32>, %[[M:.*]]: memref<4x1x1xf32>, %[[V:.*]]: memref<4x1x1xf32>, %[[OUT:.*]]: memref<1x4x8x8xf32>)
// CHECK-NOT: kernel.alloc
// CHECK: kernel.elementwise ins(%[[X]], %[[S]], %[[B]], %[[M]], %[[V]] : {{.*}}) outs(%[[OUT]] : memref<1x4x8x8xf32>)
// CHECK: math.sqrt
// CHECK: arith.maximumf
// CHECK-NOT: kernel.elementwise
func.func @batchnorm_relu(%x: memref<1x4x8x8xf32>, %s: memref<4x1x1xf32>, %b: memref<4x1x1xf32>, %m: memref<4x1x1xf32>, %v: memref<4x1x1xf32>, %out: memref<1x4x8x8xf32>) {
  %t = kernel.alloc : memref<1x4x8x8xf32>
  kernel.elementwise ins(%x, %s, %b, %m, %v : memref<1x4x8x8xf32>, memref<4x1x1xf32>, memref<4x1x1xf32>, memref<4x1x1xf32>, memref<4x1x1xf32>) outs(%t : memref<1x4x8x8xf32>) {
  ^bb0(%x0: f32, %s0: f32, %b0: f32, %m0: f32, %v0: f32):
    %eps = arith.constant 9.99999974E-6 : f32
    %0 = arith.addf %v0, %eps : f32
    %1 = math.sqrt %0 : f32
    %2 = arith.subf %x0, %m0 : f32
    %3 = arith.divf %2, %1 : f32
    %4 = arith.mulf %3, %s0 : f32
    %5 = arith.addf %4, %b0 : f32
    kernel.yield %5 : f32
  }
  kernel.elementwise ins(%t : memref<1x4x8x8xf32>) outs(%out : memref<1x4x8x8xf32>) {
  ^bb0(%p: f32):
    %c0 = arith.constant 0.0 : f32
    %r = arith.maximumf %p, %c0 : f32
    kernel.yield %r : f32
  }
  return
}

// -----

// A residual chain relu(x + f + g) is one kernel over x, f and g.
// CHECK-LABEL: func.func @residual_chain
// CHECK-SAME: (%[[X:.*]]: memref<2x8xf32>, %[[F:.*]]: memref<2x8xf32>, %[[G:.*]]: memref<2x8xf32>, %[[OUT:.*]]: memref<2x8xf32>)
// CHECK-NOT: kernel.alloc
// CHECK: kernel.elementwise ins(%[[X]], %[[F]], %[[G]] : memref<2x8xf32>, memref<2x8xf32>, memref<2x8xf32>) outs(%[[OUT]] : memref<2x8xf32>)
// CHECK-NOT: kernel.elementwise
func.func @residual_chain(%x: memref<2x8xf32>, %f: memref<2x8xf32>, %g: memref<2x8xf32>, %out: memref<2x8xf32>) {
  %a = kernel.alloc : memref<2x8xf32>
  kernel.elementwise ins(%x, %f : memref<2x8xf32>, memref<2x8xf32>) outs(%a : memref<2x8xf32>) {
  ^bb0(%p: f32, %q: f32):
    %r = arith.addf %p, %q : f32
    kernel.yield %r : f32
  }
  %b = kernel.alloc : memref<2x8xf32>
  kernel.elementwise ins(%a, %g : memref<2x8xf32>, memref<2x8xf32>) outs(%b : memref<2x8xf32>) {
  ^bb0(%p: f32, %q: f32):
    %r = arith.addf %p, %q : f32
    kernel.yield %r : f32
  }
  kernel.elementwise ins(%b : memref<2x8xf32>) outs(%out : memref<2x8xf32>) {
  ^bb0(%p: f32):
    %c0 = arith.constant 0.0 : f32
    %r = arith.maximumf %p, %c0 : f32
    kernel.yield %r : f32
  }
  return
}

// -----

// Dynamic dims: the intermediate and the output are sized by the same %n.
// CHECK-LABEL: func.func @dynamic_same_dims
// CHECK: %[[N:.*]] = kernel.dim
// CHECK: %[[O:.*]] = kernel.alloc(%[[N]]) : memref<?x8xf32>
// CHECK-NOT: kernel.alloc
// CHECK: kernel.elementwise ins(%{{.*}}, %{{.*}} : memref<?x8xf32>, memref<8xf32>) outs(%[[O]] : memref<?x8xf32>)
// CHECK-NOT: kernel.elementwise
func.func @dynamic_same_dims(%x: memref<?x8xf32>, %b: memref<8xf32>, %out: memref<?x8xf32>) {
  %n = kernel.dim %x[0] : memref<?x8xf32>
  %o = kernel.alloc(%n) : memref<?x8xf32>
  %t = kernel.alloc(%n) : memref<?x8xf32>
  kernel.elementwise ins(%x, %b : memref<?x8xf32>, memref<8xf32>) outs(%t : memref<?x8xf32>) {
  ^bb0(%p: f32, %q: f32):
    %s = arith.addf %p, %q : f32
    kernel.yield %s : f32
  }
  kernel.elementwise ins(%t : memref<?x8xf32>) outs(%o : memref<?x8xf32>) {
  ^bb0(%p: f32):
    %r = math.tanh %p : f32
    kernel.yield %r : f32
  }
  kernel.copy %o, %out : memref<?x8xf32>, memref<?x8xf32>
  return
}

// -----

// Dynamic dims sized by different values may differ at run time: not fused.
// CHECK-LABEL: func.func @negative_dynamic_other_dims
// CHECK-COUNT-2: kernel.elementwise
func.func @negative_dynamic_other_dims(%x: memref<?x8xf32>, %y: memref<?x8xf32>, %out: memref<?x8xf32>) {
  %n = kernel.dim %x[0] : memref<?x8xf32>
  %m = kernel.dim %y[0] : memref<?x8xf32>
  %t = kernel.alloc(%n) : memref<?x8xf32>
  kernel.elementwise ins(%x : memref<?x8xf32>) outs(%t : memref<?x8xf32>) {
  ^bb0(%p: f32):
    %r = math.exp %p : f32
    kernel.yield %r : f32
  }
  %o = kernel.alloc(%m) : memref<?x8xf32>
  kernel.elementwise ins(%t, %y : memref<?x8xf32>, memref<?x8xf32>) outs(%o : memref<?x8xf32>) {
  ^bb0(%p: f32, %q: f32):
    %r = arith.addf %p, %q : f32
    kernel.yield %r : f32
  }
  kernel.copy %o, %out : memref<?x8xf32>, memref<?x8xf32>
  return
}

// -----

// The producer's (8) result is broadcast across the consumer's 4 rows: its
// own inputs would be read at the wrong offsets, so it stays.
// CHECK-LABEL: func.func @negative_broadcast_intermediate
// CHECK: %[[T:.*]] = kernel.alloc : memref<8xf32>
// CHECK: kernel.elementwise ins(%{{.*}} : memref<8xf32>) outs(%[[T]] : memref<8xf32>)
// CHECK: kernel.elementwise ins(%{{.*}}, %[[T]] : memref<4x8xf32>, memref<8xf32>)
func.func @negative_broadcast_intermediate(%x: memref<4x8xf32>, %b: memref<8xf32>, %out: memref<4x8xf32>) {
  %t = kernel.alloc : memref<8xf32>
  kernel.elementwise ins(%b : memref<8xf32>) outs(%t : memref<8xf32>) {
  ^bb0(%p: f32):
    %r = math.exp %p : f32
    kernel.yield %r : f32
  }
  kernel.elementwise ins(%x, %t : memref<4x8xf32>, memref<8xf32>) outs(%out : memref<4x8xf32>) {
  ^bb0(%p: f32, %q: f32):
    %r = arith.mulf %p, %q : f32
    kernel.yield %r : f32
  }
  return
}

// -----

// The intermediate is read by two kernels: fusing would compute it twice and
// the buffer would have to stay anyway.
// CHECK-LABEL: func.func @negative_two_readers
// CHECK: kernel.alloc
// CHECK-COUNT-3: kernel.elementwise
func.func @negative_two_readers(%x: memref<8xf32>, %o1: memref<8xf32>, %o2: memref<8xf32>) {
  %t = kernel.alloc : memref<8xf32>
  kernel.elementwise ins(%x : memref<8xf32>) outs(%t : memref<8xf32>) {
  ^bb0(%p: f32):
    %r = math.exp %p : f32
    kernel.yield %r : f32
  }
  kernel.elementwise ins(%t : memref<8xf32>) outs(%o1 : memref<8xf32>) {
  ^bb0(%p: f32):
    %r = math.tanh %p : f32
    kernel.yield %r : f32
  }
  kernel.elementwise ins(%t : memref<8xf32>) outs(%o2 : memref<8xf32>) {
  ^bb0(%p: f32):
    %r = math.sqrt %p : f32
    kernel.yield %r : f32
  }
  return
}

// -----

// The intermediate is also a model output (copied out): it must be written.
// CHECK-LABEL: func.func @negative_model_output
// CHECK: kernel.alloc
// CHECK-COUNT-2: kernel.elementwise
func.func @negative_model_output(%x: memref<8xf32>, %o1: memref<8xf32>, %o2: memref<8xf32>) {
  %t = kernel.alloc : memref<8xf32>
  kernel.elementwise ins(%x : memref<8xf32>) outs(%t : memref<8xf32>) {
  ^bb0(%p: f32):
    %r = math.exp %p : f32
    kernel.yield %r : f32
  }
  kernel.elementwise ins(%t : memref<8xf32>) outs(%o1 : memref<8xf32>) {
  ^bb0(%p: f32):
    %r = math.tanh %p : f32
    kernel.yield %r : f32
  }
  kernel.copy %t, %o2 : memref<8xf32>, memref<8xf32>
  return
}

// -----

// The producer writes a model output directly, which the consumer reads:
// there is no intermediate buffer to remove.
// CHECK-LABEL: func.func @negative_written_output
// CHECK-COUNT-2: kernel.elementwise
func.func @negative_written_output(%x: memref<8xf32>, %o1: memref<8xf32>, %o2: memref<8xf32>) {
  kernel.elementwise ins(%x : memref<8xf32>) outs(%o1 : memref<8xf32>) {
  ^bb0(%p: f32):
    %r = math.exp %p : f32
    kernel.yield %r : f32
  }
  kernel.elementwise ins(%o1 : memref<8xf32>) outs(%o2 : memref<8xf32>) {
  ^bb0(%p: f32):
    %r = math.tanh %p : f32
    kernel.yield %r : f32
  }
  return
}

// -----

// A copy between the kernels overwrites %a, which the producer reads: the
// producer's reads cannot move past it.
// CHECK-LABEL: func.func @negative_write_between
// CHECK: kernel.elementwise ins(%{{.*}} : memref<8xf32>)
// CHECK: kernel.copy
// CHECK: kernel.elementwise ins(%{{.*}}, %{{.*}} : memref<8xf32>, memref<8xf32>)
func.func @negative_write_between(%x: memref<8xf32>, %y: memref<8xf32>, %out: memref<8xf32>) {
  %a = kernel.alloc : memref<8xf32>
  kernel.copy %x, %a : memref<8xf32>, memref<8xf32>
  %t = kernel.alloc : memref<8xf32>
  kernel.elementwise ins(%a : memref<8xf32>) outs(%t : memref<8xf32>) {
  ^bb0(%p: f32):
    %r = math.exp %p : f32
    kernel.yield %r : f32
  }
  kernel.copy %y, %a : memref<8xf32>, memref<8xf32>
  kernel.elementwise ins(%t, %a : memref<8xf32>, memref<8xf32>) outs(%out : memref<8xf32>) {
  ^bb0(%p: f32, %q: f32):
    %r = arith.addf %p, %q : f32
    kernel.yield %r : f32
  }
  return
}

// -----

// The consumer writes in place into a buffer the producer reads through a
// view: another element's producer read would see the new value.
// CHECK-LABEL: func.func @negative_consumer_overwrites_input
// CHECK-COUNT-2: kernel.elementwise
func.func @negative_consumer_overwrites_input(%x: memref<8xf32>, %out: memref<8xf32>) {
  %a = kernel.alloc : memref<2x4xf32>
  %av = kernel.view %a : memref<2x4xf32> to memref<8xf32>
  kernel.copy %x, %av : memref<8xf32>, memref<8xf32>
  %t = kernel.alloc : memref<2x4xf32>
  kernel.elementwise ins(%a : memref<2x4xf32>) outs(%t : memref<2x4xf32>) {
  ^bb0(%p: f32):
    %r = math.exp %p : f32
    kernel.yield %r : f32
  }
  kernel.elementwise ins(%t : memref<2x4xf32>) outs(%a : memref<2x4xf32>) {
  ^bb0(%p: f32):
    %r = math.tanh %p : f32
    kernel.yield %r : f32
  }
  kernel.copy %av, %out : memref<8xf32>, memref<8xf32>
  return
}
