// rapl_source.h - CPU package energy from Intel/AMD RAPL counters (Linux powercap sysfs).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "kernels/platform/energy_source.h"

namespace dlaaw::kernels::platform {

// Sums the package zones (intel-rapl:N named package-N) of sys/class/powercap; their
// sub-zones (core, uncore, dram) and psys would count the same joules twice. Each counter wraps
// at its max_energy_range_uj; sampling every second stays well inside one wrap (minutes).
class RaplSource final : public EnergySource {
 public:
  // Opens the package zones under root/sys/class/powercap. Throws ServiceUnavailable naming why
  // none is usable (no powercap, no package zone, energy_uj readable by root only).
  static std::unique_ptr<RaplSource> open(const std::filesystem::path& root);

  std::string kind() const override { return "rapl"; }
  std::string scope() const override;
  std::chrono::milliseconds sample_period() const override { return std::chrono::seconds(1); }
  void begin(SteadyTime now) override;
  double advance(SteadyTime now) override;

 private:
  struct Zone {
    std::string name;
    std::filesystem::path energy_uj;
    std::uint64_t max_range_uj;
    std::uint64_t last_uj = 0;
  };
  explicit RaplSource(std::vector<Zone> zones) : zones_(std::move(zones)) {}

  std::vector<Zone> zones_;
};

}  // namespace dlaaw::kernels::platform
