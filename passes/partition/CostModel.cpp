//===- CostModel.cpp - The time and memory of one rank's forward pass ----===//
//
// One walk over @main's block: each op gets its FLOPs and bytes (the
// formulas in CostModel.h), each activation buffer its live range; then
// the live bytes at every op, by a difference array over the ranges.
//
//===----------------------------------------------------------------------===//

#include "passes/partition/CostModel.h"

#include "dialects/graph/GraphOps.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <numeric>

using namespace mlir;

namespace kiln::cost {
namespace {

double getNumElements(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape())
    return 0;
  double count = 1;
  for (int64_t size : tensor.getShape())
    count *= static_cast<double>(size);
  return count;
}

double getNumElements(Value value) { return getNumElements(value.getType()); }

/// The product of dims [from, rank) of `value`'s shape.
double getTrailingProduct(Value value, int64_t from) {
  auto tensor = dyn_cast<RankedTensorType>(value.getType());
  if (!tensor)
    return 0;
  double product = 1;
  for (int64_t i = from; i < tensor.getRank(); ++i)
    product *= static_cast<double>(tensor.getDimSize(i));
  return product;
}

int64_t getDim(Value value, int64_t dim) {
  auto tensor = cast<RankedTensorType>(value.getType());
  if (dim < 0)
    dim += tensor.getRank();
  return tensor.getRank() == 0 ? 1 : tensor.getDimSize(dim);
}

/// Ops whose result is a view of their first operand: no bytes move, and
/// the result shares the operand's buffer.
bool isView(Operation *op) {
  return isa<graph::ReshapeOp, graph::FlattenOp, graph::SqueezeOp,
             graph::UnsqueezeOp, graph::IdentityOp, graph::DropoutOp,
             graph::BitcastOp>(op);
}

/// Ops that only rearrange or copy elements: bytes, no FLOPs.
bool isDataMovement(Operation *op) {
  return isa<graph::TransposeOp, graph::ExpandOp, graph::ConcatOp,
             graph::SplitOp, graph::SliceOp, graph::GatherOp,
             graph::GatherElementsOp, graph::GatherNDOp,
             graph::ScatterElementsOp, graph::ScatterNDOp, graph::TileOp,
             graph::PadOp, graph::ShapeOp, graph::ConstantOfShapeOp,
             graph::RangeOp, graph::TriluOp, dist::ShardOp>(op);
}

/// FLOPs of one op of the graph dialect (not counting nested regions).
double getOpFlops(Operation *op) {
  if (isView(op) || isDataMovement(op) || op->getNumResults() == 0)
    return 0;
  return llvm::TypeSwitch<Operation *, double>(op)
      // out[..., m, n] = sum_k lhs[..., m, k] * rhs[..., k, n]
      .Case([](graph::MatMulOp matmul) {
        return 2 * getNumElements(matmul.getOutput()) *
               getDim(matmul.getLhs(), -1);
      })
      // out[m, n] = alpha * sum_k a[m, k] * b[k, n] + beta * c
      .Case([](graph::GemmOp gemm) {
        double k = getDim(gemm.getA(), gemm.getTransA() ? 0 : 1);
        double out = getNumElements(gemm.getOutput());
        return 2 * out * k + (gemm.getC() ? 2 * out : 0);
      })
      // out[n, co, ...] = sum over ci/group and the kernel window
      .Case([](graph::ConvOp conv) {
        return 2 * getNumElements(conv.getOutput()) *
               getTrailingProduct(conv.getWeight(), 1);
      })
      // each input element scatters into cout/group x kernel outputs
      .Case([](graph::ConvTransposeOp conv) {
        return 2 * getNumElements(conv.getInput()) *
               getTrailingProduct(conv.getWeight(), 1);
      })
      .Case<graph::MaxPoolOp, graph::AveragePoolOp>([](Operation *pool) {
        double window = 1;
        if (auto kernel =
                pool->getAttrOfType<DenseI64ArrayAttr>("kernel_shape"))
          for (int64_t size : kernel.asArrayRef())
            window *= static_cast<double>(size);
        return getNumElements(pool->getResult(0)) * window;
      })
      .Case<graph::SoftmaxOp, graph::LogSoftmaxOp>(
          [](Operation *op) { return 5 * getNumElements(op->getOperand(0)); })
      .Case([](graph::LayerNormOp op) {
        return 8 * getNumElements(op->getOperand(0));
      })
      .Case([](graph::BatchNormOp op) {
        return 2 * getNumElements(op->getOperand(0));
      })
      // X is (seq, batch, input); W and R hold every gate of every direction
      .Case<graph::RNNOp, graph::GRUOp, graph::LSTMOp>([](Operation *op) {
        double steps = getDim(op->getOperand(0), 0) *
                       static_cast<double>(getDim(op->getOperand(0), 1));
        return 2 * steps *
               (getNumElements(op->getOperand(1)) +
                getNumElements(op->getOperand(2)));
      })
      .Case<graph::ReduceMeanOp, graph::ReduceSumOp, graph::ReduceMaxOp,
            graph::ReduceMinOp, graph::ReduceProdOp, graph::ReduceSumSquareOp,
            graph::ReduceLogSumExpOp, graph::ArgMaxOp, graph::ArgMinOp,
            graph::GlobalAveragePoolOp, graph::GlobalMaxPoolOp, graph::CumSumOp,
            graph::CumProdOp, graph::TopKOp>(
          [](Operation *op) { return getNumElements(op->getOperand(0)); })
      // elementwise and anything else: one per element of the largest result
      .Default([](Operation *op) {
        double most = 0;
        for (Value result : op->getResults())
          most = std::max(most, getNumElements(result));
        return most;
      });
}

std::string getWorkDType(Operation *op) {
  auto nameOf = [](Type type) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << getElementTypeOrSelf(type);
    return text;
  };
  for (Value operand : op->getOperands())
    if (isa<FloatType>(getElementTypeOrSelf(operand.getType())))
      return nameOf(operand.getType());
  for (Value result : op->getResults())
    if (isa<FloatType>(getElementTypeOrSelf(result.getType())))
      return nameOf(result.getType());
  return "f32";
}

class Analyzer {
public:
  explicit Analyzer(func::FuncOp func) : func(func) {}
  FailureOr<GraphCost> run();

private:
  bool isWeightSource(Operation *op);
  Value getRoot(Value value) {
    auto it = roots.find(value);
    return it == roots.end() ? value : it->second;
  }
  void addOp(Operation *op);
  void computeLiveness();

  func::FuncOp func;
  GraphCost graph;
  /// A view's buffer: the value it aliases.
  DenseMap<Value, Value> roots;
  /// Weights by value: their index in GraphCost::weights.
  DenseMap<Value, unsigned> weights;
  DenseMap<Operation *, int64_t> indices;
};

/// A constant (unless every user shards it: then the shards are the
/// weights) or a shard of a constant.
bool Analyzer::isWeightSource(Operation *op) {
  if (auto shard = dyn_cast<dist::ShardOp>(op))
    return shard.getInput().getDefiningOp<graph::ConstantOp>() != nullptr;
  if (!isa<graph::ConstantOp>(op))
    return false;
  return op->use_empty() || !llvm::all_of(op->getUsers(), [](Operation *user) {
           return isa<dist::ShardOp>(user);
         });
}

void Analyzer::addOp(Operation *op) {
  OpCost cost;
  cost.op = op;
  cost.dtype = getWorkDType(op);
  auto readOperand = [&](Value operand) {
    double bytes = getTensorBytes(operand.getType());
    auto weight = weights.find(getRoot(operand));
    if (weight == weights.end()) {
      cost.activationBytes += bytes;
      return;
    }
    if (!llvm::is_contained(cost.weights, weight->second))
      cost.weights.push_back(weight->second);
    // An embedding lookup reads the rows it gathers, not the table.
    auto gather = dyn_cast<graph::GatherOp>(op);
    if (gather && operand == gather->getOperand(0))
      bytes = getTensorBytes(gather->getResult(0).getType());
    cost.weightBytes += bytes;
  };
  if (auto reduce = dyn_cast<dist::AllReduceOp>(op)) {
    cost.kind = OpKind::AllReduce;
    cost.commBytes = getTensorBytes(reduce.getType());
    cost.axis = reduce.getAxis();
    cost.parts = reduce.getParts();
  } else if (auto gather = dyn_cast<dist::AllGatherOp>(op)) {
    cost.kind = OpKind::AllGather;
    cost.commBytes = getTensorBytes(gather.getType());
    cost.axis = gather.getSplit().getAxis();
    cost.parts = gather.getSplit().getParts();
  } else if (isView(op)) {
    roots[op->getResult(0)] = getRoot(op->getOperand(0));
  } else {
    cost.flops = getOpFlops(op);
    op->walk([&](Operation *nested) {
      if (nested != op)
        cost.flops += getOpFlops(nested);
    });
    for (Value operand : op->getOperands())
      readOperand(operand);
    if (!isa<graph::ShapeOp>(op))
      for (Value result : op->getResults())
        cost.activationBytes += getTensorBytes(result.getType());
  }
  if (cost.kind != OpKind::Compute)
    graph.commBytes[static_cast<size_t>(cost.axis)] += cost.commBytes;
  graph.flops += cost.flops;
  indices[op] = graph.ops.size();
  graph.ops.push_back(std::move(cost));
}

/// Each buffer lives from its definition to its last reader, through any
/// view of it; results of @main to the end.
void Analyzer::computeLiveness() {
  Block &body = func.getBody().front();
  auto end = static_cast<int64_t>(graph.ops.size());
  DenseMap<Value, size_t> bufferOf;
  auto addBuffer = [&](Value value, int64_t def) {
    bufferOf[value] = graph.buffers.size();
    graph.buffers.push_back({def, def, getTensorBytes(value.getType())});
  };
  for (BlockArgument arg : func.getArguments())
    addBuffer(arg, -1);
  for (OpCost &cost : graph.ops)
    if (!isView(cost.op))
      for (Value result : cost.op->getResults())
        addBuffer(result, indices[cost.op]);

  auto markUses = [&](Value value) {
    auto it = bufferOf.find(getRoot(value));
    if (it == bufferOf.end())
      return;
    LiveRange &range = graph.buffers[it->second];
    for (Operation *user : value.getUsers()) {
      Operation *top = body.findAncestorOpInBlock(*user);
      int64_t at = top && indices.count(top) ? indices[top] : end;
      range.lastUse = std::max(range.lastUse, at);
    }
  };
  for (BlockArgument arg : func.getArguments())
    markUses(arg);
  for (OpCost &cost : graph.ops)
    for (Value result : cost.op->getResults())
      markUses(result);

  // live[i] = bytes of buffers with def <= i <= lastUse.
  SmallVector<double> delta(graph.ops.size() + 2, 0);
  for (const LiveRange &range : graph.buffers) {
    int64_t first = std::max<int64_t>(range.def, 0);
    int64_t last = std::min(std::max(range.lastUse, first), end - 1);
    if (end == 0 || first > last)
      continue;
    delta[first] += range.bytes;
    delta[last + 1] -= range.bytes;
  }
  double live = 0;
  for (size_t i = 0; i < graph.ops.size(); ++i) {
    live += delta[i];
    graph.ops[i].liveBytes = live;
    graph.peakActivationBytes = std::max(graph.peakActivationBytes, live);
  }
}

FailureOr<GraphCost> Analyzer::run() {
  if (func.isExternal() || !func.getBody().hasOneBlock())
    return func.emitError("the cost model expects a func.func with one block");
  for (BlockArgument arg : func.getArguments())
    if (auto tensor = dyn_cast<RankedTensorType>(arg.getType());
        tensor && !tensor.hasStaticShape())
      return func.emitError("the cost model needs static shapes: input ")
             << arg.getArgNumber() << " has type " << tensor
             << " (give its dims with --shape)";
  Block &body = func.getBody().front();
  for (Operation &op : body.without_terminator()) {
    for (Value result : op.getResults())
      if (auto tensor = dyn_cast<RankedTensorType>(result.getType());
          tensor && !tensor.hasStaticShape())
        return op.emitError("the cost model needs static shapes: a result "
                            "has type ")
               << tensor;
    if (isWeightSource(&op)) {
      double bytes = getTensorBytes(op.getResult(0).getType());
      weights[op.getResult(0)] = graph.weights.size();
      graph.weights.push_back(bytes);
      graph.weightBytes += bytes;
      continue;
    }
    if (isa<graph::ConstantOp>(op))
      continue;
    addOp(&op);
  }
  computeLiveness();
  return std::move(graph);
}

} // namespace

double getTensorBytes(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape())
    return 0;
  Type element = tensor.getElementType();
  double width = element.isIntOrFloat() ? element.getIntOrFloatBitWidth() : 64;
  return getNumElements(type) * std::max(1.0, width / 8);
}

FailureOr<GraphCost> analyzeFunction(func::FuncOp func) {
  return Analyzer(func).run();
}

double getComputeTime(const OpCost &cost, double peakFlops,
                      double memoryBandwidth, int64_t microBatches) {
  double parts = static_cast<double>(std::max<int64_t>(microBatches, 1));
  double math = peakFlops > 0 ? cost.flops / parts / peakFlops : 0;
  double memory =
      memoryBandwidth > 0
          ? (cost.activationBytes / parts + cost.weightBytes) / memoryBandwidth
          : 0;
  return std::max(math, memory);
}

double getRingAllReduceTime(double bytes, int64_t ranks, Link link) {
  if (ranks <= 1)
    return 0;
  double p = static_cast<double>(ranks);
  return 2 * (p - 1) / p * bytes / link.bandwidth + 2 * (p - 1) * link.latency;
}

double getRingAllGatherTime(double totalBytes, int64_t ranks, Link link) {
  if (ranks <= 1)
    return 0;
  double p = static_cast<double>(ranks);
  return (p - 1) / p * totalBytes / link.bandwidth + (p - 1) * link.latency;
}

double getRingReduceScatterTime(double bytes, int64_t ranks, Link link) {
  return getRingAllGatherTime(bytes, ranks, link);
}

double getTwoLevelAllReduceTime(double bytes, int64_t nodes, int64_t perNode,
                                Link intra, Link inter) {
  return getRingReduceScatterTime(bytes, perNode, intra) +
         getRingAllReduceTime(bytes / static_cast<double>(perNode), nodes,
                              inter) +
         getRingAllGatherTime(bytes, perNode, intra);
}

double getSendTime(double bytes, Link link) {
  return bytes / link.bandwidth + link.latency;
}

SmallVector<size_t> splitStages(ArrayRef<double> times, int64_t stages) {
  // The greedy split under a bound: a new stage starts where the sum would
  // pass it.
  auto split = [&](double bound) {
    SmallVector<size_t> starts = {0};
    double sum = 0;
    for (size_t i = 0; i < times.size(); ++i) {
      if (sum + times[i] > bound && i > starts.back()) {
        starts.push_back(i);
        sum = 0;
      }
      sum += times[i];
    }
    return starts;
  };
  double low =
      times.empty() ? 0 : *std::max_element(times.begin(), times.end());
  double high = std::accumulate(times.begin(), times.end(), 0.0);
  for (int i = 0; i < 100 && low < high; ++i) {
    double mid = (low + high) / 2;
    if (static_cast<int64_t>(split(mid).size()) <= stages)
      high = mid;
    else
      low = mid;
  }
  SmallVector<size_t> starts = split(high);
  // Fewer stages than asked (ops of no time): halve the stage of the most
  // ops, which raises no stage's sum.
  while (static_cast<int64_t>(starts.size()) < stages) {
    size_t widest = 0, widestOps = 0;
    for (size_t s = 0; s < starts.size(); ++s) {
      size_t next = s + 1 < starts.size() ? starts[s + 1] : times.size();
      if (next - starts[s] > widestOps) {
        widest = s;
        widestOps = next - starts[s];
      }
    }
    if (widestOps < 2)
      break;
    starts.insert(starts.begin() + widest + 1, starts[widest] + widestOps / 2);
  }
  return starts;
}

double getCrossingBytes(const GraphCost &graph, size_t boundary) {
  double bytes = 0;
  for (const LiveRange &range : graph.buffers)
    if (range.def >= 0 && static_cast<size_t>(range.def) < boundary &&
        range.lastUse >= static_cast<int64_t>(boundary))
      bytes += range.bytes;
  return bytes;
}

} // namespace kiln::cost
