// nvml_source.h - a discrete NVIDIA GPU's energy from NVML's total-energy counter.
#pragma once

#include <memory>
#include <string>

#include "kernels/platform/energy_source.h"

namespace dlaaw::kernels::platform {

class NvmlLibrary;

// nvmlDeviceGetTotalEnergyConsumption (millijoules since the driver loaded; Volta and newer).
// libnvidia-ml.so.1 is loaded with dlopen when a meter opens, so nothing links against NVML and
// a machine without the driver simply has no such source.
class NvmlSource final : public EnergySource {
 public:
  // Opens the GPU with CUDA ordinal `cuda_index` (or, when `pci_bus_id` is given, the one at
  // that bus id: CUDA orders devices fastest first, NVML by bus). Throws ServiceUnavailable when
  // `library` cannot be loaded, lacks a symbol, has no such device or no energy counter.
  static std::unique_ptr<NvmlSource> open(const std::string& library, int cuda_index,
                                          const std::string& pci_bus_id);
  ~NvmlSource() override;

  std::string kind() const override { return "nvml"; }
  std::string scope() const override { return scope_; }
  std::chrono::milliseconds sample_period() const override { return std::chrono::seconds(1); }
  void begin(SteadyTime now) override;
  double advance(SteadyTime now) override;

 private:
  NvmlSource(std::unique_ptr<NvmlLibrary> nvml, void* device, std::string scope);
  unsigned long long read_millijoules() const;

  std::unique_ptr<NvmlLibrary> nvml_;
  void* device_;  // nvmlDevice_t
  std::string scope_;
  unsigned long long last_mj_ = 0;
};

}  // namespace dlaaw::kernels::platform
