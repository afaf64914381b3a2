// resource.h - one resource a job can name: a backend, what its device must have, its defaults.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "kernels/device_modes.h"

namespace dlaaw::resources {

// The queue every executor serves besides its own resource's: a job for "any" runs anywhere. It
// is a queue, not a resource (it has no device).
inline constexpr const char* kAnyQueue = "any";

enum class Backend { Cpu, Cuda };

// "cpu" or "cuda"; parse_backend gives nullopt for other names.
std::string_view backend_name(Backend b);
std::optional<Backend> parse_backend(std::string_view name);

// A CUDA compute capability, ordered as versions are ("7.2" < "8.0").
struct ComputeCapability {
  int major = 0;
  int minor = 0;
  auto operator<=>(const ComputeCapability&) const = default;
  std::string text() const;  // "7.2"
};

// "7.2" as a capability; nullopt for anything else ("7", "7.x", "").
std::optional<ComputeCapability> parse_compute_capability(std::string_view text);

// What the machine of an executor must have to serve the resource. For a CUDA resource they apply
// to its GPU; for a CPU resource only min_memory_bytes applies (to the host's memory).
struct DeviceRequirements {
  std::optional<bool>
      integrated;  // true: a GPU sharing memory with the CPU (Jetson); false: discrete
  std::optional<ComputeCapability> min_compute_capability;
  std::optional<std::uint64_t> min_memory_bytes;
  bool operator==(const DeviceRequirements&) const = default;
};

// How jobs on the resource train unless their document says otherwise.
struct ResourceDefaults {
  kernels::KernelChoice kernel = kernels::KernelChoice::Auto;
  kernels::MemoryPath memory = kernels::MemoryPath::Auto;
  int threads = 0;  // CPU threads per job; 0 = every hardware thread
  bool operator==(const ResourceDefaults&) const = default;
};

struct Resource {
  std::string name;
  Backend backend = Backend::Cpu;
  DeviceRequirements requirements;
  ResourceDefaults defaults;
  std::string description;
  bool built_in = false;
  bool operator==(const Resource&) const = default;
};

// Throws InvalidInput "`field`: \"NAME\" is not a resource name (...)" unless `name` is 1 to 64 of
// a-z, 0-9, '-', '_', '.', starting with a letter or digit: names become Redis keys and appear in
// messages and URLs.
void check_resource_name(const std::string& name, const std::string& field);

}  // namespace dlaaw::resources
