//===- GatherScatter.cpp - gather_elements, scatter_elements, *_nd --------===//
//
// The index maps of kernels/common/GatherScatter.h on the host. Every index
// is checked before anything is written. Gathers run one output element
// per step of the parallel loop; scatters copy x to y, then run one line
// per step (lines never write the same element of y).
//
//===----------------------------------------------------------------------===//

#include "kernels/common/GatherScatter.h"
#include "kernels/common/Words.h"
#include "kernels/cpu/Kernels.h"

#include <string.h>

namespace kiln::cpu {

/// Copies x into y (the scatters' starting point).
static void copyInput(const TensorView &x, const TensorView &y) {
  if (x.data != y.data && x.numBytes() > 0)
    memcpy(y.data, x.data, static_cast<size_t>(x.numBytes()));
}

Status gather_elements(const TensorView &x, const TensorView &indices,
                       const TensorView &y, int64_t axis) {
  const char *kernel = "gather_elements";
  ElementsParams p;
  KILN_RETURN_IF_ERROR(makeElementsParams(kernel, x, indices, y, "y", axis, p));
  KILN_RETURN_IF_ERROR(checkElementsIndices(kernel, p, indices.data));
  return dispatchWord(kernel, x.dtype, [&](auto word) {
    using Word = decltype(word);
    const Word *xData = x.as<const Word>();
    Word *yData = y.as<Word>();
    parallelFor(
        p.numIndices,
        [&](int64_t j) {
          int64_t a =
              wrapIndex(loadIndex(indices.data, p.indices32, j), p.axisSize);
          yData[j] = xData[elementsTarget(p, j, a)];
        },
        4096);
    return Status::success();
  });
}

Status scatter_elements(const TensorView &x, const TensorView &indices,
                        const TensorView &updates, const TensorView &y,
                        int64_t axis, const char *reduction) {
  const char *kernel = "scatter_elements";
  ElementsParams p;
  ScatterReduction kind;
  KILN_RETURN_IF_ERROR(parseScatterReduction(kernel, reduction, kind));
  KILN_RETURN_IF_ERROR(
      makeElementsParams(kernel, x, indices, updates, "updates", axis, p));
  KILN_RETURN_IF_ERROR(checkSameShape(kernel, "y", y, x));
  KILN_RETURN_IF_ERROR(checkSameDtype(kernel, "y", y, x));
  KILN_RETURN_IF_ERROR(checkElementsIndices(kernel, p, indices.data));
  return dispatchScatter(kernel, x.dtype, kind, [&](auto zero) {
    using T = decltype(zero);
    copyInput(x, y);
    const T *updateData = updates.as<const T>();
    T *yData = y.as<T>();
    parallelFor(
        elementsLineCount(p),
        [&](int64_t line) {
          scatterElementsLine<T>(p, kind, indices.data, updateData, yData,
                                 line);
        },
        256);
    return Status::success();
  });
}

Status gather_nd(const TensorView &x, const TensorView &indices,
                 const TensorView &y, int64_t batch_dims) {
  const char *kernel = "gather_nd";
  NdParams p;
  KILN_RETURN_IF_ERROR(makeNdParams(kernel, x, indices, y, "y", batch_dims, p));
  const int64_t *indexData = indices.as<const int64_t>();
  KILN_RETURN_IF_ERROR(checkNdIndices(kernel, p, indexData, batch_dims));
  // Each tuple copies one contiguous slice.
  int64_t sliceBytes = p.sliceSize * x.elementSize();
  const char *xBytes = static_cast<const char *>(x.data);
  char *yBytes = static_cast<char *>(y.data);
  parallelFor(
      p.numBatches * p.tuplesPerBatch,
      [&](int64_t t) {
        int64_t base = ndSliceBase(p, indexData, t);
        memcpy(yBytes + t * sliceBytes, xBytes + base * x.elementSize(),
               static_cast<size_t>(sliceBytes));
      },
      sliceBytes >= 16384 ? 1 : 16384 / (sliceBytes ? sliceBytes : 1));
  return Status::success();
}

Status scatter_nd(const TensorView &x, const TensorView &indices,
                  const TensorView &updates, const TensorView &y,
                  const char *reduction) {
  const char *kernel = "scatter_nd";
  NdParams p;
  ScatterReduction kind;
  KILN_RETURN_IF_ERROR(parseScatterReduction(kernel, reduction, kind));
  KILN_RETURN_IF_ERROR(
      makeNdParams(kernel, x, indices, updates, "updates", 0, p));
  KILN_RETURN_IF_ERROR(checkSameShape(kernel, "y", y, x));
  KILN_RETURN_IF_ERROR(checkSameDtype(kernel, "y", y, x));
  const int64_t *indexData = indices.as<const int64_t>();
  KILN_RETURN_IF_ERROR(checkNdIndices(kernel, p, indexData, 0));
  return dispatchScatter(kernel, x.dtype, kind, [&](auto zero) {
    using T = decltype(zero);
    copyInput(x, y);
    const T *updateData = updates.as<const T>();
    T *yData = y.as<T>();
    parallelFor(
        p.sliceSize,
        [&](int64_t e) {
          scatterNdLine<T>(p, kind, indexData, updateData, yData, e);
        },
        64);
    return Status::success();
  });
}

} // namespace kiln::cpu
