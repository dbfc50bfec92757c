//===- WindowDims.cpp - Conv and pool windows over dynamic dims -*- C++ -*-===//
//
// Per spatial dim, with extent = dilation * (kernel - 1) + 1:
//
//   SAME_*:  out = ceil(in / stride)
//            total = max(0, (out - 1) * stride + extent - in)
//            begin = total / 2 (UPPER) or total - total / 2 (LOWER)
//   VALID:   begin = end = 0
//   NOTSET:  the explicit pads
//   out = floor((in + begin + end - extent) / stride) + 1, or with ceil_mode
//         ceil(...) + 1, less one when that window starts past the input
//         and its begin padding
//
// as `index` arithmetic on the input's (and, for conv, the weight's) dims:
// the twin of windowOutputSize and resolvePads (GraphUtils.h) for sizes
// known only at run time. Constants fold, so a static dim gives constants.
// The kernel gets the resolved begin and end pads; a ceil-mode window past
// the end pad is one the kernel accepts (kernels/common/Conv.h).
//
// conv_transpose, with natural = stride * (in - 1) + output_padding + extent:
//
//   out   = output_shape, in * stride (SAME_*), natural (VALID) or
//           natural - begin - end (NOTSET)
//   begin = (natural - out) floordiv 2, or the rest of it, for SAME_* and
//           output_shape (transposedPadBegin); the explicit one else
//   end   = stride * (in - 1) + extent - begin - out, what the kernel reads
//           (negative for output padding)
//
//===----------------------------------------------------------------------===//

#include "passes/conversion/GraphToKernel/LoweringState.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::graph_to_kernel;

namespace {

/// The window attributes of a conv or pool.
struct WindowAttrs {
  ArrayRef<int64_t> strides, pads, dilations;
  StringRef autoPad;
  bool ceilMode = false;
};

/// Index arithmetic that folds constants.
class IndexMath {
public:
  IndexMath(OpBuilder &builder, Location loc, LoweringState &state)
      : builder(builder), loc(loc), state(state) {}

  Value c(int64_t value) { return state.getIndex(value); }
  template <typename OpTy, typename... Args> Value fold(Args... args) {
    return builder.createOrFold<OpTy>(loc, args...);
  }
  Value add(Value a, Value b) { return fold<arith::AddIOp>(a, b); }
  Value sub(Value a, Value b) { return fold<arith::SubIOp>(a, b); }
  Value mul(Value a, Value b) { return fold<arith::MulIOp>(a, b); }
  Value ceilDiv(Value a, Value b) { return fold<arith::CeilDivSIOp>(a, b); }
  Value floorDiv(Value a, Value b) { return fold<arith::FloorDivSIOp>(a, b); }
  Value max(Value a, Value b) { return fold<arith::MaxSIOp>(a, b); }
  Value min(Value a, Value b) { return fold<arith::MinSIOp>(a, b); }

private:
  OpBuilder &builder;
  Location loc;
  LoweringState &state;
};

} // namespace

FailureOr<WindowSizes>
kiln::graph_to_kernel::reifyWindow(Operation *op, LoweringState &state) {
  FailureOr<SmallVector<Value>> input = state.getDims(op->getOperand(0));
  if (failed(input))
    return failure();
  int64_t spatial = input->size() - 2;
  WindowAttrs attrs;
  SmallVector<Value> kernel;
  auto fromAttr = [&](ArrayRef<int64_t> shape) {
    for (int64_t size : shape)
      kernel.push_back(state.getIndex(size));
  };
  LogicalResult known =
      llvm::TypeSwitch<Operation *, LogicalResult>(op)
          .Case([&](graph::ConvOp conv) -> LogicalResult {
            // The window is the weight's (N-d) spatial dims.
            FailureOr<SmallVector<Value>> weight =
                state.getDims(conv.getWeight());
            if (failed(weight))
              return failure();
            kernel.assign(weight->begin() + 2, weight->end());
            attrs = {conv.getStrides(), conv.getPads(), conv.getDilations(),
                     conv.getAutoPad()};
            return success();
          })
          .Case<graph::MaxPoolOp, graph::AveragePoolOp>([&](auto pool) {
            fromAttr(pool.getKernelShape());
            attrs = {pool.getStrides(), pool.getPads(), pool.getDilations(),
                     pool.getAutoPad(), pool.getCeilMode()};
            return success();
          })
          .Default([&](Operation *) {
            return op->emitError("'") << op->getName() << "' has no window";
          });
  if (failed(known))
    return failure();
  if (static_cast<int64_t>(kernel.size()) != spatial ||
      static_cast<int64_t>(attrs.strides.size()) != spatial ||
      static_cast<int64_t>(attrs.dilations.size()) != spatial ||
      static_cast<int64_t>(attrs.pads.size()) != 2 * spatial)
    return op->emitError("window attributes do not match ")
           << spatial << " spatial dimensions";
  bool same = attrs.autoPad == "SAME_UPPER" || attrs.autoPad == "SAME_LOWER";
  if (!same && attrs.autoPad != "NOTSET" && attrs.autoPad != "VALID")
    return op->emitError("auto_pad '") << attrs.autoPad << "' is unknown";

  IndexMath m(state.getBuilder(), op->getLoc(), state);
  WindowSizes sizes;
  for (int64_t i = 0; i < spatial; ++i) {
    Value in = (*input)[i + 2];
    Value stride = m.c(attrs.strides[i]);
    // dilation * (kernel - 1) + 1
    Value extent =
        m.add(m.mul(m.c(attrs.dilations[i]), m.sub(kernel[i], m.c(1))), m.c(1));
    Value begin = m.c(0), end = m.c(0);
    if (attrs.autoPad == "NOTSET") {
      begin = m.c(attrs.pads[i]);
      end = m.c(attrs.pads[i + spatial]);
    }
    if (same) {
      Value out = m.ceilDiv(in, stride);
      Value needed =
          m.sub(m.add(m.mul(m.sub(out, m.c(1)), stride), extent), in);
      Value total = m.max(needed, m.c(0));
      Value small = m.floorDiv(total, m.c(2));
      Value large = m.sub(total, small);
      bool upper = attrs.autoPad == "SAME_UPPER";
      sizes.padsBegin.push_back(upper ? small : large);
      sizes.padsEnd.push_back(upper ? large : small);
      sizes.outDims.push_back(out);
      continue;
    }
    sizes.padsBegin.push_back(begin);
    sizes.padsEnd.push_back(end);
    Value span = m.sub(m.add(m.add(in, begin), end), extent);
    // A window that does not fit gives an empty result here and an error
    // in the kernel, which sees the negative span.
    Value out;
    if (!attrs.ceilMode) {
      out = m.add(m.floorDiv(span, stride), m.c(1));
    } else {
      out = m.add(m.ceilDiv(span, stride), m.c(1));
      // The last window must start inside the input or its begin padding:
      // less one when (out - 1) * stride >= in + begin, that is when
      // min(max((out - 1) * stride - (in + begin) + 1, 0), 1) is 1. Sizes
      // only, no i1: control flow hoists index arithmetic out of its
      // regions.
      Value last = m.mul(m.sub(out, m.c(1)), stride);
      Value over = m.add(m.sub(last, m.add(in, begin)), m.c(1));
      out = m.sub(out, m.min(m.max(over, m.c(0)), m.c(1)));
    }
    sizes.outDims.push_back(m.max(out, m.c(0)));
  }
  return sizes;
}

FailureOr<WindowSizes>
kiln::graph_to_kernel::reifyTransposedWindow(Operation *transposed,
                                             LoweringState &state) {
  auto op = cast<graph::ConvTransposeOp>(transposed);
  FailureOr<SmallVector<Value>> input = state.getDims(op.getInput());
  FailureOr<SmallVector<Value>> weight = state.getDims(op.getWeight());
  if (failed(input) || failed(weight))
    return failure();
  int64_t spatial = input->size() - 2;
  ArrayRef<int64_t> strides = op.getStrides(), pads = op.getPads();
  ArrayRef<int64_t> dilations = op.getDilations();
  ArrayRef<int64_t> outputPadding = op.getOutputPadding();
  if (static_cast<int64_t>(strides.size()) != spatial ||
      static_cast<int64_t>(dilations.size()) != spatial ||
      static_cast<int64_t>(outputPadding.size()) != spatial ||
      static_cast<int64_t>(pads.size()) != 2 * spatial)
    return op.emitError("window attributes do not match ")
           << spatial << " spatial dimensions";
  std::optional<ArrayRef<int64_t>> outputShape = op.getOutputShape();
  if (outputShape && static_cast<int64_t>(outputShape->size()) == spatial + 2)
    outputShape = outputShape->drop_front(2);
  StringRef autoPad = op.getAutoPad();
  bool same = autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER";

  IndexMath m(state.getBuilder(), op.getLoc(), state);
  WindowSizes sizes;
  for (int64_t i = 0; i < spatial; ++i) {
    Value in = (*input)[i + 2], stride = m.c(strides[i]);
    Value extent = m.add(
        m.mul(m.c(dilations[i]), m.sub((*weight)[i + 2], m.c(1))), m.c(1));
    // stride * (in - 1) + extent: the span the input scatters over.
    Value spread = m.add(m.mul(m.sub(in, m.c(1)), stride), extent);
    Value natural = m.add(spread, m.c(outputPadding[i]));
    Value begin, out;
    if (outputShape || same) {
      out = outputShape ? m.c((*outputShape)[i]) : m.mul(in, stride);
      Value total = m.sub(natural, out);
      Value small = m.floorDiv(total, m.c(2));
      begin = autoPad == "SAME_UPPER" ? small : m.sub(total, small);
    } else if (autoPad == "VALID") {
      begin = m.c(0);
      out = natural;
    } else {
      begin = m.c(pads[i]);
      out = m.sub(m.sub(natural, begin), m.c(pads[i + spatial]));
    }
    sizes.outDims.push_back(out);
    sizes.padsBegin.push_back(begin);
    sizes.padsEnd.push_back(m.sub(m.sub(spread, begin), out));
  }
  return sizes;
}
