// ina3221_source.cpp - Jetson module power from its INA3221 monitors, integrated over time.
#include "kernels/platform/ina3221_source.h"

#include "common/errors.h"
#include "kernels/platform/sysfs_file.h"

namespace dlaaw::kernels::platform {
namespace {

bool connected(const std::optional<std::string>& label) {
  return label && !label->empty() && *label != "NC";
}

// JetPack 5.x: the mainline hwmon driver. Its in4-in7 are shunt voltages with no current, so
// only channels 1-3 carry rails.
void add_hwmon_rails(const std::filesystem::path& root, std::vector<PowerRail>& rails) {
  for (const auto& dir : list_sysfs_dir(root / "sys/class/hwmon", "hwmon")) {
    if (try_read_sysfs_text(dir / "name") != "ina3221") continue;
    for (int channel = 1; channel <= 3; ++channel) {
      const std::string n = std::to_string(channel);
      const auto label = try_read_sysfs_text(dir / ("in" + n + "_label"));
      if (!connected(label) || !std::filesystem::exists(dir / ("curr" + n + "_input"))) continue;
      rails.push_back({*label, {}, dir / ("in" + n + "_input"), dir / ("curr" + n + "_input")});
    }
  }
}

// JetPack 4.x: NVIDIA's IIO driver "ina3221x" gives power directly.
void add_iio_rails(const std::filesystem::path& root, std::vector<PowerRail>& rails) {
  for (const auto& device : list_sysfs_dir(root / "sys/bus/i2c/drivers/ina3221x", "")) {
    for (const auto& dir : list_sysfs_dir(device, "iio:device")) {
      for (int channel = 0; channel <= 2; ++channel) {
        const std::string n = std::to_string(channel);
        const auto label = try_read_sysfs_text(dir / ("rail_name_" + n));
        if (!connected(label)) continue;
        PowerRail rail{*label, {}, {}, {}};
        if (std::filesystem::exists(dir / ("in_power" + n + "_input"))) {
          rail.milliwatts = dir / ("in_power" + n + "_input");
        } else {
          rail.millivolts = dir / ("in_voltage" + n + "_input");
          rail.milliamps = dir / ("in_current" + n + "_input");
        }
        rails.push_back(std::move(rail));
      }
    }
  }
}

bool feeds_whole_module(const std::string& label) {
  return label == "VDD_IN" || label == "POM_5V_IN";
}

}  // namespace

double PowerRail::read_watts() const {
  if (!milliwatts.empty()) return static_cast<double>(read_sysfs_integer(milliwatts)) * 1e-3;
  return static_cast<double>(read_sysfs_integer(millivolts)) *
         static_cast<double>(read_sysfs_integer(milliamps)) * 1e-6;
}

std::vector<PowerRail> find_ina3221_rails(const std::filesystem::path& root) {
  std::vector<PowerRail> rails;
  add_hwmon_rails(root, rails);
  if (rails.empty()) add_iio_rails(root, rails);
  return rails;
}

std::unique_ptr<Ina3221Source> Ina3221Source::open(const std::filesystem::path& root,
                                                   std::chrono::milliseconds sample_period) {
  std::vector<PowerRail> rails = find_ina3221_rails(root);
  if (rails.empty()) {
    throw ServiceUnavailable("no INA3221 power monitor (no hwmon device named ina3221 under " +
                             (root / "sys/class/hwmon").string() + ", no " +
                             (root / "sys/bus/i2c/drivers/ina3221x").string() + ")");
  }
  for (const auto& rail : rails) {
    if (feeds_whole_module(rail.label)) {
      rails = {rail};
      break;
    }
  }
  auto source = std::unique_ptr<Ina3221Source>(new Ina3221Source(std::move(rails), sample_period));
  source->read_watts();  // fails now, not at the first sample, when a rail is unreadable
  return source;
}

std::string Ina3221Source::scope() const {
  std::string labels;
  for (const auto& rail : rails_) labels += (labels.empty() ? "" : " + ") + rail.label;
  return labels;
}

double Ina3221Source::read_watts() const {
  double watts = 0;
  for (const auto& rail : rails_) watts += rail.read_watts();
  return watts;
}

void Ina3221Source::begin(SteadyTime now) {
  last_watts_ = read_watts();
  last_time_ = now;
}

double Ina3221Source::advance(SteadyTime now) {
  const double watts = read_watts();
  const double seconds = std::chrono::duration<double>(now - last_time_).count();
  const double joules = 0.5 * (last_watts_ + watts) * seconds;
  last_watts_ = watts;
  last_time_ = now;
  return joules;
}

}  // namespace dlaaw::kernels::platform
