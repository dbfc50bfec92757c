//===- ImportEinsum.cpp - ONNX Einsum as graph ops ------------------------===//
//
// Einsum (opsets 12, 28) is rewritten at import into the graph ops Kiln
// has, contracting the operands left to right:
//
//   x = reduce_sum(operand 0, its labels needed nowhere else)
//   for each next operand y (its private labels summed out the same way):
//     x (batch, left, k) @ y (batch, k, right) -> (batch, left, right)
//     with transpose to group the labels, reshape to merge each group into
//     one dim (unsqueeze for an empty group) and back after the matmul
//   transpose x to the output's label order
//
// where batch labels are in both and needed later (in the output or a
// later operand), k labels are in both and needed nowhere else, left and
// right in one side only. An ellipsis stands for the same leading-aligned
// labels in every operand (right-aligned, numpy broadcasting); the implicit
// output is the ellipsis then the labels seen once, in ASCII order. A label
// repeated within one operand (a diagonal) is refused.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"
#include "frontends/onnx/OpTable.h"

#include "dialects/graph/GraphOps.h"
#include "kernels/common/Checked.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;

namespace kiln::onnxfe {
namespace {

namespace g = ::kiln::graph;

/// A label: a letter, or 0..63 for the i-th dim an ellipsis stands for
/// (counted from the last).
using Label = int;
constexpr Label kEllipsisBase = 0;

bool isEllipsisLabel(Label label) { return label < 'A'; }

/// An operand or output term: its labels, one per dim.
using Term = SmallVector<Label>;

/// A tensor of the contraction and the label of each of its dims.
struct Labeled {
  Value value;
  Term labels;
};

class EinsumImporter {
public:
  explicit EinsumImporter(NodeImporter &n) : n(n), b(n.getBuilder()) {}

  LogicalResult run();

private:
  /// The labels of `term` for a tensor of rank `rank` (-1: the output).
  FailureOr<Term> parseTerm(StringRef term, int64_t rank);

  FailureOr<Value> transpose(Value value, ArrayRef<int64_t> perm);
  FailureOr<Value> reshape(Value value, ArrayRef<int64_t> shape);
  /// Sums `x` over the labels that neither `partner`, a later operand (from
  /// `next` on) nor the output hold.
  FailureOr<Labeled> sumPrivate(Labeled x, ArrayRef<Label> partner,
                                size_t next);
  FailureOr<Labeled> contract(Labeled x, Labeled y, size_t next);
  bool isNeededAfter(Label label, size_t next) const;

  NodeImporter &n;
  Builder &b;
  int64_t ellipsisRank = 0;
  SmallVector<Term> inputs;
  Term output;
};

FailureOr<Term> EinsumImporter::parseTerm(StringRef term, int64_t rank) {
  Term labels;
  size_t dots = term.find("...");
  if (term.count('.') != (dots == StringRef::npos ? 0 : 3))
    return n.emitError() << "Einsum term '" << term
                         << "' has a '.' outside an ellipsis";
  StringRef before = dots == StringRef::npos ? term : term.take_front(dots);
  StringRef after =
      dots == StringRef::npos ? StringRef() : term.drop_front(dots + 3);
  for (StringRef part : {before, after})
    for (char c : part)
      if (!llvm::isAlpha(c))
        return n.emitError() << "Einsum term '" << term << "' holds '" << c
                             << "', not a letter";
  int64_t letters = before.size() + after.size();
  int64_t covered = 0;
  if (dots != StringRef::npos) {
    covered = rank < 0 ? ellipsisRank : rank - letters;
    if (covered < 0)
      return n.emitError() << "Einsum term '" << term << "' has " << letters
                           << " letters for an operand of rank " << rank;
  } else if (rank >= 0 && letters != rank) {
    return n.emitError() << "Einsum term '" << term << "' has " << letters
                         << " labels for an operand of rank " << rank;
  }
  for (char c : before)
    labels.push_back(c);
  // The ellipsis dims, right-aligned: dim i of `covered` is label
  // covered - 1 - i counted from the last.
  for (int64_t i = 0; i < covered; ++i)
    labels.push_back(kEllipsisBase + static_cast<Label>(covered - 1 - i));
  for (char c : after)
    labels.push_back(c);
  for (size_t i = 0; i < labels.size(); ++i)
    for (size_t j = i + 1; j < labels.size(); ++j)
      if (labels[i] == labels[j] && !isEllipsisLabel(labels[i]))
        return n.emitError() << "Einsum term '" << term << "' repeats label '"
                             << static_cast<char>(labels[i])
                             << "' (diagonals are not supported)";
  return labels;
}

bool EinsumImporter::isNeededAfter(Label label, size_t next) const {
  if (llvm::is_contained(output, label))
    return true;
  for (size_t i = next; i < inputs.size(); ++i)
    if (llvm::is_contained(inputs[i], label))
      return true;
  return false;
}

FailureOr<Value> EinsumImporter::transpose(Value value,
                                           ArrayRef<int64_t> perm) {
  if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
    return value;
  return n.createValue<g::TransposeOp>(
      {}, {value}, {n.namedAttr("perm", b.getDenseI64ArrayAttr(perm))});
}

FailureOr<Value> EinsumImporter::reshape(Value value, ArrayRef<int64_t> shape) {
  // No reshape where every dim stays (0 copies a dim).
  ArrayRef<int64_t> dims = cast<RankedTensorType>(value.getType()).getShape();
  if (dims.size() == shape.size() &&
      llvm::all_of(llvm::zip_equal(dims, shape), [](auto pair) {
        auto [dim, target] = pair;
        return target == 0 || target == dim;
      }))
    return value;
  return n.createValue<g::ReshapeOp>({}, {value, n.createI64Tensor(shape)});
}

FailureOr<Labeled>
EinsumImporter::sumPrivate(Labeled x, ArrayRef<Label> partner, size_t next) {
  SmallVector<int64_t> axes;
  Labeled result;
  for (auto [dim, label] : llvm::enumerate(x.labels)) {
    if (llvm::is_contained(partner, label) || isNeededAfter(label, next))
      result.labels.push_back(label);
    else
      axes.push_back(dim);
  }
  if (axes.empty())
    return x;
  FailureOr<Value> sum = n.createValue<g::ReduceSumOp>(
      {}, {x.value},
      {n.namedAttr("axes", b.getDenseI64ArrayAttr(axes)),
       n.namedAttr("keepdims", b.getBoolAttr(false))});
  if (failed(sum))
    return failure();
  result.value = *sum;
  return result;
}

FailureOr<Labeled> EinsumImporter::contract(Labeled x, Labeled y, size_t next) {
  ArrayRef<int64_t> xShape =
      cast<RankedTensorType>(x.value.getType()).getShape();
  ArrayRef<int64_t> yShape =
      cast<RankedTensorType>(y.value.getType()).getShape();
  // Positions of each group's labels in x and in y.
  SmallVector<int64_t> xBatch, xLeft, xSum, yBatch, ySum, yRight;
  Term batch, left, right;
  for (auto [dim, label] : llvm::enumerate(x.labels)) {
    const auto *it = llvm::find(y.labels, label);
    if (it == y.labels.end()) {
      xLeft.push_back(dim);
      left.push_back(label);
    } else if (isNeededAfter(label, next)) {
      xBatch.push_back(dim);
      yBatch.push_back(it - y.labels.begin());
      batch.push_back(label);
    } else {
      xSum.push_back(dim);
      ySum.push_back(it - y.labels.begin());
    }
  }
  for (auto [dim, label] : llvm::enumerate(y.labels))
    if (!llvm::is_contained(x.labels, label)) {
      yRight.push_back(dim);
      right.push_back(label);
    }

  // The product of the dims of one group; the group must be static unless
  // it is a single dim.
  auto groupSize = [&](ArrayRef<int64_t> shape,
                       ArrayRef<int64_t> dims) -> FailureOr<int64_t> {
    if (dims.size() == 1)
      return shape[dims[0]];
    int64_t size = 1;
    for (int64_t dim : dims) {
      if (ShapedType::isDynamic(shape[dim]) ||
          !checkedMul(size, shape[dim], size))
        return n.emitError() << "Einsum needs static sizes for the dims it "
                                "merges";
    }
    return size;
  };
  // x as (batch, left, k) and y as (batch, k, right), each group one dim;
  // batch dims stay as they are (0 copies them in a reshape).
  auto arrange = [&](Value value, ArrayRef<int64_t> shape,
                     ArrayRef<int64_t> batchDims, ArrayRef<int64_t> first,
                     ArrayRef<int64_t> second) -> FailureOr<Value> {
    SmallVector<int64_t> perm(batchDims);
    llvm::append_range(perm, first);
    llvm::append_range(perm, second);
    FailureOr<Value> moved = transpose(value, perm);
    FailureOr<int64_t> firstSize = groupSize(shape, first);
    FailureOr<int64_t> secondSize = groupSize(shape, second);
    if (failed(moved) || failed(firstSize) || failed(secondSize))
      return failure();
    // A dynamic first group (a single dim, right after the batch dims) is
    // copied by position, a dynamic second one inferred.
    SmallVector<int64_t> target(batchDims.size(), 0);
    target.push_back(ShapedType::isDynamic(*firstSize) ? 0 : *firstSize);
    target.push_back(ShapedType::isDynamic(*secondSize) ? -1 : *secondSize);
    return reshape(*moved, target);
  };
  FailureOr<Value> lhs = arrange(x.value, xShape, xBatch, xLeft, xSum);
  FailureOr<Value> rhs = arrange(y.value, yShape, yBatch, ySum, yRight);
  if (failed(lhs) || failed(rhs))
    return failure();
  FailureOr<Value> product = n.createValue<g::MatMulOp>({}, {*lhs, *rhs});
  if (failed(product))
    return failure();
  // (batch, left, right) with each group's own dims again.
  SmallVector<int64_t> target(xBatch.size(), 0);
  for (int64_t dim : xLeft)
    target.push_back(xShape[dim]);
  for (int64_t dim : yRight)
    target.push_back(yShape[dim]);
  if (llvm::any_of(ArrayRef<int64_t>(target).drop_front(xBatch.size()),
                   ShapedType::isDynamic)) {
    // Only a single dynamic group dim can be copied by position.
    if (xLeft.size() > 1 || yRight.size() > 1)
      return n.emitError() << "Einsum needs static sizes for the dims it "
                              "merges";
    for (size_t i = xBatch.size(); i < target.size(); ++i)
      if (ShapedType::isDynamic(target[i]))
        target[i] = xLeft.empty() || i > xBatch.size() ? -1 : 0;
  }
  FailureOr<Value> split = reshape(*product, target);
  if (failed(split))
    return failure();
  Labeled result{*split, batch};
  llvm::append_range(result.labels, left);
  llvm::append_range(result.labels, right);
  return result;
}

LogicalResult EinsumImporter::run() {
  if (!n.hasAttr("equation"))
    return n.emitError() << "Einsum needs an equation";
  std::string equation;
  for (char c : n.getString("equation", ""))
    if (c != ' ')
      equation.push_back(c);
  StringRef text(equation);
  StringRef lhs = text, rhs;
  bool explicitOutput = false;
  if (size_t arrow = text.find("->"); arrow != StringRef::npos) {
    lhs = text.take_front(arrow);
    rhs = text.drop_front(arrow + 2);
    explicitOutput = true;
  }
  SmallVector<StringRef> terms;
  lhs.split(terms, ',');
  if (terms.size() != n.getNumInputs())
    return n.emitError() << "Einsum equation has " << terms.size()
                         << " operand terms for " << n.getNumInputs()
                         << " inputs";
  SmallVector<Value> operands;
  for (auto [index, term] : llvm::enumerate(terms)) {
    FailureOr<Value> operand = n.getRequiredInput(index);
    if (failed(operand))
      return failure();
    int64_t rank = cast<RankedTensorType>(operand->getType()).getRank();
    FailureOr<Term> labels = parseTerm(term, rank);
    if (failed(labels))
      return failure();
    for (Label label : *labels)
      if (isEllipsisLabel(label))
        ellipsisRank = std::max<int64_t>(ellipsisRank, label + 1);
    operands.push_back(*operand);
    inputs.push_back(*labels);
  }

  if (explicitOutput) {
    FailureOr<Term> labels = parseTerm(rhs, -1);
    if (failed(labels))
      return failure();
    output = *labels;
    for (Label label : output)
      if (!isEllipsisLabel(label) &&
          llvm::none_of(inputs, [&](const Term &term) {
            return llvm::is_contained(term, label);
          }))
        return n.emitError()
               << "Einsum output label '" << static_cast<char>(label)
               << "' is in no operand";
  } else {
    for (int64_t i = ellipsisRank - 1; i >= 0; --i)
      output.push_back(kEllipsisBase + static_cast<Label>(i));
    SmallVector<Label> once;
    for (int c = 'A'; c <= 'z'; ++c) {
      int count = 0;
      for (const Term &term : inputs)
        count += llvm::count(term, c);
      if (count == 1)
        once.push_back(c);
    }
    llvm::append_range(output, once);
  }

  FailureOr<Labeled> x = sumPrivate({operands[0], inputs[0]}, {}, 1);
  if (failed(x))
    return failure();
  for (size_t i = 1; i < operands.size(); ++i) {
    FailureOr<Labeled> y =
        sumPrivate({operands[i], inputs[i]}, x->labels, i + 1);
    if (failed(y))
      return failure();
    x = contract(*x, *y, i + 1);
    if (failed(x))
      return failure();
  }
  // The output's labels, in its order (an ellipsis dim no operand had is
  // not in x: it is size 1).
  SmallVector<int64_t> perm;
  Term kept;
  for (Label label : output) {
    const auto *it = llvm::find(x->labels, label);
    if (it == x->labels.end())
      continue;
    perm.push_back(it - x->labels.begin());
    kept.push_back(label);
  }
  FailureOr<Value> result = transpose(x->value, perm);
  if (failed(result))
    return failure();
  if (kept.size() != output.size()) {
    SmallVector<int64_t> axes;
    for (auto [dim, label] : llvm::enumerate(output))
      if (!llvm::is_contained(kept, label))
        axes.push_back(dim);
    FailureOr<Value> expanded = n.createValue<g::UnsqueezeOp>(
        {}, {*result}, {n.namedAttr("axes", b.getDenseI64ArrayAttr(axes))});
    if (failed(expanded))
      return failure();
    result = expanded;
  }
  return n.createOutput<g::IdentityOp>({*result}, {}, result->getType());
}

} // namespace

void registerEinsumOps(OpTable &table) {
  table.add("Einsum", {12, 28},
              [](NodeImporter &n) { return EinsumImporter(n).run(); });
}

} // namespace kiln::onnxfe
