// RUN: rm -rf %t && kiln-compile %s -o %t --stop-after=source
// RUN: FileCheck %s --input-file=%t/src/model.cpp
// The source compiles as it is (nvcc.test builds its CUDA twin).
// RUN: c++ -std=c++17 -fsyntax-only -I%kiln_src %t/src/model.cpp

// The low-precision types in generated code: storage types of one byte
// converted through float or int; a saturating float8 cast clamps in f32
// first; unsigned 4-bit values are signless in the body and reinterpreted
// for the unsigned conversions; quantize rounds to even, adds the zero
// point in i32 and clamps to the type's range. Quantize and dequantize fuse
// into one kernel (kiln-fuse-elementwise): the int4 is a local between them.

// CHECK-LABEL: KILN_HD inline void kilnEw0Body(float a0, kiln::float8e4m3fn &r0) {
// CHECK-NEXT:    const float v0 = -448.0f;
// CHECK-NEXT:    const float v1 = 448.0f;
// CHECK-NEXT:    const float v2 = kilnMaximumF(a0, v0);
// CHECK-NEXT:    const float v3 = kilnMinimumF(v2, v1);
// CHECK-NEXT:    const kiln::float8e4m3fn v4 = static_cast<kiln::float8e4m3fn>(v3);
// CHECK-LABEL: KILN_HD inline void kilnEw1Body(float a0, kiln::float8e5m2 &r0) {
// CHECK-NEXT:    const kiln::float8e5m2 v0 = static_cast<kiln::float8e5m2>(a0);
// CHECK-LABEL: KILN_HD inline void kilnEw2Body(kiln::int4 a0, uint8_t &r0) {
// CHECK-NEXT:    const int8_t v0 = static_cast<int8_t>(static_cast<kiln::uint4>(a0));
// CHECK:       void kilnEw2(kiln::uint4 *in0, uint8_t *out0) {
// CHECK-LABEL: KILN_HD inline void kilnEw3Body(float a0, float a1, kiln::int4 a2, float &r0) {
// CHECK-NEXT:    const int32_t v0 = 7LL;
// CHECK-NEXT:    const int32_t v1 = -8LL;
// CHECK-NEXT:    const float v2 = 1048576.0f;
// CHECK-NEXT:    const float v3 = -1048576.0f;
// CHECK-NEXT:    const float v4 = a0 / a1;
// CHECK-NEXT:    const float v5 = rintf(v4);
// CHECK-NEXT:    const float v6 = kilnMaximumF(v5, v3);
// CHECK-NEXT:    const float v7 = kilnMinimumF(v6, v2);
// CHECK-NEXT:    const int32_t v8 = static_cast<int32_t>(v7);
// CHECK-NEXT:    const int32_t v9 = static_cast<int32_t>(a2);
// CHECK-NEXT:    const int32_t v10 = static_cast<int32_t>(static_cast<uint32_t>(v8) + static_cast<uint32_t>(v9));
// CHECK-NEXT:    const int32_t v11 = v10 > v1 ? v10 : v1;
// CHECK-NEXT:    const int32_t v12 = v11 < v0 ? v11 : v0;
// CHECK-NEXT:    const kiln::int4 v13 = static_cast<kiln::int4>(static_cast<uint32_t>(v12));
// CHECK-NEXT:    const float v14 = static_cast<float>(v13);
// CHECK-NEXT:    const float v15 = static_cast<float>(a2);
// CHECK-NEXT:    const float v16 = v14 - v15;
// CHECK-NEXT:    const float v17 = v16 * a1;
func.func @main(%x: tensor<4xf32> {graph.name = "x"},
                %u: tensor<4xui4> {graph.name = "u"},
                %s: tensor<f32> {graph.name = "s"},
                %zp: tensor<i4> {graph.name = "zp"})
    -> (tensor<4xf8E4M3FN>, tensor<4xf8E5M2>, tensor<4xui8>, tensor<4xf32>) {
  %a = graph.cast %x : tensor<4xf32> -> tensor<4xf8E4M3FN>
  %b = graph.cast %x {saturate = false} : tensor<4xf32> -> tensor<4xf8E5M2>
  %c = graph.cast %u : tensor<4xui4> -> tensor<4xui8>
  %q = graph.quantize %x, %s, %zp : (tensor<4xf32>, tensor<f32>, tensor<i4>) -> tensor<4xi4>
  %d = graph.dequantize %q, %s, %zp : (tensor<4xi4>, tensor<f32>, tensor<i4>) -> tensor<4xf32>
  return %a, %b, %c, %d : tensor<4xf8E4M3FN>, tensor<4xf8E5M2>, tensor<4xui8>, tensor<4xf32>
}
