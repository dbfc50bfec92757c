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

#include "kernels/common/Half.h"
#include "kernels/common/LowPrecision.h"
#include "kernels/common/Span.h"
#include "kernels/common/Status.h"

#include <stddef.h>
#include <stdint.h>

namespace kiln {

/// The largest rank a kernel accepts.
constexpr int32_t kMaxRank = 8;

/// ONNX TensorProto.DataType codes of the dtypes Kiln knows
/// (kernels/common/DTypes.def).
namespace DType {
#define KILN_DTYPE(Name, Code, ...) constexpr int32_t Name = Code;
#include "kernels/common/DTypes.def"
} // namespace DType

/// Bytes per element of an ONNX dtype; 0 for dtypes Kiln does not know.
KILN_HD inline int64_t dtypeSize(int32_t dtype) {
  switch (dtype) {
#define KILN_DTYPE(Name, Code, CType, Bytes, ...)                               \
  case Code:                                                                   \
    return Bytes;
#include "kernels/common/DTypes.def"
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

/// Writes the shape as "1x3x224x224" ("scalar" for rank 0, "?" for a
/// dynamic dim) into `buffer`.
void formatShape(const int64_t *shape, int32_t rank, char *buffer,
                 int32_t size);

} // namespace kiln

#endif // KILN_KERNELS_COMMON_TENSOR_H
