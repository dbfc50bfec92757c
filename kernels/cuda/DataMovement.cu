//===- DataMovement.cu - transpose, slice, tile, gather, concat, split ---===//
//
// One thread per output element copies the input element its index map
// names (kernels/common/IndexMaps.h). Concat and split copy blocks with
// cudaMemcpy2DAsync: each piece is a (outer, rowBytes) matrix inside the
// whole one. Gather clamps nothing: out-of-range indices write zero bytes,
// since device memory cannot be checked before the launch.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/IndexMaps.h"
#include "kernels/common/Words.h"
#include "kernels/cuda/CudaCheck.cuh"
#include "kernels/cuda/Kernels.h"
#include "kernels/cuda/ParallelFor.cuh"

namespace kiln::cuda {

// The device lambdas live in named templates: nvcc rejects extended lambdas
// inside the generic lambdas dispatchWord takes.
template <typename Word>
static Status launchAffineCopyAs(Word, const Context &ctx, const char *kernel,
                                 const AffineCopyParams &p, const TensorView &x,
                                 const TensorView &y) {
  const Word *xData = x.as<const Word>();
  Word *yData = y.as<Word>();
  return KILN_CUDA_PARALLEL_FOR(
      ctx, y.numElements(),
      [=] __device__(int64_t i) { yData[i] = xData[affineCopySource(p, i)]; },
      kernel);
}

static Status launchAffineCopy(const Context &ctx, const char *kernel,
                               const AffineCopyParams &p, const TensorView &x,
                               const TensorView &y) {
  return dispatchWord(kernel, x.dtype, [&](auto word) {
    return launchAffineCopyAs(word, ctx, kernel, p, x, y);
  });
}

template <typename Word>
static Status launchTileAs(Word, const Context &ctx, const TileParams &p,
                           const TensorView &x, const TensorView &y) {
  const Word *xData = x.as<const Word>();
  Word *yData = y.as<Word>();
  return KILN_CUDA_PARALLEL_FOR(
      ctx, y.numElements(),
      [=] __device__(int64_t i) { yData[i] = xData[tileSource(p, i)]; },
      "tile");
}

template <typename Word>
static Status launchGatherAs(Word, const Context &ctx, const GatherParams &p,
                             const TensorView &x, const TensorView &indices,
                             const TensorView &y) {
  const Word *xData = x.as<const Word>();
  const void *indexData = indices.data;
  Word *yData = y.as<Word>();
  return KILN_CUDA_PARALLEL_FOR(
      ctx, y.numElements(),
      [=] __device__(int64_t i) {
        int64_t j = (i / p.inner) % p.numIndices;
        int64_t a = gatherIndex(p, indexData, j);
        yData[i] = a < 0 ? Word(0) : xData[gatherSource(p, i, a)];
      },
      "gather");
}

Status transpose(const Context &ctx, const TensorView &x, const TensorView &y,
                 Span<const int64_t> perm) {
  AffineCopyParams p;
  KILN_RETURN_IF_ERROR(makeTransposeParams(x, y, perm, p));
  return launchAffineCopy(ctx, "transpose", p, x, y);
}

Status slice(const Context &ctx, const TensorView &x, const TensorView &y,
             Span<const int64_t> starts, Span<const int64_t> steps) {
  AffineCopyParams p;
  KILN_RETURN_IF_ERROR(makeSliceParams(x, y, starts, steps, p));
  return launchAffineCopy(ctx, "slice", p, x, y);
}

Status tile(const Context &ctx, const TensorView &x, const TensorView &y) {
  TileParams p;
  KILN_RETURN_IF_ERROR(makeTileParams(x, y, p));
  return dispatchWord("tile", x.dtype, [&](auto word) {
    return launchTileAs(word, ctx, p, x, y);
  });
}

Status gather(const Context &ctx, const TensorView &x,
              const TensorView &indices, const TensorView &y, int64_t axis) {
  GatherParams p;
  KILN_RETURN_IF_ERROR(makeGatherParams(x, indices, y, axis, p));
  return dispatchWord("gather", x.dtype, [&](auto word) {
    return launchGatherAs(word, ctx, p, x, indices, y);
  });
}

/// Copies between `whole` and its pieces along `axis`.
static Status copyPieces(const Context &ctx, Span<const TensorView> pieces,
                         const TensorView &whole, int64_t axis,
                         bool intoWhole) {
  int32_t a = static_cast<int32_t>(axis);
  size_t outer = static_cast<size_t>(whole.dimProduct(0, a));
  int64_t inner = whole.dimProduct(a + 1, whole.rank);
  int64_t size = whole.elementSize();
  size_t wholeRow = static_cast<size_t>(whole.shape[a] * inner * size);
  size_t column = 0;
  for (const TensorView &piece : pieces) {
    size_t pieceRow = static_cast<size_t>(piece.shape[a] * inner * size);
    char *wholeData = static_cast<char *>(whole.data) + column;
    column += pieceRow;
    if (pieceRow == 0 || outer == 0)
      continue;
    if (intoWhole)
      KILN_CUDA_RETURN_IF_ERROR(
          cudaMemcpy2DAsync(wholeData, wholeRow, piece.data, pieceRow, pieceRow,
                            outer, cudaMemcpyDeviceToDevice, ctx.stream));
    else
      KILN_CUDA_RETURN_IF_ERROR(
          cudaMemcpy2DAsync(piece.data, pieceRow, wholeData, wholeRow, pieceRow,
                            outer, cudaMemcpyDeviceToDevice, ctx.stream));
  }
  return Status::success();
}

Status concat(const Context &ctx, Span<const TensorView> inputs,
              const TensorView &y, int64_t axis) {
  KILN_RETURN_IF_ERROR(checkConcatShapes("concat", inputs, y, axis));
  return copyPieces(ctx, inputs, y, axis, /*intoWhole=*/true);
}

Status split(const Context &ctx, const TensorView &x,
             Span<const TensorView> outputs, int64_t axis) {
  KILN_RETURN_IF_ERROR(checkConcatShapes("split", outputs, x, axis));
  return copyPieces(ctx, outputs, x, axis, /*intoWhole=*/false);
}

//===----------------------------------------------------------------------===//
// range
//===----------------------------------------------------------------------===//

template <typename T>
static Status launchRange(const Context &ctx, const TensorView &start,
                          const TensorView &delta, const TensorView &y) {
  const T *startData = start.as<const T>();
  const T *deltaData = delta.as<const T>();
  T *yData = y.as<T>();
  return KILN_CUDA_PARALLEL_FOR(
      ctx, y.numElements(),
      [=] __device__(int64_t i) {
        yData[i] = rangeElement<T>(*startData, *deltaData, i);
      },
      "range");
}

Status range(const Context &ctx, const TensorView &start,
             const TensorView &limit, const TensorView &delta,
             const TensorView &y) {
  KILN_RETURN_IF_ERROR(checkRangeOperands(start, limit, delta, y));
  // The length comes from y's static shape: the scalars live on the device.
  switch (start.dtype) {
  case DType::Float:
    return launchRange<float>(ctx, start, delta, y);
  case DType::Int64:
    return launchRange<int64_t>(ctx, start, delta, y);
  case DType::Int32:
    return launchRange<int32_t>(ctx, start, delta, y);
  default:
    return Status::error("range: unsupported dtype %s", dtypeName(start.dtype));
  }
}

} // namespace kiln::cuda
