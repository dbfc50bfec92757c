//===- CommunicatorTest.cpp - The MPI communicator against serial sums ----===//
//
//   mpirun -np P kiln-communicator-test
//
// On meshes {P,1,1,1}, {1,P,1,1} and, for even P > 2, {P/2... x 2}: every
// algorithm's all_reduce (float, double, float16, bfloat16, int32, int64;
// 0, 1, divisible and not divisible counts; in place and not) and
// all_gather, over the dp and tp groups and the world, against the sums
// and blocks computed here for every member, and each call's byte counters
// against the ring and parameter-server formulas. Broadcast, send / recv
// and barrier once each. Rank 0 prints the totals; the exit status is 1 if
// any rank saw a failure.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Tensor.h"
#include "runtime/Communicator.h"

#include <mpi.h>
#include <stdio.h>
#include <string.h>

#include <string>
#include <vector>

using namespace kiln;

namespace {

int64_t checks = 0, failures = 0;

void check(bool ok, const std::string &what) {
  ++checks;
  if (ok)
    return;
  if (++failures <= 20) {
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    fprintf(stderr, "rank %d: FAILED: %s\n", rank, what.c_str());
  }
}

/// Element i of rank r's buffer: a small integer or half-integer, exact in
/// every dtype tested, so every summation order gives the same bits.
double valueOf(int32_t rank, int64_t i, bool integral) {
  double v = static_cast<double>((rank + 1) * (i % 7 + 1)) - 3;
  return integral ? v : v * 0.5;
}

void store(int32_t dtype, void *data, int64_t i, double v) {
  switch (dtype) {
  case DType::Float:
    static_cast<float *>(data)[i] = static_cast<float>(v);
    break;
  case DType::Double:
    static_cast<double *>(data)[i] = v;
    break;
  case DType::Float16:
    static_cast<half *>(data)[i] = half(static_cast<float>(v));
    break;
  case DType::BFloat16:
    static_cast<bfloat16 *>(data)[i] = bfloat16(static_cast<float>(v));
    break;
  case DType::Int32:
    static_cast<int32_t *>(data)[i] = static_cast<int32_t>(v);
    break;
  case DType::Int64:
    static_cast<int64_t *>(data)[i] = static_cast<int64_t>(v);
    break;
  }
}

double load(int32_t dtype, const void *data, int64_t i) {
  switch (dtype) {
  case DType::Float:
    return static_cast<const float *>(data)[i];
  case DType::Double:
    return static_cast<const double *>(data)[i];
  case DType::Float16:
    return static_cast<float>(static_cast<const half *>(data)[i]);
  case DType::BFloat16:
    return static_cast<float>(static_cast<const bfloat16 *>(data)[i]);
  case DType::Int32:
    return static_cast<const int32_t *>(data)[i];
  case DType::Int64:
    return static_cast<double>(static_cast<const int64_t *>(data)[i]);
  }
  return 0;
}

std::string where(Communicator &comm, const char *what, int32_t axis,
                  int32_t dtype, int64_t count) {
  const int32_t *m = comm.layout().mesh;
  return std::string(what) + " over " + axisName(axis) + " (" +
         algorithmName(comm.algorithm()) + ") on mesh " + std::to_string(m[0]) +
         "x" + std::to_string(m[1]) + ", " + dtypeName(dtype) + " x " +
         std::to_string(count);
}

/// The counters of the one call made since the last reset.
CollectiveStats lastCall(Communicator &comm) {
  std::vector<CollectiveStats> stats = comm.stats();
  return stats.size() == 1 ? stats[0] : CollectiveStats{};
}

void testAllReduce(Communicator &comm, int32_t axis, int32_t dtype,
                   int64_t count, bool inPlace) {
  const int32_t p = comm.groupSize(axis), index = comm.groupIndex(axis);
  const int64_t size = dtypeSize(dtype), bytes = count * size;
  const bool integral = dtype == DType::Int32 || dtype == DType::Int64;
  std::vector<int32_t> members = comm.layout().group(comm.rank(), axis);
  std::vector<uint8_t> in(bytes + 1), out(bytes + 1);
  for (int64_t i = 0; i < count; ++i)
    store(dtype, in.data(), i, valueOf(comm.rank(), i, integral));
  comm.resetStats();
  Status status = comm.allReduce(axis, dtype, in.data(),
                                 inPlace ? in.data() : out.data(), count);
  std::string name = where(comm, "all_reduce", axis, dtype, count) +
                     (inPlace ? " in place" : "");
  check(status.ok(), name + ": " + status.message());
  const uint8_t *result = inPlace ? in.data() : out.data();
  bool equal = true;
  for (int64_t i = 0; i < count; ++i) {
    double expected = 0;
    for (int32_t member : members)
      expected += valueOf(member, i, integral);
    equal = equal && load(dtype, result, i) == expected;
  }
  check(equal, name + ": a sum differs from the serial one");

  CollectiveStats s = lastCall(comm);
  check(s.calls == 1 && s.payloadBytes == bytes && s.groupSize == p,
        name + ": calls, payload or group size miscounted");
  if (comm.algorithm() == Algorithm::Ring) {
    // Exactly the chunks sent: 2 (P - 1) of them, those of P divisible
    // counts all N / P bytes.
    int64_t sent = 0;
    for (int32_t s2 = 0; p > 1 && count > 0 && s2 < 2 * (p - 1); ++s2) {
      int32_t c = s2 < p - 1 ? index - s2 : index + 1 - (s2 - (p - 1));
      int64_t b, e;
      chunkRange(count, p, ((c % p) + p) % p, b, e);
      sent += (e - b) * size;
    }
    check(s.bytesSent == sent, name + ": ring sent " +
                                   std::to_string(s.bytesSent) + ", chunks " +
                                   std::to_string(sent));
    if (count % p == 0)
      check(s.bytesSent * p == 2 * bytes * (p - 1),
            name + ": ring sent " + std::to_string(s.bytesSent) +
                " bytes, not 2*N*(P-1)/P");
  }
  if (comm.algorithm() == Algorithm::ParameterServer && p > 1) {
    int64_t link = s.bytesSent + s.bytesReceived;
    int64_t expected = index == 0 ? 2 * bytes * (p - 1) : 2 * bytes;
    check(link == expected, name + ": ps link " + std::to_string(link) +
                                ", expected " + std::to_string(expected));
  }
}

void testAllGather(Communicator &comm, int32_t axis, int64_t bytes) {
  const int32_t p = comm.groupSize(axis), index = comm.groupIndex(axis);
  std::vector<int32_t> members = comm.layout().group(comm.rank(), axis);
  std::vector<uint8_t> in(bytes + 1), out(p * bytes + 1, 0xee);
  for (int64_t j = 0; j < bytes; ++j)
    in[j] = static_cast<uint8_t>(comm.rank() * 31 + j);
  comm.resetStats();
  Status status = comm.allGather(axis, in.data(), out.data(), bytes);
  std::string name = where(comm, "all_gather", axis, DType::UInt8, bytes);
  check(status.ok(), name + ": " + status.message());
  bool equal = true;
  for (int32_t m = 0; m < p; ++m)
    for (int64_t j = 0; j < bytes; ++j)
      equal = equal &&
              out[m * bytes + j] == static_cast<uint8_t>(members[m] * 31 + j);
  check(equal, name + ": a block differs");
  CollectiveStats s = lastCall(comm);
  check(s.calls == 1 && s.payloadBytes == bytes, name + ": miscounted call");
  if (comm.algorithm() == Algorithm::Ring)
    check(s.bytesSent == (p - 1) * bytes && s.bytesReceived == (p - 1) * bytes,
          name + ": ring all_gather traffic is not (P-1)*B each way");
  if (comm.algorithm() == Algorithm::ParameterServer && p > 1)
    check(index == 0 ? s.bytesReceived == (p - 1) * bytes &&
                           s.bytesSent == (p - 1) * (p - 1) * bytes
                     : s.bytesSent == bytes && s.bytesReceived == (p - 1) * bytes,
          name + ": ps all_gather traffic miscounted");
}

void testPointToPoint(Communicator &comm) {
  int64_t value = comm.rank() == 0 ? 4242 : -1;
  check(comm.broadcast(0, &value, sizeof(value)).ok() && value == 4242,
        "broadcast from rank 0");
  int32_t p = comm.size(), r = comm.rank();
  if (p > 1) {
    // Each rank sends its rank to the next, receives the previous one's.
    int64_t got = -1, mine = r;
    Status status = r % 2 == 0 ? comm.send((r + 1) % p, &mine, 8)
                               : comm.recv((r + p - 1) % p, &got, 8);
    if (status.ok())
      status = r % 2 == 0 ? comm.recv((r + p - 1) % p, &got, 8)
                          : comm.send((r + 1) % p, &mine, 8);
    check(status.ok() && got == (r + p - 1) % p,
          "send / recv around the ring: " + std::string(status.message()));
    check(!comm.send(r, &mine, 8).ok(), "send to oneself is refused");
  }
  check(comm.barrier().ok(), "barrier");
  check(!comm.allReduce(KILN_AXIS_MICRO, DType::Float, &value, &value, 0).ok(),
        "all_reduce over the micro-batch axis is refused");
  check(!comm.allReduce(kWorldAxis, DType::Bool, &value, &value, 1).ok(),
        "all_reduce of bools is refused");
}

} // namespace

int main() {
  int32_t rank, size;
  Status status = mpiWorld(rank, size);
  if (!status.ok() || !mpiLaunched()) {
    fprintf(stderr, "kiln-communicator-test: run under mpirun (%s)\n",
            status.message());
    return 1;
  }
  std::vector<MeshLayout> meshes(2);
  meshes[0].mesh[KILN_AXIS_DP] = size;
  meshes[1].mesh[KILN_AXIS_TP] = size;
  if (size > 2 && size % 2 == 0) {
    meshes.emplace_back();
    meshes.back().mesh[KILN_AXIS_DP] = size / 2;
    meshes.back().mesh[KILN_AXIS_TP] = 2;
  }
  const int32_t dtypes[] = {DType::Float, DType::Double, DType::Float16,
                            DType::BFloat16, DType::Int32, DType::Int64};
  for (const MeshLayout &layout : meshes) {
    std::unique_ptr<Communicator> comm;
    status = createMpiCommunicator(layout, comm);
    check(status.ok(), std::string("createMpiCommunicator: ") +
                           status.message());
    if (!comm)
      break;
    testPointToPoint(*comm);
    for (Algorithm algorithm :
         {Algorithm::Library, Algorithm::Ring, Algorithm::ParameterServer}) {
      check(comm->setAlgorithm(algorithm).ok(), "setAlgorithm");
      for (int32_t axis : {kWorldAxis, int32_t(KILN_AXIS_DP),
                           int32_t(KILN_AXIS_TP)}) {
        int64_t p = comm->groupSize(axis);
        for (int32_t dtype : dtypes)
          for (int64_t count : {int64_t(0), int64_t(1), 3 * p, 3 * p + 1,
                                1000 * p + p - 1})
            testAllReduce(*comm, axis, dtype, count, count % 2 == 1);
        for (int64_t bytes : {0, 1, 5, 4096})
          testAllGather(*comm, axis, bytes);
      }
    }
  }
  int64_t totals[2] = {checks, failures}, sums[2] = {0, 0};
  MPI_Allreduce(totals, sums, 2, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
  if (rank == 0)
    printf("communicator test on %d ranks: %lld checks, %lld failed\n", size,
           static_cast<long long>(sums[0]), static_cast<long long>(sums[1]));
  return sums[1] == 0 ? 0 : 1;
}
