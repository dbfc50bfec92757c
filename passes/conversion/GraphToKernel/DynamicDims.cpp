//===- DynamicDims.cpp - Sizes of dynamic dims as index values --*- C++ -*-===//
//
// dims(input)        = kernel.dim per dim, one per symbolic name
// dims(alloc/view)   = its operands (constants for static dims)
// dims(result of op) = reifyResultDims(op), from its operands' dims
// values(shape(x))   = dims(x), and through Gather, Concat, Expand,
//                      Unsqueeze, Squeeze, Reshape, Cast, Slice, integer
//                      arithmetic, comparisons, logic and Where (booleans
//                      as 0 / 1)
//
// Every size a model with dynamic dims needs at run time is computed from
// the dims of its inputs by `arith` on `index` values; no tensor data is
// read to size a buffer. Two inputs' dims of one name (`batch`) are one
// value: the runtime has checked that they agree.
//
//===----------------------------------------------------------------------===//

#include "passes/conversion/GraphToKernel/LoweringState.h"

#include "dialects/graph/GraphOps.h"
#include "dialects/graph/GraphUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::graph_to_kernel;

Value LoweringState::getIndex(int64_t value) {
  auto it = indexConstants.find(value);
  if (it != indexConstants.end())
    return it->second;
  OpBuilder top(builder.getContext());
  top.setInsertionPointToStart(entry);
  Value constant = arith::ConstantIndexOp::create(
      top, UnknownLoc::get(builder.getContext()), value);
  indexConstants[value] = constant;
  return constant;
}

bool LoweringState::isStatic(ArrayRef<Value> dims) {
  return llvm::all_of(
      dims, [](Value dim) { return getConstantIntValue(dim).has_value(); });
}

SmallVector<Value> LoweringState::getBufferDims(Value buffer) {
  auto type = cast<MemRefType>(buffer.getType());
  ValueRange dynamicSizes;
  if (auto alloc = buffer.getDefiningOp<kernel::AllocOp>())
    dynamicSizes = alloc.getDynamicSizes();
  else if (auto view = buffer.getDefiningOp<kernel::ViewOp>())
    dynamicSizes = view.getDynamicSizes();
  auto arg = dyn_cast<BlockArgument>(buffer);
  auto func = arg ? dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp())
                  : func::FuncOp();
  auto names =
      func ? func.getArgAttrOfType<ArrayAttr>(arg.getArgNumber(),
                                              "graph.dim_names")
           : ArrayAttr();
  SmallVector<Value> dims;
  unsigned next = 0;
  for (int64_t d = 0, e = type.getRank(); d < e; ++d) {
    if (!type.isDynamicDim(d)) {
      dims.push_back(getIndex(type.getDimSize(d)));
      continue;
    }
    if (!arg) {
      dims.push_back(dynamicSizes[next++]);
      continue;
    }
    // An input's dim: one kernel.dim per symbolic name.
    std::string key = "#" + std::to_string(arg.getArgNumber()) + "." +
                      std::to_string(d);
    if (names && d < static_cast<int64_t>(names.size()))
      if (auto name = dyn_cast<StringAttr>(names[d]);
          name && !name.getValue().empty())
        key = name.getValue().str();
    Value &dim = inputDims[key];
    if (!dim) {
      OpBuilder top(builder.getContext());
      top.setInsertionPointToStart(entry);
      dim = kernel::DimOp::create(top, func.getLoc(), top.getIndexType(), arg,
                                  d);
    }
    dims.push_back(dim);
  }
  return dims;
}

FailureOr<SmallVector<Value>> LoweringState::getDims(Value value) {
  FailureOr<Value> buffer = getBuffer(value);
  if (failed(buffer))
    return failure();
  return getBufferDims(*buffer);
}

SmallVector<Value>
LoweringState::broadcastDims(Location loc,
                             ArrayRef<SmallVector<Value>> shapes,
                             int64_t rank) {
  SmallVector<Value> result;
  for (int64_t d = 0; d < rank; ++d) {
    // The candidates at this position, right-aligned; 1s drop out.
    SmallVector<Value> candidates;
    for (const SmallVector<Value> &shape : shapes) {
      int64_t at = d - (rank - static_cast<int64_t>(shape.size()));
      if (at < 0)
        continue;
      Value dim = shape[at];
      if (getConstantIntValue(dim) == 1)
        continue;
      if (!llvm::is_contained(candidates, dim))
        candidates.push_back(dim);
    }
    if (candidates.empty()) {
      result.push_back(getIndex(1));
      continue;
    }
    // A static size wins over dynamic ones, which must then equal it (or
    // be 1): the check stays, the type gets the static size.
    SmallVector<Value> ordered;
    for (bool constants : {true, false})
      for (Value dim : candidates)
        if (getConstantIntValue(dim).has_value() == constants)
          ordered.push_back(dim);
    candidates = std::move(ordered);
    Value dim = candidates.front();
    bool isConstant = getConstantIntValue(dim).has_value();
    for (Value other : llvm::drop_begin(candidates)) {
      Value checked = kernel::BroadcastDimOp::create(
          builder, loc, builder.getIndexType(), dim, other);
      if (!isConstant)
        dim = checked;
    }
    result.push_back(dim);
  }
  return result;
}

//===----------------------------------------------------------------------===//
// Shape values
//===----------------------------------------------------------------------===//

namespace {

/// Integer arithmetic on index values, elementwise with broadcasting of
/// one-element operands.
FailureOr<SmallVector<Value>>
combine(OpBuilder &builder, Location loc, ArrayRef<Value> lhs,
        ArrayRef<Value> rhs,
        function_ref<Value(OpBuilder &, Location, Value, Value)> fn) {
  if (lhs.size() != rhs.size() && lhs.size() != 1 && rhs.size() != 1)
    return failure();
  SmallVector<Value> result;
  for (size_t i = 0, e = std::max(lhs.size(), rhs.size()); i < e; ++i)
    result.push_back(fn(builder, loc, lhs[lhs.size() == 1 ? 0 : i],
                        rhs[rhs.size() == 1 ? 0 : i]));
  return result;
}

/// x op y, for the arith op `ArithOp`.
template <typename ArithOp>
Value createArith(OpBuilder &builder, Location loc, Value x, Value y) {
  return ArithOp::create(builder, loc, x, y);
}

/// A boolean as the index 0 or 1.
Value toIndex(OpBuilder &builder, Location loc, Value flag) {
  return arith::IndexCastUIOp::create(builder, loc, builder.getIndexType(),
                                      flag);
}

} // namespace

FailureOr<SmallVector<Value>> LoweringState::getShapeValues(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape() || type.getRank() > 1 ||
      type.getNumElements() > 64 || !type.getElementType().isInteger())
    return failure();
  if (std::optional<SmallVector<int64_t>> constants =
          graph::getConstantIntValues(value)) {
    SmallVector<Value> values;
    for (int64_t constant : *constants)
      values.push_back(getIndex(constant));
    return values;
  }
  Operation *op = value.getDefiningOp();
  if (!op)
    return failure();
  Location loc = op->getLoc();
  using Values = FailureOr<SmallVector<Value>>;
  auto arith = [&](Value lhs, Value rhs,
                   function_ref<Value(OpBuilder &, Location, Value, Value)> fn)
      -> Values {
    Values l = getShapeValues(lhs), r = getShapeValues(rhs);
    if (failed(l) || failed(r))
      return failure();
    return combine(builder, loc, *l, *r, fn);
  };
  return llvm::TypeSwitch<Operation *, Values>(op)
      .Case([&](graph::ShapeOp shape) -> Values {
        FailureOr<SmallVector<Value>> dims = getDims(shape.getInput());
        if (failed(dims))
          return failure();
        int64_t rank = dims->size();
        int64_t start = shape.getStart(), end = shape.getEnd().value_or(rank);
        start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
        end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
        if (end <= start)
          return SmallVector<Value>();
        return SmallVector<Value>(dims->begin() + start, dims->begin() + end);
      })
      .Case([&](graph::GatherOp gather) -> Values {
        Values data = getShapeValues(gather.getInput());
        std::optional<SmallVector<int64_t>> indices =
            graph::getConstantIntValues(gather.getIndices());
        if (failed(data) || !indices)
          return failure();
        SmallVector<Value> result;
        for (int64_t index : *indices) {
          int64_t size = data->size();
          if (index < 0)
            index += size;
          if (index < 0 || index >= size)
            return failure();
          result.push_back((*data)[index]);
        }
        return result;
      })
      // Sizes broadcast to the result's (static) length.
      .Case([&](graph::ExpandOp expand) -> Values {
        Values data = getShapeValues(expand.getInput());
        int64_t length = type.getNumElements();
        if (failed(data) || (data->size() != 1 &&
                             static_cast<int64_t>(data->size()) != length))
          return failure();
        if (static_cast<int64_t>(data->size()) == length)
          return data;
        return SmallVector<Value>(length, data->front());
      })
      .Case([&](graph::ConcatOp concat) -> Values {
        SmallVector<Value> result;
        for (Value input : concat.getInputs()) {
          Values part = getShapeValues(input);
          if (failed(part))
            return failure();
          llvm::append_range(result, *part);
        }
        return result;
      })
      .Case<graph::UnsqueezeOp, graph::SqueezeOp, graph::ReshapeOp,
            graph::IdentityOp, graph::FlattenOp>(
          [&](Operation *view) { return getShapeValues(view->getOperand(0)); })
      .Case([&](graph::CastOp cast) -> Values {
        Values input = getShapeValues(cast.getInput());
        if (failed(input) || !cast.getType().getElementType().isInteger(1))
          return input;
        // Any integer to bool is `x != 0`.
        SmallVector<Value> result;
        for (Value x : *input)
          result.push_back(toIndex(
              builder, loc,
              arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::ne, x,
                                    getIndex(0))));
        return result;
      })
      .Case([&](graph::SliceOp slice) -> Values {
        Values data = getShapeValues(slice.getInput());
        std::optional<SmallVector<int64_t>> starts =
            graph::getConstantIntValues(slice.getStarts());
        std::optional<SmallVector<int64_t>> ends =
            graph::getConstantIntValues(slice.getEnds());
        std::optional<SmallVector<int64_t>> steps =
            slice.getSteps() ? graph::getConstantIntValues(slice.getSteps())
                             : SmallVector<int64_t>{1};
        if (failed(data) || !starts || !ends || !steps ||
            starts->size() != 1 || ends->size() != 1 || steps->size() != 1)
          return failure();
        graph::SliceRange range = graph::resolveSlice(
            data->size(), (*starts)[0], (*ends)[0], (*steps)[0]);
        SmallVector<Value> result;
        for (int64_t i = 0; i < range.size; ++i)
          result.push_back((*data)[range.start + i * (*steps)[0]]);
        return result;
      })
      .Case([&](graph::AddOp add) {
        return arith(add.getLhs(), add.getRhs(), createArith<arith::AddIOp>);
      })
      .Case([&](graph::SubOp sub) {
        return arith(sub.getLhs(), sub.getRhs(), createArith<arith::SubIOp>);
      })
      .Case([&](graph::MulOp mul) {
        return arith(mul.getLhs(), mul.getRhs(), createArith<arith::MulIOp>);
      })
      .Case([&](graph::DivOp div) {
        // Integer Div truncates; shapes are not negative.
        return arith(div.getLhs(), div.getRhs(), createArith<arith::DivSIOp>);
      })
      .Case([&](graph::ModOp mod) {
        // Python's remainder (the divisor's sign) unless fmod asks for C's.
        bool isFmod = mod.getFmod();
        return arith(mod.getLhs(), mod.getRhs(),
                     [&, isFmod](OpBuilder &b, Location l, Value x,
                                 Value y) -> Value {
                       Value r = arith::RemSIOp::create(b, l, x, y);
                       if (isFmod)
                         return r;
                       Value zero = getIndex(0);
                       Value rNegative = arith::CmpIOp::create(
                           b, l, arith::CmpIPredicate::slt, r, zero);
                       Value yNegative = arith::CmpIOp::create(
                           b, l, arith::CmpIPredicate::slt, y, zero);
                       Value nonZero = arith::CmpIOp::create(
                           b, l, arith::CmpIPredicate::ne, r, zero);
                       Value signsDiffer =
                           arith::XOrIOp::create(b, l, rNegative, yNegative);
                       Value adjust =
                           arith::AndIOp::create(b, l, nonZero, signsDiffer);
                       return arith::SelectOp::create(
                           b, l, adjust, arith::AddIOp::create(b, l, r, y), r);
                     });
      })
      .Case([&](graph::MaxOp max) {
        return arith(max.getLhs(), max.getRhs(), createArith<arith::MaxSIOp>);
      })
      .Case([&](graph::MinOp min) {
        return arith(min.getLhs(), min.getRhs(), createArith<arith::MinSIOp>);
      })
      // Booleans are the index values 0 and 1.
      .Case<graph::EqualOp, graph::LessOp, graph::LessOrEqualOp,
            graph::GreaterOp, graph::GreaterOrEqualOp>([&](Operation *cmp) {
        arith::CmpIPredicate predicate =
            llvm::TypeSwitch<Operation *, arith::CmpIPredicate>(cmp)
                .Case([](graph::EqualOp) { return arith::CmpIPredicate::eq; })
                .Case([](graph::LessOp) { return arith::CmpIPredicate::slt; })
                .Case([](graph::LessOrEqualOp) {
                  return arith::CmpIPredicate::sle;
                })
                .Case([](graph::GreaterOp) {
                  return arith::CmpIPredicate::sgt;
                })
                .Default([](Operation *) { return arith::CmpIPredicate::sge; });
        return arith(cmp->getOperand(0), cmp->getOperand(1),
                     [predicate](OpBuilder &b, Location l, Value x,
                                 Value y) -> Value {
                       return toIndex(
                           b, l, arith::CmpIOp::create(b, l, predicate, x, y));
                     });
      })
      .Case([&](graph::AndOp op) {
        return arith(op.getLhs(), op.getRhs(), createArith<arith::AndIOp>);
      })
      .Case([&](graph::OrOp op) {
        return arith(op.getLhs(), op.getRhs(), createArith<arith::OrIOp>);
      })
      .Case([&](graph::XorOp op) {
        return arith(op.getLhs(), op.getRhs(), createArith<arith::XOrIOp>);
      })
      .Case([&](graph::NotOp op) -> Values {
        Values input = getShapeValues(op.getInput());
        if (failed(input))
          return failure();
        // Logical on booleans (0 / 1), bitwise on integers.
        Value ones = getIndex(
            op.getType().getElementType().isInteger(1) ? 1 : -1);
        SmallVector<Value> result;
        for (Value x : *input)
          result.push_back(arith::XOrIOp::create(builder, loc, x, ones));
        return result;
      })
      .Case([&](graph::WhereOp where) -> Values {
        Values condition = getShapeValues(where.getCondition());
        Values x = getShapeValues(where.getX());
        Values y = getShapeValues(where.getY());
        if (failed(condition) || failed(x) || failed(y))
          return failure();
        size_t size = std::max({condition->size(), x->size(), y->size()});
        auto at = [size](ArrayRef<Value> values, size_t i) {
          return values.size() == 1 ? values[0] : values[i];
        };
        if ((condition->size() != 1 && condition->size() != size) ||
            (x->size() != 1 && x->size() != size) ||
            (y->size() != 1 && y->size() != size))
          return failure();
        SmallVector<Value> result;
        for (size_t i = 0; i < size; ++i) {
          Value isTrue = arith::CmpIOp::create(
              builder, loc, arith::CmpIPredicate::ne, at(*condition, i),
              getIndex(0));
          result.push_back(arith::SelectOp::create(builder, loc, isTrue,
                                                   at(*x, i), at(*y, i)));
        }
        return result;
      })
      .Default([](Operation *) -> Values { return failure(); });
}
