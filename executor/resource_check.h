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
  std::vector<kernels::DeviceInfo> gpus;  // usable CUDA devices (none in a build without CUDA)
  std::uint64_t host_memory_bytes = 0;
  bool cuda_built = false;  // this build has the CUDA backend
};

// The CUDA devices, the physical memory and whether CUDA is built in.
Machine this_machine();

// Why `machine` cannot serve `resource` ("needs compute capability 7.2 or newer, but GPU 0 (X) has
// 6.1"), or nullopt when it meets every requirement. A CUDA resource needs one GPU meeting all of
// them; a CPU resource only the memory one, against the host's memory.
std::optional<std::string> unmet_requirement(const resources::Resource& resource,
                                             const Machine& machine);

// The backend ("cpu" or "cuda") an executor serves `resource` with when asked for `backend`
// ("auto", "cpu", "cuda"), after checking that the machine meets the resource's requirements.
// allow_mismatch serves it anyway (runs record the real device). Throws InvalidInput with the
// reason and what to do instead.
std::string choose_backend(const resources::Resource& resource, const std::string& backend,
                           bool allow_mismatch, const resources::ResourceRegistry& registry,
                           const Machine& machine);

}  // namespace dlaaw::executor
