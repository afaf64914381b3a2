// resource_check.cpp - device requirements against the machine.
#include "executor/resource_check.h"

#include <unistd.h>

#include "common/errors.h"

namespace dlaaw::executor {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;

std::string mib(std::uint64_t bytes) {
  return std::to_string(static_cast<long long>(static_cast<double>(bytes) / kMiB)) + " MiB";
}

// Why `gpu` can run no training kernel, in require_usable_kernel's words, or "" when it can run
// one.
std::string kernel_shortfall(const kernels::DeviceInfo& gpu) {
  try {
    kernels::require_usable_kernel(gpu);
  } catch (const InvalidInput& e) {
    return e.what();
  }
  return "";
}

// Why `gpu` does not meet `req` or cannot train, or "" when it does and can.
std::string gpu_shortfall(const resources::DeviceRequirements& req,
                          const kernels::DeviceInfo& gpu) {
  const std::string which = "GPU " + std::to_string(gpu.index) + " (" + gpu.name + ")";
  if (req.integrated && *req.integrated != gpu.integrated) {
    return *req.integrated ? "needs an integrated GPU (a Jetson), but " + which + " is discrete"
                           : "needs a discrete GPU, but " + which + " is integrated";
  }
  if (req.min_compute_capability) {
    const auto has = resources::parse_compute_capability(gpu.compute_capability);
    if (!has || *has < *req.min_compute_capability) {
      return "needs compute capability " + req.min_compute_capability->text() + " or newer, but " +
             which + " has " + (gpu.compute_capability.empty() ? "none" : gpu.compute_capability);
    }
  }
  if (req.min_memory_bytes && gpu.memory_bytes < *req.min_memory_bytes) {
    return "needs " + mib(*req.min_memory_bytes) + " of GPU memory, but " + which + " has " +
           mib(gpu.memory_bytes);
  }
  const std::string no_kernel = kernel_shortfall(gpu);
  return no_kernel.empty() ? "" : "needs a GPU that can run a training kernel, but " + no_kernel;
}

// Why the CUDA backend, which trains on the first GPU, cannot train here, or "" when it can.
std::string training_gpu_shortfall(const Machine& machine) {
  if (machine.gpus.empty()) {
    return "this machine has no CUDA device" +
           (machine.no_gpu_reason.empty() ? "" : " (" + machine.no_gpu_reason + ")");
  }
  return kernel_shortfall(machine.gpus.front());
}

// The resources of `registry` that `machine` meets, for a message ("cpu, local-gpu").
std::string met_resources(const resources::ResourceRegistry& registry, const Machine& machine) {
  std::string out;
  for (const auto& r : registry.resources()) {
    if (!unmet_requirement(r, machine)) out += (out.empty() ? "" : ", ") + r.name;
  }
  return out;
}

}  // namespace

Machine this_machine() {
  Machine m;
  m.gpus = kernels::cuda_devices();
  if (m.gpus.empty()) {
    const kernels::GpuLibraryStatus library = kernels::gpu_library_status();
    m.cuda_built = library.loaded;
    m.no_gpu_reason = library.loaded ? library.no_device_reason : library.error;
  } else {
    m.cuda_built = true;
  }
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages > 0 && page_size > 0)
    m.host_memory_bytes = static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size);
  return m;
}

std::optional<std::string> unmet_requirement(const resources::Resource& resource,
                                             const Machine& machine) {
  const auto& req = resource.requirements;
  if (resource.backend == resources::Backend::Cpu) {
    if (req.min_memory_bytes && machine.host_memory_bytes < *req.min_memory_bytes) {
      return "needs " + mib(*req.min_memory_bytes) + " of memory, but this machine has " +
             mib(machine.host_memory_bytes);
    }
    return std::nullopt;
  }
  if (machine.gpus.empty()) {
    const std::string none = "needs a CUDA device, but this machine has none";
    if (!machine.no_gpu_reason.empty()) return none + " (" + machine.no_gpu_reason + ")";
    return machine.cuda_built ? none : none + " (and this build has no CUDA backend)";
  }
  std::string reasons;
  for (const auto& gpu : machine.gpus) {
    const std::string shortfall = gpu_shortfall(req, gpu);
    if (shortfall.empty()) return std::nullopt;
    reasons += (reasons.empty() ? "" : "; ") + shortfall;
  }
  return reasons;
}

std::string choose_backend(const resources::Resource& resource, const std::string& backend,
                           bool allow_mismatch, const resources::ResourceRegistry& registry,
                           const Machine& machine) {
  const std::string flag = "--resource " + resource.name;
  if (const auto unmet = unmet_requirement(resource, machine); unmet && !allow_mismatch) {
    const std::string met = met_resources(registry, machine);
    throw InvalidInput(flag + ": this machine does not meet its requirements: " + resource.name +
                       " " + *unmet + (met.empty() ? "" : "; this machine can serve " + met) +
                       "; --allow-mismatch serves " + resource.name +
                       " anyway (runs record the real device)");
  }
  const bool wants_gpu = resource.backend == resources::Backend::Cuda;
  const std::string cannot_train = training_gpu_shortfall(machine);
  std::string chosen = backend;
  if (backend == "auto") {
    // An allowed mismatch falls back to the CPU; otherwise a GPU resource trains on the GPU or
    // is refused below, never moved to the CPU behind the user's back.
    chosen = wants_gpu && (cannot_train.empty() || !allow_mismatch) ? "cuda" : "cpu";
  } else if (!allow_mismatch && (backend == "cuda") != wants_gpu) {
    throw InvalidInput("--backend " + backend + ": a " + resource.name +
                       " executor trains on the " + (wants_gpu ? "GPU" : "CPU") +
                       " (--allow-mismatch to use " + backend + " anyway)");
  }
  if (chosen == "cuda" && !cannot_train.empty()) {
    throw InvalidInput(flag + ": the CUDA backend cannot train on this machine: " + cannot_train +
                       "; serve a resource with backend cpu, or --allow-mismatch --backend cpu");
  }
  return chosen;
}

}  // namespace dlaaw::executor
