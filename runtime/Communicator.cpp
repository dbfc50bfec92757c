//===- Communicator.cpp - Mesh groups, counters, sums and the C glue ------===//
//
// What every communicator shares: the mesh layout, the per-call counters,
// the element-wise sums of the reducing algorithms, and the static
// kiln_collectives table generated code calls, which finds the
// Communicator through ctx->communicator.
//
//===----------------------------------------------------------------------===//

#include "runtime/Communicator.h"

#include "kernels/common/Tensor.h"

#include <stdio.h>
#include <string.h>

#include <type_traits>

namespace kiln {

const char *collectiveName(Collective kind) {
  switch (kind) {
  case Collective::AllReduce:
    return "all_reduce";
  case Collective::AllGather:
    return "all_gather";
  case Collective::Broadcast:
    return "broadcast";
  case Collective::Send:
    return "send";
  case Collective::Recv:
    return "recv";
  case Collective::Barrier:
    return "barrier";
  }
  return "?";
}

const char *algorithmName(Algorithm algorithm) {
  switch (algorithm) {
  case Algorithm::Library:
    return "library";
  case Algorithm::Ring:
    return "ring";
  case Algorithm::ParameterServer:
    return "ps";
  case Algorithm::Nccl:
    return "nccl";
  }
  return "?";
}

bool parseAlgorithm(const std::string &name, Algorithm &out) {
  for (Algorithm a :
       {Algorithm::Library, Algorithm::Ring, Algorithm::ParameterServer})
    if (name == algorithmName(a)) {
      out = a;
      return true;
    }
  return false;
}

const char *axisName(int32_t axis) {
  switch (axis) {
  case KILN_AXIS_DP:
    return "dp";
  case KILN_AXIS_TP:
    return "tp";
  case KILN_AXIS_PP:
    return "pp";
  case KILN_AXIS_MICRO:
    return "micro";
  case kWorldAxis:
    return "world";
  default:
    return "?";
  }
}

//===----------------------------------------------------------------------===//
// MeshLayout
//===----------------------------------------------------------------------===//

// rank = (pp_c * dp + dp_c) * tp + tp_c
void MeshLayout::coordsOf(int32_t rank, int32_t coords[KILN_NUM_AXES]) const {
  coords[KILN_AXIS_TP] = rank % mesh[KILN_AXIS_TP];
  rank /= mesh[KILN_AXIS_TP];
  coords[KILN_AXIS_DP] = rank % mesh[KILN_AXIS_DP];
  coords[KILN_AXIS_PP] = rank / mesh[KILN_AXIS_DP];
  coords[KILN_AXIS_MICRO] = 0;
}

int32_t MeshLayout::rankOf(const int32_t coords[KILN_NUM_AXES]) const {
  return (coords[KILN_AXIS_PP] * mesh[KILN_AXIS_DP] + coords[KILN_AXIS_DP]) *
             mesh[KILN_AXIS_TP] +
         coords[KILN_AXIS_TP];
}

std::vector<int32_t> MeshLayout::group(int32_t rank, int32_t axis) const {
  std::vector<int32_t> ranks;
  if (axis == kWorldAxis) {
    for (int32_t r = 0; r < numRanks(); ++r)
      ranks.push_back(r);
    return ranks;
  }
  int32_t coords[KILN_NUM_AXES];
  coordsOf(rank, coords);
  for (int32_t c = 0; c < mesh[axis]; ++c) {
    coords[axis] = c;
    ranks.push_back(rankOf(coords));
  }
  return ranks;
}

//===----------------------------------------------------------------------===//
// Communicator
//===----------------------------------------------------------------------===//

Communicator::Communicator(int32_t rank, const MeshLayout &layout)
    : rank_(rank), layout_(layout) {
  layout_.coordsOf(rank, coords_);
}

Communicator::~Communicator() = default;

int32_t Communicator::groupSize(int32_t axis) const {
  return axis == kWorldAxis ? size() : layout_.mesh[axis];
}

int32_t Communicator::groupIndex(int32_t axis) const {
  return axis == kWorldAxis ? rank_ : coords_[axis];
}

Status Communicator::setAlgorithm(Algorithm algorithm) {
  algorithm_ = algorithm;
  return Status::success();
}

std::vector<CollectiveStats> Communicator::stats() { return stats_; }

Status Communicator::checkAxis(const char *what, int32_t axis) const {
  if (axis == kWorldAxis || axis == KILN_AXIS_DP || axis == KILN_AXIS_TP ||
      axis == KILN_AXIS_PP)
    return Status::success();
  return Status::error("%s: axis %d names no group of ranks (dp=0, tp=1, "
                       "pp=2)",
                       what, axis);
}

CollectiveStats &Communicator::statsFor(Collective kind, int32_t axis,
                                        Algorithm algorithm) {
  for (CollectiveStats &s : stats_)
    if (s.kind == kind && s.axis == axis && s.algorithm == algorithm)
      return s;
  CollectiveStats s;
  s.kind = kind;
  s.axis = axis;
  s.algorithm = algorithm;
  s.groupSize = groupSize(axis);
  stats_.push_back(s);
  return stats_.back();
}

//===----------------------------------------------------------------------===//
// Sums
//===----------------------------------------------------------------------===//

namespace {

template <typename T> void sumTyped(void *acc, const void *x, int64_t count) {
  T *a = static_cast<T *>(acc);
  const T *b = static_cast<const T *>(x);
  for (int64_t i = 0; i < count; ++i)
    a[i] = a[i] + b[i];
}

// Integers wrap around, as MPI_SUM and NCCL's sums do.
template <typename T> void sumWrapping(void *acc, const void *x, int64_t count) {
  using U = std::make_unsigned_t<T>;
  T *a = static_cast<T *>(acc);
  const T *b = static_cast<const T *>(x);
  for (int64_t i = 0; i < count; ++i)
    a[i] = static_cast<T>(static_cast<U>(static_cast<U>(a[i]) +
                                         static_cast<U>(b[i])));
}

// float16 and bfloat16: each element added in float, rounded once.
template <typename T> void sumWidened(void *acc, const void *x, int64_t count) {
  T *a = static_cast<T *>(acc);
  const T *b = static_cast<const T *>(x);
  for (int64_t i = 0; i < count; ++i)
    a[i] = T(static_cast<float>(a[i]) + static_cast<float>(b[i]));
}

} // namespace

bool sumInto(int32_t dtype, void *acc, const void *x, int64_t count) {
  switch (dtype) {
  case DType::Float:
    sumTyped<float>(acc, x, count);
    return true;
  case DType::Double:
    sumTyped<double>(acc, x, count);
    return true;
  case DType::Float16:
    sumWidened<half>(acc, x, count);
    return true;
  case DType::BFloat16:
    sumWidened<bfloat16>(acc, x, count);
    return true;
  case DType::Int8:
    sumWrapping<int8_t>(acc, x, count);
    return true;
  case DType::Int16:
    sumWrapping<int16_t>(acc, x, count);
    return true;
  case DType::Int32:
    sumWrapping<int32_t>(acc, x, count);
    return true;
  case DType::Int64:
    sumWrapping<int64_t>(acc, x, count);
    return true;
  case DType::UInt8:
    sumWrapping<uint8_t>(acc, x, count);
    return true;
  case DType::UInt16:
    sumWrapping<uint16_t>(acc, x, count);
    return true;
  case DType::UInt32:
    sumWrapping<uint32_t>(acc, x, count);
    return true;
  case DType::UInt64:
    sumWrapping<uint64_t>(acc, x, count);
    return true;
  default:
    return false;
  }
}

void chunkRange(int64_t count, int32_t parts, int32_t c, int64_t &begin,
                int64_t &end) {
  int64_t base = count / parts, extra = count % parts;
  begin = c * base + (c < extra ? c : extra);
  end = begin + base + (c < extra ? 1 : 0);
}

//===----------------------------------------------------------------------===//
// The C glue
//===----------------------------------------------------------------------===//

namespace {

/// The communicator of a run, or null after writing why into ctx->error.
Communicator *communicatorOf(kiln_exec_context *ctx, const char *what) {
  if (ctx->communicator)
    return static_cast<Communicator *>(ctx->communicator);
  if (ctx->error && ctx->error_size > 0)
    snprintf(ctx->error, static_cast<size_t>(ctx->error_size),
             "%s: this run has no communicator (the model is not "
             "partitioned)",
             what);
  return nullptr;
}

/// The axis of a generated call: only the mesh axes name groups there.
bool checkCallAxis(kiln_exec_context *ctx, const char *what, int32_t axis) {
  if (axis == KILN_AXIS_DP || axis == KILN_AXIS_TP || axis == KILN_AXIS_PP)
    return true;
  snprintf(ctx->error, static_cast<size_t>(ctx->error_size),
           "%s: axis %d names no group of ranks (dp=0, tp=1, pp=2)", what,
           axis);
  return false;
}

int report(kiln_exec_context *ctx, const Status &status) {
  if (status.ok())
    return 0;
  status.copyTo(ctx->error, ctx->error_size);
  return 1;
}

int allReduceGlue(kiln_exec_context *ctx, int32_t axis, int32_t dtype,
                  const void *in, void *out, int64_t count) {
  Communicator *comm = communicatorOf(ctx, "all_reduce");
  if (!comm || !checkCallAxis(ctx, "all_reduce", axis))
    return 1;
  return report(ctx, comm->allReduce(axis, dtype, in, out, count));
}

int allGatherGlue(kiln_exec_context *ctx, int32_t axis, const void *in,
                  void *out, int64_t bytes) {
  Communicator *comm = communicatorOf(ctx, "all_gather");
  if (!comm || !checkCallAxis(ctx, "all_gather", axis))
    return 1;
  return report(ctx, comm->allGather(axis, in, out, bytes));
}

} // namespace

const kiln_collectives runtimeCollectives = {allReduceGlue, allGatherGlue};

} // namespace kiln
