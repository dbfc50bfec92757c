//===- PlanBuffers.cpp - Place kernel.alloc buffers in one arena -*- C++
//-*-===//
//
// offset(alloc) = best free range of the arena at the alloc's first use
//
// Liveness over the single block of a lowered function, then greedy best-fit
// placement in order of first use.
//
//===----------------------------------------------------------------------===//

#include "passes/kernel/Passes.h"

#include "dialects/kernel/KernelOps.h"
#include "kernels/common/Checked.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/STLExtras.h"

namespace kiln {
#define GEN_PASS_DEF_PLANBUFFERSPASS
#include "passes/kernel/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;
using namespace kiln::kernel;

namespace {

constexpr int64_t kAlignment = 64;

/// The bytes an alloc takes in the arena, rounded up to the alignment;
/// std::nullopt when the buffer is larger than a tensor may be.
std::optional<int64_t> getArenaBytes(MemRefType type) {
  std::optional<int64_t> bytes = getBufferBytes(type);
  if (!bytes)
    return std::nullopt;
  return llvm::alignTo(*bytes, kAlignment);
}

/// One buffer and the range of op positions [first, last] where it lives.
struct Lifetime {
  AllocOp alloc;
  int64_t first;
  int64_t last;
  int64_t bytes;
};

/// Widens `life` to cover every use of `value` in `block`, looking through
/// views: the view's uses read the same bytes.
void addUses(Value value, Block &block,
             const DenseMap<Operation *, int64_t> &positions, Lifetime &life) {
  for (Operation *user : value.getUsers()) {
    Operation *topLevel = block.findAncestorOpInBlock(*user);
    int64_t position = positions.lookup(topLevel);
    life.first = std::min(life.first, position);
    life.last = std::max(life.last, position);
    if (auto view = dyn_cast<ViewOp>(user))
      addUses(view.getResult(), block, positions, life);
  }
}

/// The arena: free ranges (kept sorted and coalesced) below a high-water
/// mark.
class Arena {
public:
  /// The offset of a range of `bytes`: the smallest free range that holds
  /// it, else the end of the arena (growing a free range that ends there);
  /// std::nullopt when the arena would pass kMaxTensorBytes.
  std::optional<int64_t> allocate(int64_t bytes) {
    auto *best = freeRanges.end();
    for (auto *it = freeRanges.begin(); it != freeRanges.end(); ++it)
      if (it->size >= bytes &&
          (best == freeRanges.end() || it->size < best->size))
        best = it;
    if (best != freeRanges.end()) {
      int64_t offset = best->offset;
      best->offset += bytes;
      best->size -= bytes;
      if (best->size == 0)
        freeRanges.erase(best);
      return offset;
    }
    int64_t offset = size;
    if (!freeRanges.empty() &&
        freeRanges.back().offset + freeRanges.back().size == size)
      offset = freeRanges.back().offset;
    int64_t end;
    if (!checkedAdd(offset, bytes, end) || end > kMaxTensorBytes)
      return std::nullopt;
    if (offset != size)
      freeRanges.pop_back();
    size = end;
    return offset;
  }

  void release(int64_t offset, int64_t bytes) {
    auto *it =
        llvm::lower_bound(freeRanges, offset, [](const Range &r, int64_t o) {
          return r.offset < o;
        });
    it = freeRanges.insert(it, Range{offset, bytes});
    // Merge with the next range, then with the previous one.
    auto *next = std::next(it);
    if (next != freeRanges.end() && it->offset + it->size == next->offset) {
      it->size += next->size;
      freeRanges.erase(next);
    }
    if (it != freeRanges.begin()) {
      auto *prev = std::prev(it);
      if (prev->offset + prev->size == it->offset) {
        prev->size += it->size;
        freeRanges.erase(it);
      }
    }
  }

  int64_t getSize() const { return size; }

private:
  struct Range {
    int64_t offset;
    int64_t size;
  };
  SmallVector<Range> freeRanges;
  int64_t size = 0;
};

struct PlanBuffersPass
    : public kiln::impl::PlanBuffersPassBase<PlanBuffersPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    if (!func.getBody().hasOneBlock()) {
      func.emitError("kiln-plan-buffers expects a function with one block");
      return signalPassFailure();
    }
    Block &block = func.getBody().front();

    DenseMap<Operation *, int64_t> positions;
    for (auto [index, op] : llvm::enumerate(block))
      positions[&op] = index;

    SmallVector<Lifetime> lifetimes;
    for (auto alloc : block.getOps<AllocOp>()) {
      int64_t position = positions.lookup(alloc);
      std::optional<int64_t> bytes =
          getArenaBytes(alloc.getBuffer().getType());
      if (!bytes) {
        alloc.emitError("buffer of type ")
            << alloc.getBuffer().getType()
            << " is not static or holds more than 2^62 bytes";
        return signalPassFailure();
      }
      Lifetime life{alloc, INT64_MAX, position, *bytes};
      addUses(alloc.getBuffer(), block, positions, life);
      if (life.first == INT64_MAX)
        life.first = position;
      lifetimes.push_back(life);
    }
    llvm::stable_sort(lifetimes, [](const Lifetime &a, const Lifetime &b) {
      return a.first < b.first;
    });

    Arena arena;
    SmallVector<std::pair<const Lifetime *, int64_t>> live;
    Builder builder(func.getContext());
    for (Lifetime &life : lifetimes) {
      // Buffers whose last use precedes this first use give their bytes back.
      llvm::erase_if(live, [&](const auto &entry) {
        if (entry.first->last >= life.first)
          return false;
        arena.release(entry.second, entry.first->bytes);
        return true;
      });
      std::optional<int64_t> offset =
          life.bytes == 0 ? 0 : arena.allocate(life.bytes);
      if (!offset) {
        life.alloc.emitError("the arena would hold more than 2^62 bytes");
        return signalPassFailure();
      }
      life.alloc.setOffsetAttr(builder.getI64IntegerAttr(*offset));
      if (life.bytes != 0)
        live.emplace_back(&life, *offset);
    }
    func->setAttr("kernel.arena_bytes",
                  builder.getI64IntegerAttr(arena.getSize()));
  }
};

} // namespace
