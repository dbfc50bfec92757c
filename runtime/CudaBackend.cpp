//===- CudaBackend.cpp - The CUDA device behind DeviceBackend ------------===//
//
// Compiled into libkiln_runtime_cuda.so. A backend owns one stream and one
// cuBLAS handle on the current device; every copy is ordered on that stream.
//
//===----------------------------------------------------------------------===//

#include "runtime/DeviceBackend.h"

#include "kernels/cuda/CudaCheck.cuh"

#include <stdio.h>

namespace {

class CudaBackend final : public kiln::DeviceBackend {
public:
  CudaBackend(cudaStream_t stream, cublasHandle_t blas)
      : stream_(stream), blas_(blas) {}
  ~CudaBackend() override {
    cublasDestroy(blas_);
    cudaStreamDestroy(stream_);
  }

  kiln::Status allocate(size_t bytes, void **out) override {
    KILN_CUDA_RETURN_IF_ERROR(cudaMalloc(out, bytes));
    return kiln::Status::success();
  }
  void release(void *pointer) override { cudaFree(pointer); }
  kiln::Status copyToDevice(void *device, const void *host,
                            size_t bytes) override {
    if (bytes)
      KILN_CUDA_RETURN_IF_ERROR(cudaMemcpyAsync(
          device, host, bytes, cudaMemcpyHostToDevice, stream_));
    return kiln::Status::success();
  }
  kiln::Status copyToHost(void *host, const void *device,
                          size_t bytes) override {
    if (bytes)
      KILN_CUDA_RETURN_IF_ERROR(cudaMemcpyAsync(
          host, device, bytes, cudaMemcpyDeviceToHost, stream_));
    return kiln::Status::success();
  }
  kiln::Status synchronize() override {
    KILN_CUDA_RETURN_IF_ERROR(cudaStreamSynchronize(stream_));
    return kiln::Status::success();
  }
  void *stream() override { return stream_; }
  void *blasHandle() override { return blas_; }

private:
  cudaStream_t stream_;
  cublasHandle_t blas_;
};

} // namespace

extern "C" kiln::DeviceBackend *kiln_create_cuda_backend(char *error,
                                                         int errorSize) {
  int count = 0;
  cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess || count == 0) {
    snprintf(error, static_cast<size_t>(errorSize), "no CUDA device (%s)",
             status == cudaSuccess ? "none found" : cudaGetErrorString(status));
    return nullptr;
  }
  cudaStream_t stream;
  status = cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking);
  if (status != cudaSuccess) {
    snprintf(error, static_cast<size_t>(errorSize),
             "cannot create a CUDA stream: %s", cudaGetErrorString(status));
    return nullptr;
  }
  cublasHandle_t blas;
  cublasStatus_t blasStatus = cublasCreate(&blas);
  if (blasStatus != CUBLAS_STATUS_SUCCESS) {
    snprintf(error, static_cast<size_t>(errorSize),
             "cannot create a cuBLAS handle: %s",
             cublasGetStatusString(blasStatus));
    cudaStreamDestroy(stream);
    return nullptr;
  }
  cublasSetStream(blas, stream);
  return new CudaBackend(stream, blas);
}
