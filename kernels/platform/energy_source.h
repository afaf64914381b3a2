// energy_source.h - one energy sensor seen as a running total: the interface the meter samples.
#pragma once

#include <chrono>
#include <string>

namespace dlaaw::kernels::platform {

using SteadyTime = std::chrono::steady_clock::time_point;

// A sensor the EnergyMeter calls from one thread at a time: begin() once, then advance() at
// least every sample_period() (counters wrap, power must be sampled to be integrated).
class EnergySource {
 public:
  virtual ~EnergySource() = default;

  // What recorded the energy: "rapl", "nvml" or "ina3221".
  virtual std::string kind() const = 0;
  // What the joules cover: "package-0", "GPU 0 (NVIDIA H100 80GB HBM3)", "VDD_IN".
  virtual std::string scope() const = 0;
  virtual std::chrono::milliseconds sample_period() const = 0;

  // Takes the first reading at `now`. Throws ServiceUnavailable when the sensor cannot be read.
  virtual void begin(SteadyTime now) = 0;
  // Joules used since the previous begin()/advance(), read at `now`. Throws ServiceUnavailable
  // when the sensor cannot be read.
  virtual double advance(SteadyTime now) = 0;
};

}  // namespace dlaaw::kernels::platform
