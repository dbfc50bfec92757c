//===- DataMovement.cpp - transpose, slice, tile, gather, concat, split --===//
//
// The index maps of kernels/common/IndexMaps.h, a row at a time: the map
// gives each row's first source element and the row steps through x with a
// fixed stride. Elements move as words of the dtype's size; gather, concat
// and split move whole contiguous blocks.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/IndexMaps.h"
#include "kernels/common/Words.h"
#include "kernels/cpu/Kernels.h"

#include <string.h>

namespace kiln::cpu {

/// The grain, in rows of `inner` elements, for a copy loop.
static int64_t rowGrain(int64_t inner) {
  return inner >= 16384 ? 1 : 16384 / (inner ? inner : 1);
}

/// The affine copy a row at a time: the row's first source comes from the
/// index map, the rest step by the last dim's stride.
static Status affineCopy(const char *kernel, const AffineCopyParams &p,
                         const TensorView &x, const TensorView &y) {
  return dispatchWord(kernel, x.dtype, [&](auto word) {
    using Word = decltype(word);
    const Word *xData = x.as<const Word>();
    Word *yData = y.as<Word>();
    if (p.rank == 0) {
      yData[0] = xData[p.base];
      return Status::success();
    }
    int64_t inner = p.yShape[p.rank - 1];
    int64_t step = p.xStrides[p.rank - 1];
    int64_t rows = inner ? y.numElements() / inner : 0;
    parallelFor(
        rows,
        [&](int64_t row) {
          const Word *from = xData + affineCopySource(p, row * inner);
          Word *to = yData + row * inner;
          for (int64_t j = 0; j < inner; ++j)
            to[j] = from[j * step];
        },
        rowGrain(inner));
    return Status::success();
  });
}

Status transpose(const TensorView &x, const TensorView &y,
                 Span<const int64_t> perm) {
  AffineCopyParams p;
  KILN_RETURN_IF_ERROR(makeTransposeParams(x, y, perm, p));
  return affineCopy("transpose", p, x, y);
}

Status slice(const TensorView &x, const TensorView &y,
             Span<const int64_t> starts, Span<const int64_t> steps) {
  AffineCopyParams p;
  KILN_RETURN_IF_ERROR(makeSliceParams(x, y, starts, steps, p));
  return affineCopy("slice", p, x, y);
}

Status tile(const TensorView &x, const TensorView &y) {
  TileParams p;
  KILN_RETURN_IF_ERROR(makeTileParams(x, y, p));
  return dispatchWord("tile", x.dtype, [&](auto word) {
    using Word = decltype(word);
    const Word *xData = x.as<const Word>();
    Word *yData = y.as<Word>();
    if (p.rank == 0) {
      yData[0] = xData[0];
      return Status::success();
    }
    // Rows of y's last dim repeat a row of x.
    int64_t inner = p.yShape[p.rank - 1];
    int64_t xInner = p.xShape[p.rank - 1];
    int64_t rows = inner ? y.numElements() / inner : 0;
    parallelFor(
        rows,
        [&](int64_t row) {
          const Word *from = xData + tileSource(p, row * inner);
          Word *to = yData + row * inner;
          for (int64_t j = 0; j < inner; ++j)
            to[j] = from[j % xInner];
        },
        rowGrain(inner));
    return Status::success();
  });
}

Status gather(const TensorView &x, const TensorView &indices,
              const TensorView &y, int64_t axis) {
  GatherParams p;
  KILN_RETURN_IF_ERROR(makeGatherParams(x, indices, y, axis, p));
  for (int64_t j = 0; j < p.numIndices; ++j)
    if (gatherIndex(p, indices.data, j) < 0)
      return Status::error(
          "gather: index %lld out of range for axis %lld of "
          "size %lld",
          static_cast<long long>(p.indices32 ? indices.as<int32_t>()[j]
                                             : indices.as<int64_t>()[j]),
          static_cast<long long>(axis), static_cast<long long>(p.axisSize));
  // Each (outer, index) pair copies one contiguous block of `inner`
  // elements.
  int64_t blockBytes = p.inner * x.elementSize();
  const char *xBytes = static_cast<const char *>(x.data);
  char *yBytes = static_cast<char *>(y.data);
  parallelFor(
      p.outer * p.numIndices,
      [&](int64_t block) {
        int64_t j = block % p.numIndices;
        int64_t source =
            gatherSource(p, block * p.inner, gatherIndex(p, indices.data, j));
        memcpy(yBytes + block * blockBytes, xBytes + source * x.elementSize(),
               static_cast<size_t>(blockBytes));
      },
      rowGrain(p.inner));
  return Status::success();
}

/// Copies between `whole` and its pieces along `axis`: pieces into whole
/// (concat) or whole into pieces (split).
static void copyPieces(Span<const TensorView> pieces, const TensorView &whole,
                       int64_t axis, bool intoWhole) {
  int32_t a = static_cast<int32_t>(axis);
  int64_t outer = whole.dimProduct(0, a);
  int64_t inner = whole.dimProduct(a + 1, whole.rank);
  int64_t size = whole.elementSize();
  int64_t wholeRow = whole.shape[a] * inner * size;
  int64_t column = 0;
  for (const TensorView &piece : pieces) {
    int64_t pieceRow = piece.shape[a] * inner * size;
    // An empty piece may have no buffer at all.
    if (pieceRow == 0)
      continue;
    char *wholeData = static_cast<char *>(whole.data) + column;
    char *pieceData = static_cast<char *>(piece.data);
    parallelFor(
        outer,
        [&](int64_t o) {
          char *w = wholeData + o * wholeRow;
          char *p = pieceData + o * pieceRow;
          if (intoWhole)
            memcpy(w, p, static_cast<size_t>(pieceRow));
          else
            memcpy(p, w, static_cast<size_t>(pieceRow));
        },
        /*grain=*/16384 / (pieceRow ? pieceRow : 1) + 1);
    column += pieceRow;
  }
}

Status concat(Span<const TensorView> inputs, const TensorView &y,
              int64_t axis) {
  KILN_RETURN_IF_ERROR(checkConcatShapes("concat", inputs, y, axis));
  copyPieces(inputs, y, axis, /*intoWhole=*/true);
  return Status::success();
}

Status split(const TensorView &x, Span<const TensorView> outputs,
             int64_t axis) {
  KILN_RETURN_IF_ERROR(checkConcatShapes("split", outputs, x, axis));
  copyPieces(outputs, x, axis, /*intoWhole=*/false);
  return Status::success();
}

} // namespace kiln::cpu
