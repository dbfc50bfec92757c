//===- NcclStandIn.cpp - A libnccl.so.2 that refuses every collective ----===//
//
// libkiln_runtime_cuda.so links NCCL (about 210 MB, too large for the GPU
// bundle). On a GPU machine without NCCL, run_gpu_checks.sh puts this
// stand-in in its place so that everything that makes no NCCL call (one-rank
// models, the kernel tests) still loads and runs; a one-rank partitioned
// model makes none either (groups of one rank copy instead). Any call that
// would need NCCL fails with a message that says so. The functions are the
// ones libkiln_runtime_cuda.so imports (objdump -T ... | grep nccl).
//
//===----------------------------------------------------------------------===//

#include <nccl.h>

extern "C" {

const char *ncclGetErrorString(ncclResult_t) {
  return "NCCL is not installed on this machine (the GPU bundle's stand-in "
         "libnccl.so.2 is loaded): collectives between ranks are unavailable";
}

ncclResult_t ncclGetUniqueId(ncclUniqueId *) { return ncclSystemError; }

ncclResult_t ncclCommInitRank(ncclComm_t *comm, int, ncclUniqueId, int) {
  if (comm)
    *comm = nullptr;
  return ncclSystemError;
}

ncclResult_t ncclCommDestroy(ncclComm_t) { return ncclSuccess; }

ncclResult_t ncclAllReduce(const void *, void *, size_t, ncclDataType_t,
                           ncclRedOp_t, ncclComm_t, cudaStream_t) {
  return ncclSystemError;
}

ncclResult_t ncclAllGather(const void *, void *, size_t, ncclDataType_t,
                           ncclComm_t, cudaStream_t) {
  return ncclSystemError;
}

ncclResult_t ncclBroadcast(const void *, void *, size_t, ncclDataType_t, int,
                           ncclComm_t, cudaStream_t) {
  return ncclSystemError;
}

ncclResult_t ncclSend(const void *, size_t, ncclDataType_t, int, ncclComm_t,
                      cudaStream_t) {
  return ncclSystemError;
}

ncclResult_t ncclRecv(void *, size_t, ncclDataType_t, int, ncclComm_t,
                      cudaStream_t) {
  return ncclSystemError;
}

} // extern "C"
