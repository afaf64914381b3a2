// gpu_context.h - what libdlaaw_gpu.so knows about an opened device: the dlaaw_gpu_context.
#pragma once

#include <stdint.h>

#include <mutex>
#include <string>

#include "kernels/cuda/dlaaw_gpu.h"
#include "kernels/cuda/kernel_plan.h"

namespace dlaaw {
namespace kernels {
namespace cuda {

// A device's properties and what it can run, probed once.
struct DeviceProbe {
  std::string name;
  int major = 0;
  int minor = 0;
  int multiprocessors = 0;
  bool integrated = false;
  uint64_t memory_bytes = 0;
  bool can_map_host_memory = false;
  bool managed_memory = false;
  bool concurrent_managed_access = false;  // the host may touch managed memory while kernels run
  KernelSupport kernels;  // cooperative_resident_blocks is 0 here: it depends on the network
};

// The number of CUDA devices; 0 with `why_none` set when there is no driver or device. Never
// throws.
int device_count(std::string* why_none);

// Makes `device` current (creating its context) and probes it. Throws GpuError.
DeviceProbe probe_device(int device);

// The library's description, its CUDA runtime and the driver's version. Never throws.
void describe_library(dlaaw_gpu_library_info* info);

}  // namespace cuda
}  // namespace kernels
}  // namespace dlaaw

// The opaque context of the C interface: one device, probed, with its kernels warmed up.
struct dlaaw_gpu_context {
  int device = 0;
  dlaaw::kernels::cuda::DeviceProbe probe;
  // Set when a kernel the watchdog gave up on may still run, or after a sticky CUDA error: every
  // later call fails with this message, since the device cannot be trusted in this process.
  std::string poisoned;
  std::mutex mutex;  // one call at a time per context
};
