// device_query.cu - discovery of CUDA devices, their properties and the kernels they can run.
#include <cuda_runtime.h>

#include <string>

#include "kernels/cuda/cuda_check.cuh"
#include "kernels/cuda/gpu_context.h"
#include "kernels/cuda/train_kernels.cuh"

#ifndef DLAAW_GPU_ARCHS
#define DLAAW_GPU_ARCHS "unknown"
#endif
#ifndef DLAAW_GPU_VERSION
#define DLAAW_GPU_VERSION "unknown"
#endif

namespace dlaaw {
namespace kernels {
namespace cuda {
namespace {

std::string capability(int major, int minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

// Why the library cannot run `kernel` on this device, or "" when it can.
std::string missing_code(int32_t kernel, const DeviceProbe& d) {
  cudaFuncAttributes attributes;
  const cudaError_t status = training_kernel_attributes(kernel, &attributes);
  if (status != cudaSuccess) {
    cudaGetLastError();  // not sticky: the library merely lacks code for this device
    return std::string("this library has no code for compute capability ") +
           capability(d.major, d.minor) +
           " (built for sm " DLAAW_GPU_ARCHS "; rebuild it with CMAKE_CUDA_ARCHITECTURES=" +
           std::to_string(d.major * 10 + d.minor) + "): " + cudaGetErrorString(status);
  }
  if (kernel == DLAAW_GPU_KERNEL_COOPERATIVE && attributes.ptxVersion < 60) {
    // The code was compiled (or JIT-compiled from PTX) for an architecture below 6.0, where
    // the cooperative kernel's body is left out.
    return "this library's code for the device comes from compute_" +
           std::to_string(attributes.ptxVersion) +
           ", which has no grid-wide barrier (needs 6.0 or later)";
  }
  return "";
}

void probe_kernels(DeviceProbe& d, int device) {
  std::string note;
  const std::string block = missing_code(DLAAW_GPU_KERNEL_BLOCK, d);
  d.kernels.block = block.empty();
  if (!block.empty()) note = "block kernel: " + block;
  std::string cooperative;
  int cooperative_launch = 0;
  DLAAW_CUDA_CHECK(
      cudaDeviceGetAttribute(&cooperative_launch, cudaDevAttrCooperativeLaunch, device));
  if (d.major < 6) {
    cooperative = "compute capability " + capability(d.major, d.minor) +
                  " has no grid-wide barrier (the cooperative kernel needs 6.0 or later)";
  } else if (!cooperative_launch) {
    cooperative = "device " + d.name + " does not support cooperative launches";
  } else {
    cooperative = missing_code(DLAAW_GPU_KERNEL_COOPERATIVE, d);
  }
  d.kernels.cooperative = cooperative.empty();
  if (!cooperative.empty()) note += (note.empty() ? "" : "; ") + cooperative;
  d.kernels.note = note;
}

int attribute(cudaDeviceAttr what, int device) {
  int value = 0;
  DLAAW_CUDA_CHECK(cudaDeviceGetAttribute(&value, what, device));
  return value;
}

}  // namespace

int device_count(std::string* why_none) {
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess) {
    cudaGetLastError();  // no driver or no device: an answer, not a failure
    if (why_none) *why_none = std::string("cudaGetDeviceCount: ") + cudaGetErrorString(status);
    return 0;
  }
  if (count == 0 && why_none) *why_none = "the CUDA driver reports no device";
  return count;
}

DeviceProbe probe_device(int device) {
  DLAAW_CUDA_CHECK(cudaSetDevice(device));
  DLAAW_CUDA_CHECK(cudaFree(0));  // creates the device's primary context now, not in a later call
  cudaDeviceProp prop;
  DLAAW_CUDA_CHECK(cudaGetDeviceProperties(&prop, device));
  DeviceProbe d;
  d.name = prop.name;
  d.major = prop.major;
  d.minor = prop.minor;
  d.memory_bytes = prop.totalGlobalMem;
  d.multiprocessors = attribute(cudaDevAttrMultiProcessorCount, device);
  d.integrated = attribute(cudaDevAttrIntegrated, device) != 0;
  d.can_map_host_memory = attribute(cudaDevAttrCanMapHostMemory, device) != 0;
  d.managed_memory = attribute(cudaDevAttrManagedMemory, device) != 0;
  d.concurrent_managed_access = attribute(cudaDevAttrConcurrentManagedAccess, device) != 0;
  probe_kernels(d, device);
  return d;
}

void describe_library(dlaaw_gpu_library_info* info) {
  info->abi_version = DLAAW_GPU_ABI_VERSION;
  info->cuda_runtime_version = CUDART_VERSION;
  int driver = 0;
  if (cudaDriverGetVersion(&driver) != cudaSuccess) {
    cudaGetLastError();
    driver = 0;
  }
  info->driver_version = driver;
  const std::string text = std::string("libdlaaw_gpu " DLAAW_GPU_VERSION ", CUDA ") +
                           std::to_string(CUDART_VERSION / 1000) + "." +
                           std::to_string(CUDART_VERSION % 1000 / 10) + ", sm " DLAAW_GPU_ARCHS;
  const size_t n =
      text.size() < sizeof(info->description) - 1 ? text.size() : sizeof(info->description) - 1;
  text.copy(info->description, n);
  info->description[n] = '\0';
}

}  // namespace cuda
}  // namespace kernels
}  // namespace dlaaw
