// RUN: kiln-opt %s -split-input-file -kiln-plan-buffers | FileCheck %s

// A chain a -> b -> c: a is dead once b is written, so c reuses a's bytes;
// b overlaps both and sits after them. 4x16xf32 is 256 bytes.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: kernel.arena_bytes = 512 : i64
// CHECK: kernel.alloc {offset = 0 : i64} : memref<4x16xf32>
// CHECK: kernel.alloc {offset = 256 : i64} : memref<4x16xf32>
// CHECK: kernel.alloc {offset = 0 : i64} : memref<4x16xf32>
func.func @chain(%x: memref<4x16xf32>, %y: memref<4x16xf32>) {
  %a = kernel.alloc : memref<4x16xf32>
  kernel.library_call "softmax" ins(%x : memref<4x16xf32>) outs(%a : memref<4x16xf32>) {axis = 1 : i64}
  %b = kernel.alloc : memref<4x16xf32>
  kernel.library_call "softmax" ins(%a : memref<4x16xf32>) outs(%b : memref<4x16xf32>) {axis = 1 : i64}
  %c = kernel.alloc : memref<4x16xf32>
  kernel.library_call "softmax" ins(%b : memref<4x16xf32>) outs(%c : memref<4x16xf32>) {axis = 1 : i64}
  kernel.copy %c, %y : memref<4x16xf32>, memref<4x16xf32>
  return
}

// -----

// a is still read (through a view) by the last op, so no buffer may share
// its bytes; all three are live together.
// CHECK-LABEL: func.func @view_extends_life
// CHECK-SAME: kernel.arena_bytes = 768 : i64
// CHECK: kernel.alloc {offset = 0 : i64}
// CHECK: kernel.alloc {offset = 256 : i64}
// CHECK: kernel.alloc {offset = 512 : i64}
func.func @view_extends_life(%x: memref<4x16xf32>, %y: memref<64xf32>) {
  %a = kernel.alloc : memref<4x16xf32>
  kernel.library_call "softmax" ins(%x : memref<4x16xf32>) outs(%a : memref<4x16xf32>) {axis = 1 : i64}
  %av = kernel.view %a : memref<4x16xf32> to memref<64xf32>
  %b = kernel.alloc : memref<4x16xf32>
  kernel.library_call "softmax" ins(%a : memref<4x16xf32>) outs(%b : memref<4x16xf32>) {axis = 1 : i64}
  %c = kernel.alloc : memref<64xf32>
  kernel.library_call "softmax" ins(%av : memref<64xf32>) outs(%c : memref<64xf32>) {axis = 0 : i64}
  kernel.elementwise ins(%av, %c : memref<64xf32>, memref<64xf32>) outs(%y : memref<64xf32>) {
  ^bb0(%p: f32, %q: f32):
    %s = arith.addf %p, %q : f32
    kernel.yield %s : f32
  }
  kernel.copy %b, %y : memref<4x16xf32>, memref<64xf32>
  return
}

// -----

// Best fit: after a (256 B) and b (64 B) die, d (64 B) takes b's range, the
// smallest free range that holds it, not a's. Sizes round up to 64 bytes:
// 3xf32 takes 64.
// CHECK-LABEL: func.func @best_fit
// CHECK-SAME: kernel.arena_bytes = 384 : i64
// CHECK: %[[A:.*]] = kernel.alloc {offset = 0 : i64} : memref<64xf32>
// CHECK: %[[K:.*]] = kernel.alloc {offset = 256 : i64} : memref<3xf32>
// CHECK: %[[B:.*]] = kernel.alloc {offset = 320 : i64} : memref<3xf32>
// CHECK: %[[D:.*]] = kernel.alloc {offset = 320 : i64} : memref<3xf32>
func.func @best_fit(%x: memref<64xf32>, %s: memref<3xf32>, %y: memref<3xf32>,
                    %z: memref<67xf32>) {
  %a = kernel.alloc : memref<64xf32>
  kernel.library_call "softmax" ins(%x : memref<64xf32>) outs(%a : memref<64xf32>) {axis = 0 : i64}
  %k = kernel.alloc : memref<3xf32>
  kernel.library_call "softmax" ins(%s : memref<3xf32>) outs(%k : memref<3xf32>) {axis = 0 : i64}
  %b = kernel.alloc : memref<3xf32>
  kernel.library_call "softmax" ins(%s : memref<3xf32>) outs(%b : memref<3xf32>) {axis = 0 : i64}
  kernel.library_call "concat" ins(%a, %b : memref<64xf32>, memref<3xf32>) outs(%z : memref<67xf32>) {axis = 0 : i64}
  %d = kernel.alloc : memref<3xf32>
  kernel.library_call "softmax" ins(%k : memref<3xf32>) outs(%d : memref<3xf32>) {axis = 0 : i64}
  kernel.copy %d, %y : memref<3xf32>, memref<3xf32>
  return
}

// -----

// With a dynamic alloc, every alloc is placed at run time: slots in order
// of first use, live ranges in op positions, the count on the function.
// CHECK-LABEL: func.func @dynamic
// CHECK-SAME:      kernel.arena_slots = 2 : i64
// CHECK:         kernel.alloc(%{{.*}}) {live = array<i64: 2, 2>, slot = 0 : i64} : memref<?x16xf32>
// CHECK:         kernel.alloc {live = array<i64: 4, 5>, slot = 1 : i64} : memref<4x16xf32>
// CHECK-NOT:     offset
func.func @dynamic(%x: memref<?x16xf32>, %y: memref<4x16xf32>) {
  %n = kernel.dim %x[0] : memref<?x16xf32>
  %a = kernel.alloc(%n) : memref<?x16xf32>
  kernel.copy %x, %a : memref<?x16xf32>, memref<?x16xf32>
  %b = kernel.alloc : memref<4x16xf32>
  kernel.copy %y, %b : memref<4x16xf32>, memref<4x16xf32>
  kernel.copy %b, %y : memref<4x16xf32>, memref<4x16xf32>
  return
}

// -----

// A loop body: a and b are written and read only inside the loop, yet they
// live through every iteration (c, which b is copied into, is read before a
// is written in the next one), so a, b and c never share bytes. d, first
// used after the loop, takes a's bytes once the loop is done.
// CHECK-LABEL: func.func @loop_body
// CHECK-SAME: kernel.arena_bytes = 768 : i64
// CHECK: kernel.alloc {offset = 256 : i64} : memref<4x16xf32>
// CHECK: kernel.alloc {offset = 512 : i64} : memref<4x16xf32>
// CHECK: kernel.alloc {offset = 0 : i64} : memref<4x16xf32>
// CHECK: scf.for
// CHECK: kernel.alloc {offset = 256 : i64} : memref<4x16xf32>
func.func @loop_body(%x: memref<4x16xf32>, %y: memref<4x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %a = kernel.alloc : memref<4x16xf32>
  %b = kernel.alloc : memref<4x16xf32>
  %c = kernel.alloc : memref<4x16xf32>
  kernel.copy %x, %c : memref<4x16xf32>, memref<4x16xf32>
  scf.for %i = %c0 to %c3 step %c1 {
    kernel.library_call "softmax" ins(%c : memref<4x16xf32>) outs(%a : memref<4x16xf32>) {axis = 1 : i64}
    kernel.library_call "softmax" ins(%a : memref<4x16xf32>) outs(%b : memref<4x16xf32>) {axis = 1 : i64}
    kernel.copy %b, %c : memref<4x16xf32>, memref<4x16xf32>
  }
  %d = kernel.alloc : memref<4x16xf32>
  kernel.library_call "softmax" ins(%c : memref<4x16xf32>) outs(%d : memref<4x16xf32>) {axis = 1 : i64}
  kernel.copy %d, %y : memref<4x16xf32>, memref<4x16xf32>
  return
}

// -----

// In place: b = relu(a) and a is read by nothing after, so b takes a's
// bytes (one buffer for both); c then needs a second.
// CHECK-LABEL: func.func @in_place
// CHECK-SAME: kernel.arena_bytes = 512 : i64
// CHECK-SAME: kernel.intermediate_bytes = 768 : i64
// CHECK: kernel.alloc {offset = 0 : i64} : memref<4x16xf32>
// CHECK: kernel.alloc {offset = 0 : i64} : memref<4x16xf32>
// CHECK: kernel.alloc {offset = 256 : i64} : memref<4x16xf32>
func.func @in_place(%x: memref<4x16xf32>, %y: memref<4x16xf32>) {
  %a = kernel.alloc : memref<4x16xf32>
  kernel.library_call "softmax" ins(%x : memref<4x16xf32>) outs(%a : memref<4x16xf32>) {axis = 1 : i64}
  %b = kernel.alloc : memref<4x16xf32>
  kernel.elementwise ins(%a : memref<4x16xf32>) outs(%b : memref<4x16xf32>) {
  ^bb0(%p: f32):
    %s = arith.addf %p, %p : f32
    kernel.yield %s : f32
  }
  %c = kernel.alloc : memref<4x16xf32>
  kernel.library_call "softmax" ins(%b : memref<4x16xf32>) outs(%c : memref<4x16xf32>) {axis = 1 : i64}
  kernel.copy %c, %y : memref<4x16xf32>, memref<4x16xf32>
  return
}

// -----

// Not in place: a is read again after the kernel.
// CHECK-LABEL: func.func @negative_read_after
// CHECK: kernel.alloc {offset = [[OA:[0-9]+]] : i64}
// CHECK-NOT: kernel.alloc {offset = [[OA]] :
// CHECK: return
func.func @negative_read_after(%x: memref<4x16xf32>, %y: memref<4x16xf32>) {
  %a = kernel.alloc : memref<4x16xf32>
  kernel.library_call "softmax" ins(%x : memref<4x16xf32>) outs(%a : memref<4x16xf32>) {axis = 1 : i64}
  %b = kernel.alloc : memref<4x16xf32>
  kernel.elementwise ins(%a : memref<4x16xf32>) outs(%b : memref<4x16xf32>) {
  ^bb0(%p: f32):
    kernel.yield %p : f32
  }
  kernel.elementwise ins(%a, %b : memref<4x16xf32>, memref<4x16xf32>) outs(%y : memref<4x16xf32>) {
  ^bb0(%p: f32, %q: f32):
    %s = arith.addf %p, %q : f32
    kernel.yield %s : f32
  }
  return
}

// -----

// Not in place: a (4x1) is broadcast, so not read at the index written.
// CHECK-LABEL: func.func @negative_broadcast
// CHECK: kernel.alloc {offset = [[OA:[0-9]+]] : i64} : memref<4x1xf32>
// CHECK-NOT: kernel.alloc {offset = [[OA]] :
// CHECK: return
func.func @negative_broadcast(%x: memref<4x1xf32>, %y: memref<4x16xf32>) {
  %a = kernel.alloc : memref<4x1xf32>
  kernel.library_call "softmax" ins(%x : memref<4x1xf32>) outs(%a : memref<4x1xf32>) {axis = 1 : i64}
  %b = kernel.alloc : memref<4x16xf32>
  kernel.elementwise ins(%a : memref<4x1xf32>) outs(%b : memref<4x16xf32>) {
  ^bb0(%p: f32):
    kernel.yield %p : f32
  }
  kernel.copy %b, %y : memref<4x16xf32>, memref<4x16xf32>
  return
}

// -----

// Not in place: an f16 output is narrower than its f32 input.
// CHECK-LABEL: func.func @negative_width
// CHECK: kernel.alloc {offset = [[OA:[0-9]+]] : i64} : memref<4x16xf32>
// CHECK-NOT: kernel.alloc {offset = [[OA]] :
// CHECK: return
func.func @negative_width(%x: memref<4x16xf32>, %y: memref<4x16xf16>) {
  %a = kernel.alloc : memref<4x16xf32>
  kernel.library_call "softmax" ins(%x : memref<4x16xf32>) outs(%a : memref<4x16xf32>) {axis = 1 : i64}
  %b = kernel.alloc : memref<4x16xf16>
  kernel.elementwise ins(%a : memref<4x16xf32>) outs(%b : memref<4x16xf16>) {
  ^bb0(%p: f32):
    %t = arith.truncf %p : f32 to f16
    kernel.yield %t : f16
  }
  kernel.copy %b, %y : memref<4x16xf16>, memref<4x16xf16>
  return
}

// -----

// Not in place, conservatively: the kernel also reads a through views.
// CHECK-LABEL: func.func @negative_view
// CHECK: kernel.alloc {offset = [[OA:[0-9]+]] : i64} : memref<4x16xf32>
// CHECK-NOT: kernel.alloc {offset = [[OA]] :
// CHECK: return
func.func @negative_view(%x: memref<4x16xf32>, %y: memref<4x16xf32>) {
  %a = kernel.alloc : memref<4x16xf32>
  kernel.library_call "softmax" ins(%x : memref<4x16xf32>) outs(%a : memref<4x16xf32>) {axis = 1 : i64}
  %v = kernel.view %a : memref<4x16xf32> to memref<64xf32>
  %t = kernel.view %v : memref<64xf32> to memref<16x4xf32>
  %c = kernel.view %t : memref<16x4xf32> to memref<4x16xf32>
  %b = kernel.alloc : memref<4x16xf32>
  kernel.elementwise ins(%a, %c : memref<4x16xf32>, memref<4x16xf32>) outs(%b : memref<4x16xf32>) {
  ^bb0(%p: f32, %q: f32):
    %s = arith.addf %p, %q : f32
    kernel.yield %s : f32
  }
  kernel.copy %b, %y : memref<4x16xf32>, memref<4x16xf32>
  return
}
