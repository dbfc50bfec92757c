//===- PlanBuffers.cpp - Place kernel.alloc buffers in one arena -*- C++
//-*-===//
//
// offset(alloc) = best free range of the arena at the alloc's first use
// offset(out) = offset(in)   for out = elementwise(in, ...) where in dies
//
// In place: an elementwise kernel's output takes the bytes of an input of
// its shape and element width that no later op reads; the two become one
// buffer of the plan, exactly aligned (element i is read before it is
// written, and no other alignment would be safe).
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
#include "llvm/ADT/DenseSet.h"
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

/// For each lifetime (sorted by first use), the index of the lifetime whose
/// bytes it shares, itself if none: the output of a kernel.elementwise
/// joins the group of an input alloc of its type's shape and element width
/// whose last use is that kernel, so the output is written in place.
SmallVector<int64_t>
groupInPlace(ArrayRef<Lifetime> lifetimes,
             const DenseMap<Operation *, int64_t> &positions) {
  DenseMap<Value, int64_t> indexOf;
  for (auto [index, life] : llvm::enumerate(lifetimes))
    indexOf[AllocOp(life.alloc).getBuffer()] = index;
  SmallVector<int64_t> group(lifetimes.size());
  for (auto [index, life] : llvm::enumerate(lifetimes))
    group[index] = index;
  // The group whose last member dies at each position, once taken.
  DenseSet<int64_t> taken;
  for (auto [index, life] : llvm::enumerate(lifetimes)) {
    // The kernel that first touches `out` writes it.
    Value out = AllocOp(life.alloc).getBuffer();
    ElementwiseOp kernel;
    for (Operation *user : out.getUsers())
      if (auto writer = dyn_cast<ElementwiseOp>(user);
          writer && positions.lookup(writer) == life.first &&
          writer->getBlock() == life.alloc->getBlock() &&
          llvm::is_contained(writer.getOutputs(), out))
        kernel = writer;
    if (!kernel)
      continue;
    int64_t position = life.first;
    // The buffer a view reads: an input the kernel also reads through a
    // view is left alone (conservatively; views keep the byte order).
    auto viewedBuffer = [](Value value) {
      while (auto view = value.getDefiningOp<ViewOp>())
        value = view.getSource();
      return value;
    };
    auto outType = cast<MemRefType>(out.getType());
    for (Value in : kernel.getInputs()) {
      auto it = indexOf.find(in);
      if (it == indexOf.end() || llvm::is_contained(kernel.getOutputs(), in))
        continue;
      if (llvm::any_of(kernel.getInputs(), [&](Value other) {
            return other != in && viewedBuffer(other) == in;
          }))
        continue;
      const Lifetime &input = lifetimes[it->second];
      auto inType = cast<MemRefType>(in.getType());
      if (input.last != position || inType.getShape() != outType.getShape() ||
          inType.getElementTypeBitWidth() !=
              outType.getElementTypeBitWidth() ||
          input.bytes != life.bytes || !taken.insert(it->second).second)
        continue;
      group[index] = group[it->second];
      break;
    }
  }
  return group;
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

    // One plan buffer per group of allocs that share their bytes in place.
    SmallVector<int64_t> group = groupInPlace(lifetimes, positions);
    SmallVector<BufferLife> lives;
    SmallVector<int64_t> lifeOf(lifetimes.size());
    int64_t intermediateBytes = 0;
    for (auto [index, life] : llvm::enumerate(lifetimes)) {
      intermediateBytes += life.bytes;
      if (group[index] != static_cast<int64_t>(index)) {
        BufferLife &shared = lives[lifeOf[group[index]]];
        shared.last = std::max(shared.last, life.last);
        lifeOf[index] = lifeOf[group[index]];
        continue;
      }
      lifeOf[index] = lives.size();
      lives.push_back({life.first, life.last, life.bytes});
    }
    SmallVector<int64_t> offsets(lives.size());
    int64_t arenaBytes;
    if (!planArena(lives.data(), lives.size(), offsets.data(), &arenaBytes)) {
      func.emitError("the arena would hold more than 2^62 bytes");
      return signalPassFailure();
    }
    for (auto [index, life] : llvm::enumerate(lifetimes))
      life.alloc.setOffsetAttr(
          builder.getI64IntegerAttr(offsets[lifeOf[index]]));
    func->setAttr("kernel.arena_bytes", builder.getI64IntegerAttr(arenaBytes));
    // For the compile report: what the plan saves.
    func->setAttr("kernel.intermediate_bytes",
                  builder.getI64IntegerAttr(intermediateBytes));
  }
};

} // namespace
