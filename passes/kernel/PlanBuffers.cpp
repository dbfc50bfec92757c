//===- PlanBuffers.cpp - Place kernel.alloc buffers in one arena -*- C++
//-*-===//
//
// offset(alloc) = best free range of the arena at the alloc's first use
//
// Liveness over the single block of a lowered function, then greedy best-fit
// placement in order of first use (kernels/common/ArenaPlan.h). A use inside
// a region (the body of an scf.if, scf.for or scf.while) counts as a use at
// the op holding the region: a buffer a loop body reads or writes is live
// through every iteration, so no other buffer of the body takes its bytes. When
// an alloc has dynamic dims the placement happens at run time, with the same
// function: each alloc gets its `slot` in order of first use and its `live`
// range, and the function `kernel.arena_slots`.
//
//===----------------------------------------------------------------------===//

#include "passes/kernel/Passes.h"

#include "dialects/kernel/KernelOps.h"
#include "kernels/common/ArenaPlan.h"

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

/// The bytes an alloc takes in the arena, rounded up to the alignment;
/// std::nullopt when the buffer is larger than a tensor may be.
std::optional<int64_t> getArenaBytes(MemRefType type) {
  std::optional<int64_t> bytes = getBufferBytes(type);
  if (!bytes)
    return std::nullopt;
  return llvm::alignTo(*bytes, kArenaAlignment);
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
    WalkResult nested = func.walk([&](AllocOp alloc) {
      if (alloc->getBlock() == &block)
        return WalkResult::advance();
      alloc.emitError("kiln-plan-buffers expects every kernel.alloc in the "
                      "function's block, not in a region");
      return WalkResult::interrupt();
    });
    if (nested.wasInterrupted())
      return signalPassFailure();

    DenseMap<Operation *, int64_t> positions;
    for (auto [index, op] : llvm::enumerate(block))
      positions[&op] = index;

    bool isDynamic = llvm::any_of(block.getOps<AllocOp>(), [](AllocOp alloc) {
      return !alloc.getBuffer().getType().hasStaticShape();
    });
    SmallVector<Lifetime> lifetimes;
    for (auto alloc : block.getOps<AllocOp>()) {
      int64_t position = positions.lookup(alloc);
      std::optional<int64_t> bytes = int64_t(0);
      if (!isDynamic) {
        bytes = getArenaBytes(alloc.getBuffer().getType());
        if (!bytes) {
          alloc.emitError("buffer of type ")
              << alloc.getBuffer().getType() << " holds more than 2^62 bytes";
          return signalPassFailure();
        }
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

    Builder builder(func.getContext());
    if (isDynamic) {
      for (auto [slot, life] : llvm::enumerate(lifetimes)) {
        life.alloc.setSlotAttr(builder.getI64IntegerAttr(slot));
        life.alloc.setLiveAttr(
            builder.getDenseI64ArrayAttr({life.first, life.last}));
      }
      func->setAttr("kernel.arena_slots",
                    builder.getI64IntegerAttr(lifetimes.size()));
      return;
    }

    SmallVector<BufferLife> lives;
    for (const Lifetime &life : lifetimes)
      lives.push_back({life.first, life.last, life.bytes});
    SmallVector<int64_t> offsets(lives.size());
    int64_t arenaBytes;
    if (!planArena(lives.data(), lives.size(), offsets.data(), &arenaBytes)) {
      func.emitError("the arena would hold more than 2^62 bytes");
      return signalPassFailure();
    }
    for (auto [life, offset] : llvm::zip(lifetimes, offsets))
      life.alloc.setOffsetAttr(builder.getI64IntegerAttr(offset));
    func->setAttr("kernel.arena_bytes", builder.getI64IntegerAttr(arenaBytes));
  }
};

} // namespace
