//===- LowerElementwise.cpp - Elementwise ops as kernel.elementwise -*- C++
//-*-===//
//
// f(x1, ..., xn) => kernel.elementwise ins(x1, ..., xn) outs(y) { f on scalars
// }
//
// Each graph op that computes one element of its result from the elements
// at the same (broadcast) index of its operands becomes an elementwise
// kernel whose body is the op's scalar math in arith and math. Operands that
// are splat constants become arith.constants in the body instead of inputs.
// batch_norm views its (C) parameters as (C, 1, ..., 1) so that numpy
// broadcasting aligns them with dimension 1.
//
//===----------------------------------------------------------------------===//

#include "passes/conversion/GraphToKernel/LoweringState.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "passes/conversion/GraphToKernel/ScalarBuilder.h"

#include "dialects/graph/GraphOps.h"
#include "dialects/graph/GraphUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace kiln;
using namespace kiln::graph_to_kernel;

namespace {

//===----------------------------------------------------------------------===//
// Kernel construction
//===----------------------------------------------------------------------===//

/// One operand of the kernel: a buffer read at the broadcast index, or a
/// scalar constant.
struct KernelInput {
  Value buffer;
  TypedAttr scalar;
};

using BodyFn =
    llvm::function_ref<FailureOr<Value>(ScalarBuilder &, ArrayRef<Value>)>;

/// A splat constant becomes a scalar of the body, anything else a buffer.
FailureOr<KernelInput> getKernelInput(Value value, LoweringState &state) {
  if (auto dense = dyn_cast_if_present<DenseElementsAttr>(
          graph::getConstantElements(value))) {
    if (dense.isSplat() && dense.getElementType().isIntOrFloat())
      return KernelInput{Value(), dense.getSplatValue<TypedAttr>()};
  }
  FailureOr<Value> buffer = state.getBuffer(value);
  if (failed(buffer))
    return failure();
  return KernelInput{*buffer, TypedAttr()};
}

FailureOr<SmallVector<KernelInput>> getKernelInputs(ValueRange values,
                                                    LoweringState &state) {
  SmallVector<KernelInput> inputs;
  for (Value value : values) {
    FailureOr<KernelInput> input = getKernelInput(value, state);
    if (failed(input))
      return failure();
    inputs.push_back(*input);
  }
  return inputs;
}

/// The first unsigned integer type an op of `block` works on.
Type findUnsignedType(Block &block) {
  for (Operation &op : block)
    for (Type type :
         llvm::concat<Type>(op.getOperandTypes(), op.getResultTypes()))
      if (type.isUnsignedInteger())
        return type;
  return Type();
}

/// `type`, as the signless integer of its width when it is unsigned and
/// `unsignedAsSignless` is set.
Type getScalarType(Type type, bool unsignedAsSignless) {
  if (!unsignedAsSignless || !type.isUnsignedInteger())
    return type;
  return IntegerType::get(type.getContext(), type.getIntOrFloatBitWidth());
}

/// Writes op's single result with an elementwise kernel over `inputs`
/// whose body `body` builds. With `unsignedAsSignless` the body sees
/// unsigned buffers as signless integers of their width (the body's ops
/// then choose the unsigned meaning); otherwise unsigned types are refused.
LogicalResult emitElementwise(Operation *op, ArrayRef<KernelInput> inputs,
                              LoweringState &state, BodyFn body,
                              bool unsignedAsSignless = false) {
  Location loc = op->getLoc();
  OpBuilder &builder = state.getBuilder();
  Value result = op->getResult(0);
  Value out;
  bool dynamicInputs = llvm::any_of(inputs, [](const KernelInput &input) {
    return input.buffer &&
           !cast<MemRefType>(input.buffer.getType()).hasStaticShape();
  });
  if (cast<ShapedType>(result.getType()).hasStaticShape()) {
    out = state.createResultBuffer(result);
    // Dynamic inputs of a result the model fixed must broadcast to it:
    // each of their dims is the result's or 1, checked at run time.
    if (dynamicInputs) {
      auto type = cast<RankedTensorType>(result.getType());
      for (const KernelInput &input : inputs) {
        if (!input.buffer)
          continue;
        SmallVector<Value> dims = state.getBufferDims(input.buffer);
        int64_t lead = type.getRank() - static_cast<int64_t>(dims.size());
        for (auto [d, dim] : llvm::enumerate(dims))
          if (!getConstantIntValue(dim) && lead + static_cast<int64_t>(d) >= 0)
            kernel::BroadcastDimOp::create(
                builder, loc, builder.getIndexType(),
                state.getIndex(type.getDimSize(lead + d)), dim);
      }
    }
  } else if (isa<graph::ExpandOp, graph::ConstantOfShapeOp>(op)) {
    // Dims given by a shape operand.
    out = state.createResultBuffer(result);
    if (!out)
      return failure();
  } else {
    // The result's dims: the broadcast of the inputs' (run-time checked
    // where they are not one value).
    SmallVector<SmallVector<Value>> shapes;
    for (const KernelInput &input : inputs)
      if (input.buffer)
        shapes.push_back(state.getBufferDims(input.buffer));
    int64_t rank = cast<ShapedType>(result.getType()).getRank();
    SmallVector<Value> dims = state.broadcastDims(loc, shapes, rank);
    auto type = cast<RankedTensorType>(result.getType());
    for (int64_t d = 0; d < rank; ++d)
      if (!type.isDynamicDim(d))
        dims[d] = state.getIndex(type.getDimSize(d));
    out = state.createResultBuffer(result, ArrayRef<Value>(dims));
  }
  Type outElementType = getScalarType(
      cast<MemRefType>(out.getType()).getElementType(), unsignedAsSignless);

  SmallVector<Value> buffers;
  SmallVector<Type> argTypes;
  for (const KernelInput &input : inputs) {
    if (!input.buffer)
      continue;
    buffers.push_back(input.buffer);
    argTypes.push_back(
        getScalarType(cast<MemRefType>(input.buffer.getType()).getElementType(),
                      unsignedAsSignless));
  }
  auto kernelOp =
      kernel::ElementwiseOp::create(builder, loc, buffers, ValueRange{out});
  OpBuilder::InsertionGuard guard(builder);
  Block *block =
      builder.createBlock(&kernelOp.getBody(), {}, argTypes,
                          SmallVector<Location>(argTypes.size(), loc));
  ScalarBuilder scalars(builder, loc);
  SmallVector<Value> args;
  unsigned nextArg = 0;
  for (const KernelInput &input : inputs) {
    if (input.buffer) {
      args.push_back(block->getArgument(nextArg++));
      continue;
    }
    TypedAttr scalar = input.scalar;
    if (auto intAttr = dyn_cast<IntegerAttr>(scalar);
        intAttr && unsignedAsSignless && intAttr.getType().isUnsignedInteger())
      scalar = IntegerAttr::get(getScalarType(intAttr.getType(), true),
                                intAttr.getValue());
    args.push_back(scalars.create<arith::ConstantOp>(scalar));
  }

  FailureOr<Value> value = body(scalars, args);
  if (failed(value))
    return failure();
  if (value->getType() != outElementType)
    return op->emitError("elementwise body computes ")
           << value->getType() << " for a result of " << outElementType;
  kernel::YieldOp::create(builder, loc, *value);
  if (Type unsignedType = findUnsignedType(*block))
    return op->emitError("cannot lower '")
           << op->getName() << "' on unsigned element type " << unsignedType
           << ": elementwise kernels compute on signless integers";
  return success();
}

/// Lowers op(input) with `fn` on its one operand.
LogicalResult emitUnary(Operation *op, LoweringState &state,
                        llvm::function_ref<Value(ScalarBuilder &, Value)> fn,
                        bool unsignedAsSignless = false) {
  FailureOr<SmallVector<KernelInput>> inputs =
      getKernelInputs(op->getOperand(0), state);
  if (failed(inputs))
    return failure();
  return emitElementwise(
      op, *inputs, state,
      [&](ScalarBuilder &b, ArrayRef<Value> args) {
        return FailureOr<Value>(fn(b, args[0]));
      },
      unsignedAsSignless);
}

/// Like emitUnary, for ops defined on floats only.
LogicalResult
emitFloatUnary(Operation *op, LoweringState &state,
               llvm::function_ref<Value(ScalarBuilder &, Value)> fn) {
  Type elementType =
      cast<ShapedType>(op->getOperand(0).getType()).getElementType();
  if (!isa<FloatType>(elementType))
    return op->emitError("cannot lower '")
           << op->getName() << "' on element type " << elementType
           << ": it needs a float";
  return emitUnary(op, state, fn);
}

template <typename MathOp>
LogicalResult emitMath(Operation *op, LoweringState &state) {
  return emitFloatUnary(
      op, state, [](ScalarBuilder &b, Value x) { return b.create<MathOp>(x); });
}

/// Lowers op(lhs, rhs) with `fn` on its two operands.
LogicalResult
emitBinary(Operation *op, LoweringState &state,
           llvm::function_ref<Value(ScalarBuilder &, Value, Value)> fn,
           bool unsignedAsSignless = false) {
  FailureOr<SmallVector<KernelInput>> inputs =
      getKernelInputs(op->getOperands(), state);
  if (failed(inputs))
    return failure();
  // Unsigned operands seen as signless: the op's math takes its unsigned
  // forms (bodies that compute in other types, as quantization's, choose
  // their own).
  bool isUnsigned =
      unsignedAsSignless && llvm::any_of(op->getOperandTypes(), [](Type type) {
        return getElementTypeOrSelf(type).isUnsignedInteger();
      });
  return emitElementwise(
      op, *inputs, state,
      [&](ScalarBuilder &b, ArrayRef<Value> args) {
        b.setUnsigned(isUnsigned);
        return FailureOr<Value>(fn(b, args[0], args[1]));
      },
      unsignedAsSignless);
}

//===----------------------------------------------------------------------===//
// Scalar bodies of the ops with more than one line of math
//===----------------------------------------------------------------------===//

/// x ** e with the base's type; an exponent of another type is converted.
Value buildPow(ScalarBuilder &b, Value x, Value e) {
  Type type = x.getType();
  if (isa<FloatType>(type))
    return b.create<math::PowFOp>(x, b.convert(e, type));
  if (ScalarBuilder::isFloat(e)) {
    Value result = b.create<math::PowFOp>(b.convert(x, e.getType()), e);
    return b.convert(result, type);
  }
  return b.create<math::IPowIOp>(x, b.convert(e, type));
}

/// fmod: the sign of the dividend (C fmod); otherwise, for integers, the
/// sign of the divisor (Python %): r = a rem b; r != 0 && (r < 0) != (b < 0)
/// ? r + b : r.
Value buildMod(ScalarBuilder &b, Value x, Value y, bool fmod) {
  if (ScalarBuilder::isFloat(x))
    return b.create<arith::RemFOp>(x, y);
  if (b.isUnsigned(x))
    return b.create<arith::RemUIOp>(x, y);
  Value rem = b.create<arith::RemSIOp>(x, y);
  if (fmod)
    return rem;
  Value zero = b.constantLike(x, 0);
  Value nonZero = b.compare(Compare::Ne, rem, zero);
  Value signsDiffer = b.create<arith::XOrIOp>(b.compare(Compare::Lt, rem, zero),
                                              b.compare(Compare::Lt, y, zero));
  Value fix = b.create<arith::AndIOp>(nonZero, signsDiffer);
  return b.select(fix, b.add(rem, y), rem);
}

/// x > 0 ? 1 : (x < 0 ? -1 : x), so that 0 and NaN map to themselves.
Value buildSign(ScalarBuilder &b, Value x) {
  Value zero = b.constantLike(x, 0);
  Value negative =
      b.select(b.compare(Compare::Lt, x, zero), b.constantLike(x, -1), x);
  return b.select(b.compare(Compare::Gt, x, zero), b.constantLike(x, 1),
                  negative);
}

/// 0.5 x (1 + erf(x / sqrt 2)), or with approximate = "tanh"
/// 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))).
Value buildGelu(ScalarBuilder &b, Value x, bool useTanh) {
  Value inner;
  if (useTanh) {
    Value cube = b.mul(b.mul(x, x), x);
    Value poly = b.add(x, b.mul(b.constantLike(x, 0.044715), cube));
    inner = b.create<math::TanhOp>(
        b.mul(b.constantLike(x, std::sqrt(2.0 / M_PI)), poly));
  } else {
    inner = b.create<math::ErfOp>(b.mul(x, b.constantLike(x, M_SQRT1_2)));
  }
  Value half = b.mul(b.constantLike(x, 0.5), x);
  return b.mul(half, b.add(b.constantLike(x, 1), inner));
}

/// x < 0 ? alpha * (e^x - 1) : x
Value buildElu(ScalarBuilder &b, Value x, double alpha) {
  Value negative = b.mul(b.constantLike(x, alpha), b.create<math::ExpM1Op>(x));
  return b.select(b.compare(Compare::Lt, x, b.constantLike(x, 0)), negative, x);
}

/// max(0, x) + min(0, alpha * (e^(x / alpha) - 1))
Value buildCelu(ScalarBuilder &b, Value x, double alpha) {
  Value zero = b.constantLike(x, 0);
  Value scaled = b.div(x, b.constantLike(x, alpha));
  Value negative =
      b.mul(b.constantLike(x, alpha), b.create<math::ExpM1Op>(scaled));
  return b.add(b.max(zero, x), b.min(zero, negative));
}

/// log(1 + e^x), as max(x, 0) + log(1 + e^-|x|) so that large x do not
/// overflow.
Value buildSoftplus(ScalarBuilder &b, Value x) {
  Value tail = b.create<math::Log1pOp>(b.create<math::ExpOp>(b.neg(b.abs(x))));
  return b.add(b.max(x, b.constantLike(x, 0)), tail);
}

/// isinf(x) limited to the signs asked for; NaN is neither.
Value buildIsInf(ScalarBuilder &b, Value x, bool positive, bool negative) {
  if (positive && negative)
    return b.create<math::IsInfOp>(x);
  if (!positive && !negative)
    return b.constant(b.builder.getI1Type(), 0);
  return b.compare(Compare::Eq, x,
                   b.constantLike(x, positive ? INFINITY : -INFINITY));
}

/// x < -lambd ? x + bias : (x > lambd ? x - bias : 0), computed in f64 for
/// integer x and converted back.
Value buildShrink(ScalarBuilder &b, Value x, double bias, double lambd) {
  Type type = x.getType();
  Value v =
      ScalarBuilder::isFloat(x) ? x : b.convert(x, b.builder.getF64Type());
  Value below = b.compare(Compare::Lt, v, b.constantLike(v, -lambd));
  Value above = b.compare(Compare::Gt, v, b.constantLike(v, lambd));
  Value result = b.select(
      below, b.add(v, b.constantLike(v, bias)),
      b.select(above, b.sub(v, b.constantLike(v, bias)), b.constantLike(v, 0)));
  return b.convert(result, type);
}

/// x << y, or x >> y (logical when `isUnsigned`, else arithmetic). An
/// amount below 0 or of the width or more (one test as unsigned) leaves the
/// sign fill: 0, or for an arithmetic right shift x >> (width - 1).
Value buildBitShift(ScalarBuilder &b, Value x, Value y, bool left,
                    bool isUnsigned) {
  Value width = b.constantLike(y, x.getType().getIntOrFloatBitWidth());
  Value tooFar = b.create<arith::CmpIOp>(arith::CmpIPredicate::uge, y, width);
  Value zero = b.constantLike(x, 0);
  if (!left && !isUnsigned) {
    Value amount = b.select(tooFar, b.sub(width, b.constantLike(y, 1)), y);
    return b.create<arith::ShRSIOp>(x, amount);
  }
  Value amount = b.select(tooFar, zero, y);
  Value shifted = left ? b.create<arith::ShLIOp>(x, amount)
                       : b.create<arith::ShRUIOp>(x, amount);
  return b.select(tooFar, zero, shifted);
}

//===----------------------------------------------------------------------===//
// Ops with extra operands or attributes
//===----------------------------------------------------------------------===//

/// y = min(max(x, lo), hi) with optional lo and hi.
LogicalResult lowerClip(graph::ClipOp op, LoweringState &state) {
  SmallVector<Value> operands{op.getInput()};
  if (op.getMin())
    operands.push_back(op.getMin());
  if (op.getMax())
    operands.push_back(op.getMax());
  FailureOr<SmallVector<KernelInput>> inputs = getKernelInputs(operands, state);
  if (failed(inputs))
    return failure();
  bool hasMin = static_cast<bool>(op.getMin());
  bool hasMax = static_cast<bool>(op.getMax());
  return emitElementwise(op, *inputs, state,
                         [&](ScalarBuilder &b, ArrayRef<Value> args) {
                           Value y = args[0];
                           if (hasMin)
                             y = b.max(y, args[1]);
                           if (hasMax)
                             y = b.min(y, args.back());
                           return FailureOr<Value>(y);
                         });
}

/// y = (x - mean) / sqrt(var + epsilon) * scale + bias, parameters (C)
/// viewed as (C, 1, ..., 1).
LogicalResult lowerBatchNorm(graph::BatchNormOp op, LoweringState &state) {
  Type elementType = op.getInput().getType().getElementType();
  if (!isa<FloatType>(elementType))
    return op.emitError("cannot lower 'graph.batch_norm' on element type ")
           << elementType << ": it needs a float";
  FailureOr<SmallVector<KernelInput>> inputs = getKernelInputs(
      {op.getInput(), op.getScale(), op.getBias(), op.getMean(), op.getVar()},
      state);
  if (failed(inputs))
    return failure();
  int64_t rank = op.getInput().getType().getRank();
  for (KernelInput &input : llvm::drop_begin(*inputs)) {
    if (!input.buffer)
      continue;
    auto type = cast<MemRefType>(input.buffer.getType());
    if (type.getRank() != 1 || rank < 2)
      continue;
    // (C) is seen as (C, 1, ..., 1), which broadcasts over dim 1 on.
    SmallVector<Value> dims(rank - 1, state.getIndex(1));
    dims[0] = state.getBufferDims(input.buffer)[0];
    input.buffer = state.createView(op.getLoc(), input.buffer, dims);
  }
  double epsilon = op.getEpsilon().convertToDouble();
  return emitElementwise(
      op, *inputs, state, [&](ScalarBuilder &b, ArrayRef<Value> args) {
        Value x = args[0], scale = args[1], bias = args[2], mean = args[3],
              var = args[4];
        Value stddev =
            b.create<math::SqrtOp>(b.add(var, b.constantLike(var, epsilon)));
        Value normalized = b.div(b.sub(x, mean), stddev);
        return FailureOr<Value>(b.add(b.mul(normalized, scale), bias));
      });
}

/// Every element is the op's one value.
LogicalResult lowerConstantOfShape(graph::ConstantOfShapeOp op,
                                   LoweringState &state) {
  Type elementType = op.getOutput().getType().getElementType();
  ElementsAttr value = op.getValue();
  TypedAttr scalar;
  if (value.getNumElements() == 0) {
    OpBuilder &builder = state.getBuilder();
    scalar = cast<TypedAttr>(builder.getZeroAttr(elementType));
  } else {
    scalar = dyn_cast<TypedAttr>(*value.value_begin<Attribute>());
  }
  if (!scalar || scalar.getType() != elementType)
    return op.emitError("constant_of_shape value does not match the result "
                        "element type ")
           << elementType;
  return emitElementwise(op, {}, state, [&](ScalarBuilder &b, ArrayRef<Value>) {
    return FailureOr<Value>(b.create<arith::ConstantOp>(scalar));
  });
}

/// graph.cast on the body's signless integers, told which are unsigned.
LogicalResult lowerCast(graph::CastOp op, LoweringState &state) {
  Type from = op.getInput().getType().getElementType();
  Type to = op.getOutput().getType().getElementType();
  if (!to.isIntOrFloat())
    return op.emitError("cannot cast to ") << to;
  Type bodyTo = getScalarType(to, /*unsignedAsSignless=*/true);
  FailureOr<SmallVector<KernelInput>> inputs =
      getKernelInputs(op.getInput(), state);
  if (failed(inputs))
    return failure();
  return emitElementwise(
      op, *inputs, state,
      [&](ScalarBuilder &b, ArrayRef<Value> args) {
        return FailureOr<Value>(
            b.convert(args[0], bodyTo, from.isUnsignedInteger(),
                      to.isUnsignedInteger(), op.getSaturate()));
      },
      /*unsignedAsSignless=*/true);
}

/// The operands of a quantize or dequantize kernel: input, scale and, when
/// present, zero point.
FailureOr<SmallVector<KernelInput>> getQuantInputs(Operation *op,
                                                   LoweringState &state) {
  return getKernelInputs(op->getOperands(), state);
}

/// q = x / scale; an integer result is round-half-even(q) + zero point
/// clamped to its range, computed in i32 after clamping the rounded q to
/// +-2^20 (beyond which every 16-bit result saturates anyway); a float
/// result is the cast of q (plus the zero point for f4E2M1FN).
LogicalResult lowerQuantize(graph::QuantizeOp op, LoweringState &state) {
  Type to = op.getOutput().getType().getElementType();
  Type bodyTo = getScalarType(to, /*unsignedAsSignless=*/true);
  bool toUnsigned = to.isUnsignedInteger();
  bool hasZeroPoint = static_cast<bool>(op.getZeroPoint());
  FailureOr<SmallVector<KernelInput>> inputs = getQuantInputs(op, state);
  if (failed(inputs))
    return failure();
  auto body = [&](ScalarBuilder &b, ArrayRef<Value> args) -> FailureOr<Value> {
    Value q = b.div(args[0], args[1]);
    if (isa<FloatType>(to)) {
      if (hasZeroPoint && to.getIntOrFloatBitWidth() < 8)
        q = b.add(q, b.convert(args[2], q.getType()));
      return b.convert(q, bodyTo, false, false, op.getSaturate());
    }
    Type f32 = b.builder.getF32Type(), i32 = b.builder.getI32Type();
    constexpr double kBound = 1 << 20;
    Value rounded = b.create<math::RoundEvenOp>(b.convert(q, f32));
    rounded = b.clamp(rounded, -kBound, kBound);
    Value value = b.convert(rounded, i32);
    if (hasZeroPoint)
      value = b.add(value, b.convert(args[2], i32, toUnsigned));
    unsigned width = to.getIntOrFloatBitWidth();
    double lowest = toUnsigned ? 0.0 : -std::ldexp(1.0, width - 1);
    double highest = toUnsigned ? std::ldexp(1.0, width) - 1
                                : std::ldexp(1.0, width - 1) - 1;
    value = b.clamp(value, lowest, highest);
    return b.convert(value, bodyTo);
  };
  return emitElementwise(op, *inputs, state, body,
                         /*unsignedAsSignless=*/true);
}

/// (x - zero point) * scale in f32, converted to the result type; float8
/// and float4 inputs have no zero point to subtract.
LogicalResult lowerDequantize(graph::DequantizeOp op, LoweringState &state) {
  Type from = op.getInput().getType().getElementType();
  Type to = op.getOutput().getType().getElementType();
  bool fromUnsigned = from.isUnsignedInteger();
  bool subtractsZeroPoint = op.getZeroPoint() && isa<IntegerType>(from);
  FailureOr<SmallVector<KernelInput>> inputs = getQuantInputs(op, state);
  if (failed(inputs))
    return failure();
  auto body = [&](ScalarBuilder &b, ArrayRef<Value> args) -> FailureOr<Value> {
    Type f32 = b.builder.getF32Type();
    Value value = b.convert(args[0], f32, fromUnsigned);
    if (subtractsZeroPoint)
      value = b.sub(value, b.convert(args[2], f32, fromUnsigned));
    value = b.mul(value, b.convert(args[1], f32));
    return b.convert(value, to);
  };
  return emitElementwise(op, *inputs, state, body,
                         /*unsignedAsSignless=*/true);
}

} // namespace

std::optional<LogicalResult>
kiln::graph_to_kernel::lowerElementwiseOp(Operation *op, LoweringState &state) {
  using B = ScalarBuilder;
  using Result = std::optional<LogicalResult>;
  return llvm::TypeSwitch<Operation *, Result>(op)
      // Arithmetic.
      .Case([&](graph::AddOp op) {
        return emitBinary(
            op, state, [](B &b, Value x, Value y) { return b.add(x, y); },
            /*unsignedAsSignless=*/true);
      })
      .Case([&](graph::SubOp op) {
        return emitBinary(
            op, state, [](B &b, Value x, Value y) { return b.sub(x, y); },
            /*unsignedAsSignless=*/true);
      })
      .Case([&](graph::MulOp op) {
        return emitBinary(
            op, state, [](B &b, Value x, Value y) { return b.mul(x, y); },
            /*unsignedAsSignless=*/true);
      })
      .Case([&](graph::DivOp op) {
        return emitBinary(
            op, state, [](B &b, Value x, Value y) { return b.div(x, y); },
            /*unsignedAsSignless=*/true);
      })
      .Case([&](graph::MaxOp op) {
        return emitBinary(
            op, state, [](B &b, Value x, Value y) { return b.max(x, y); },
            /*unsignedAsSignless=*/true);
      })
      .Case([&](graph::MinOp op) {
        return emitBinary(
            op, state, [](B &b, Value x, Value y) { return b.min(x, y); },
            /*unsignedAsSignless=*/true);
      })
      .Case([&](graph::PowOp op) { return emitBinary(op, state, buildPow); })
      .Case([&](graph::ModOp op) {
        bool fmod = op.getFmod();
        return emitBinary(
            op, state,
            [&](B &b, Value x, Value y) { return buildMod(b, x, y, fmod); },
            /*unsignedAsSignless=*/true);
      })
      // Logic (on i1) and bitwise ops (on integers of any signedness), and
      // comparisons.
      .Case([&](graph::AndOp op) {
        return emitBinary(
            op, state,
            [](B &b, Value x, Value y) {
              return b.create<arith::AndIOp>(x, y);
            },
            /*unsignedAsSignless=*/true);
      })
      .Case([&](graph::OrOp op) {
        return emitBinary(
            op, state,
            [](B &b, Value x, Value y) { return b.create<arith::OrIOp>(x, y); },
            /*unsignedAsSignless=*/true);
      })
      .Case([&](graph::XorOp op) {
        return emitBinary(
            op, state,
            [](B &b, Value x, Value y) {
              return b.create<arith::XOrIOp>(x, y);
            },
            /*unsignedAsSignless=*/true);
      })
      // x ^ all-ones
      .Case([&](graph::NotOp op) {
        return emitUnary(
            op, state,
            [](B &b, Value x) {
              unsigned width = x.getType().getIntOrFloatBitWidth();
              Value ones = b.create<arith::ConstantOp>(
                  IntegerAttr::get(x.getType(), APInt::getAllOnes(width)));
              return b.create<arith::XOrIOp>(x, ones);
            },
            /*unsignedAsSignless=*/true);
      })
      .Case([&](graph::EqualOp op) {
        return emitBinary(
            op, state,
            [](B &b, Value x, Value y) {
              return b.compare(Compare::Eq, x, y);
            },
            /*unsignedAsSignless=*/true);
      })
      .Case([&](graph::LessOp op) {
        return emitBinary(
            op, state,
            [](B &b, Value x, Value y) {
              return b.compare(Compare::Lt, x, y);
            },
            /*unsignedAsSignless=*/true);
      })
      .Case([&](graph::LessOrEqualOp op) {
        return emitBinary(
            op, state,
            [](B &b, Value x, Value y) {
              return b.compare(Compare::Le, x, y);
            },
            /*unsignedAsSignless=*/true);
      })
      .Case([&](graph::GreaterOp op) {
        return emitBinary(
            op, state,
            [](B &b, Value x, Value y) {
              return b.compare(Compare::Gt, x, y);
            },
            /*unsignedAsSignless=*/true);
      })
      .Case([&](graph::GreaterOrEqualOp op) {
        return emitBinary(
            op, state,
            [](B &b, Value x, Value y) {
              return b.compare(Compare::Ge, x, y);
            },
            /*unsignedAsSignless=*/true);
      })
      .Case([&](graph::WhereOp op) -> Result {
        FailureOr<SmallVector<KernelInput>> inputs =
            getKernelInputs(op->getOperands(), state);
        if (failed(inputs))
          return failure();
        return emitElementwise(
            op, *inputs, state,
            [](B &b, ArrayRef<Value> args) {
              return FailureOr<Value>(b.select(args[0], args[1], args[2]));
            },
            /*unsignedAsSignless=*/true);
      })
      // Unary math on any number type.
      .Case([&](graph::NegOp op) {
        return emitUnary(op, state, [](B &b, Value x) { return b.neg(x); });
      })
      .Case([&](graph::AbsOp op) {
        return emitUnary(op, state, [](B &b, Value x) { return b.abs(x); });
      })
      .Case([&](graph::ReluOp op) {
        return emitUnary(op, state, [](B &b, Value x) {
          return b.max(x, b.constantLike(x, 0));
        });
      })
      .Case([&](graph::SignOp op) { return emitUnary(op, state, buildSign); })
      // Float math.
      .Case([&](graph::SqrtOp op) { return emitMath<math::SqrtOp>(op, state); })
      .Case([&](graph::ExpOp op) { return emitMath<math::ExpOp>(op, state); })
      .Case([&](graph::LogOp op) { return emitMath<math::LogOp>(op, state); })
      .Case([&](graph::TanhOp op) { return emitMath<math::TanhOp>(op, state); })
      .Case([&](graph::ErfOp op) { return emitMath<math::ErfOp>(op, state); })
      .Case(
          [&](graph::FloorOp op) { return emitMath<math::FloorOp>(op, state); })
      .Case([&](graph::CeilOp op) { return emitMath<math::CeilOp>(op, state); })
      .Case([&](graph::RoundOp op) {
        return emitMath<math::RoundEvenOp>(op, state);
      })
      .Case([&](graph::SinOp op) { return emitMath<math::SinOp>(op, state); })
      .Case([&](graph::CosOp op) { return emitMath<math::CosOp>(op, state); })
      .Case([&](graph::ReciprocalOp op) {
        return emitFloatUnary(op, state, [](B &b, Value x) {
          return b.div(b.constantLike(x, 1), x);
        });
      })
      // 1 / (1 + e^-x)
      .Case([&](graph::SigmoidOp op) {
        return emitFloatUnary(op, state, [](B &b, Value x) {
          Value one = b.constantLike(x, 1);
          return b.div(one, b.add(one, b.create<math::ExpOp>(b.neg(x))));
        });
      })
      .Case([&](graph::SoftplusOp op) {
        return emitFloatUnary(op, state, buildSoftplus);
      })
      // x / (1 + |x|)
      .Case([&](graph::SoftsignOp op) {
        return emitFloatUnary(op, state, [](B &b, Value x) {
          return b.div(x, b.add(b.constantLike(x, 1), b.abs(x)));
        });
      })
      // x * saturate(x / 6 + 1 / 2)
      .Case([&](graph::HardSwishOp op) {
        return emitFloatUnary(op, state, [](B &b, Value x) {
          Value gate = b.add(b.mul(x, b.constantLike(x, 1.0 / 6.0)),
                             b.constantLike(x, 0.5));
          return b.mul(x, b.saturate(gate));
        });
      })
      // saturate(alpha * x + beta)
      .Case([&](graph::HardSigmoidOp op) {
        double alpha = op.getAlpha().convertToDouble();
        double beta = op.getBeta().convertToDouble();
        return emitFloatUnary(op, state, [&](B &b, Value x) {
          return b.saturate(b.add(b.mul(b.constantLike(x, alpha), x),
                                  b.constantLike(x, beta)));
        });
      })
      // x < 0 ? alpha * x : x
      .Case([&](graph::LeakyReluOp op) {
        double alpha = op.getAlpha().convertToDouble();
        return emitFloatUnary(op, state, [&](B &b, Value x) {
          return b.select(b.compare(Compare::Lt, x, b.constantLike(x, 0)),
                          b.mul(b.constantLike(x, alpha), x), x);
        });
      })
      .Case([&](graph::EluOp op) {
        double alpha = op.getAlpha().convertToDouble();
        return emitFloatUnary(
            op, state, [&](B &b, Value x) { return buildElu(b, x, alpha); });
      })
      // gamma * elu(x, alpha)
      .Case([&](graph::SeluOp op) {
        double alpha = op.getAlpha().convertToDouble();
        double gamma = op.getGamma().convertToDouble();
        return emitFloatUnary(op, state, [&](B &b, Value x) {
          return b.mul(b.constantLike(x, gamma), buildElu(b, x, alpha));
        });
      })
      .Case([&](graph::GeluOp op) -> Result {
        StringRef approximate = op.getApproximate();
        if (approximate != "none" && approximate != "tanh")
          return op.emitError("unknown gelu approximation '")
                 << approximate << "'";
        bool useTanh = approximate == "tanh";
        return emitFloatUnary(
            op, state, [&](B &b, Value x) { return buildGelu(b, x, useTanh); });
      })
      // Trigonometry, float predicates and shrinking.
      .Case([&](graph::TanOp op) { return emitMath<math::TanOp>(op, state); })
      .Case([&](graph::AsinOp op) { return emitMath<math::AsinOp>(op, state); })
      .Case([&](graph::AcosOp op) { return emitMath<math::AcosOp>(op, state); })
      .Case([&](graph::AtanOp op) { return emitMath<math::AtanOp>(op, state); })
      .Case([&](graph::SinhOp op) { return emitMath<math::SinhOp>(op, state); })
      .Case([&](graph::CoshOp op) { return emitMath<math::CoshOp>(op, state); })
      .Case(
          [&](graph::AsinhOp op) { return emitMath<math::AsinhOp>(op, state); })
      .Case(
          [&](graph::AcoshOp op) { return emitMath<math::AcoshOp>(op, state); })
      .Case(
          [&](graph::AtanhOp op) { return emitMath<math::AtanhOp>(op, state); })
      .Case([&](graph::IsNaNOp op) {
        return emitFloatUnary(op, state, [](B &b, Value x) {
          return b.create<math::IsNaNOp>(x);
        });
      })
      .Case([&](graph::IsInfOp op) {
        bool positive = op.getDetectPositive();
        bool negative = op.getDetectNegative();
        return emitFloatUnary(op, state, [&](B &b, Value x) {
          return buildIsInf(b, x, positive, negative);
        });
      })
      .Case([&](graph::BitShiftOp op) {
        bool left = op.getDirection() == "LEFT";
        bool isUnsigned =
            op.getLhs().getType().getElementType().isUnsignedInteger();
        return emitBinary(
            op, state,
            [&](B &b, Value x, Value y) {
              return buildBitShift(b, x, y, left, isUnsigned);
            },
            /*unsignedAsSignless=*/true);
      })
      .Case([&](graph::QuantizeOp op) { return lowerQuantize(op, state); })
      .Case([&](graph::DequantizeOp op) { return lowerDequantize(op, state); })
      .Case([&](graph::ShrinkOp op) {
        double bias = op.getBias().convertToDouble();
        double lambd = op.getLambd().convertToDouble();
        return emitUnary(op, state, [&](B &b, Value x) {
          return buildShrink(b, x, bias, lambd);
        });
      })
      .Case([&](graph::CeluOp op) -> Result {
        double alpha = op.getAlpha().convertToDouble();
        if (alpha == 0)
          return op.emitError("celu alpha must not be 0");
        return emitFloatUnary(
            op, state, [&](B &b, Value x) { return buildCelu(b, x, alpha); });
      })
      // x * tanh(softplus(x))
      .Case([&](graph::MishOp op) {
        return emitFloatUnary(op, state, [](B &b, Value x) {
          return b.mul(x, b.create<math::TanhOp>(buildSoftplus(b, x)));
        });
      })
      // Everything else.
      .Case([&](graph::ClipOp op) { return lowerClip(op, state); })
      .Case([&](graph::BatchNormOp op) { return lowerBatchNorm(op, state); })
      .Case([&](graph::CastOp op) { return lowerCast(op, state); })
      // The same bits; a bool is the byte 0 or 1.
      .Case([&](graph::BitcastOp op) {
        Type to = getScalarType(op.getType().getElementType(),
                                /*unsignedAsSignless=*/true);
        return emitUnary(
            op, state,
            [&](B &b, Value x) -> Value {
              if (x.getType() == to)
                return x;
              if (x.getType().isInteger(1))
                return b.create<arith::ExtUIOp>(to, x);
              if (to.isInteger(1))
                return b.compare(Compare::Ne, x, b.constantLike(x, 0));
              return b.create<arith::BitcastOp>(to, x);
            },
            /*unsignedAsSignless=*/true);
      })
      .Case([&](graph::ExpandOp op) {
        return emitUnary(op, state, [](B &, Value x) { return x; });
      })
      .Case([&](graph::ConstantOfShapeOp op) {
        return lowerConstantOfShape(op, state);
      })
      .Default([](Operation *) { return std::nullopt; });
}
