//===- GatherScatter.h - Index maps of gather / scatter kernels -*- C++ -*-===//
//
// gather_elements, scatter_elements, gather_nd and scatter_nd read an index
// tensor to find, for each element they move, the element of x it reads or
// of y it writes:
//
//   gather_elements  y[c] = x[c with c[axis] = indices[c]]      y ~ indices
//   scatter_elements y[c with c[axis] = indices[c]] op= updates[c]
//   gather_nd        y[b, t, e] = x[b, indices[b, t, :], e]     (b batch dims)
//   scatter_nd       y[indices[t, :], e] op= updates[t, e]
//
// Negative indices count from the end of their dim. The drivers check every
// index on the host before moving data (out of range is a Status naming the
// index and where it is); the device bodies still write nothing for an
// index out of range. Scatters visit their updates in lines that never
// write the same element of y: a scatter_elements line is one run along
// `axis`, a scatter_nd line is one element offset e over every index tuple
// in order. A line applies its updates in order, so duplicates reduce
// deterministically and, without reduction, the last one wins.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_GATHERSCATTER_H
#define KILN_KERNELS_COMMON_GATHERSCATTER_H

#include "kernels/common/Broadcast.h"
#include "kernels/common/Checks.h"
#include "kernels/common/Words.h"

#include <string.h>

namespace kiln {

/// How a scatter combines an update with the element it writes.
enum class ScatterReduction : int32_t { None, Add, Mul, Max, Min };

/// The reduction named `name` ("none", "add", "mul", "max", "min").
inline Status parseScatterReduction(const char *kernel, const char *name,
                                    ScatterReduction &reduction) {
  static const char *const kNames[] = {"none", "add", "mul", "max", "min"};
  for (int32_t i = 0; i < 5; ++i)
    if (strcmp(name, kNames[i]) == 0) {
      reduction = static_cast<ScatterReduction>(i);
      return Status::success();
    }
  return Status::error("%s: unknown reduction '%s'", kernel, name);
}

/// dst op= value; max and min propagate a NaN update.
template <typename T>
KILN_HD inline void scatterCombine(ScatterReduction reduction, T &dst,
                                   T value) {
  switch (reduction) {
  case ScatterReduction::None:
    dst = value;
    return;
  case ScatterReduction::Add:
    dst = static_cast<T>(dst + value);
    return;
  case ScatterReduction::Mul:
    dst = static_cast<T>(dst * value);
    return;
  case ScatterReduction::Max:
    if (value != value || value > dst)
      dst = value;
    return;
  case ScatterReduction::Min:
    if (value != value || value < dst)
      dst = value;
    return;
  }
}

/// Index j of an i64 or i32 index tensor.
KILN_HD inline int64_t loadIndex(const void *indices, bool indices32,
                                 int64_t j) {
  return indices32 ? static_cast<const int32_t *>(indices)[j]
                   : static_cast<const int64_t *>(indices)[j];
}

/// `index` normalized into [0, size), or -1 when it is out of range.
KILN_HD inline int64_t wrapIndex(int64_t index, int64_t size) {
  if (index < 0)
    index += size;
  return index >= 0 && index < size ? index : -1;
}

/// The error for index `value` at flat position `position` of the indices,
/// which must lie in [-size, size) for `what`.
inline Status indexOutOfRange(const char *kernel, int64_t value,
                              int64_t position, int64_t size, const char *what,
                              int64_t which) {
  return Status::error(
      "%s: index %lld at position %lld of the indices is out "
      "of range [%lld, %lld) for %s %lld",
      kernel, static_cast<long long>(value), static_cast<long long>(position),
      static_cast<long long>(-size), static_cast<long long>(size), what,
      static_cast<long long>(which));
}

/// Checks that the index dtype is i64 or i32 (i64 only unless `allow32`).
inline Status checkIndexDtype(const char *kernel, const TensorView &indices,
                              bool allow32) {
  if (indices.dtype == DType::Int64 ||
      (allow32 && indices.dtype == DType::Int32))
    return Status::success();
  return Status::error("%s: indices have dtype %s, expected int64%s", kernel,
                       dtypeName(indices.dtype), allow32 ? " or int32" : "");
}

//===----------------------------------------------------------------------===//
// gather_elements / scatter_elements
//===----------------------------------------------------------------------===//

/// indices (and updates) have shape `shape`, of x's rank, with every dim
/// but `axis` at most x's. Element j at coordinates c maps to x's element
/// at c with c[axis] = indices[j].
struct ElementsParams {
  int32_t rank;
  int32_t axis;
  bool indices32;
  int64_t axisSize;        // x.shape[axis]
  int64_t shape[kMaxRank]; // the indices' shape
  int64_t xStrides[kMaxRank];
  int64_t numIndices;
  int64_t inner; // product of shape[axis + 1:]
};

/// The x (or y) offset of index element j given its normalized index.
KILN_HD inline int64_t elementsTarget(const ElementsParams &p, int64_t j,
                                      int64_t axisIndex) {
  int64_t offset = 0;
  for (int32_t d = p.rank - 1; d >= 0; --d) {
    int64_t coord = j % p.shape[d];
    j /= p.shape[d];
    offset += (d == p.axis ? axisIndex : coord) * p.xStrides[d];
  }
  return offset;
}

/// The number of scatter_elements lines: runs along `axis`.
KILN_HD inline int64_t elementsLineCount(const ElementsParams &p) {
  int64_t along = p.shape[p.axis];
  return along ? p.numIndices / along : 0;
}

/// The first index element of line `line`; the line steps by p.inner.
KILN_HD inline int64_t elementsLineStart(const ElementsParams &p,
                                         int64_t line) {
  return (line / p.inner) * p.shape[p.axis] * p.inner + line % p.inner;
}

/// Applies the updates of one line of scatter_elements to y.
template <typename T>
KILN_HD inline void
scatterElementsLine(const ElementsParams &p, ScatterReduction reduction,
                    const void *indices, const T *updates, T *y, int64_t line) {
  int64_t j = elementsLineStart(p, line);
  for (int64_t t = 0, e = p.shape[p.axis]; t < e; ++t, j += p.inner) {
    int64_t a = wrapIndex(loadIndex(indices, p.indices32, j), p.axisSize);
    if (a >= 0)
      scatterCombine(reduction, y[elementsTarget(p, j, a)], updates[j]);
  }
}

/// Checks x, indices and `indexed`, the tensor shaped like the indices (y
/// of gather, updates of scatter, named `indexedName`); fills `p`.
inline Status makeElementsParams(const char *kernel, const TensorView &x,
                                 const TensorView &indices,
                                 const TensorView &indexed,
                                 const char *indexedName, int64_t axis,
                                 ElementsParams &p) {
  KILN_RETURN_IF_ERROR(checkValidRank(kernel, "x", x, 1));
  KILN_RETURN_IF_ERROR(checkAxis(kernel, axis, x.rank));
  KILN_RETURN_IF_ERROR(checkIndexDtype(kernel, indices, /*allow32=*/true));
  KILN_RETURN_IF_ERROR(checkRank(kernel, "indices", indices, x.rank));
  KILN_RETURN_IF_ERROR(checkSameShape(kernel, indexedName, indexed, indices));
  KILN_RETURN_IF_ERROR(checkSameDtype(kernel, indexedName, indexed, x));
  if (!dtypeSize(x.dtype))
    return Status::error("%s: unsupported dtype %s", kernel,
                         dtypeName(x.dtype));
  p.rank = x.rank;
  p.axis = static_cast<int32_t>(axis);
  p.indices32 = indices.dtype == DType::Int32;
  p.axisSize = x.shape[p.axis];
  contiguousStrides(x.shape, x.rank, p.xStrides);
  for (int32_t d = 0; d < x.rank; ++d) {
    if (d != p.axis && indices.shape[d] > x.shape[d])
      return Status::error("%s: indices dim %d (%lld) is larger than x's "
                           "(%lld)",
                           kernel, d, static_cast<long long>(indices.shape[d]),
                           static_cast<long long>(x.shape[d]));
    p.shape[d] = indices.shape[d];
  }
  p.numIndices = indices.numElements();
  p.inner = indices.dimProduct(p.axis + 1, indices.rank);
  if (p.inner == 0)
    p.inner = 1;
  return Status::success();
}

/// Checks every index of host memory `indices` against the axis size.
inline Status checkElementsIndices(const char *kernel, const ElementsParams &p,
                                   const void *indices) {
  for (int64_t j = 0; j < p.numIndices; ++j) {
    int64_t index = loadIndex(indices, p.indices32, j);
    if (wrapIndex(index, p.axisSize) < 0)
      return indexOutOfRange(kernel, index, j, p.axisSize, "axis", p.axis);
  }
  return Status::success();
}

//===----------------------------------------------------------------------===//
// gather_nd / scatter_nd
//===----------------------------------------------------------------------===//

/// indices is (B..., T..., k) with `batchDims` leading dims B equal to x's;
/// each of its tuples picks x[b, i1..ik] of x = (B..., D1..Dk, E...), a
/// slice of sliceSize elements.
struct NdParams {
  int32_t k;
  int64_t numBatches;        // product of the batch dims
  int64_t tuplesPerBatch;    // product of T
  int64_t sliceSize;         // product of E
  int64_t batchStride;       // elements of x per batch
  int64_t dims[kMaxRank];    // D1..Dk
  int64_t strides[kMaxRank]; // their strides in x
};

/// The offset in x of the slice that tuple `tuple` (counted over all
/// batches) picks, or -1 when an index is out of range.
KILN_HD inline int64_t ndSliceBase(const NdParams &p, const int64_t *indices,
                                   int64_t tuple) {
  int64_t offset = (tuple / p.tuplesPerBatch) * p.batchStride;
  const int64_t *index = indices + tuple * p.k;
  for (int32_t m = 0; m < p.k; ++m) {
    int64_t i = wrapIndex(index[m], p.dims[m]);
    if (i < 0)
      return -1;
    offset += i * p.strides[m];
  }
  return offset;
}

/// Applies, in tuple order, every update to element e of its slice.
template <typename T>
KILN_HD inline void scatterNdLine(const NdParams &p, ScatterReduction reduction,
                                  const int64_t *indices, const T *updates,
                                  T *y, int64_t e) {
  int64_t tuples = p.numBatches * p.tuplesPerBatch;
  for (int64_t t = 0; t < tuples; ++t) {
    int64_t base = ndSliceBase(p, indices, t);
    if (base >= 0)
      scatterCombine(reduction, y[base + e], updates[t * p.sliceSize + e]);
  }
}

/// Checks x, the (i64) indices and `sliced` (y of gather_nd, updates of
/// scatter_nd, named `slicedName`), of shape indices.shape[:-1] +
/// x.shape[batchDims + k:]; fills `p`.
inline Status makeNdParams(const char *kernel, const TensorView &x,
                           const TensorView &indices, const TensorView &sliced,
                           const char *slicedName, int64_t batchDims,
                           NdParams &p) {
  KILN_RETURN_IF_ERROR(checkValidRank(kernel, "x", x, 1));
  KILN_RETURN_IF_ERROR(checkIndexDtype(kernel, indices, /*allow32=*/false));
  KILN_RETURN_IF_ERROR(checkValidRank(kernel, "indices", indices, 1));
  KILN_RETURN_IF_ERROR(checkSameDtype(kernel, slicedName, sliced, x));
  if (!dtypeSize(x.dtype))
    return Status::error("%s: unsupported dtype %s", kernel,
                         dtypeName(x.dtype));
  int64_t k = indices.shape[indices.rank - 1];
  if (batchDims < 0 || batchDims >= indices.rank || batchDims >= x.rank ||
      k < 1 || batchDims + k > x.rank)
    return Status::error("%s: %lld batch dims and tuples of %lld do not fit "
                         "x of rank %d and indices of rank %d",
                         kernel, static_cast<long long>(batchDims),
                         static_cast<long long>(k), x.rank, indices.rank);
  int32_t b = static_cast<int32_t>(batchDims);
  p.k = static_cast<int32_t>(k);
  for (int32_t d = 0; d < b; ++d)
    KILN_RETURN_IF_ERROR(checkDim(kernel, "indices", indices, d, x.shape[d]));
  int32_t slicedRank = indices.rank - 1 + x.rank - b - p.k;
  KILN_RETURN_IF_ERROR(checkRank(kernel, slicedName, sliced, slicedRank));
  for (int32_t d = 0; d < indices.rank - 1; ++d)
    KILN_RETURN_IF_ERROR(
        checkDim(kernel, slicedName, sliced, d, indices.shape[d]));
  for (int32_t d = b + p.k; d < x.rank; ++d)
    KILN_RETURN_IF_ERROR(checkDim(kernel, slicedName, sliced,
                                  indices.rank - 1 + d - b - p.k, x.shape[d]));
  int64_t xStrides[kMaxRank];
  contiguousStrides(x.shape, x.rank, xStrides);
  p.numBatches = x.dimProduct(0, b);
  p.tuplesPerBatch = indices.dimProduct(b, indices.rank - 1);
  p.sliceSize = x.dimProduct(b + p.k, x.rank);
  p.batchStride = x.dimProduct(b, x.rank);
  for (int32_t m = 0; m < p.k; ++m) {
    p.dims[m] = x.shape[b + m];
    p.strides[m] = xStrides[b + m];
  }
  return Status::success();
}

/// Checks every index of host memory `indices`.
inline Status checkNdIndices(const char *kernel, const NdParams &p,
                             const int64_t *indices, int64_t batchDims) {
  int64_t count = p.numBatches * p.tuplesPerBatch * p.k;
  for (int64_t j = 0; j < count; ++j) {
    int32_t m = static_cast<int32_t>(j % p.k);
    if (wrapIndex(indices[j], p.dims[m]) < 0)
      return indexOutOfRange(kernel, indices[j], j, p.dims[m], "dim",
                             batchDims + m);
  }
  return Status::success();
}

/// Checks the dtype a scatter reduces: any for "none", else f32, f64, i64
/// or i32.
inline Status checkScatterDtype(const char *kernel, int32_t dtype,
                                ScatterReduction reduction) {
  if (reduction == ScatterReduction::None || dtype == DType::Float ||
      dtype == DType::Double || dtype == DType::Int64 || dtype == DType::Int32)
    return Status::success();
  return Status::error("%s: reduction on dtype %s is not supported", kernel,
                       dtypeName(dtype));
}

/// Calls f(T()) with the C type of a dtype a scatter reduces (see
/// checkScatterDtype); word-sized types for "none". Host code: the drivers
/// dispatch before they launch.
template <typename F>
Status dispatchScatter(const char *kernel, int32_t dtype,
                       ScatterReduction reduction, F &&f) {
  KILN_RETURN_IF_ERROR(checkScatterDtype(kernel, dtype, reduction));
  if (reduction == ScatterReduction::None)
    return dispatchWord(kernel, dtype, f);
  switch (dtype) {
  case DType::Float:
    return f(float());
  case DType::Double:
    return f(double());
  case DType::Int64:
    return f(int64_t());
  default:
    return f(int32_t());
  }
}

} // namespace kiln

#endif // KILN_KERNELS_COMMON_GATHERSCATTER_H
