//===- NcclCommunicator.cpp - Collectives between GPUs over NCCL ----------===//
//
// Compiled into libkiln_runtime_cuda.so. A partitioned CUDA model runs one
// rank per GPU (kiln_cuda_select_device: device = local rank mod device
// count). Its communicator holds one NCCL communicator per mesh axis whose
// group has more than one rank, and one for the world, each bootstrapped
// over the MPI communicator of the same mesh: group coordinate 0 calls
// ncclGetUniqueId, the group gathers the ids over MPI and every member
// takes coordinate 0's, then ncclCommInitRank(group size, id, coordinate).
// Collectives are enqueued on the model's stream over device buffers; each
// call's time is measured between two cudaEvents on that stream and read
// when the counters are asked for, so counting does not synchronize.
//
//===----------------------------------------------------------------------===//

#include "runtime/Communicator.h"
#include "runtime/DeviceBackend.h"

#include "kernels/common/Tensor.h"

#include <cuda_runtime.h>
#include <nccl.h>
#include <stdio.h>

#include <memory>
#include <string>
#include <vector>

namespace kiln {
namespace {

Status ncclError(const std::string &what, ncclResult_t result) {
  return Status::error("%s: %s", what.c_str(), ncclGetErrorString(result));
}

Status cudaError(const std::string &what, cudaError_t error) {
  return Status::error("%s: %s", what.c_str(), cudaGetErrorString(error));
}

/// NCCL's type of a dtype that sums; false for the others.
bool ncclTypeOf(int32_t dtype, ncclDataType_t &out) {
  switch (dtype) {
  case DType::Float:
    out = ncclFloat32;
    return true;
  case DType::Double:
    out = ncclFloat64;
    return true;
  case DType::Float16:
    out = ncclFloat16;
    return true;
  case DType::BFloat16:
    out = ncclBfloat16;
    return true;
  case DType::Int8:
    out = ncclInt8;
    return true;
  case DType::UInt8:
    out = ncclUint8;
    return true;
  case DType::Int32:
    out = ncclInt32;
    return true;
  case DType::UInt32:
    out = ncclUint32;
    return true;
  case DType::Int64:
    out = ncclInt64;
    return true;
  case DType::UInt64:
    out = ncclUint64;
    return true;
  default:
    return false;
  }
}

class NcclCommunicator final : public Communicator {
public:
  NcclCommunicator(std::unique_ptr<Communicator> host, cudaStream_t stream)
      : Communicator(host->rank(), host->layout()), host_(std::move(host)),
        stream_(stream) {
    algorithm_ = Algorithm::Nccl;
  }
  ~NcclCommunicator() override {
    resolveTimes();
    for (ncclComm_t &comm : comms_)
      if (comm)
        ncclCommDestroy(comm);
  }

  Status init();

  Status setAlgorithm(Algorithm algorithm) override {
    if (algorithm != Algorithm::Library && algorithm != Algorithm::Nccl)
      return Status::error("a cuda model's collectives are NCCL's: only "
                           "'library' applies, not '%s'",
                           algorithmName(algorithm));
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

  std::vector<CollectiveStats> stats() override {
    resolveTimes();
    return stats_;
  }

private:
  ncclComm_t commOf(int32_t axis) const {
    return comms_[axis == kWorldAxis ? KILN_NUM_AXES : axis];
  }
  /// Starts timing a call on the stream; finish() records its end.
  Status start(CollectiveStats &stats);
  void finish();
  /// send or recv (`kind`) of `bytes` with world rank `peer`, counted.
  Status pointToPoint(Collective kind, int32_t peer, void *buffer,
                      int64_t bytes);
  /// Adds the elapsed time of every finished call to its counters.
  void resolveTimes();

  struct Pending {
    size_t row;
    cudaEvent_t begin, end;
  };

  std::unique_ptr<Communicator> host_;
  cudaStream_t stream_;
  ncclComm_t comms_[KILN_NUM_AXES + 1] = {nullptr, nullptr, nullptr, nullptr,
                                          nullptr};
  std::vector<Pending> pending_;
};

Status NcclCommunicator::init() {
  Status status = host_->setAlgorithm(Algorithm::Library);
  for (int32_t axis : {kWorldAxis, int32_t(KILN_AXIS_DP),
                       int32_t(KILN_AXIS_TP), int32_t(KILN_AXIS_PP)}) {
    if (!status.ok())
      return status;
    int32_t p = groupSize(axis), index = groupIndex(axis);
    if (p == 1)
      continue;
    ncclUniqueId id = {};
    if (index == 0) {
      ncclResult_t result = ncclGetUniqueId(&id);
      if (result != ncclSuccess)
        return ncclError(std::string("ncclGetUniqueId of the ") +
                             axisName(axis) + " group",
                         result);
    }
    std::vector<ncclUniqueId> ids(static_cast<size_t>(p));
    status = host_->allGather(axis, &id, ids.data(), sizeof(id));
    if (!status.ok())
      return status;
    ncclComm_t &comm = comms_[axis == kWorldAxis ? KILN_NUM_AXES : axis];
    ncclResult_t result = ncclCommInitRank(&comm, p, ids[0], index);
    if (result != ncclSuccess)
      return ncclError(std::string("ncclCommInitRank of the ") +
                           axisName(axis) + " group",
                       result);
  }
  return status;
}

Status NcclCommunicator::start(CollectiveStats &stats) {
  Pending call{static_cast<size_t>(&stats - stats_.data()), nullptr, nullptr};
  cudaError_t error = cudaEventCreate(&call.begin);
  if (error == cudaSuccess)
    error = cudaEventCreate(&call.end);
  if (error == cudaSuccess)
    error = cudaEventRecord(call.begin, stream_);
  if (error != cudaSuccess)
    return cudaError("timing a collective", error);
  pending_.push_back(call);
  stats.calls += 1;
  return Status::success();
}

void NcclCommunicator::finish() {
  cudaEventRecord(pending_.back().end, stream_);
}

void NcclCommunicator::resolveTimes() {
  for (Pending &call : pending_) {
    float ms = 0;
    if (cudaEventSynchronize(call.end) == cudaSuccess &&
        cudaEventElapsedTime(&ms, call.begin, call.end) == cudaSuccess &&
        call.row < stats_.size())
      stats_[call.row].seconds += ms * 1e-3;
    cudaEventDestroy(call.begin);
    cudaEventDestroy(call.end);
  }
  pending_.clear();
}

Status NcclCommunicator::allReduce(int32_t axis, int32_t dtype, const void *in,
                                   void *out, int64_t count) {
  Status status = checkAxis("all_reduce", axis);
  if (!status.ok())
    return status;
  ncclDataType_t type;
  if (!ncclTypeOf(dtype, type))
    return Status::error("all_reduce over %s: dtype %s has no NCCL sum",
                         axisName(axis), dtypeName(dtype));
  const int64_t bytes = count * dtypeSize(dtype);
  CollectiveStats &stats = statsFor(Collective::AllReduce, axis, algorithm_);
  status = start(stats);
  if (!status.ok())
    return status;
  stats.payloadBytes += bytes;
  ncclResult_t result = ncclSuccess;
  cudaError_t error = cudaSuccess;
  if (groupSize(axis) == 1 || count == 0) {
    if (in != out && bytes)
      error = cudaMemcpyAsync(out, in, static_cast<size_t>(bytes),
                              cudaMemcpyDeviceToDevice, stream_);
  } else {
    result = ncclAllReduce(in, out, static_cast<size_t>(count), type, ncclSum,
                           commOf(axis), stream_);
    stats.bytesSent += bytes;
    stats.bytesReceived += bytes;
  }
  finish();
  std::string what = std::string("all_reduce over ") + axisName(axis) +
                     " (nccl)";
  if (result != ncclSuccess)
    return ncclError(what, result);
  if (error != cudaSuccess)
    return cudaError(what, error);
  return Status::success();
}

Status NcclCommunicator::allGather(int32_t axis, const void *in, void *out,
                                   int64_t bytes) {
  Status status = checkAxis("all_gather", axis);
  if (!status.ok())
    return status;
  const int32_t p = groupSize(axis);
  CollectiveStats &stats = statsFor(Collective::AllGather, axis, algorithm_);
  status = start(stats);
  if (!status.ok())
    return status;
  stats.payloadBytes += bytes;
  ncclResult_t result = ncclSuccess;
  cudaError_t error = cudaSuccess;
  if (p == 1 || bytes == 0) {
    if (in != out && bytes)
      error = cudaMemcpyAsync(out, in, static_cast<size_t>(bytes),
                              cudaMemcpyDeviceToDevice, stream_);
  } else {
    result = ncclAllGather(in, out, static_cast<size_t>(bytes), ncclUint8,
                           commOf(axis), stream_);
    stats.bytesSent += bytes;
    stats.bytesReceived += (p - 1) * bytes;
  }
  finish();
  std::string what = std::string("all_gather over ") + axisName(axis) +
                     " (nccl)";
  if (result != ncclSuccess)
    return ncclError(what, result);
  if (error != cudaSuccess)
    return cudaError(what, error);
  return Status::success();
}

Status NcclCommunicator::broadcast(int32_t root, void *buffer, int64_t bytes) {
  if (root < 0 || root >= size())
    return Status::error("broadcast: root %d is not a rank of %d", root,
                         size());
  if (size() == 1)
    return Status::success();
  CollectiveStats &stats =
      statsFor(Collective::Broadcast, kWorldAxis, algorithm_);
  Status status = start(stats);
  if (!status.ok())
    return status;
  stats.payloadBytes += bytes;
  ncclResult_t result =
      ncclBroadcast(buffer, buffer, static_cast<size_t>(bytes), ncclUint8,
                    root, commOf(kWorldAxis), stream_);
  (rank_ == root ? stats.bytesSent : stats.bytesReceived) += bytes;
  finish();
  if (result != ncclSuccess)
    return ncclError("broadcast from rank " + std::to_string(root), result);
  return Status::success();
}

Status NcclCommunicator::send(int32_t peer, const void *buffer,
                              int64_t bytes) {
  return pointToPoint(Collective::Send, peer, const_cast<void *>(buffer),
                      bytes);
}

Status NcclCommunicator::recv(int32_t peer, void *buffer, int64_t bytes) {
  return pointToPoint(Collective::Recv, peer, buffer, bytes);
}

Status NcclCommunicator::pointToPoint(Collective kind, int32_t peer,
                                      void *buffer, int64_t bytes) {
  bool sending = kind == Collective::Send;
  const char *what = sending ? "send" : "recv";
  if (peer < 0 || peer >= size() || peer == rank_)
    return Status::error("%s: rank %d is no peer of rank %d of %d", what, peer,
                         rank_, size());
  CollectiveStats &stats = statsFor(kind, kWorldAxis, algorithm_);
  Status status = start(stats);
  if (!status.ok())
    return status;
  stats.payloadBytes += bytes;
  (sending ? stats.bytesSent : stats.bytesReceived) += bytes;
  ncclResult_t result =
      sending ? ncclSend(buffer, static_cast<size_t>(bytes), ncclUint8, peer,
                         commOf(kWorldAxis), stream_)
              : ncclRecv(buffer, static_cast<size_t>(bytes), ncclUint8, peer,
                         commOf(kWorldAxis), stream_);
  finish();
  if (result != ncclSuccess)
    return ncclError(std::string(sending ? "send to" : "recv from") +
                         " rank " + std::to_string(peer),
                     result);
  return Status::success();
}

// The stream's work first, then every rank's.
Status NcclCommunicator::barrier() {
  cudaError_t error = cudaStreamSynchronize(stream_);
  if (error != cudaSuccess)
    return cudaError("barrier", error);
  return host_->barrier();
}

} // namespace
} // namespace kiln

extern "C" int kiln_cuda_select_device(int32_t localRank, int32_t *device,
                                       char *error, int errorSize) {
  int count = 0;
  cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess || count == 0) {
    snprintf(error, static_cast<size_t>(errorSize), "no CUDA device (%s)",
             status == cudaSuccess ? "none found" : cudaGetErrorString(status));
    return 1;
  }
  *device = localRank % count;
  status = cudaSetDevice(*device);
  if (status != cudaSuccess) {
    snprintf(error, static_cast<size_t>(errorSize),
             "cannot use CUDA device %d: %s", *device,
             cudaGetErrorString(status));
    return 1;
  }
  return 0;
}

extern "C" kiln::Communicator *
kiln_create_nccl_communicator(kiln::Communicator *host, void *stream,
                              char *error, int errorSize) {
  std::unique_ptr<kiln::Communicator> owned(host);
  if (!owned) {
    snprintf(error, static_cast<size_t>(errorSize),
             "NCCL needs an MPI communicator to start");
    return nullptr;
  }
  auto comm = std::make_unique<kiln::NcclCommunicator>(
      std::move(owned), static_cast<cudaStream_t>(stream));
  kiln::Status status = comm->init();
  if (!status.ok()) {
    status.copyTo(error, errorSize);
    return nullptr;
  }
  return comm.release();
}
