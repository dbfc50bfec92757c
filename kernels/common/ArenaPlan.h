//===- ArenaPlan.h - Placing buffers in one arena ---------------*- C++ -*-===//
//
// offset(buffer) = best free range of the arena at the buffer's first use
//
// Greedy best-fit placement of buffers with known live ranges, in order of
// first use; a buffer whose last use precedes another's first use gives its
// bytes back. kiln-plan-buffers places static buffers with it at compile
// time; a model with dynamic dims calls it at run time, with the sizes of
// the run's shapes and the live ranges the compiler found.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_KERNELS_COMMON_ARENAPLAN_H
#define KILN_KERNELS_COMMON_ARENAPLAN_H

#include "kernels/common/Checked.h"

#include <stdint.h>

#include <algorithm>
#include <vector>

namespace kiln {

/// Buffers are aligned to this many bytes in the arena.
constexpr int64_t kArenaAlignment = 64;

/// One buffer: the op positions [first, last] where it is live and its
/// bytes.
struct BufferLife {
  int64_t first;
  int64_t last;
  int64_t bytes;
};

/// Places `count` buffers, listed in order of first use: writes each one's
/// offset and the arena's size. False when the arena would pass
/// kMaxTensorBytes.
inline bool planArena(const BufferLife *buffers, int64_t count,
                      int64_t *offsets, int64_t *arenaBytes) {
  struct Range {
    int64_t offset;
    int64_t size;
  };
  std::vector<Range> freeRanges; // sorted by offset, coalesced
  std::vector<int64_t> live;     // indices of placed, live buffers
  int64_t size = 0;
  auto release = [&](int64_t offset, int64_t bytes) {
    auto it = std::lower_bound(
        freeRanges.begin(), freeRanges.end(), offset,
        [](const Range &r, int64_t o) { return r.offset < o; });
    it = freeRanges.insert(it, Range{offset, bytes});
    auto next = it + 1;
    if (next != freeRanges.end() && it->offset + it->size == next->offset) {
      it->size += next->size;
      freeRanges.erase(next);
    }
    if (it != freeRanges.begin()) {
      auto prev = it - 1;
      if (prev->offset + prev->size == it->offset) {
        prev->size += it->size;
        freeRanges.erase(it);
      }
    }
  };
  for (int64_t b = 0; b < count; ++b) {
    const BufferLife &life = buffers[b];
    live.erase(std::remove_if(live.begin(), live.end(),
                              [&](int64_t other) {
                                if (buffers[other].last >= life.first)
                                  return false;
                                release(offsets[other], buffers[other].bytes);
                                return true;
                              }),
               live.end());
    if (life.bytes == 0) {
      offsets[b] = 0;
      continue;
    }
    auto best = freeRanges.end();
    for (auto it = freeRanges.begin(); it != freeRanges.end(); ++it)
      if (it->size >= life.bytes &&
          (best == freeRanges.end() || it->size < best->size))
        best = it;
    if (best != freeRanges.end()) {
      offsets[b] = best->offset;
      best->offset += life.bytes;
      best->size -= life.bytes;
      if (best->size == 0)
        freeRanges.erase(best);
    } else {
      // The end of the arena, growing a free range that ends there.
      int64_t offset = size;
      if (!freeRanges.empty() &&
          freeRanges.back().offset + freeRanges.back().size == size)
        offset = freeRanges.back().offset;
      int64_t end;
      if (!checkedAdd(offset, life.bytes, end) || end > kMaxTensorBytes)
        return false;
      if (offset != size)
        freeRanges.pop_back();
      size = end;
      offsets[b] = offset;
    }
    live.push_back(b);
  }
  *arenaBytes = size;
  return true;
}

/// The bytes a buffer of `rank` dims of `elementBytes` takes in the arena,
/// aligned; false when it passes kMaxTensorBytes.
inline bool arenaBufferBytes(const int64_t *shape, int64_t rank,
                             int64_t elementBytes, int64_t &bytes) {
  int64_t raw;
  if (!checkedByteSize(shape, rank, elementBytes, raw))
    return false;
  int64_t rounded;
  if (!checkedAdd(raw, kArenaAlignment - 1, rounded))
    return false;
  bytes = rounded / kArenaAlignment * kArenaAlignment;
  return bytes <= kMaxTensorBytes;
}

} // namespace kiln

#endif // KILN_KERNELS_COMMON_ARENAPLAN_H
