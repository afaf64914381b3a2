// rapl_source.cpp - CPU package energy from Intel/AMD RAPL counters (Linux powercap sysfs).
#include "kernels/platform/rapl_source.h"

#include "common/errors.h"
#include "kernels/platform/sysfs_file.h"

namespace dlaaw::kernels::platform {
namespace {

// Top-level zones only: "intel-rapl:0", not the sub-zone "intel-rapl:0:1".
bool is_top_level_zone(const std::filesystem::path& dir) {
  const std::string name = dir.filename().string();
  return name.find(':') == name.rfind(':');
}

std::uint64_t read_counter(const std::filesystem::path& path) {
  const std::int64_t value = read_sysfs_integer(path);
  if (value < 0) throw ServiceUnavailable(path.string() + " holds a negative energy");
  return static_cast<std::uint64_t>(value);
}

}  // namespace

std::unique_ptr<RaplSource> RaplSource::open(const std::filesystem::path& root) {
  const auto powercap = root / "sys/class/powercap";
  std::vector<Zone> zones;
  for (const auto& dir : list_sysfs_dir(powercap, "intel-rapl:")) {
    if (!is_top_level_zone(dir)) continue;
    const auto name = try_read_sysfs_text(dir / "name");
    if (!name || name->rfind("package", 0) != 0) continue;
    Zone zone{*name, dir / "energy_uj", read_counter(dir / "max_energy_range_uj")};
    try {
      zone.last_uj = read_counter(zone.energy_uj);
    } catch (const ServiceUnavailable& e) {
      // Since the fix for CVE-2020-8694 (Linux 5.10 and its stable kernels) only root may read it.
      throw ServiceUnavailable(std::string(e.what()) +
                               " (RAPL counters are readable by root only on current kernels)");
    }
    if (zone.max_range_uj == 0)
      throw ServiceUnavailable(dir.string() + ": max_energy_range_uj is 0");
    zones.push_back(std::move(zone));
  }
  if (zones.empty()) {
    throw ServiceUnavailable("no RAPL package zone (intel-rapl:N named package-N) under " +
                             powercap.string());
  }
  return std::unique_ptr<RaplSource>(new RaplSource(std::move(zones)));
}

std::string RaplSource::scope() const {
  std::string names;
  for (const auto& zone : zones_) names += (names.empty() ? "" : " + ") + zone.name;
  return names;
}

void RaplSource::begin(SteadyTime) {
  for (auto& zone : zones_) zone.last_uj = read_counter(zone.energy_uj);
}

double RaplSource::advance(SteadyTime) {
  std::uint64_t microjoules = 0;
  for (auto& zone : zones_) {
    const std::uint64_t now_uj = read_counter(zone.energy_uj);
    // The counter runs from 0 to max_range_uj and starts again at 0.
    microjoules +=
        now_uj >= zone.last_uj ? now_uj - zone.last_uj : zone.max_range_uj - zone.last_uj + now_uj;
    zone.last_uj = now_uj;
  }
  return static_cast<double>(microjoules) * 1e-6;
}

}  // namespace dlaaw::kernels::platform
