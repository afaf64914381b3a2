// device_buffer.cuh - RAII owners of device memory and of mapped pinned host memory.
#pragma once

#include <cuda_runtime.h>

#include <stddef.h>

#include "kernels/cuda/cuda_check.cuh"

namespace dlaaw {
namespace kernels {
namespace cuda {

// cudaMalloc'd memory, freed when the owner goes out of scope.
template <typename T>
class DeviceBuffer {
 public:
  explicit DeviceBuffer(size_t count) : count_(count) {
    if (count_ > 0)
      DLAAW_CUDA_CHECK(cudaMalloc(reinterpret_cast<void**>(&data_), count_ * sizeof(T)));
  }
  ~DeviceBuffer() {
    if (data_) cudaFree(data_);
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;

  T* get() const { return data_; }
  size_t count() const { return count_; }

 private:
  T* data_ = nullptr;
  size_t count_;
};

// Page-locked host memory mapped into the device's address space (cudaHostAllocMapped): the
// zero-copy path, where kernels read host memory directly. On a Jetson, CPU and GPU share DRAM,
// so this avoids a copy without a PCIe penalty.
template <typename T>
class MappedHostBuffer {
 public:
  explicit MappedHostBuffer(size_t count) : count_(count) {
    if (count_ > 0) {
      DLAAW_CUDA_CHECK(
          cudaHostAlloc(reinterpret_cast<void**>(&host_), count_ * sizeof(T), cudaHostAllocMapped));
      DLAAW_CUDA_CHECK(cudaHostGetDevicePointer(reinterpret_cast<void**>(&device_), host_, 0));
    }
  }
  ~MappedHostBuffer() {
    if (host_) cudaFreeHost(host_);
  }
  MappedHostBuffer(const MappedHostBuffer&) = delete;
  MappedHostBuffer& operator=(const MappedHostBuffer&) = delete;

  T* host() const { return host_; }
  T* device() const { return device_; }

 private:
  T* host_ = nullptr;
  T* device_ = nullptr;
  size_t count_;
};

// A CUDA stream, destroyed with its owner.
class Stream {
 public:
  Stream() { DLAAW_CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking)); }
  ~Stream() { cudaStreamDestroy(stream_); }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  cudaStream_t get() const { return stream_; }

 private:
  cudaStream_t stream_;
};

}  // namespace cuda
}  // namespace kernels
}  // namespace dlaaw
