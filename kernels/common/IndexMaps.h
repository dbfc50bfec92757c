//===- IndexMaps.h - Index maps of the data-movement kernels ----*- C++ -*-===//
//
// Data movement kernels compute, for each output element, the input element
// it copies. Most are affine: y[j] = x[base + sum_d coord_d(j) * s_d]:
//
//   transpose: s_d = xStrides[perm[d]],            base = 0
//   slice:     s_d = steps[d] * xStrides[d],       base = sum starts * xStrides
//
// tile wraps coordinates (coord_d % xShape[d]); gather reads the index
// tensor; concat and split copy rows of (outer, axis * inner) blocks. The
// kernels move elements of 1, 2, 4 or 8 bytes whatever their dtype.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_INDEXMAPS_H
#define KILN_KERNELS_COMMON_INDEXMAPS_H

#include "kernels/common/Axis.h"
#include "kernels/common/Broadcast.h"
#include "kernels/common/Checks.h"

namespace kiln {

/// y[j] = x[base + broadcastOffset(j, rank, yShape, xStrides)].
struct AffineCopyParams {
  int32_t rank;
  int64_t base;
  int64_t yShape[kMaxRank];
  int64_t xStrides[kMaxRank];
};

KILN_HD inline int64_t affineCopySource(const AffineCopyParams &p,
                                        int64_t index) {
  return p.base + broadcastOffset(index, p.rank, p.yShape, p.xStrides);
}

inline Status makeTransposeParams(const TensorView &x, const TensorView &y,
                                  Span<const int64_t> perm,
                                  AffineCopyParams &p) {
  const char *kernel = "transpose";
  KILN_RETURN_IF_ERROR(checkValidRank(kernel, "x", x));
  KILN_RETURN_IF_ERROR(checkRank(kernel, "y", y, x.rank));
  KILN_RETURN_IF_ERROR(checkSameDtype(kernel, "y", y, x));
  KILN_RETURN_IF_ERROR(checkSize(kernel, "perm", perm.size(), x.rank));
  int64_t xStrides[kMaxRank];
  contiguousStrides(x.shape, x.rank, xStrides);
  bool seen[kMaxRank] = {};
  p.rank = x.rank;
  p.base = 0;
  for (int32_t d = 0; d < x.rank; ++d) {
    int64_t from = perm[d];
    if (from < 0 || from >= x.rank || seen[from])
      return Status::error("transpose: perm is not a permutation of 0..%d",
                           x.rank - 1);
    seen[from] = true;
    KILN_RETURN_IF_ERROR(checkDim(kernel, "y", y, d, x.shape[from]));
    p.yShape[d] = y.shape[d];
    p.xStrides[d] = xStrides[from];
  }
  return Status::success();
}

inline Status makeSliceParams(const TensorView &x, const TensorView &y,
                              Span<const int64_t> starts,
                              Span<const int64_t> steps, AffineCopyParams &p) {
  const char *kernel = "slice";
  KILN_RETURN_IF_ERROR(checkValidRank(kernel, "x", x));
  KILN_RETURN_IF_ERROR(checkRank(kernel, "y", y, x.rank));
  KILN_RETURN_IF_ERROR(checkSameDtype(kernel, "y", y, x));
  KILN_RETURN_IF_ERROR(checkSize(kernel, "starts", starts.size(), x.rank));
  KILN_RETURN_IF_ERROR(checkSize(kernel, "steps", steps.size(), x.rank));
  int64_t xStrides[kMaxRank];
  contiguousStrides(x.shape, x.rank, xStrides);
  p.rank = x.rank;
  p.base = 0;
  for (int32_t d = 0; d < x.rank; ++d) {
    p.yShape[d] = y.shape[d];
    p.xStrides[d] = steps[d] * xStrides[d];
    p.base += starts[d] * xStrides[d];
    if (y.shape[d] == 0)
      continue;
    int64_t last = starts[d] + (y.shape[d] - 1) * steps[d];
    if (steps[d] == 0 || starts[d] < 0 || starts[d] >= x.shape[d] || last < 0 ||
        last >= x.shape[d])
      return Status::error("slice: dim %d reads outside x (start %lld, step "
                           "%lld, %lld elements of %lld)",
                           d, static_cast<long long>(starts[d]),
                           static_cast<long long>(steps[d]),
                           static_cast<long long>(y.shape[d]),
                           static_cast<long long>(x.shape[d]));
  }
  return Status::success();
}

/// y[j] = x[sum_d (coord_d(j) % xShape[d]) * xStrides[d]].
struct TileParams {
  int32_t rank;
  int64_t yShape[kMaxRank];
  int64_t xShape[kMaxRank];
  int64_t xStrides[kMaxRank];
};

KILN_HD inline int64_t tileSource(const TileParams &p, int64_t index) {
  int64_t offset = 0;
  for (int32_t d = p.rank - 1; d >= 0; --d) {
    int64_t coord = index % p.yShape[d];
    index /= p.yShape[d];
    offset += (coord % p.xShape[d]) * p.xStrides[d];
  }
  return offset;
}

inline Status makeTileParams(const TensorView &x, const TensorView &y,
                             TileParams &p) {
  const char *kernel = "tile";
  KILN_RETURN_IF_ERROR(checkValidRank(kernel, "x", x));
  KILN_RETURN_IF_ERROR(checkRank(kernel, "y", y, x.rank));
  KILN_RETURN_IF_ERROR(checkSameDtype(kernel, "y", y, x));
  p.rank = x.rank;
  contiguousStrides(x.shape, x.rank, p.xStrides);
  for (int32_t d = 0; d < x.rank; ++d) {
    if (x.shape[d] == 0 ? y.shape[d] != 0 : y.shape[d] % x.shape[d] != 0)
      return Status::error("tile: y dim %d (%lld) is not a multiple of x dim "
                           "(%lld)",
                           d, static_cast<long long>(y.shape[d]),
                           static_cast<long long>(x.shape[d]));
    p.yShape[d] = y.shape[d];
    p.xShape[d] = x.shape[d];
  }
  return Status::success();
}

/// y = x.shape[:axis] + indices.shape + x.shape[axis+1:]; y[o, j, k] =
/// x[o, indices[j], k].
struct GatherParams {
  int64_t outer, axisSize, numIndices, inner;
  bool indices32;
};

inline Status makeGatherParams(const TensorView &x, const TensorView &indices,
                               const TensorView &y, int64_t axis,
                               GatherParams &p) {
  const char *kernel = "gather";
  KILN_RETURN_IF_ERROR(checkValidRank(kernel, "x", x, 1));
  KILN_RETURN_IF_ERROR(checkAxis(kernel, axis, x.rank));
  KILN_RETURN_IF_ERROR(checkSameDtype(kernel, "y", y, x));
  if (!dtypeSize(x.dtype))
    return Status::error("gather: unsupported dtype %s", dtypeName(x.dtype));
  if (indices.dtype != DType::Int64 && indices.dtype != DType::Int32)
    return Status::error("gather: indices have dtype %s, expected int64 or "
                         "int32",
                         dtypeName(indices.dtype));
  int32_t a = static_cast<int32_t>(axis);
  KILN_RETURN_IF_ERROR(checkRank(kernel, "y", y, x.rank - 1 + indices.rank));
  for (int32_t d = 0; d < a; ++d)
    KILN_RETURN_IF_ERROR(checkDim(kernel, "y", y, d, x.shape[d]));
  for (int32_t d = 0; d < indices.rank; ++d)
    KILN_RETURN_IF_ERROR(checkDim(kernel, "y", y, a + d, indices.shape[d]));
  for (int32_t d = a + 1; d < x.rank; ++d)
    KILN_RETURN_IF_ERROR(
        checkDim(kernel, "y", y, d - 1 + indices.rank, x.shape[d]));
  p.outer = x.dimProduct(0, a);
  p.axisSize = x.shape[a];
  p.numIndices = indices.numElements();
  p.inner = x.dimProduct(a + 1, x.rank);
  p.indices32 = indices.dtype == DType::Int32;
  return Status::success();
}

/// The normalized index j, or -1 when it is out of range.
KILN_HD inline int64_t gatherIndex(const GatherParams &p, const void *indices,
                                   int64_t j) {
  int64_t i = p.indices32 ? static_cast<const int32_t *>(indices)[j]
                          : static_cast<const int64_t *>(indices)[j];
  if (i < 0)
    i += p.axisSize;
  return i >= 0 && i < p.axisSize ? i : -1;
}

/// The x offset read by y's flat index, given the normalized index.
KILN_HD inline int64_t gatherSource(const GatherParams &p, int64_t index,
                                    int64_t axisIndex) {
  int64_t k = index % p.inner;
  int64_t o = index / (p.inner * p.numIndices);
  return (o * p.axisSize + axisIndex) * p.inner + k;
}

/// Concat and split view each piece as (outer, axisSize_i * inner) and the
/// whole as (outer, totalAxis * inner); piece i sits at column
/// offset_i * inner of every row.
KILN_HD inline int64_t concatWholeIndex(int64_t pieceIndex, int64_t pieceRow,
                                        int64_t wholeRow, int64_t column) {
  return (pieceIndex / pieceRow) * wholeRow + column + pieceIndex % pieceRow;
}

/// Checks that `pieces` stack along `axis` into `whole`.
inline Status checkConcatShapes(const char *kernel,
                                Span<const TensorView> pieces,
                                const TensorView &whole, int64_t axis) {
  KILN_RETURN_IF_ERROR(checkValidRank(kernel, "the result", whole, 1));
  KILN_RETURN_IF_ERROR(checkAxis(kernel, axis, whole.rank));
  int64_t total = 0;
  for (const TensorView &piece : pieces) {
    KILN_RETURN_IF_ERROR(checkRank(kernel, "a piece", piece, whole.rank));
    KILN_RETURN_IF_ERROR(checkSameDtype(kernel, "a piece", piece, whole));
    for (int32_t d = 0; d < whole.rank; ++d)
      if (d != axis)
        KILN_RETURN_IF_ERROR(
            checkDim(kernel, "a piece", piece, d, whole.shape[d]));
    total += piece.shape[axis];
  }
  if (total != whole.shape[axis])
    return Status::error("%s: pieces add up to %lld along axis %lld, "
                         "expected %lld",
                         kernel, static_cast<long long>(total),
                         static_cast<long long>(axis),
                         static_cast<long long>(whole.shape[axis]));
  return Status::success();
}

/// The operands of `range`: three scalars and a 1-d result, one dtype.
inline Status checkRangeOperands(const TensorView &start,
                                 const TensorView &limit,
                                 const TensorView &delta, const TensorView &y) {
  const char *kernel = "range";
  KILN_RETURN_IF_ERROR(checkRank(kernel, "start", start, 0));
  KILN_RETURN_IF_ERROR(checkRank(kernel, "limit", limit, 0));
  KILN_RETURN_IF_ERROR(checkRank(kernel, "delta", delta, 0));
  KILN_RETURN_IF_ERROR(checkRank(kernel, "y", y, 1));
  KILN_RETURN_IF_ERROR(checkSameDtype(kernel, "limit", limit, start));
  KILN_RETURN_IF_ERROR(checkSameDtype(kernel, "delta", delta, start));
  return checkSameDtype(kernel, "y", y, start);
}

/// start + i * delta.
template <typename T>
KILN_HD inline T rangeElement(T start, T delta, int64_t i) {
  return static_cast<T>(start + static_cast<T>(i) * delta);
}

} // namespace kiln

#endif // KILN_KERNELS_COMMON_INDEXMAPS_H
