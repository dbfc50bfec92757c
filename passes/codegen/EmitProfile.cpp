//===- EmitProfile.cpp - Kernel sites and their profiler marks --*- C++ -*-===//
//
// Every kernel call of run is a site: a kernel.elementwise, kernel.matmul,
// kernel.library_call, collective, kernel.shard or kernel.copy. Each entry
// lists its sites in kSites (kind and name, as string literals), and run
// marks the start of each for the profiler of its context
// (runtime/ModelAbi.h: kiln_profiler), with the bytes and flops of the call
// computed from the shapes of its buffers:
//
//   if (kprof) kilnMark(kprof, 3, 1806336.0, 231211008.0);
//   { ... kiln::cpu::conv(...) ... }
//   ...
//   if (kprof) kilnMark(kprof, -1, 0.0, 0.0);
//   return 0;
//
// Off, a site costs the test of `kprof`; the arithmetic of its bytes and
// flops runs only when it is on.
//
//===----------------------------------------------------------------------===//

#include "passes/codegen/EmitCommon.h"

#include "dialects/kernel/KernelOps.h"

#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"

using namespace mlir;

namespace kiln::codegen {
namespace {

/// `value` as a double literal (every size here is a whole number).
std::string formatConstant(double value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format("%.0f", value) << ".0";
  return text;
}

/// A constant times dims of buffers.
struct Product {
  double scale = 1;
  SmallVector<std::string> factors;

  /// Multiplies by dims [from, to) of `buffer` (to = -1: up to its rank).
  Product &times(SourceEmitter &emitter, Value buffer, int64_t from = 0,
                 int64_t to = -1) {
    auto type = cast<MemRefType>(buffer.getType());
    for (int64_t d = from, e = to < 0 ? type.getRank() : to; d < e; ++d) {
      if (type.isDynamicDim(d))
        factors.push_back(emitter.getDimExpr(buffer, d));
      else
        scale *= static_cast<double>(type.getDimSize(d));
    }
    return *this;
  }

  /// A C++ double expression: the constant first, so that the product of
  /// int64_t sizes is taken in double and cannot overflow.
  std::string str() const {
    if (factors.empty() || scale == 0)
      return formatConstant(scale);
    return formatConstant(scale) + " * " + llvm::join(factors, " * ");
  }
};

/// The bytes of every buffer operand of `op`: what it reads and writes.
std::string getBytesExpr(Operation *op, SourceEmitter &emitter) {
  double constant = 0;
  SmallVector<std::string> terms;
  for (Value operand : op->getOperands()) {
    auto type = dyn_cast<MemRefType>(operand.getType());
    if (!type)
      continue;
    Product bytes{static_cast<double>(getElementBytes(type.getElementType()))};
    bytes.times(emitter, operand);
    if (bytes.factors.empty())
      constant += bytes.scale;
    else
      terms.push_back(bytes.str());
  }
  if (constant != 0 || terms.empty())
    terms.push_back(formatConstant(constant));
  return llvm::join(terms, " + ");
}

/// The floating-point operations of `op`: 2*M*N*K per matmul (every output
/// element takes K multiply-adds), 2*N*OC*OH*OW*(IC/group)*KH*KW per conv
/// (every output element takes a weight row of (IC/group)*KH*KW),
/// 2*B*S_q*S_k*(D + D_v) per attention (the two products); 0 else.
std::string getFlopsExpr(Operation *op, SourceEmitter &emitter) {
  if (auto matmul = dyn_cast<kernel::MatmulOp>(op)) {
    // a is (..., M, K), or (..., K, M) with transA.
    int64_t rank = cast<MemRefType>(matmul.getA().getType()).getRank();
    int64_t k = rank - (matmul.getTransA() ? 2 : 1);
    if (k < 0)
      return "0.0";
    return Product{2.0}
        .times(emitter, matmul.getOut())
        .times(emitter, matmul.getA(), k, k + 1)
        .str();
  }
  if (auto attention = dyn_cast<kernel::AttentionOp>(op)) {
    // q is (B..., S_q, D), k is (B..., S_k, D); D + D_v per score.
    int64_t rank = attention.getQ().getType().getRank();
    return Product{2.0}
        .times(emitter, attention.getQ(), 0, rank - 1)
        .times(emitter, attention.getK(), rank - 2, rank - 1)
        .str() +
           " * (" +
           Product{1.0}.times(emitter, attention.getQ(), rank - 1).str() +
           " + " +
           Product{1.0}.times(emitter, attention.getV(), rank - 1).str() + ")";
  }
  if (auto conv = dyn_cast<kernel::ConvOp>(op))
    return Product{2.0}
        .times(emitter, conv.getOut())
        .times(emitter, conv.getW(), /*from=*/1)
        .str();
  auto call = dyn_cast<kernel::LibraryCallOp>(op);
  if (call && call.getCallee() == "conv" && call.getInputs().size() >= 2 &&
      call.getOutputs().size() == 1) {
    // w is (OC, IC / group, KH, KW, ...).
    return Product{2.0}
        .times(emitter, call.getOutputs()[0])
        .times(emitter, call.getInputs()[1], /*from=*/1)
        .str();
  }
  return "0.0";
}

/// The kind of kernel site `op` is; std::nullopt for an op that is none.
std::optional<std::string> getSiteKind(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::optional<std::string>>(op)
      .Case([](kernel::ElementwiseOp) { return "elementwise"; })
      .Case([](kernel::MatmulOp) { return "matmul"; })
      .Case([](kernel::AttentionOp) { return "attention"; })
      .Case([](kernel::ConvOp) { return "conv"; })
      .Case([](kernel::LibraryCallOp call) { return call.getCallee().str(); })
      .Case([](kernel::AllReduceOp) { return "all_reduce"; })
      .Case([](kernel::AllGatherOp) { return "all_gather"; })
      .Case([](kernel::ShardOp) { return "shard"; })
      .Case([](kernel::CopyOp) { return "copy"; })
      .Default([](Operation *) { return std::nullopt; });
}

/// `if (kprof) kilnMark(kprof, site, bytes, flops);`
void emitMark(SourceEmitter &emitter, int64_t site, StringRef bytes,
              StringRef flops) {
  emitter.body << "if (kprof) kilnMark(kprof, "
               << (emitter.isCuda() ? "kctx.stream, " : "") << site << ", "
               << bytes << ", " << flops << ");\n";
}

/// The name of a site: its op's location, at most its last kMaxNameBytes
/// bytes (the end of a node path is its most specific part).
std::string getSiteName(Operation *op) {
  constexpr size_t kMaxNameBytes = 120;
  std::string name = formatLocation(op->getLoc());
  if (name.size() <= kMaxNameBytes)
    return name;
  return "..." + name.substr(name.size() - (kMaxNameBytes - 3));
}

} // namespace

void emitSiteMark(Operation *op, SourceEmitter &emitter) {
  std::optional<std::string> kind = getSiteKind(op);
  if (!kind)
    return;
  emitter.sites.push_back({*kind, getSiteName(op)});
  emitMark(emitter, emitter.sites.size() - 1, getBytesExpr(op, emitter),
           getFlopsExpr(op, emitter));
}

void emitRunEndMark(SourceEmitter &emitter) {
  emitMark(emitter, -1, "0.0", "0.0");
}

void emitProfileHelper(raw_ostream &os, Target target) {
  bool cuda = target == Target::Cuda;
  os << "\n// Marks the start of kernel site `site` (or with -1 the end of "
        "run) for the\n// profiler (runtime/ModelAbi.h); run calls it only "
        "when ctx->profiler is set.\n";
  os << "__attribute__((cold, noinline)) void kilnMark(kiln_profiler "
        "*profiler,\n";
  if (cuda)
    os << "                                             cudaStream_t stream,\n";
  os << "                                             int32_t site, double "
        "bytes,\n"
        "                                             double flops) {\n";
  if (cuda) {
    os << "  // The call before this mark ends when its kernels do; an error "
          "shows at\n  // the next checked call.\n";
    os << "  cudaStreamSynchronize(stream);\n";
  }
  os << "  profiler->mark(profiler, site, bytes, flops);\n";
  os << "}\n";
}

void emitSiteTable(raw_ostream &os, ArrayRef<KernelSite> sites) {
  if (sites.empty())
    return;
  os << "const kiln_kernel_site kSites[] = {\n";
  for (const KernelSite &site : sites)
    os << "    {" << quoteCString(site.kind) << ", " << quoteCString(site.name)
       << "},\n";
  os << "};\n";
}

} // namespace kiln::codegen
