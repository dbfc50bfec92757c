//===- PartitionRules.cpp - Which pieces an op computes on ------*- C++ -*-===//
//
// One rule per op family. Each keeps a digit where the op maps that dim of
// an operand to a dim of its result element by element (elementwise ops
// with broadcasting, views, transposes, the batch and free dims of a GEMM,
// the dims a reduction keeps), turns a digit of a GEMM's contracted dim
// into a partial sum, and asks for the operand whole otherwise.
//
//===----------------------------------------------------------------------===//

#include "passes/partition/PartitionRules.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace kiln::partition {
namespace {

using dist::Axis;

ArrayRef<int64_t> shapeOf(const RuleContext &context, Value value) {
  return context.wholeType(value).getShape();
}

/// Every operand and result whole.
OpPlan planWhole(Operation *op) {
  OpPlan plan;
  plan.operands.assign(op->getNumOperands(), Sharding::whole());
  plan.results.assign(op->getNumResults(), Sharding::whole());
  return plan;
}

bool isConstant(Value value) {
  return value.getDefiningOp<graph::ConstantOp>() != nullptr;
}

int64_t normalizeAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

/// Ops that compute each result element from the elements of their
/// (broadcast) operands at the same index.
bool isElementwise(Operation *op) {
  return isa<graph::AddOp, graph::SubOp, graph::MulOp, graph::DivOp,
             graph::PowOp, graph::MaxOp, graph::MinOp, graph::ModOp,
             graph::AndOp, graph::OrOp, graph::XorOp, graph::EqualOp,
             graph::LessOp, graph::LessOrEqualOp, graph::GreaterOp,
             graph::GreaterOrEqualOp, graph::SqrtOp, graph::ExpOp,
             graph::LogOp, graph::TanhOp, graph::ErfOp, graph::NegOp,
             graph::AbsOp, graph::ReciprocalOp, graph::FloorOp, graph::CeilOp,
             graph::RoundOp, graph::SignOp, graph::SinOp, graph::CosOp,
             graph::NotOp, graph::ReluOp, graph::SigmoidOp, graph::SoftplusOp,
             graph::SoftsignOp, graph::HardSwishOp, graph::LeakyReluOp,
             graph::EluOp, graph::HardSigmoidOp, graph::SeluOp, graph::GeluOp,
             graph::ClipOp, graph::WhereOp, graph::CastOp, graph::TanOp,
             graph::AsinOp, graph::AcosOp, graph::AtanOp, graph::SinhOp,
             graph::CoshOp, graph::AsinhOp, graph::AcoshOp, graph::AtanhOp,
             graph::IsNaNOp, graph::IsInfOp, graph::ShrinkOp,
             graph::BitShiftOp, graph::CeluOp, graph::MishOp,
             graph::IdentityOp, graph::DropoutOp>(op);
}

/// Whether a partial sum on one axis stays one through `op` when the
/// operands in `partial` are partial and the rest are whole on that axis.
bool keepsPartial(Operation *op, ArrayRef<bool> partial) {
  unsigned count = llvm::count(partial, true);
  if (count == 0)
    return false;
  if (isa<graph::AddOp, graph::SubOp>(op))
    return count == partial.size();
  if (isa<graph::MulOp>(op))
    return count == 1;
  if (isa<graph::DivOp>(op))
    return count == 1 && partial[0];
  return isa<graph::NegOp, graph::IdentityOp, graph::DropoutOp>(op);
}

/// Elementwise with numpy broadcasting: a result dim keeps the digit of an
/// operand that has the dim at full size; operands that broadcast the dim
/// are needed whole on that axis.
OpPlan planElementwise(Operation *op, const RuleContext &context) {
  ArrayRef<int64_t> out = shapeOf(context, op->getResult(0));
  int64_t rank = out.size();
  Sharding result;
  for (Value operand : op->getOperands()) {
    ArrayRef<int64_t> shape = shapeOf(context, operand);
    int64_t offset = rank - static_cast<int64_t>(shape.size());
    for (const Digit &digit : context.sharding(operand).digits) {
      Digit mapped = digit;
      mapped.dim += offset;
      if (shape[digit.dim] == out[mapped.dim] && canAdd(result, mapped))
        result.add(mapped);
    }
  }
  for (Axis axis : kSplitAxes) {
    SmallVector<bool> partial;
    bool wholeOthers = true;
    for (Value operand : op->getOperands()) {
      Sharding sharding = context.sharding(operand);
      partial.push_back(sharding.isPartial(axis));
      if (!partial.back() && !sharding.isWholeOn(axis))
        wholeOthers = false;
    }
    if (!result.find(axis) && wholeOthers && keepsPartial(op, partial))
      result.partial.push_back(axis);
  }

  OpPlan plan;
  for (Value operand : op->getOperands()) {
    ArrayRef<int64_t> shape = shapeOf(context, operand);
    int64_t offset = rank - static_cast<int64_t>(shape.size());
    Sharding need;
    for (const Digit &digit : result.digits) {
      int64_t dim = digit.dim - offset;
      if (dim >= 0 && shape[dim] == out[digit.dim]) {
        Digit mapped = digit;
        mapped.dim = dim;
        need.add(mapped);
      }
    }
    for (Axis axis : result.partial)
      if (context.sharding(operand).isPartial(axis))
        need.partial.push_back(axis);
    plan.operands.push_back(need);
  }
  plan.results.assign(op->getNumResults(), result);
  return plan;
}

/// Ops that only move elements of one operand: every digit (and partial
/// sum) moves to the dim the view gives it.
OpPlan planView(Operation *op, const RuleContext &context,
                llvm::function_ref<std::optional<Digit>(const Digit &)> map) {
  Value input = op->getOperand(0);
  Sharding have = context.sharding(input), need, result;
  for (const Digit &digit : have.digits) {
    std::optional<Digit> mapped = map(digit);
    if (mapped && canAdd(result, *mapped)) {
      need.add(digit);
      result.add(*mapped);
    }
  }
  need.partial = have.partial;
  result.partial = have.partial;
  OpPlan plan = planWhole(op);
  plan.operands[0] = need;
  plan.results.assign(op->getNumResults(), result);
  return plan;
}

OpPlan planReshape(Operation *op, const RuleContext &context) {
  ArrayRef<int64_t> from = shapeOf(context, op->getOperand(0));
  ArrayRef<int64_t> to = shapeOf(context, op->getResult(0));
  return planView(op, context, [&](const Digit &digit) {
    return mapThroughReshape(digit, from, to, context.mesh.size(digit.axis));
  });
}

OpPlan planTranspose(graph::TransposeOp op, const RuleContext &context) {
  ArrayRef<int64_t> perm = op.getPerm();
  return planView(op, context, [&](const Digit &digit) -> std::optional<Digit> {
    for (auto [to, from] : llvm::enumerate(perm))
      if (from == digit.dim) {
        Digit mapped = digit;
        mapped.dim = to;
        return mapped;
      }
    return std::nullopt;
  });
}

/// Ops that keep the dims `keep` says of one operand in place and reduce
/// or normalize the others; with `sumDims`, a digit on a summed dim becomes
/// a partial sum.
OpPlan planKeepDims(Operation *op, const RuleContext &context,
                    llvm::function_ref<std::optional<int64_t>(int64_t)> keep,
                    bool sums = false) {
  Value input = op->getOperand(0);
  Sharding have = context.sharding(input), need, result;
  for (const Digit &digit : have.digits) {
    if (std::optional<int64_t> dim = keep(digit.dim)) {
      Digit mapped = digit;
      mapped.dim = *dim;
      need.add(digit);
      result.add(mapped);
    } else if (sums) {
      need.add(digit);
      result.partial.push_back(digit.axis);
    }
  }
  if (sums)
    for (Axis axis : have.partial)
      if (!result.find(axis) && !result.isPartial(axis)) {
        need.partial.push_back(axis);
        result.partial.push_back(axis);
      }
  OpPlan plan = planWhole(op);
  plan.operands[0] = need;
  plan.results.assign(op->getNumResults(), result);
  return plan;
}

/// How many equal parts the columns of a GEMM's result are split into
/// downstream (3 for a fused QKV projection), looking through bias adds
/// and reshapes that keep the last dim; 1 when none.
int64_t getColumnGroups(Value result, int64_t columns, int depth = 0) {
  if (depth > 4)
    return 1;
  for (Operation *user : result.getUsers()) {
    auto type = user->getNumResults() == 1
                    ? dyn_cast<RankedTensorType>(user->getResult(0).getType())
                    : RankedTensorType();
    if (auto split = dyn_cast<graph::SplitOp>(user)) {
      auto inputType = cast<RankedTensorType>(split.getInput().getType());
      int64_t axis = normalizeAxis(split.getAxis(), inputType.getRank());
      ArrayRef<int64_t> sizes = split.getSplit();
      if (axis == inputType.getRank() - 1 && sizes.size() > 1 &&
          llvm::all_equal(sizes) && sizes[0] * int64_t(sizes.size()) == columns)
        return sizes.size();
      continue;
    }
    if (type && type.getRank() > 0 && type.getShape().back() == columns &&
        (isa<graph::AddOp, graph::ReshapeOp>(user))) {
      int64_t groups = getColumnGroups(user->getResult(0), columns, depth + 1);
      if (groups > 1)
        return groups;
    }
  }
  return 1;
}

/// The dims of a GEMM's operands and result: lhs [batch.., M, K] x rhs
/// [batch.., K, N] -> [batch.., M, N] with batch dims broadcast.
struct GemmDims {
  int64_t lhsM, lhsK, rhsK, rhsN;
  int64_t outM, outN;
  int64_t lhsOffset, rhsOffset; // result dim of a batch dim = dim + offset
  int64_t lhsBatch, rhsBatch;   // batch dims of each operand
};

/// The plan of a GEMM; `bias` (Gemm's C) broadcasts to the result.
OpPlan planGemm(Operation *op, Value lhs, Value rhs, Value bias,
                const GemmDims &dims, const RuleContext &context) {
  ArrayRef<int64_t> lhsShape = shapeOf(context, lhs);
  ArrayRef<int64_t> rhsShape = shapeOf(context, rhs);
  ArrayRef<int64_t> out = shapeOf(context, op->getResult(0));
  Sharding lhsHave = context.sharding(lhs), rhsHave = context.sharding(rhs);
  Sharding lhsNeed, rhsNeed, result;

  auto at = [](const Digit &digit, int64_t dim) {
    Digit moved = digit;
    moved.dim = dim;
    return moved;
  };
  // A batch digit of one operand: the other operand needs it too where it
  // has that batch dim at full size.
  auto batch = [&](const Digit &digit, int64_t offset, Sharding &need,
                   ArrayRef<int64_t> otherShape, int64_t otherOffset,
                   int64_t otherBatch, Sharding &otherNeed) {
    int64_t dim = digit.dim + offset;
    Digit mapped = at(digit, dim);
    if (!canAdd(result, mapped))
      return;
    need.add(digit);
    result.add(mapped);
    int64_t other = dim - otherOffset;
    if (other >= 0 && other < otherBatch && otherShape[other] == out[dim])
      otherNeed.add(at(digit, other));
  };

  for (Axis axis : kSplitAxes) {
    int64_t parts = context.mesh.size(axis);
    if (parts == 1)
      continue;
    const Digit *l = lhsHave.find(axis), *r = rhsHave.find(axis);
    if (l && l->dim == dims.lhsK) {
      Digit contracted = at(*l, dims.rhsK);
      if (fits(contracted, rhsShape, parts) && !bias) {
        lhsNeed.add(*l);
        rhsNeed.add(contracted);
        result.partial.push_back(axis);
        continue;
      }
    } else if (l && l->dim == dims.lhsM) {
      if (canAdd(result, at(*l, dims.outM))) {
        lhsNeed.add(*l);
        result.add(at(*l, dims.outM));
      }
      continue;
    } else if (l && l->dim < dims.lhsBatch) {
      batch(*l, dims.lhsOffset, lhsNeed, rhsShape, dims.rhsOffset,
            dims.rhsBatch, rhsNeed);
      continue;
    }
    if (r && r->dim == dims.rhsN) {
      if (canAdd(result, at(*r, dims.outN))) {
        rhsNeed.add(*r);
        result.add(at(*r, dims.outN));
      }
      continue;
    }
    if (r && r->dim == dims.rhsK && !bias) {
      Digit contracted = at(*r, dims.lhsK);
      if (fits(contracted, lhsShape, parts)) {
        rhsNeed.add(*r);
        lhsNeed.add(contracted);
        result.partial.push_back(axis);
      }
      continue;
    }
    if (r && r->dim < dims.rhsBatch) {
      batch(*r, dims.rhsOffset, rhsNeed, lhsShape, dims.lhsOffset,
            dims.lhsBatch, lhsNeed);
      continue;
    }
    // Neither operand is split on this axis: tensor parallelism splits the
    // columns of a constant weight (Megatron's column-parallel linear).
    if (axis != Axis::tp || !isConstant(rhs) || rhsShape.size() != 2 ||
        context.wholeType(rhs).getNumElements() < context.minSplitElements)
      continue;
    int64_t columns = rhsShape[dims.rhsN];
    int64_t groups = getColumnGroups(op->getResult(0), columns);
    Digit weight{axis, dims.rhsN, 1, columns / groups};
    Digit mapped = at(weight, dims.outN);
    if (columns % groups == 0 && fits(weight, rhsShape, parts) &&
        canAdd(result, mapped)) {
      rhsNeed.add(weight);
      result.add(mapped);
    }
  }

  OpPlan plan = planWhole(op);
  plan.operands[0] = lhsNeed;
  plan.operands[1] = rhsNeed;
  if (bias) {
    ArrayRef<int64_t> biasShape = shapeOf(context, bias);
    int64_t offset = out.size() - biasShape.size();
    Sharding biasNeed;
    for (const Digit &digit : result.digits) {
      int64_t dim = digit.dim - offset;
      if (dim >= 0 && biasShape[dim] == out[digit.dim])
        biasNeed.add(at(digit, dim));
    }
    plan.operands[2] = biasNeed;
  }
  plan.results.assign(1, result);
  return plan;
}

OpPlan planMatMul(graph::MatMulOp op, const RuleContext &context) {
  int64_t lhsRank = shapeOf(context, op.getLhs()).size();
  int64_t rhsRank = shapeOf(context, op.getRhs()).size();
  int64_t rank = shapeOf(context, op.getOutput()).size();
  if (lhsRank < 2 || rhsRank < 2)
    return planWhole(op);
  GemmDims dims{lhsRank - 2,     lhsRank - 1, rhsRank - 2,
                rhsRank - 1,     rank - 2,    rank - 1,
                rank - lhsRank,  rank - rhsRank,
                lhsRank - 2,     rhsRank - 2};
  return planGemm(op, op.getLhs(), op.getRhs(), Value(), dims, context);
}

OpPlan planGemmOp(graph::GemmOp op, const RuleContext &context) {
  GemmDims dims{op.getTransA() ? 1 : 0, op.getTransA() ? 0 : 1,
                op.getTransB() ? 1 : 0, op.getTransB() ? 0 : 1,
                0, 1, 0, 0, 0, 0};
  return planGemm(op, op.getA(), op.getB(), op.getC(), dims, context);
}

OpPlan planGather(graph::GatherOp op, const RuleContext &context) {
  int64_t rank = shapeOf(context, op.getInput()).size();
  int64_t indexRank = shapeOf(context, op.getIndices()).size();
  int64_t axis = normalizeAxis(op.getAxis(), rank);
  Sharding data = context.sharding(op.getInput());
  Sharding indices = context.sharding(op.getIndices());
  Sharding dataNeed, indicesNeed, result;
  for (const Digit &digit : data.digits) {
    if (digit.dim == axis)
      continue;
    Digit mapped = digit;
    if (digit.dim > axis)
      mapped.dim += indexRank - 1;
    if (canAdd(result, mapped)) {
      dataNeed.add(digit);
      result.add(mapped);
    }
  }
  for (const Digit &digit : indices.digits) {
    Digit mapped = digit;
    mapped.dim += axis;
    if (canAdd(result, mapped)) {
      indicesNeed.add(digit);
      result.add(mapped);
    }
  }
  OpPlan plan;
  plan.operands = {dataNeed, indicesNeed};
  plan.results = {result};
  return plan;
}

OpPlan planSplit(graph::SplitOp op, const RuleContext &context) {
  ArrayRef<int64_t> shape = shapeOf(context, op.getInput());
  int64_t axis = normalizeAxis(op.getAxis(), shape.size());
  ArrayRef<int64_t> sizes = op.getSplit();
  int64_t pieces = op->getNumResults();
  Sharding have = context.sharding(op.getInput()), need, result;
  for (const Digit &digit : have.digits) {
    if (digit.dim != axis) {
      need.add(digit);
      result.add(digit);
      continue;
    }
    // A digit whose outer factor is the split: each piece holds one outer
    // slice (the q, k and v of a fused projection).
    int64_t outer = shape[axis] / (digit.factor * digit.inner);
    if (outer == pieces && llvm::all_equal(sizes)) {
      need.add(digit);
      result.add(digit);
    }
  }
  OpPlan plan;
  plan.operands = {need};
  plan.results.assign(op->getNumResults(), result);
  return plan;
}

/// Concat keeps a digit of any operand on a dim it does not concatenate
/// along; the operands that hold that dim whole take their block of it.
OpPlan planConcat(graph::ConcatOp op, const RuleContext &context) {
  int64_t rank = shapeOf(context, op.getOutput()).size();
  int64_t axis = normalizeAxis(op.getAxis(), rank);
  Sharding result;
  for (Value input : op.getInputs())
    for (const Digit &digit : context.sharding(input).digits)
      if (digit.dim != axis && canAdd(result, digit) &&
          llvm::all_of(op.getInputs(), [&](Value other) {
            return fits(digit, shapeOf(context, other),
                        context.mesh.size(digit.axis));
          }))
        result.add(digit);
  OpPlan plan;
  plan.operands.assign(op->getNumOperands(), result);
  plan.results = {result};
  return plan;
}

/// The integers of a constant operand.
std::optional<SmallVector<int64_t>> getConstantInts(Value value) {
  DenseIntElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  SmallVector<int64_t> ints;
  for (const APInt &v : attr.getValues<APInt>())
    ints.push_back(v.getSExtValue());
  return ints;
}

OpPlan planSlice(graph::SliceOp op, const RuleContext &context) {
  ArrayRef<int64_t> shape = shapeOf(context, op.getInput());
  int64_t rank = shape.size();
  auto starts = getConstantInts(op.getStarts());
  auto ends = getConstantInts(op.getEnds());
  std::optional<SmallVector<int64_t>> axes;
  if (op.getAxes())
    axes = getConstantInts(op.getAxes());
  else if (starts)
    axes = llvm::to_vector(llvm::seq<int64_t>(0, starts->size()));
  std::optional<SmallVector<int64_t>> steps;
  if (op.getSteps())
    steps = getConstantInts(op.getSteps());
  if (!starts || !ends || !axes || (op.getSteps() && !steps))
    return planWhole(op);
  // A dim the slice keeps whole (start 0, end at or past its size, step 1)
  // keeps its digit: each rank's end clamps to its own size.
  auto untouched = [&](int64_t dim) {
    for (auto [i, axis] : llvm::enumerate(*axes)) {
      if (normalizeAxis(axis, rank) != dim)
        continue;
      int64_t step = steps ? (*steps)[i] : 1;
      if ((*starts)[i] != 0 || (*ends)[i] < shape[dim] || step != 1)
        return false;
    }
    return true;
  };
  return planKeepDims(op, context, [&](int64_t dim) -> std::optional<int64_t> {
    return untouched(dim) ? std::optional<int64_t>(dim) : std::nullopt;
  });
}

OpPlan planExpand(graph::ExpandOp op, const RuleContext &context) {
  ArrayRef<int64_t> in = shapeOf(context, op.getInput());
  ArrayRef<int64_t> out = shapeOf(context, op.getOutput());
  int64_t offset = out.size() - in.size();
  return planKeepDims(op, context, [&](int64_t dim) -> std::optional<int64_t> {
    if (in[dim] != out[dim + offset])
      return std::nullopt;
    return dim + offset;
  });
}

/// The dims a reduction over `axes` keeps, renumbered without keepdims.
OpPlan planReduce(Operation *op, std::optional<ArrayRef<int64_t>> axes,
                  bool keepdims, bool sums, const RuleContext &context) {
  int64_t rank = shapeOf(context, op->getOperand(0)).size();
  SmallVector<bool> reduced(rank, !axes || axes->empty());
  if (axes)
    for (int64_t axis : *axes)
      reduced[normalizeAxis(axis, rank)] = true;
  return planKeepDims(
      op, context,
      [&](int64_t dim) -> std::optional<int64_t> {
        if (reduced[dim])
          return std::nullopt;
        if (keepdims)
          return dim;
        return dim - llvm::count(ArrayRef<bool>(reduced).take_front(dim), true);
      },
      sums);
}

/// Ops that keep dims before `axis` and work across the rest.
OpPlan planLeadingDims(Operation *op, int64_t axis,
                       const RuleContext &context) {
  return planKeepDims(op, context, [&](int64_t dim) -> std::optional<int64_t> {
    return dim < axis ? std::optional<int64_t>(dim) : std::nullopt;
  });
}

} // namespace

OpPlan planOp(Operation *op, const RuleContext &context) {
  if (op->getNumResults() == 0 || op->getNumRegions() != 0)
    return planWhole(op);
  if (isElementwise(op))
    return planElementwise(op, context);
  return llvm::TypeSwitch<Operation *, OpPlan>(op)
      .Case<graph::ReshapeOp, graph::FlattenOp, graph::SqueezeOp,
            graph::UnsqueezeOp>(
          [&](Operation *view) { return planReshape(view, context); })
      .Case([&](graph::TransposeOp transpose) {
        return planTranspose(transpose, context);
      })
      .Case([&](graph::MatMulOp matmul) { return planMatMul(matmul, context); })
      .Case([&](graph::GemmOp gemm) { return planGemmOp(gemm, context); })
      .Case([&](graph::GatherOp gather) { return planGather(gather, context); })
      .Case([&](graph::SplitOp split) { return planSplit(split, context); })
      .Case([&](graph::ConcatOp concat) { return planConcat(concat, context); })
      .Case([&](graph::SliceOp slice) { return planSlice(slice, context); })
      .Case([&](graph::ExpandOp expand) { return planExpand(expand, context); })
      .Case<graph::SoftmaxOp, graph::LogSoftmaxOp>([&](auto softmax) {
        int64_t rank = shapeOf(context, softmax.getInput()).size();
        int64_t axis = normalizeAxis(softmax.getAxis(), rank);
        return planKeepDims(softmax, context,
                            [&](int64_t dim) -> std::optional<int64_t> {
                              return dim != axis ? std::optional<int64_t>(dim)
                                                 : std::nullopt;
                            });
      })
      .Case([&](graph::LayerNormOp norm) {
        int64_t rank = shapeOf(context, norm.getInput()).size();
        return planLeadingDims(norm, normalizeAxis(norm.getAxis(), rank),
                               context);
      })
      .Case<graph::ReduceSumOp, graph::ReduceMeanOp, graph::ReduceMaxOp,
            graph::ReduceMinOp, graph::ReduceProdOp, graph::ReduceSumSquareOp,
            graph::ReduceL1Op, graph::ReduceL2Op, graph::ReduceLogSumExpOp>(
          [&](Operation *reduce) {
            auto axes = reduce->getAttrOfType<DenseI64ArrayAttr>("axes");
            auto keepdims = reduce->getAttrOfType<BoolAttr>("keepdims");
            auto noop = reduce->getAttrOfType<BoolAttr>("noop_with_empty_axes");
            if ((!axes || axes.empty()) && noop && noop.getValue())
              return planElementwise(reduce, context);
            std::optional<ArrayRef<int64_t>> list;
            if (axes)
              list = axes.asArrayRef();
            return planReduce(reduce, list, !keepdims || keepdims.getValue(),
                              isa<graph::ReduceSumOp>(reduce), context);
          })
      .Case<graph::ArgMaxOp, graph::ArgMinOp>([&](auto arg) {
        int64_t rank = shapeOf(context, arg.getInput()).size();
        SmallVector<int64_t> axes = {normalizeAxis(arg.getAxis(), rank)};
        return planReduce(arg, ArrayRef<int64_t>(axes), arg.getKeepdims(),
                          false, context);
      })
      // Batch-parallel network ops: the batch dim (0) keeps its digit.
      .Case<graph::ConvOp, graph::ConvTransposeOp, graph::MaxPoolOp,
            graph::AveragePoolOp, graph::GlobalAveragePoolOp,
            graph::GlobalMaxPoolOp, graph::BatchNormOp>(
          [&](Operation *batched) {
            return planLeadingDims(batched, 1, context);
          })
      .Default([](Operation *other) { return planWhole(other); });
}

} // namespace kiln::partition
