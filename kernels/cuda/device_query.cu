// device_query.cu - discovery of CUDA devices and their properties (C++14).
#include <cuda_runtime.h>

#include "kernels/cuda/cuda_check.cuh"
#include "kernels/cuda/cuda_training.h"

namespace dlaaw {
namespace kernels {
namespace cuda {

int cuda_device_count() {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    cudaGetLastError();  // no driver or no device: not an error for callers that ask
    return 0;
  }
  return count;
}

CudaDeviceInfo cuda_device_info(int device) {
  cudaDeviceProp prop;
  DLAAW_CUDA_CHECK(cudaGetDeviceProperties(&prop, device));
  CudaDeviceInfo info;
  info.name = prop.name;
  info.major = prop.major;
  info.minor = prop.minor;
  info.multiprocessors = prop.multiProcessorCount;
  info.total_memory = prop.totalGlobalMem;
  info.integrated = prop.integrated != 0;
  DLAAW_CUDA_CHECK(cudaDriverGetVersion(&info.driver_version));
  DLAAW_CUDA_CHECK(cudaRuntimeGetVersion(&info.runtime_version));
  return info;
}

}  // namespace cuda
}  // namespace kernels
}  // namespace dlaaw
