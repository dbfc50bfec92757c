//===- BufferAccess.cpp - Which buffers kernel ops read and write ---------===//

#include "passes/fusion/BufferAccess.h"

#include "dialects/kernel/KernelOps.h"

#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;
using namespace kiln::kernel;

namespace kiln {

/// The buffer whose bytes `value` is: views followed to their source.
Value getRootBuffer(Value value) {
  while (auto view = value.getDefiningOp<ViewOp>())
    value = view.getSource();
  return value;
}

/// The index value that sizes dynamic dim `d` of `buffer`: an alloc's or a
/// view's size operand, the size a kernel.output_dims gives an output, or a
/// kernel.dim of an input. Null when none is known.
static Value getDynamicSize(Value buffer, int64_t d) {
  auto type = cast<MemRefType>(buffer.getType());
  unsigned position = type.getDynamicDimIndex(d);
  if (auto alloc = buffer.getDefiningOp<AllocOp>())
    return alloc.getDynamicSizes()[position];
  if (auto view = buffer.getDefiningOp<ViewOp>())
    return view.getDynamicSizes()[position];
  for (Operation *user : buffer.getUsers()) {
    if (auto dims = dyn_cast<OutputDimsOp>(user))
      return dims.getDynamicSizes()[position];
    if (auto dim = dyn_cast<DimOp>(user);
        dim && static_cast<int64_t>(dim.getIndex()) == d)
      return dim.getSize();
  }
  return {};
}

/// Whether `a` and `b` have one shape: equal static dims, and dynamic dims
/// sized by the same value.
bool haveSameShape(Value a, Value b) {
  if (a == b)
    return true;
  auto aType = cast<MemRefType>(a.getType());
  auto bType = cast<MemRefType>(b.getType());
  if (aType.getRank() != bType.getRank())
    return false;
  for (int64_t d = 0, e = aType.getRank(); d < e; ++d) {
    bool aDynamic = aType.isDynamicDim(d);
    if (aDynamic != bType.isDynamicDim(d))
      return false;
    if (!aDynamic) {
      if (aType.getDimSize(d) != bType.getDimSize(d))
        return false;
      continue;
    }
    Value aSize = getDynamicSize(a, d);
    if (!aSize || aSize != getDynamicSize(b, d))
      return false;
  }
  return true;
}

/// Whether `op` may write one of `buffers`. An op without regions and
/// without buffer operands writes none; otherwise its declared effects
/// decide, and an op that declares none may write anything.
bool mayWriteAny(Operation *op, const llvm::DenseSet<Value> &buffers) {
  if (op->getNumRegions() == 0 &&
      llvm::none_of(op->getOperandTypes(), llvm::IsaPred<MemRefType>))
    return false;
  std::optional<SmallVector<MemoryEffects::EffectInstance>> effects =
      getEffectsRecursively(op);
  if (!effects)
    return true;
  return llvm::any_of(*effects, [&](const MemoryEffects::EffectInstance &e) {
    if (!isa<MemoryEffects::Write>(e.getEffect()))
      return false;
    Value written = e.getValue();
    return !written || buffers.contains(getRootBuffer(written));
  });
}

} // namespace kiln
