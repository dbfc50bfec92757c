// RUN: rm -rf %t.src %t && kiln-compile %s -o %t.src --stop-after=source
// RUN: FileCheck %s --input-file=%t.src/src/model.cpp
// RUN: rm -rf %t && mkdir -p %t
// RUN: kiln-compile %s -o %t/model -O0
// RUN: %python -c "import numpy as np; np.save('%t/b.npy', np.array([2, -3, 1, -1, -1, 0, 5, 0, 3, 2], np.int32)); np.save('%t/e.npy', np.array([10, 3, -5, -3, -4, -1, 0, 0, 2, 31], np.int32))"
// RUN: kiln-run %t/model --input=b=%t/b.npy --input=e=%t/e.npy --output=p=%t/p.npy
// RUN: %python -c "import numpy as np; print(np.load('%t/p.npy').tolist())" | FileCheck %s --check-prefix=VALUES

// math.ipowi (integer Pow) squares and multiplies, wrapping like muli; a
// negative exponent leaves 1 for base 1, +-1 for base -1 by the exponent's
// parity, and 0 otherwise; x ** 0 is 1, 0 ** 0 included.

// CHECK-LABEL: KILN_HD inline void kilnEw0Body(int32_t a0, int32_t a1, int32_t &r0) {
// CHECK-NEXT:    const int32_t v0 = kilnIPowI<int32_t, uint32_t>(a0, a1);
// CHECK-NEXT:    r0 = v0;

// VALUES: [1024, -27, 1, -1, 1, 0, 1, 1, 9, -2147483648]

func.func @main(%b: memref<10xi32> {graph.name = "b"},
                %e: memref<10xi32> {graph.name = "e"},
                %p: memref<10xi32> {graph.name = "p", kernel.output})
    attributes {kernel.num_inputs = 2 : i64, kernel.arena_bytes = 0 : i64} {
  kernel.elementwise ins(%b, %e : memref<10xi32>, memref<10xi32>)
                     outs(%p : memref<10xi32>) {
  ^bb0(%x: i32, %y: i32):
    %r = math.ipowi %x, %y : i32
    kernel.yield %r : i32
  }
  return
}
