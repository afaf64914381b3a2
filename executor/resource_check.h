// resource_check.h - whether this machine is what a resource promises, and the backend it serves
// the resource with.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kernels/backend.h"
#include "resources/resource_registry.h"

namespace dlaaw::executor {

// What resource requirements are checked against.
struct Machine {
  std::vector<kernels::DeviceInfo> gpus;  // the CUDA devices the GPU library sees, in order
  std::uint64_t host_memory_bytes = 0;
  bool cuda_built = false;  // the GPU library loads
  // Why `gpus` is empty: the GPU library's load error or its no-device reason ("" when unknown).
  std::string no_gpu_reason;
};

// The CUDA devices, the physical memory, whether the GPU library loads and, with no device, why.
// Never throws.
Machine this_machine();

// Why `machine` cannot serve `resource` ("needs compute capability 7.2 or newer, but GPU 0 (X) has
// 6.1"), or nullopt when it meets every requirement. A CUDA resource needs one GPU meeting all of
// them and able to run a training kernel (kernels::require_usable_kernel); with no GPU the reason
// says why there is none. A CPU resource needs only the memory one, against the host's memory.
std::optional<std::string> unmet_requirement(const resources::Resource& resource,
                                             const Machine& machine);

// The backend ("cpu" or "cuda") an executor serves `resource` with when asked for `backend`
// ("auto", "cpu", "cuda"), after checking that the machine meets the resource's requirements.
// allow_mismatch serves it anyway (runs record the real device; "auto" then means the CPU unless
// the first GPU, the one the CUDA backend trains on, can run a kernel). Throws InvalidInput with
// the reason and what to do instead, also when "cuda" is chosen but the first GPU is missing (the
// GPU library's reason) or can run no training kernel (require_usable_kernel's reason).
std::string choose_backend(const resources::Resource& resource, const std::string& backend,
                           bool allow_mismatch, const resources::ResourceRegistry& registry,
                           const Machine& machine);

}  // namespace dlaaw::executor
