//===- Broadcast.h - Index maps for broadcast elementwise code --*- C++ -*-===//
//
// A fused elementwise kernel walks the flat index of its output and reads
// each input at the matching offset. With the output's dims and an input's
// strides expressed in output dims (0 where the input is broadcast, and for
// leading dims the input lacks), the offset is
//
//   offset = sum_d coord_d(i) * inStrides[d]
//
// Generated code emits the dims and strides as constants where the shapes
// are static; with dynamic dims it fills a BroadcastShape at run time.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_BROADCAST_H
#define KILN_KERNELS_COMMON_BROADCAST_H

#include "kernels/common/Tensor.h"

namespace kiln {

/// The flat offset into an input for flat output index `index`. `outShape`
/// has `rank` dims; `inStrides` are the input's strides in elements, aligned
/// to the output's dims, with 0 on broadcast dims.
KILN_HD inline int64_t broadcastOffset(int64_t index, int32_t rank,
                                       const int64_t *outShape,
                                       const int64_t *inStrides) {
  int64_t offset = 0;
  for (int32_t d = rank - 1; d >= 0; --d) {
    int64_t coord = index % outShape[d];
    index /= outShape[d];
    offset += coord * inStrides[d];
  }
  return offset;
}

/// The output dims and the strides of each input of a broadcast
/// elementwise kernel whose shapes are known at run time only. Rank and
/// inputs are at least 1 (a rank-0 kernel has one dim of size 1).
template <int Rank, int Inputs> struct BroadcastShape {
  int64_t dims[Rank];
  int64_t strides[Inputs][Rank];
};

/// Fills `strides` (rank `outRank`) for an input of shape `inShape` (rank
/// `inRank` <= `outRank`) broadcast to an output of rank `outRank`: the
/// input is right-aligned, its size-1 dims and missing leading dims get
/// stride 0.
KILN_HD inline void broadcastStrides(const int64_t *inShape, int32_t inRank,
                                     int32_t outRank, int64_t *strides) {
  int64_t stride = 1;
  for (int32_t d = outRank - 1; d >= 0; --d) {
    int32_t inDim = d - (outRank - inRank);
    if (inDim < 0) {
      strides[d] = 0;
      continue;
    }
    strides[d] = inShape[inDim] == 1 ? 0 : stride;
    stride *= inShape[inDim];
  }
}

/// Whether `strides` read a tensor of `shape` itself, with no broadcast:
/// the offset of flat index i is i.
KILN_HD inline bool isDenseBroadcast(int32_t rank, const int64_t *shape,
                                     const int64_t *strides) {
  int64_t stride = 1;
  for (int32_t d = rank - 1; d >= 0; --d) {
    if (shape[d] != 1 && strides[d] != stride)
      return false;
    stride *= shape[d];
  }
  return true;
}

/// Row-major strides (in elements) of `shape`.
KILN_HD inline void contiguousStrides(const int64_t *shape, int32_t rank,
                                      int64_t *strides) {
  int64_t stride = 1;
  for (int32_t d = rank - 1; d >= 0; --d) {
    strides[d] = stride;
    stride *= shape[d];
  }
}

} // namespace kiln

#endif // KILN_KERNELS_COMMON_BROADCAST_H
