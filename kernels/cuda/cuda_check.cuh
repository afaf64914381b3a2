// cuda_check.cuh - the one checking macro every CUDA runtime call goes through.
#pragma once

#include <cuda_runtime.h>

#include <string>

#include "kernels/cuda/abi_boundary.h"

namespace dlaaw {
namespace kernels {
namespace cuda {

// Throws GpuError(DEVICE_FAILURE) "CALL failed at FILE:LINE on device N (NAME): reason". A sticky
// error (e.g. an illegal address) keeps failing afterwards, which is why the executor that gets a
// DeviceFailure ends the job and restarts.
inline void throw_cuda_error(cudaError_t status, const char* call, const char* file, int line) {
  int device = -1;
  cudaGetDevice(&device);
  std::string name = "unknown";
  cudaDeviceProp prop;
  if (device >= 0 && cudaGetDeviceProperties(&prop, device) == cudaSuccess) name = prop.name;
  cudaGetLastError();  // clear a non-sticky error so that later calls are not blamed for it
  throw GpuError(DLAAW_GPU_DEVICE_FAILURE, std::string(call) + " failed at " + file + ":" +
                                               std::to_string(line) + " on device " +
                                               std::to_string(device) + " (" + name +
                                               "): " + cudaGetErrorString(status));
}

}  // namespace cuda
}  // namespace kernels
}  // namespace dlaaw

#define DLAAW_CUDA_CHECK(call)                                                            \
  do {                                                                                    \
    const cudaError_t dlaaw_status_ = (call);                                             \
    if (dlaaw_status_ != cudaSuccess) {                                                   \
      ::dlaaw::kernels::cuda::throw_cuda_error(dlaaw_status_, #call, __FILE__, __LINE__); \
    }                                                                                     \
  } while (0)
