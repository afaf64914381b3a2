// ina3221_source.h - Jetson module power from its INA3221 monitors, integrated over time.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "kernels/platform/energy_source.h"

namespace dlaaw::kernels::platform {

// One monitored supply rail and where its readings are.
struct PowerRail {
  std::string label;                 // "VDD_IN", "POM_5V_GPU"
  std::filesystem::path milliwatts;  // set where the driver gives power (JetPack 4.x)
  std::filesystem::path millivolts;  // else voltage and current (JetPack 5.x hwmon)
  std::filesystem::path milliamps;

  // The rail's power now. Throws ServiceUnavailable when a reading cannot be read.
  double read_watts() const;
};

// The INA3221 rails of the machine under `root`, in one of the two layouts JetPack has:
// - JetPack 5.x (L4T 35, mainline driver): a hwmon device named "ina3221" under
//   sys/class/hwmon, channels 1-3 with in<N>_label, in<N>_input (mV), curr<N>_input (mA);
// - JetPack 4.x (L4T 32, NVIDIA's IIO driver): sys/bus/i2c/drivers/ina3221x/<bus>-<addr>/
//   iio:device<N> with rail_name_<N>, in_power<N>_input (mW), channels 0-2.
// Channels without a label, or labelled "NC" (not connected), are left out. Empty when none.
std::vector<PowerRail> find_ina3221_rails(const std::filesystem::path& root);

// Energy as the trapezoid integral of power sampled every 100 ms. When a rail feeds the whole
// module (VDD_IN: Xavier NX, TX2, Orin; POM_5V_IN: Nano) it alone is measured, since the others
// branch off it; otherwise (AGX Xavier: GPU, CPU, SOC, CV, VDDRQ, SYS5V, each fed from the input
// in parallel) the rails are summed.
class Ina3221Source final : public EnergySource {
 public:
  // Opens the rails under `root`. Throws ServiceUnavailable when there is no INA3221 (not a
  // Jetson, or one without a power monitor such as the Nano 2GB) or a rail cannot be read.
  static std::unique_ptr<Ina3221Source> open(const std::filesystem::path& root,
                                             std::chrono::milliseconds sample_period);

  std::string kind() const override { return "ina3221"; }
  std::string scope() const override;
  std::chrono::milliseconds sample_period() const override { return period_; }
  void begin(SteadyTime now) override;
  double advance(SteadyTime now) override;

 private:
  Ina3221Source(std::vector<PowerRail> rails, std::chrono::milliseconds period)
      : rails_(std::move(rails)), period_(period) {}
  double read_watts() const;

  std::vector<PowerRail> rails_;
  std::chrono::milliseconds period_;
  double last_watts_ = 0;
  SteadyTime last_time_{};
};

}  // namespace dlaaw::kernels::platform
