//===- EmitCollectives.cpp - Collectives and per-rank blocks ----*- C++ -*-===//
//
// kernel.all_reduce, kernel.all_gather and kernel.shard call the runtime's
// collectives through the run context (runtime/ModelAbi.h) and move blocks
// with memcpy (CPU) or cudaMemcpy2DAsync (CUDA). Along the split dim a
// whole buffer is [before][parts][run bytes]: `before` counts the elements
// of the dims in front and the split's outer factor, `run` the bytes of one
// rank's block of one such row.
//
//===----------------------------------------------------------------------===//

#include "passes/codegen/EmitCommon.h"

#include "dialects/kernel/KernelOps.h"

using namespace mlir;

namespace kiln::codegen {
namespace {

struct BlockRows {
  int64_t before; // rows
  int64_t run;    // bytes of one rank's block of one row
};

/// The rows of a block buffer of `blockType` under `split`.
BlockRows getBlockRows(MemRefType blockType, dist::SplitAttr split) {
  ArrayRef<int64_t> shape = blockType.getShape();
  int64_t before = split.getOuter();
  for (int64_t d = 0; d < split.getDim(); ++d)
    before *= shape[d];
  int64_t run = shape[split.getDim()] / split.getOuter() *
                getElementBytes(blockType.getElementType());
  for (int64_t d = split.getDim() + 1; d < blockType.getRank(); ++d)
    run *= shape[d];
  return {before, run};
}

std::string axisCode(dist::Axis axis) {
  return std::to_string(static_cast<int32_t>(axis));
}

/// Copies `rows` rows of `run` bytes from `source` (rows `sourcePitch` bytes
/// apart) to `target` (rows `targetPitch` bytes apart).
void emitRowCopy(SourceEmitter &emitter, Operation *op,
                 const std::string &target, const std::string &targetPitch,
                 const std::string &source, const std::string &sourcePitch,
                 int64_t run, int64_t rows) {
  raw_ostream &body = emitter.body;
  if (emitter.isCuda()) {
    body << "if (cudaError_t error = cudaMemcpy2DAsync(" << target << ", "
         << targetPitch << ", " << source << ", " << sourcePitch << ", " << run
         << ", " << rows
         << ", cudaMemcpyDeviceToDevice, kctx.stream); error != cudaSuccess)\n";
    body << "  return kilnFail(ctx, " << quoteCString(emitter.describe(op))
         << ", cudaGetErrorString(error));\n";
    return;
  }
  body << "for (int64_t row = 0; row < " << rows << "; ++row)\n";
  body << "  memcpy(" << target << " + row * " << targetPitch << ", " << source
       << " + row * " << sourcePitch << ", " << run << ");\n";
}

/// `buffer` as a pointer to bytes, to write (or, with `read`, to read).
std::string bytePointer(SourceEmitter &emitter, Value buffer,
                        bool read = false) {
  return ((read ? "reinterpret_cast<const char *>("
                : "reinterpret_cast<char *>(") +
          emitter.getName(buffer) + ")")
      .str();
}

} // namespace

LogicalResult emitAllReduce(kernel::AllReduceOp op, SourceEmitter &emitter) {
  auto type = cast<MemRefType>(op.getSource().getType());
  std::optional<int32_t> dtype = getOnnxDType(type.getElementType());
  if (!dtype)
    return op.emitError("all_reduce of ") << type.getElementType();
  emitter.body << "if (ctx->collectives->all_reduce(ctx, "
               << axisCode(op.getAxis()) << ", " << *dtype << ", "
               << emitter.getName(op.getSource()) << ", "
               << emitter.getName(op.getTarget()) << ", "
               << type.getNumElements() << ") != 0)\n";
  emitter.body << "  return 1;\n";
  return success();
}

LogicalResult emitAllGather(kernel::AllGatherOp op, SourceEmitter &emitter) {
  dist::SplitAttr split = op.getSplit();
  BlockRows rows =
      getBlockRows(cast<MemRefType>(op.getSource().getType()), split);
  int64_t parts = split.getParts();
  std::string axis = axisCode(split.getAxis());
  // One row: the blocks arrive in place; else in the scratch buffer first.
  Value into = op.getScratch() ? op.getScratch() : op.getTarget();
  emitter.body << "if (ctx->collectives->all_gather(ctx, " << axis << ", "
               << emitter.getName(op.getSource()) << ", "
               << emitter.getName(into) << ", " << rows.before * rows.run
               << ") != 0)\n";
  emitter.body << "  return 1;\n";
  if (!op.getScratch())
    return success();
  // Rank r's block holds row o of its part at scratch[(r * before + o) *
  // run]; the whole buffer wants it at [(o * parts + r) * run].
  emitter.body << "for (int64_t part = 0; part < " << parts << "; ++part) {\n";
  emitter.body.indent();
  emitRowCopy(emitter, op,
              bytePointer(emitter, op.getTarget()) + " + part * " +
                  std::to_string(rows.run),
              std::to_string(parts * rows.run),
              bytePointer(emitter, op.getScratch(), /*read=*/true) +
                  " + part * " +
                  std::to_string(rows.before * rows.run),
              std::to_string(rows.run), rows.run, rows.before);
  emitter.body.unindent();
  emitter.body << "}\n";
  return success();
}

LogicalResult emitShard(kernel::ShardOp op, SourceEmitter &emitter) {
  dist::SplitAttr split = op.getSplit();
  BlockRows rows =
      getBlockRows(cast<MemRefType>(op.getTarget().getType()), split);
  int64_t parts = split.getParts();
  emitRowCopy(emitter, op, bytePointer(emitter, op.getTarget()),
              std::to_string(rows.run),
              bytePointer(emitter, op.getSource(), /*read=*/true) +
                  " + ctx->coords[" +
                  axisCode(split.getAxis()) + "] * " +
                  std::to_string(rows.run),
              std::to_string(parts * rows.run), rows.run, rows.before);
  return success();
}

} // namespace kiln::codegen
