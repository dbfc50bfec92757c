//===- Tensor.h - The tensor view every kernel takes ------------*- C++ -*-===//
//
// A TensorView is a dense row-major tensor: a data pointer (host or device,
// depending on the driver), an ONNX dtype code, and a static shape. It is an
// aggregate, so generated code writes
//
//   kiln::TensorView x{ptr, kiln::DType::Float, 2, {4, 8}};
//
// This header is included by every generated model: it stays light.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_TENSOR_H
#define KILN_KERNELS_COMMON_TENSOR_H

#include "kernels/common/Span.h"
#include "kernels/common/Status.h"

#include <stddef.h>
#include <stdint.h>

/// Marks a function that is compiled for both the host and the device.
#if defined(__CUDACC__)
#define KILN_HD __host__ __device__
#else
#define KILN_HD
#endif

namespace kiln {

/// The largest rank a kernel accepts.
constexpr int32_t kMaxRank = 8;

/// ONNX TensorProto.DataType codes.
namespace DType {
constexpr int32_t Float = 1;
constexpr int32_t UInt8 = 2;
constexpr int32_t Int8 = 3;
constexpr int32_t UInt16 = 4;
constexpr int32_t Int16 = 5;
constexpr int32_t Int32 = 6;
constexpr int32_t Int64 = 7;
constexpr int32_t String = 8;
constexpr int32_t Bool = 9;
constexpr int32_t Float16 = 10;
constexpr int32_t Double = 11;
constexpr int32_t UInt32 = 12;
constexpr int32_t UInt64 = 13;
constexpr int32_t BFloat16 = 16;
} // namespace DType

/// Bytes per element of an ONNX dtype; 0 for dtypes kernels do not handle.
KILN_HD inline int64_t dtypeSize(int32_t dtype) {
  switch (dtype) {
  case DType::Float:
  case DType::Int32:
  case DType::UInt32:
    return 4;
  case DType::UInt8:
  case DType::Int8:
  case DType::Bool:
    return 1;
  case DType::UInt16:
  case DType::Int16:
  case DType::Float16:
  case DType::BFloat16:
    return 2;
  case DType::Int64:
  case DType::Double:
  case DType::UInt64:
    return 8;
  default:
    return 0;
  }
}

/// The dtype's name as numpy spells it ("float32"); "unknown" otherwise.
const char *dtypeName(int32_t dtype);

struct TensorView {
  void *data;
  int32_t dtype; // ONNX TensorProto.DataType code
  int32_t rank;
  int64_t shape[kMaxRank];

  KILN_HD int64_t numElements() const {
    int64_t n = 1;
    for (int32_t i = 0; i < rank; ++i)
      n *= shape[i];
    return n;
  }
  KILN_HD int64_t elementSize() const { return dtypeSize(dtype); }
  KILN_HD int64_t numBytes() const { return numElements() * elementSize(); }
  /// The product of the dims in [begin, end).
  KILN_HD int64_t dimProduct(int32_t begin, int32_t end) const {
    int64_t n = 1;
    for (int32_t i = begin; i < end; ++i)
      n *= shape[i];
    return n;
  }
  template <typename T> KILN_HD T *as() const { return static_cast<T *>(data); }
};

/// Free-function spellings of the helpers.
KILN_HD inline int64_t numElements(const TensorView &t) {
  return t.numElements();
}
KILN_HD inline int64_t elementSize(const TensorView &t) {
  return t.elementSize();
}

/// Writes the shape as "1x3x224x224" ("scalar" for rank 0) into `buffer`.
void formatShape(const int64_t *shape, int32_t rank, char *buffer,
                 int32_t size);

} // namespace kiln

#endif // KILN_KERNELS_COMMON_TENSOR_H
