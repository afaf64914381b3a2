// device_buffer.cuh - RAII owners of device, mapped, managed and pinned memory, streams, events.
//
// Each owner frees its memory when it goes out of scope, except after release(): a kernel that
// the watchdog gave up on may still be running and using the memory, and freeing it would block
// (cudaFree synchronises with the device) or let the kernel write into memory handed out again.
#pragma once

#include <cuda_runtime.h>

#include <stddef.h>

#include "kernels/cuda/cuda_check.cuh"

namespace dlaaw {
namespace kernels {
namespace cuda {

// cudaMalloc'd memory.
template <typename T>
class DeviceBuffer {
 public:
  explicit DeviceBuffer(size_t count) {
    if (count > 0)
      DLAAW_CUDA_CHECK(cudaMalloc(reinterpret_cast<void**>(&data_), count * sizeof(T)));
  }
  ~DeviceBuffer() {
    if (data_) cudaFree(data_);
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;

  T* get() const { return data_; }
  void release() { data_ = nullptr; }

 private:
  T* data_ = nullptr;
};

// Page-locked host memory mapped into the device's address space (cudaHostAllocMapped): the
// zero-copy path, where kernels read and write host memory directly. Also how progress and the
// cancel flag travel while a kernel runs.
template <typename T>
class MappedHostBuffer {
 public:
  explicit MappedHostBuffer(size_t count) {
    if (count == 0) return;
    DLAAW_CUDA_CHECK(
        cudaHostAlloc(reinterpret_cast<void**>(&host_), count * sizeof(T), cudaHostAllocMapped));
    const cudaError_t mapped =
        cudaHostGetDevicePointer(reinterpret_cast<void**>(&device_), host_, 0);
    if (mapped != cudaSuccess) {
      cudaFreeHost(host_);  // the constructor throws next, so no destructor would free it
      host_ = nullptr;
      throw_cuda_error(mapped, "cudaHostGetDevicePointer", __FILE__, __LINE__);
    }
  }
  ~MappedHostBuffer() {
    if (host_) cudaFreeHost(host_);
  }
  MappedHostBuffer(const MappedHostBuffer&) = delete;
  MappedHostBuffer& operator=(const MappedHostBuffer&) = delete;

  T* host() const { return host_; }
  T* device() const { return device_; }
  void release() { host_ = nullptr; }

 private:
  T* host_ = nullptr;
  T* device_ = nullptr;
};

// Unified memory (cudaMallocManaged): one pointer for host and device, pages migrate on demand.
template <typename T>
class ManagedBuffer {
 public:
  explicit ManagedBuffer(size_t count) {
    if (count > 0) {
      DLAAW_CUDA_CHECK(cudaMallocManaged(reinterpret_cast<void**>(&data_), count * sizeof(T),
                                         cudaMemAttachGlobal));
    }
  }
  ~ManagedBuffer() {
    if (data_) cudaFree(data_);
  }
  ManagedBuffer(const ManagedBuffer&) = delete;
  ManagedBuffer& operator=(const ManagedBuffer&) = delete;

  T* get() const { return data_; }
  void release() { data_ = nullptr; }

 private:
  T* data_ = nullptr;
};

// Page-locked host memory, the target of an asynchronous device-to-host copy (a copy into
// pageable memory would block the host thread, which must keep polling the watchdog).
template <typename T>
class PinnedHostBuffer {
 public:
  explicit PinnedHostBuffer(size_t count) {
    if (count > 0)
      DLAAW_CUDA_CHECK(cudaMallocHost(reinterpret_cast<void**>(&data_), count * sizeof(T)));
  }
  ~PinnedHostBuffer() {
    if (data_) cudaFreeHost(data_);
  }
  PinnedHostBuffer(const PinnedHostBuffer&) = delete;
  PinnedHostBuffer& operator=(const PinnedHostBuffer&) = delete;

  T* get() const { return data_; }
  void release() { data_ = nullptr; }

 private:
  T* data_ = nullptr;
};

// A non-blocking CUDA stream. Destroying a stream with work pending does not wait for it.
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

// A timing event.
class Event {
 public:
  Event() { DLAAW_CUDA_CHECK(cudaEventCreate(&event_)); }
  ~Event() { cudaEventDestroy(event_); }
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  cudaEvent_t get() const { return event_; }

 private:
  cudaEvent_t event_;
};

}  // namespace cuda
}  // namespace kernels
}  // namespace dlaaw
