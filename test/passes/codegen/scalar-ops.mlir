// RUN: rm -rf %t && kiln-compile %s -o %t --stop-after=source
// RUN: FileCheck %s --input-file=%t/src/model.cpp
// The source compiles as it is.
// RUN: c++ -std=c++17 -fsyntax-only -I%kiln_src %t/src/model.cpp

// Scalar semantics of arith / math in the printed body: integer division
// truncates or floors as the op says, wrapping arithmetic goes through an
// unsigned type, unsigned ops reinterpret, unordered float compares hold on
// NaN, roundeven is rint, and i1 is bool.

// CHECK-LABEL: KILN_HD inline void kilnEw0Body(int32_t a0, int32_t a1, float a2, float a3, int32_t &r0, bool &r1, float &r2) {
// CHECK-NEXT:    const int32_t v0 = static_cast<int32_t>(static_cast<uint32_t>(a0) + static_cast<uint32_t>(a1));
// CHECK-NEXT:    const int32_t v1 = static_cast<int32_t>(a0 / a1);
// CHECK-NEXT:    const int32_t v2 = static_cast<int32_t>(a0 / a1 - ((a0 % a1 != 0) && ((a0 < 0) != (a1 < 0))));
// CHECK-NEXT:    const int32_t v3 = static_cast<int32_t>(static_cast<uint32_t>(a0) / static_cast<uint32_t>(a1));
// CHECK-NEXT:    const int32_t v4 = static_cast<int32_t>(static_cast<uint32_t>(a0) >> a1);
// CHECK-NEXT:    const int32_t v5 = -2147483648LL;
// CHECK-NEXT:    const bool v6 = static_cast<uint32_t>(a0) < static_cast<uint32_t>(a1);
// CHECK-NEXT:    const bool v7 = !(a2 >= a3);
// CHECK-NEXT:    const bool v8 = (a2 != a2 || a3 != a3);
// CHECK-NEXT:    const bool v9 = v6 != v7;
// CHECK-NEXT:    const bool v10 = static_cast<bool>(v8 | v9);
// CHECK-NEXT:    const float v11 = rintf(a2);
// CHECK-NEXT:    const float v12 = roundf(a3);
// CHECK-NEXT:    const float v13 = static_cast<float>(v2);
// CHECK-NEXT:    const float v14 = v10 ? v11 : v13;
// CHECK-NEXT:    const float v15 = fmaxf(v14, v12);
// CHECK-NEXT:    const float v16 = 1.0f / sqrtf(v15);
// CHECK-NEXT:    const float v17 = -INFINITY;
// CHECK-NEXT:    const float v18 = kilnMinimumF(v16, v17);
// CHECK-NEXT:    r0 = v1;
// CHECK-NEXT:    r1 = v10;
// CHECK-NEXT:    r2 = v18;
// CHECK-NEXT:  }

func.func @main(%a: memref<16xi32> {graph.name = "a"},
                %b: memref<16xi32> {graph.name = "b"},
                %c: memref<16xf32> {graph.name = "c"},
                %d: memref<16xf32> {graph.name = "d"},
                %q: memref<16xi32> {graph.name = "q", kernel.output},
                %m: memref<16xi1> {graph.name = "m", kernel.output},
                %r: memref<16xf32> {graph.name = "r", kernel.output})
    attributes {kernel.num_inputs = 4 : i64, kernel.arena_bytes = 0 : i64} {
  kernel.elementwise ins(%a, %b, %c, %d : memref<16xi32>, memref<16xi32>, memref<16xf32>, memref<16xf32>)
                     outs(%q, %m, %r : memref<16xi32>, memref<16xi1>, memref<16xf32>) {
  ^bb0(%x: i32, %y: i32, %u: f32, %v: f32):
    %add = arith.addi %x, %y : i32
    %div = arith.divsi %x, %y : i32
    %floordiv = arith.floordivsi %x, %y : i32
    %divu = arith.divui %x, %y : i32
    %shr = arith.shrui %x, %y : i32
    %min = arith.constant -2147483648 : i32
    %lt = arith.cmpi ult, %x, %y : i32
    %ult = arith.cmpf ult, %u, %v : f32
    %uno = arith.cmpf uno, %u, %v : f32
    %xor = arith.addi %lt, %ult : i1
    %or = arith.ori %uno, %xor : i1
    %even = math.roundeven %u : f32
    %away = math.round %v : f32
    %f = arith.sitofp %floordiv : i32 to f32
    %sel = arith.select %or, %even, %f : f32
    %max = arith.maxnumf %sel, %away : f32
    %rs = math.rsqrt %max : f32
    %ninf = arith.constant 0xFF800000 : f32
    %lo = arith.minimumf %rs, %ninf : f32
    kernel.yield %div, %or, %lo : i32, i1, f32
  }
  return
}
