// energy_meter.h - joules used by one device over one stretch of work (a training run).
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <stop_token>
#include <string>
#include <thread>

#include "kernels/platform/energy_source.h"

namespace dlaaw::kernels::platform {

// The device whose energy is measured.
struct EnergyTarget {
  enum class Kind { Cpu, Cuda };
  Kind kind = Kind::Cpu;
  int cuda_index = 0;      // Kind::Cuda: the CUDA device ordinal
  std::string pci_bus_id;  // Kind::Cuda, optional: picks the NVML device by bus id

  static EnergyTarget cpu() { return {}; }
  static EnergyTarget cuda(int index, std::string pci_bus_id = "") {
    return {Kind::Cuda, index, std::move(pci_bus_id)};
  }
};

// Where the meter looks; the defaults are this machine's. Tests point `root` at a fake tree.
struct EnergyOptions {
  std::filesystem::path root = "/";  // holds sys/, proc/, etc/, var/
  std::string nvml_library = "libnvidia-ml.so.1";
  std::chrono::milliseconds power_sample_period{100};  // INA3221 power sampling
};

// What a meter measured, or why it could not.
struct EnergyMeasurement {
  bool available = false;
  double joules = 0;
  double seconds = 0;       // the measured span
  std::string source;       // "rapl", "nvml" or "ina3221" when available
  std::string scope;        // what the joules cover: "package-0", "GPU 0 (...)", "VDD_IN"
  std::string power_mode;   // Jetson: "MAXN (nvpmodel mode 0)"; "" when there is none
  std::string unavailable;  // why there are no joules: "" when available
};

// Measures from construction to stop(), sampling its source on a background thread.
// Sources by target, first usable wins:
//   cpu:  RAPL package counters, else the Jetson INA3221 module rail;
//   cuda: NVML's energy counter (discrete GPU), else the Jetson INA3221 module rail (integrated).
// A machine with none gives a measurement that is not available and says why; a sensor that
// fails mid-run does the same. Construction and stop() never throw for a missing sensor.
// The joules are the whole device's (package, GPU, module) over the span: work running beside
// the measured one on the same device is counted too.
class EnergyMeter {
 public:
  // Opens the first usable source for `target` and takes its first reading.
  explicit EnergyMeter(const EnergyTarget& target, const EnergyOptions& options = {});
  ~EnergyMeter();  // stops sampling
  EnergyMeter(const EnergyMeter&) = delete;
  EnergyMeter& operator=(const EnergyMeter&) = delete;

  // Whether a sensor was found (the joules may still become unavailable if it fails later).
  bool available() const { return source_ != nullptr; }

  // Ends the measurement (the first call) and returns it; later calls return the same.
  EnergyMeasurement stop();

 private:
  void sample(std::stop_token stop);
  void advance(SteadyTime now);

  std::unique_ptr<EnergySource> source_;
  EnergyMeasurement result_;
  SteadyTime started_;
  bool stopped_ = false;
  std::jthread sampler_;  // last: joined before the members it uses go away
};

}  // namespace dlaaw::kernels::platform
