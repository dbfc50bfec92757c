//===- GatherScatter.cu - gather_elements, scatter_elements, *_nd ---------===//
//
// The index maps of kernels/common/GatherScatter.h on the device. The
// indices are copied to the host and checked before the launch (the copy
// synchronizes the stream), so that an index out of range is the same
// error as on the CPU. Gathers run one thread per output element; scatters
// copy x to y, then run one thread per line.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/GatherScatter.h"
#include "kernels/common/Words.h"
#include "kernels/cuda/CudaCheck.cuh"
#include "kernels/cuda/Kernels.h"
#include "kernels/cuda/ParallelFor.cuh"

#include <vector>

namespace kiln::cuda {

/// The index tensor's bytes, copied from the device.
static Status copyIndicesToHost(const Context &ctx, const TensorView &indices,
                                std::vector<char> &host) {
  host.resize(static_cast<size_t>(indices.numBytes()));
  if (host.empty())
    return Status::success();
  KILN_CUDA_RETURN_IF_ERROR(cudaMemcpyAsync(host.data(), indices.data,
                                            host.size(), cudaMemcpyDeviceToHost,
                                            ctx.stream));
  KILN_CUDA_RETURN_IF_ERROR(cudaStreamSynchronize(ctx.stream));
  return Status::success();
}

static Status copyInput(const Context &ctx, const TensorView &x,
                        const TensorView &y) {
  if (x.data == y.data || x.numBytes() == 0)
    return Status::success();
  KILN_CUDA_RETURN_IF_ERROR(
      cudaMemcpyAsync(y.data, x.data, static_cast<size_t>(x.numBytes()),
                      cudaMemcpyDeviceToDevice, ctx.stream));
  return Status::success();
}

// The device lambdas live in named templates: nvcc rejects extended lambdas
// inside the generic lambdas the dispatchers take.
template <typename Word>
static Status launchGatherElements(Word, const Context &ctx,
                                   const ElementsParams &p, const TensorView &x,
                                   const TensorView &indices,
                                   const TensorView &y) {
  const Word *xData = x.as<const Word>();
  const void *indexData = indices.data;
  Word *yData = y.as<Word>();
  return KILN_CUDA_PARALLEL_FOR(
      ctx, p.numIndices,
      [=] __device__(int64_t j) {
        int64_t a = wrapIndex(loadIndex(indexData, p.indices32, j), p.axisSize);
        yData[j] = a < 0 ? Word(0) : xData[elementsTarget(p, j, a)];
      },
      "gather_elements");
}

template <typename T>
static Status
launchScatterElements(T, const Context &ctx, const ElementsParams &p,
                      ScatterReduction kind, const TensorView &indices,
                      const TensorView &updates, const TensorView &y) {
  const void *indexData = indices.data;
  const T *updateData = updates.as<const T>();
  T *yData = y.as<T>();
  return KILN_CUDA_PARALLEL_FOR(
      ctx, elementsLineCount(p),
      [=] __device__(int64_t line) {
        scatterElementsLine<T>(p, kind, indexData, updateData, yData, line);
      },
      "scatter_elements");
}

template <typename Word>
static Status launchGatherNd(Word, const Context &ctx, const NdParams &p,
                             const TensorView &x, const TensorView &indices,
                             const TensorView &y) {
  const Word *xData = x.as<const Word>();
  const int64_t *indexData = indices.as<const int64_t>();
  Word *yData = y.as<Word>();
  return KILN_CUDA_PARALLEL_FOR(
      ctx, y.numElements(),
      [=] __device__(int64_t i) {
        int64_t base = ndSliceBase(p, indexData, i / p.sliceSize);
        yData[i] = base < 0 ? Word(0) : xData[base + i % p.sliceSize];
      },
      "gather_nd");
}

template <typename T>
static Status launchScatterNd(T, const Context &ctx, const NdParams &p,
                              ScatterReduction kind, const TensorView &indices,
                              const TensorView &updates, const TensorView &y) {
  const int64_t *indexData = indices.as<const int64_t>();
  const T *updateData = updates.as<const T>();
  T *yData = y.as<T>();
  return KILN_CUDA_PARALLEL_FOR(
      ctx, p.sliceSize,
      [=] __device__(int64_t e) {
        scatterNdLine<T>(p, kind, indexData, updateData, yData, e);
      },
      "scatter_nd");
}

Status gather_elements(const Context &ctx, const TensorView &x,
                       const TensorView &indices, const TensorView &y,
                       int64_t axis) {
  const char *kernel = "gather_elements";
  ElementsParams p;
  KILN_RETURN_IF_ERROR(makeElementsParams(kernel, x, indices, y, "y", axis, p));
  std::vector<char> host;
  KILN_RETURN_IF_ERROR(copyIndicesToHost(ctx, indices, host));
  KILN_RETURN_IF_ERROR(checkElementsIndices(kernel, p, host.data()));
  return dispatchWord(kernel, x.dtype, [&](auto word) {
    return launchGatherElements(word, ctx, p, x, indices, y);
  });
}

Status scatter_elements(const Context &ctx, const TensorView &x,
                        const TensorView &indices, const TensorView &updates,
                        const TensorView &y, int64_t axis,
                        const char *reduction) {
  const char *kernel = "scatter_elements";
  ElementsParams p;
  ScatterReduction kind;
  KILN_RETURN_IF_ERROR(parseScatterReduction(kernel, reduction, kind));
  KILN_RETURN_IF_ERROR(
      makeElementsParams(kernel, x, indices, updates, "updates", axis, p));
  KILN_RETURN_IF_ERROR(checkSameShape(kernel, "y", y, x));
  KILN_RETURN_IF_ERROR(checkSameDtype(kernel, "y", y, x));
  std::vector<char> host;
  KILN_RETURN_IF_ERROR(copyIndicesToHost(ctx, indices, host));
  KILN_RETURN_IF_ERROR(checkElementsIndices(kernel, p, host.data()));
  KILN_RETURN_IF_ERROR(copyInput(ctx, x, y));
  return dispatchScatter(kernel, x.dtype, kind, [&](auto zero) {
    return launchScatterElements(zero, ctx, p, kind, indices, updates, y);
  });
}

Status gather_nd(const Context &ctx, const TensorView &x,
                 const TensorView &indices, const TensorView &y,
                 int64_t batch_dims) {
  const char *kernel = "gather_nd";
  NdParams p;
  KILN_RETURN_IF_ERROR(makeNdParams(kernel, x, indices, y, "y", batch_dims, p));
  std::vector<char> host;
  KILN_RETURN_IF_ERROR(copyIndicesToHost(ctx, indices, host));
  KILN_RETURN_IF_ERROR(checkNdIndices(
      kernel, p, reinterpret_cast<const int64_t *>(host.data()), batch_dims));
  return dispatchWord(kernel, x.dtype, [&](auto word) {
    return launchGatherNd(word, ctx, p, x, indices, y);
  });
}

Status scatter_nd(const Context &ctx, const TensorView &x,
                  const TensorView &indices, const TensorView &updates,
                  const TensorView &y, const char *reduction) {
  const char *kernel = "scatter_nd";
  NdParams p;
  ScatterReduction kind;
  KILN_RETURN_IF_ERROR(parseScatterReduction(kernel, reduction, kind));
  KILN_RETURN_IF_ERROR(
      makeNdParams(kernel, x, indices, updates, "updates", 0, p));
  KILN_RETURN_IF_ERROR(checkSameShape(kernel, "y", y, x));
  KILN_RETURN_IF_ERROR(checkSameDtype(kernel, "y", y, x));
  std::vector<char> host;
  KILN_RETURN_IF_ERROR(copyIndicesToHost(ctx, indices, host));
  KILN_RETURN_IF_ERROR(checkNdIndices(
      kernel, p, reinterpret_cast<const int64_t *>(host.data()), 0));
  KILN_RETURN_IF_ERROR(copyInput(ctx, x, y));
  return dispatchScatter(kernel, x.dtype, kind, [&](auto zero) {
    return launchScatterNd(zero, ctx, p, kind, indices, updates, y);
  });
}

} // namespace kiln::cuda
