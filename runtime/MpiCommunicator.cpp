//===- MpiCommunicator.cpp - Collectives between processes over MPI -------===//
//
// One MPI communicator per group: a duplicate of MPI_COMM_WORLD for the
// world and an MPI_Comm_split of it per mesh axis (color: the coordinates
// on the other axes; key: the coordinate on the axis), so a group's ranks
// are numbered by their coordinate. Errors come back as values
// (MPI_ERRORS_RETURN), named by collective, axis and algorithm.
//
// The algorithms (docs/partitioning.md), on a group of P ranks and
// a buffer of N bytes:
//   library  MPI_Allreduce / MPI_Allgather on the group's communicator.
//   ring     all_reduce: P - 1 reduce-scatter steps then P - 1 all-gather
//            steps, each sending one of P chunks to the next rank and
//            receiving one from the previous: 2 N (P - 1) / P sent per rank
//            when P divides the element count. all_gather: P - 1 steps of
//            one block.
//   ps       coordinate 0 receives every member's buffer, sums in member
//            order and sends the sum back: its link carries 2 N (P - 1),
//            a member's 2 N.
// Messages are split into pieces of at most 1 GiB (MPI counts are int).
//
//===----------------------------------------------------------------------===//

#include "runtime/Communicator.h"

#include "kernels/common/Tensor.h"

#include <mpi.h>
#include <stdlib.h>
#include <string.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

namespace kiln {

//===----------------------------------------------------------------------===//
// The MPI world
//===----------------------------------------------------------------------===//

bool mpiLaunched() {
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (initialized && !finalized)
    return true;
  return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") ||
         getenv("PMIX_RANK");
}

namespace {

void finalizeAtExit() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized)
    MPI_Finalize();
}

Status mpiError(const std::string &what, int code) {
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  if (MPI_Error_string(code, text, &length) != MPI_SUCCESS)
    snprintf(text, sizeof(text), "MPI error %d", code);
  return Status::error("%s: %s", what.c_str(), text);
}

// float16 and bfloat16 have no MPI type: user ops over MPI_UINT16_T that
// add in float.
template <typename T>
void sum16(void *in, void *inout, int *count, MPI_Datatype *) {
  sumInto(std::is_same<T, half>::value ? DType::Float16 : DType::BFloat16,
          inout, in, *count);
}

MPI_Op halfSum = MPI_OP_NULL, bfloat16Sum = MPI_OP_NULL;

/// The MPI type and op that sum `dtype`; false if there are none.
bool mpiSumOf(int32_t dtype, MPI_Datatype &type, MPI_Op &op) {
  static std::once_flag once;
  std::call_once(once, [] {
    MPI_Op_create(&sum16<half>, /*commute=*/1, &halfSum);
    MPI_Op_create(&sum16<bfloat16>, /*commute=*/1, &bfloat16Sum);
  });
  op = MPI_SUM;
  switch (dtype) {
  case DType::Float:
    type = MPI_FLOAT;
    return true;
  case DType::Double:
    type = MPI_DOUBLE;
    return true;
  case DType::Float16:
    type = MPI_UINT16_T;
    op = halfSum;
    return true;
  case DType::BFloat16:
    type = MPI_UINT16_T;
    op = bfloat16Sum;
    return true;
  case DType::Int8:
    type = MPI_INT8_T;
    return true;
  case DType::Int16:
    type = MPI_INT16_T;
    return true;
  case DType::Int32:
    type = MPI_INT32_T;
    return true;
  case DType::Int64:
    type = MPI_INT64_T;
    return true;
  case DType::UInt8:
    type = MPI_UINT8_T;
    return true;
  case DType::UInt16:
    type = MPI_UINT16_T;
    return true;
  case DType::UInt32:
    type = MPI_UINT32_T;
    return true;
  case DType::UInt64:
    type = MPI_UINT64_T;
    return true;
  default:
    return false;
  }
}

} // namespace

Status mpiWorld(int32_t &rank, int32_t &size) {
  rank = 0;
  size = 1;
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (finalized)
    return Status::error("MPI has been finalized in this process");
  if (!initialized) {
    if (!mpiLaunched())
      return Status::success();
    int provided = 0;
    int code = MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED,
                               &provided);
    if (code != MPI_SUCCESS)
      return mpiError("MPI_Init_thread", code);
    atexit(finalizeAtExit);
  }
  int r = 0, s = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  MPI_Comm_size(MPI_COMM_WORLD, &s);
  rank = r;
  size = s;
  return Status::success();
}

int32_t mpiLocalRank() {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized)
    return 0;
  MPI_Comm node;
  int rank = 0;
  if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0,
                          MPI_INFO_NULL, &node) != MPI_SUCCESS)
    return 0;
  MPI_Comm_rank(node, &rank);
  MPI_Comm_free(&node);
  return rank;
}

//===----------------------------------------------------------------------===//
// MpiCommunicator
//===----------------------------------------------------------------------===//

namespace {

constexpr int64_t kMaxPiece = int64_t(1) << 30;

enum Tag { kTagRing = 11, kTagServer = 12, kTagPeer = 13 };

/// Adds a call's wall time and count to its counters on destruction.
class CallTimer {
public:
  explicit CallTimer(CollectiveStats &stats)
      : stats_(stats), start_(std::chrono::steady_clock::now()) {}
  ~CallTimer() {
    stats_.calls += 1;
    stats_.seconds += std::chrono::duration<double>(
                          std::chrono::steady_clock::now() - start_)
                          .count();
  }

private:
  CollectiveStats &stats_;
  std::chrono::steady_clock::time_point start_;
};

class MpiCommunicator final : public Communicator {
public:
  MpiCommunicator(int32_t rank, const MeshLayout &layout)
      : Communicator(rank, layout) {}
  ~MpiCommunicator() override {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (finalized)
      return;
    for (MPI_Comm &comm : comms_)
      if (comm != MPI_COMM_NULL)
        MPI_Comm_free(&comm);
  }

  Status init();
  Status setAlgorithm(Algorithm algorithm) override {
    if (algorithm == Algorithm::Nccl)
      return Status::error("collectives between processes cannot use nccl");
    algorithm_ = algorithm;
    return Status::success();
  }

  Status allReduce(int32_t axis, int32_t dtype, const void *in, void *out,
                   int64_t count) override;
  Status allGather(int32_t axis, const void *in, void *out,
                   int64_t bytes) override;
  Status broadcast(int32_t root, void *buffer, int64_t bytes) override;
  Status send(int32_t peer, const void *buffer, int64_t bytes) override;
  Status recv(int32_t peer, void *buffer, int64_t bytes) override;
  Status barrier() override;

private:
  /// The communicator of `axis`'s group (world: comms_[KILN_NUM_AXES]).
  MPI_Comm commOf(int32_t axis) const {
    return comms_[axis == kWorldAxis ? KILN_NUM_AXES : axis];
  }
  /// Sends `sendBytes` to group member `to` and receives `recvBytes` from
  /// `from` at once, in pieces of at most 1 GiB; counts both.
  Status exchange(MPI_Comm comm, int to, const void *sendBuffer,
                  int64_t sendBytes, int from, void *recvBuffer,
                  int64_t recvBytes, CollectiveStats &stats);

  Status ringAllReduce(int32_t axis, int32_t dtype, void *out, int64_t count,
                       CollectiveStats &stats);
  Status serverAllReduce(int32_t axis, int32_t dtype, const void *in,
                         void *out, int64_t count, CollectiveStats &stats);
  Status libraryAllReduce(int32_t axis, int32_t dtype, const void *in,
                          void *out, int64_t count, CollectiveStats &stats);
  Status ringAllGather(int32_t axis, void *out, int64_t bytes,
                       CollectiveStats &stats);
  Status serverAllGather(int32_t axis, void *out, int64_t bytes,
                         CollectiveStats &stats);

  /// "all_reduce over tp (ring)": how errors name a call.
  std::string callName(Collective kind, int32_t axis) const {
    return std::string(collectiveName(kind)) + " over " + axisName(axis) +
           " (" + algorithmName(algorithm_) + ")";
  }

  MPI_Comm comms_[KILN_NUM_AXES + 1] = {MPI_COMM_NULL, MPI_COMM_NULL,
                                        MPI_COMM_NULL, MPI_COMM_NULL,
                                        MPI_COMM_NULL};
  std::vector<uint8_t> scratch_;
};

Status MpiCommunicator::init() {
  int code = MPI_Comm_dup(MPI_COMM_WORLD, &comms_[KILN_NUM_AXES]);
  if (code != MPI_SUCCESS)
    return mpiError("MPI_Comm_dup", code);
  MPI_Comm world = comms_[KILN_NUM_AXES];
  MPI_Comm_set_errhandler(world, MPI_ERRORS_RETURN);
  for (int32_t axis : {KILN_AXIS_DP, KILN_AXIS_TP, KILN_AXIS_PP}) {
    int32_t others[KILN_NUM_AXES];
    memcpy(others, coords_, sizeof(others));
    others[axis] = 0;
    code = MPI_Comm_split(world, layout_.rankOf(others), coords_[axis],
                          &comms_[axis]);
    if (code != MPI_SUCCESS)
      return mpiError(std::string("MPI_Comm_split of the ") + axisName(axis) +
                          " groups",
                      code);
    MPI_Comm_set_errhandler(comms_[axis], MPI_ERRORS_RETURN);
  }
  return Status::success();
}

Status MpiCommunicator::exchange(MPI_Comm comm, int to, const void *sendBuffer,
                                 int64_t sendBytes, int from, void *recvBuffer,
                                 int64_t recvBytes, CollectiveStats &stats) {
  std::vector<MPI_Request> requests;
  // Nothing is posted for 0 bytes: both ends of a pair agree on the size.
  auto post = [&](bool sending, void *buffer, int64_t bytes, int peer) {
    for (int64_t offset = 0; offset < bytes;) {
      int piece = static_cast<int>(std::min(bytes - offset, kMaxPiece));
      char *at = static_cast<char *>(buffer) + offset;
      requests.emplace_back();
      int code =
          sending ? MPI_Isend(at, piece, MPI_BYTE, peer, kTagRing, comm,
                              &requests.back())
                  : MPI_Irecv(at, piece, MPI_BYTE, peer, kTagRing, comm,
                              &requests.back());
      if (code != MPI_SUCCESS)
        return code;
      offset += piece;
    }
    return MPI_SUCCESS;
  };
  int code = post(false, recvBuffer, recvBytes, from);
  if (code == MPI_SUCCESS)
    code = post(true, const_cast<void *>(sendBuffer), sendBytes, to);
  if (code == MPI_SUCCESS)
    code = MPI_Waitall(static_cast<int>(requests.size()), requests.data(),
                       MPI_STATUSES_IGNORE);
  if (code != MPI_SUCCESS)
    return mpiError("sending to member " + std::to_string(to) +
                        ", receiving from member " + std::to_string(from),
                    code);
  stats.bytesSent += sendBytes;
  stats.bytesReceived += recvBytes;
  return Status::success();
}

// Chunk c of out is elements chunkRange(count, P, c). Step s of the
// reduce-scatter sends chunk i - s to the next member and adds chunk
// i - s - 1 from the previous; member i then holds the whole sum of chunk
// i + 1, and step s of the all-gather passes chunk i + 1 - s on.
Status MpiCommunicator::ringAllReduce(int32_t axis, int32_t dtype, void *out,
                                      int64_t count, CollectiveStats &stats) {
  const int32_t p = groupSize(axis), i = groupIndex(axis);
  if (p == 1 || count == 0)
    return Status::success();
  const int64_t size = dtypeSize(dtype);
  const int next = (i + 1) % p, prev = (i + p - 1) % p;
  MPI_Comm comm = commOf(axis);
  uint8_t *data = static_cast<uint8_t *>(out);
  int64_t begin, end;
  chunkRange(count, p, 0, begin, end);
  scratch_.resize(static_cast<size_t>((end - begin) * size));
  auto chunk = [&](int32_t c, int64_t &first, int64_t &elements) {
    int64_t b, e;
    chunkRange(count, p, ((c % p) + p) % p, b, e);
    first = b;
    elements = e - b;
  };
  for (int32_t s = 0; s + 1 < p; ++s) {
    int64_t sendFirst, sendCount, recvFirst, recvCount;
    chunk(i - s, sendFirst, sendCount);
    chunk(i - s - 1, recvFirst, recvCount);
    Status status = exchange(comm, next, data + sendFirst * size,
                             sendCount * size, prev, scratch_.data(),
                             recvCount * size, stats);
    if (!status.ok())
      return status;
    sumInto(dtype, data + recvFirst * size, scratch_.data(), recvCount);
  }
  for (int32_t s = 0; s + 1 < p; ++s) {
    int64_t sendFirst, sendCount, recvFirst, recvCount;
    chunk(i + 1 - s, sendFirst, sendCount);
    chunk(i - s, recvFirst, recvCount);
    Status status = exchange(comm, next, data + sendFirst * size,
                             sendCount * size, prev, data + recvFirst * size,
                             recvCount * size, stats);
    if (!status.ok())
      return status;
  }
  return Status::success();
}

Status MpiCommunicator::serverAllReduce(int32_t axis, int32_t dtype,
                                        const void *in, void *out,
                                        int64_t count, CollectiveStats &stats) {
  const int32_t p = groupSize(axis), i = groupIndex(axis);
  const int64_t bytes = count * dtypeSize(dtype);
  if (p == 1 || count == 0) {
    if (in != out)
      memmove(out, in, static_cast<size_t>(bytes));
    return Status::success();
  }
  MPI_Comm comm = commOf(axis);
  if (i != 0) {
    // A member: its buffer up, the sum back.
    Status status = exchange(comm, 0, in, bytes, 0, nullptr, 0, stats);
    if (status.ok())
      status = exchange(comm, 0, nullptr, 0, 0, out, bytes, stats);
    return status;
  }
  if (in != out)
    memmove(out, in, static_cast<size_t>(bytes));
  scratch_.resize(static_cast<size_t>(bytes));
  for (int32_t member = 1; member < p; ++member) {
    Status status =
        exchange(comm, member, nullptr, 0, member, scratch_.data(), bytes,
                 stats);
    if (!status.ok())
      return status;
    sumInto(dtype, out, scratch_.data(), count);
  }
  for (int32_t member = 1; member < p; ++member) {
    Status status =
        exchange(comm, member, out, bytes, member, nullptr, 0, stats);
    if (!status.ok())
      return status;
  }
  return Status::success();
}

Status MpiCommunicator::libraryAllReduce(int32_t axis, int32_t dtype,
                                         const void *in, void *out,
                                         int64_t count,
                                         CollectiveStats &stats) {
  MPI_Datatype type;
  MPI_Op op;
  mpiSumOf(dtype, type, op);
  const int64_t size = dtypeSize(dtype);
  for (int64_t done = 0; done < count;) {
    int piece = static_cast<int>(std::min<int64_t>(count - done, INT_MAX));
    const void *from = in == out ? MPI_IN_PLACE
                                 : static_cast<const char *>(in) + done * size;
    int code = MPI_Allreduce(from, static_cast<char *>(out) + done * size,
                             piece, type, op, commOf(axis));
    if (code != MPI_SUCCESS)
      return mpiError("MPI_Allreduce", code);
    done += piece;
  }
  stats.bytesSent += count * size;
  stats.bytesReceived += count * size;
  return Status::success();
}

Status MpiCommunicator::allReduce(int32_t axis, int32_t dtype, const void *in,
                                  void *out, int64_t count) {
  Status status = checkAxis("all_reduce", axis);
  if (!status.ok())
    return status;
  MPI_Datatype type;
  MPI_Op op;
  if (!mpiSumOf(dtype, type, op))
    return Status::error("all_reduce over %s: dtype %s has no sum here",
                         axisName(axis), dtypeName(dtype));
  if (count < 0 || (count > 0 && (!in || !out)))
    return Status::error("all_reduce over %s: %lld elements at %p -> %p",
                         axisName(axis), static_cast<long long>(count), in,
                         out);
  CollectiveStats &stats =
      statsFor(Collective::AllReduce, axis, algorithm_);
  CallTimer timer(stats);
  stats.payloadBytes += count * dtypeSize(dtype);
  switch (algorithm_) {
  case Algorithm::Library:
    status = libraryAllReduce(axis, dtype, in, out, count, stats);
    break;
  case Algorithm::Ring:
    if (in != out)
      memmove(out, in, static_cast<size_t>(count * dtypeSize(dtype)));
    status = ringAllReduce(axis, dtype, out, count, stats);
    break;
  case Algorithm::ParameterServer:
    status = serverAllReduce(axis, dtype, in, out, count, stats);
    break;
  case Algorithm::Nccl:
    return Status::error("all_reduce: MPI has no NCCL algorithm");
  }
  if (!status.ok())
    return Status::error("%s: %s",
                         callName(Collective::AllReduce, axis).c_str(),
                         status.message());
  return status;
}

// Step s sends block i - s to the next member and receives block i - s - 1
// from the previous one.
Status MpiCommunicator::ringAllGather(int32_t axis, void *out, int64_t bytes,
                                      CollectiveStats &stats) {
  const int32_t p = groupSize(axis), i = groupIndex(axis);
  uint8_t *data = static_cast<uint8_t *>(out);
  for (int32_t s = 0; s + 1 < p; ++s) {
    int32_t sendBlock = ((i - s) % p + p) % p;
    int32_t recvBlock = ((i - s - 1) % p + p) % p;
    Status status = exchange(commOf(axis), (i + 1) % p,
                             data + sendBlock * bytes, bytes, (i + p - 1) % p,
                             data + recvBlock * bytes, bytes, stats);
    if (!status.ok())
      return status;
  }
  return Status::success();
}

// The server receives each member's block, then sends each member the
// blocks before and after its own.
Status MpiCommunicator::serverAllGather(int32_t axis, void *out, int64_t bytes,
                                        CollectiveStats &stats) {
  const int32_t p = groupSize(axis), i = groupIndex(axis);
  uint8_t *data = static_cast<uint8_t *>(out);
  MPI_Comm comm = commOf(axis);
  if (i != 0) {
    Status status =
        exchange(comm, 0, data + i * bytes, bytes, 0, nullptr, 0, stats);
    if (status.ok())
      status = exchange(comm, 0, nullptr, 0, 0, data, i * bytes, stats);
    if (status.ok())
      status = exchange(comm, 0, nullptr, 0, 0, data + (i + 1) * bytes,
                        (p - i - 1) * bytes, stats);
    return status;
  }
  for (int32_t member = 1; member < p; ++member) {
    Status status = exchange(comm, member, nullptr, 0, member,
                             data + member * bytes, bytes, stats);
    if (!status.ok())
      return status;
  }
  for (int32_t member = 1; member < p; ++member) {
    Status status =
        exchange(comm, member, data, member * bytes, member, nullptr, 0, stats);
    if (status.ok())
      status = exchange(comm, member, data + (member + 1) * bytes,
                        (p - member - 1) * bytes, member, nullptr, 0, stats);
    if (!status.ok())
      return status;
  }
  return Status::success();
}

Status MpiCommunicator::allGather(int32_t axis, const void *in, void *out,
                                  int64_t bytes) {
  Status status = checkAxis("all_gather", axis);
  if (!status.ok())
    return status;
  if (bytes < 0 || (bytes > 0 && (!in || !out)))
    return Status::error("all_gather over %s: %lld bytes at %p -> %p",
                         axisName(axis), static_cast<long long>(bytes), in,
                         out);
  const int32_t p = groupSize(axis), i = groupIndex(axis);
  CollectiveStats &stats =
      statsFor(Collective::AllGather, axis, algorithm_);
  CallTimer timer(stats);
  stats.payloadBytes += bytes;
  uint8_t *mine = static_cast<uint8_t *>(out) + i * bytes;
  if (algorithm_ == Algorithm::Library) {
    if (bytes > INT_MAX)
      return Status::error("%s: blocks of %lld bytes are above 2 GiB",
                           callName(Collective::AllGather, axis).c_str(),
                           static_cast<long long>(bytes));
    int block = static_cast<int>(bytes);
    int code = MPI_Allgather(in == mine ? MPI_IN_PLACE : in, block, MPI_BYTE,
                             out, block, MPI_BYTE, commOf(axis));
    if (code != MPI_SUCCESS)
      return mpiError(callName(Collective::AllGather, axis), code);
    stats.bytesSent += bytes;
    stats.bytesReceived += (p - 1) * bytes;
    return Status::success();
  }
  if (in != mine)
    memmove(mine, in, static_cast<size_t>(bytes));
  if (p == 1 || bytes == 0)
    return Status::success();
  status = algorithm_ == Algorithm::Ring
               ? ringAllGather(axis, out, bytes, stats)
               : serverAllGather(axis, out, bytes, stats);
  if (!status.ok())
    return Status::error("%s: %s",
                         callName(Collective::AllGather, axis).c_str(),
                         status.message());
  return status;
}

Status MpiCommunicator::broadcast(int32_t root, void *buffer, int64_t bytes) {
  if (root < 0 || root >= size())
    return Status::error("broadcast: root %d is not a rank of %d", root,
                         size());
  CollectiveStats &stats =
      statsFor(Collective::Broadcast, kWorldAxis, Algorithm::Library);
  CallTimer timer(stats);
  stats.payloadBytes += bytes;
  for (int64_t done = 0; done < bytes;) {
    int piece = static_cast<int>(std::min(bytes - done, kMaxPiece));
    int code = MPI_Bcast(static_cast<char *>(buffer) + done, piece, MPI_BYTE,
                         root, commOf(kWorldAxis));
    if (code != MPI_SUCCESS)
      return mpiError("broadcast from rank " + std::to_string(root), code);
    done += piece;
  }
  (rank_ == root ? stats.bytesSent : stats.bytesReceived) += bytes;
  return Status::success();
}

Status MpiCommunicator::send(int32_t peer, const void *buffer, int64_t bytes) {
  if (peer < 0 || peer >= size() || peer == rank_)
    return Status::error("send: rank %d is no peer of rank %d of %d", peer,
                         rank_, size());
  CollectiveStats &stats =
      statsFor(Collective::Send, kWorldAxis, Algorithm::Library);
  CallTimer timer(stats);
  stats.payloadBytes += bytes;
  int64_t done = 0;
  do {
    int piece = static_cast<int>(std::min(bytes - done, kMaxPiece));
    int code = MPI_Send(static_cast<const char *>(buffer) + done, piece,
                        MPI_BYTE, peer, kTagPeer, commOf(kWorldAxis));
    if (code != MPI_SUCCESS)
      return mpiError("send to rank " + std::to_string(peer), code);
    done += piece;
  } while (done < bytes);
  stats.bytesSent += bytes;
  return Status::success();
}

Status MpiCommunicator::recv(int32_t peer, void *buffer, int64_t bytes) {
  if (peer < 0 || peer >= size() || peer == rank_)
    return Status::error("recv: rank %d is no peer of rank %d of %d", peer,
                         rank_, size());
  CollectiveStats &stats =
      statsFor(Collective::Recv, kWorldAxis, Algorithm::Library);
  CallTimer timer(stats);
  stats.payloadBytes += bytes;
  int64_t done = 0;
  do {
    int piece = static_cast<int>(std::min(bytes - done, kMaxPiece));
    int code = MPI_Recv(static_cast<char *>(buffer) + done, piece, MPI_BYTE,
                        peer, kTagPeer, commOf(kWorldAxis), MPI_STATUS_IGNORE);
    if (code != MPI_SUCCESS)
      return mpiError("recv from rank " + std::to_string(peer), code);
    done += piece;
  } while (done < bytes);
  stats.bytesReceived += bytes;
  return Status::success();
}

Status MpiCommunicator::barrier() {
  CollectiveStats &stats =
      statsFor(Collective::Barrier, kWorldAxis, Algorithm::Library);
  CallTimer timer(stats);
  int code = MPI_Barrier(commOf(kWorldAxis));
  if (code != MPI_SUCCESS)
    return mpiError("barrier", code);
  return Status::success();
}

} // namespace

Status createMpiCommunicator(const MeshLayout &layout,
                             std::unique_ptr<Communicator> &out) {
  int32_t rank, size;
  Status status = mpiWorld(rank, size);
  if (!status.ok())
    return status;
  if (size != layout.numRanks())
    return Status::error("the mesh has %d ranks, the MPI world %d",
                         layout.numRanks(), size);
  if (!mpiLaunched())
    return Status::error("a communicator needs MPI: run under mpirun");
  auto comm = std::make_unique<MpiCommunicator>(rank, layout);
  status = comm->init();
  if (!status.ok())
    return status;
  out = std::move(comm);
  return Status::success();
}

} // namespace kiln
