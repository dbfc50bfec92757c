//===- nccl-smoke.cpp - One process, every GPU, one NCCL all-reduce -------===//
//
// Checks that the machine's NCCL loads beside the bundle's CUDA runtime and
// reduces: ncclCommInitAll over every visible device (one rank each, in
// this process), an all-reduce of 1M floats where rank r holds r + 1, and
// a check of every element against the sum. Kiln's own NCCL communicator
// needs a rank per process under mpirun (runtime/NcclCommunicator.cpp),
// which a bare one-GPU machine cannot give it; this is the part that can
// run there. Exit status 0 on success, 1 on a wrong sum or a failing call.
//
//===----------------------------------------------------------------------===//

#include <cuda_runtime.h>
#include <nccl.h>
#include <stdio.h>

#include <vector>

#define CHECK_CUDA(call)                                                       \
  do {                                                                         \
    cudaError_t e = (call);                                                    \
    if (e != cudaSuccess) {                                                    \
      printf("nccl-smoke: %s: %s\n", #call, cudaGetErrorString(e));            \
      return 1;                                                                \
    }                                                                          \
  } while (0)
#define CHECK_NCCL(call)                                                       \
  do {                                                                         \
    ncclResult_t r = (call);                                                   \
    if (r != ncclSuccess) {                                                    \
      printf("nccl-smoke: %s: %s\n", #call, ncclGetErrorString(r));            \
      return 1;                                                                \
    }                                                                          \
  } while (0)

int main() {
  int version = 0, devices = 0;
  CHECK_NCCL(ncclGetVersion(&version));
  CHECK_CUDA(cudaGetDeviceCount(&devices));
  const size_t n = size_t(1) << 20;
  std::vector<ncclComm_t> comms(devices);
  std::vector<int> ids(devices);
  std::vector<float *> buffers(devices);
  std::vector<cudaStream_t> streams(devices);
  for (int d = 0; d < devices; ++d)
    ids[d] = d;
  CHECK_NCCL(ncclCommInitAll(comms.data(), devices, ids.data()));
  for (int d = 0; d < devices; ++d) {
    CHECK_CUDA(cudaSetDevice(d));
    CHECK_CUDA(cudaStreamCreate(&streams[d]));
    CHECK_CUDA(cudaMalloc(&buffers[d], n * sizeof(float)));
    std::vector<float> host(n, float(d + 1));
    CHECK_CUDA(cudaMemcpy(buffers[d], host.data(), n * sizeof(float),
                          cudaMemcpyHostToDevice));
  }
  CHECK_NCCL(ncclGroupStart());
  for (int d = 0; d < devices; ++d)
    CHECK_NCCL(ncclAllReduce(buffers[d], buffers[d], n, ncclFloat, ncclSum,
                             comms[d], streams[d]));
  CHECK_NCCL(ncclGroupEnd());
  const float want = float(devices) * float(devices + 1) / 2;
  size_t wrong = 0;
  for (int d = 0; d < devices; ++d) {
    CHECK_CUDA(cudaSetDevice(d));
    CHECK_CUDA(cudaStreamSynchronize(streams[d]));
    std::vector<float> host(n);
    CHECK_CUDA(cudaMemcpy(host.data(), buffers[d], n * sizeof(float),
                          cudaMemcpyDeviceToHost));
    for (float v : host)
      wrong += v != want;
    cudaFree(buffers[d]);
    cudaStreamDestroy(streams[d]);
    ncclCommDestroy(comms[d]);
  }
  printf("nccl-smoke: NCCL %d, %d GPU(s), all-reduce of %zu floats: %s\n",
         version, devices, n, wrong ? "WRONG SUM" : "ok");
  return wrong ? 1 : 0;
}
