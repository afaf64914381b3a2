// kernel_plan.h - which training kernel runs a request, and with how many blocks per model.
//
// Pure host logic (C++14, no CUDA header): the GPU library calls it with what it probed on the
// device, the CPU stand-in with a pretend device, and the unit tests with any device they like.
#pragma once

#include <stdint.h>

#include <string>

#include "kernels/cuda/abi_boundary.h"
#include "kernels/cuda/dlaaw_gpu.h"
#include "kernels/cuda/train_layout.h"

namespace dlaaw {
namespace kernels {
namespace cuda {

// What a device can run, as probed once per device.
struct KernelSupport {
  bool block = false;        // the block kernel has code for the device
  bool cooperative = false;  // ... and so has the cooperative one, and the device co-schedules it
  int cooperative_resident_blocks = 0;  // cooperative blocks that fit on the device at once
  std::string note;                     // why a kernel is missing ("" when neither is)
};

struct KernelPlan {
  int32_t kernel;        // DLAAW_GPU_KERNEL_COOPERATIVE or DLAAW_GPU_KERNEL_BLOCK
  int blocks_per_model;  // 1 for the block kernel
};

// Picks the kernel for `models` models whose largest has `largest_rows` rows in `batches`
// mini-batches. Auto takes the cooperative kernel when it fits and the batches are large enough
// to spread a model over more than one block, else the block kernel; it never picks a kernel the
// device cannot run. Throws GpuError: INVALID_INPUT when the requested kernel cannot run here
// (the message says what to use instead), UNAVAILABLE when no kernel can.
inline KernelPlan plan_kernel(int32_t requested, const KernelSupport& support, int models,
                              int64_t largest_rows, int batches) {
  const bool cooperative_fits =
      support.cooperative && models >= 1 && support.cooperative_resident_blocks >= models;
  int blocks = wanted_blocks_per_model(largest_rows, batches);
  if (cooperative_fits && blocks > support.cooperative_resident_blocks / models) {
    blocks = support.cooperative_resident_blocks / models;
  }
  switch (requested) {
    case DLAAW_GPU_KERNEL_COOPERATIVE:
      if (!support.cooperative) {
        throw GpuError(DLAAW_GPU_INVALID_INPUT,
                       "kernel cooperative: " + support.note +
                           "; use \"kernel\": \"block\" (or \"auto\", which picks a kernel this "
                           "device runs)");
      }
      if (!cooperative_fits) {
        throw GpuError(DLAAW_GPU_INVALID_INPUT,
                       "kernel cooperative: the device holds " +
                           std::to_string(support.cooperative_resident_blocks) +
                           " training blocks at once but " + std::to_string(models) +
                           " models were asked for side by side; use \"kernel\": \"block\"");
      }
      return KernelPlan{DLAAW_GPU_KERNEL_COOPERATIVE, blocks};
    case DLAAW_GPU_KERNEL_BLOCK:
      if (!support.block) throw GpuError(DLAAW_GPU_INVALID_INPUT, "kernel block: " + support.note);
      return KernelPlan{DLAAW_GPU_KERNEL_BLOCK, 1};
    case DLAAW_GPU_KERNEL_AUTO:
      if (cooperative_fits && blocks > 1) return KernelPlan{DLAAW_GPU_KERNEL_COOPERATIVE, blocks};
      if (support.block) return KernelPlan{DLAAW_GPU_KERNEL_BLOCK, 1};
      if (cooperative_fits) return KernelPlan{DLAAW_GPU_KERNEL_COOPERATIVE, blocks};
      throw GpuError(DLAAW_GPU_UNAVAILABLE,
                     "no training kernel runs on this device: " +
                         (support.note.empty() ? std::string("unknown") : support.note));
    default:
      throw GpuError(DLAAW_GPU_INVALID_INPUT,
                     "kernel code " + std::to_string(requested) + " is unknown");
  }
}

}  // namespace cuda
}  // namespace kernels
}  // namespace dlaaw
