// energy_meter.cpp - joules used by one device over one stretch of work (a training run).
#include "kernels/platform/energy_meter.h"

#include <condition_variable>
#include <mutex>
#include <vector>

#include "common/errors.h"
#include "kernels/platform/ina3221_source.h"
#include "kernels/platform/nvml_source.h"
#include "kernels/platform/nvpmodel.h"
#include "kernels/platform/rapl_source.h"

namespace dlaaw::kernels::platform {
namespace {

std::unique_ptr<EnergySource> open_kind(const std::string& kind, const EnergyTarget& target,
                                        const EnergyOptions& options) {
  if (kind == "rapl") return RaplSource::open(options.root);
  if (kind == "nvml")
    return NvmlSource::open(options.nvml_library, target.cuda_index, target.pci_bus_id);
  return Ina3221Source::open(options.root, options.power_sample_period);
}

// The first source of the target's list that opens; `why_not` collects every refusal.
std::unique_ptr<EnergySource> open_source(const EnergyTarget& target, const EnergyOptions& options,
                                          std::string& why_not) {
  const std::vector<std::string> kinds = target.kind == EnergyTarget::Kind::Cpu
                                             ? std::vector<std::string>{"rapl", "ina3221"}
                                             : std::vector<std::string>{"nvml", "ina3221"};
  for (const auto& kind : kinds) {
    try {
      return open_kind(kind, target, options);
    } catch (const ServiceUnavailable& e) {
      why_not += (why_not.empty() ? "" : "; ") + kind + ": " + e.what();
    }
  }
  return nullptr;
}

}  // namespace

EnergyMeter::EnergyMeter(const EnergyTarget& target, const EnergyOptions& options) {
  if (const auto mode = read_nvpmodel_mode(options.root)) result_.power_mode = mode->describe();
  std::string why_not;
  source_ = open_source(target, options, why_not);
  started_ = std::chrono::steady_clock::now();
  if (!source_) {
    result_.unavailable = "no energy sensor for this device (" + why_not + ")";
    return;
  }
  result_.source = source_->kind();
  result_.scope = source_->scope();
  try {
    source_->begin(started_);
  } catch (const ServiceUnavailable& e) {
    result_.unavailable = result_.source + ": " + e.what();
    source_.reset();
    return;
  }
  result_.available = true;
  sampler_ = std::jthread([this](std::stop_token stop) { sample(stop); });
}

EnergyMeter::~EnergyMeter() = default;

void EnergyMeter::advance(SteadyTime now) {
  if (!result_.available) return;
  try {
    result_.joules += source_->advance(now);
  } catch (const ServiceUnavailable& e) {
    result_.available = false;
    result_.joules = 0;
    result_.unavailable = result_.source + " failed during the measurement: " + e.what();
  }
}

void EnergyMeter::sample(std::stop_token stop) {
  // Only this thread touches result_ and source_ until stop() has joined it.
  std::mutex mutex;
  std::condition_variable_any wake;
  std::unique_lock lock(mutex);
  const auto period = source_->sample_period();
  while (result_.available) {
    wake.wait_for(lock, stop, period, [] { return false; });
    if (stop.stop_requested()) return;
    advance(std::chrono::steady_clock::now());
  }
}

EnergyMeasurement EnergyMeter::stop() {
  if (stopped_) return result_;
  stopped_ = true;
  if (sampler_.joinable()) {
    sampler_.request_stop();
    sampler_.join();
  }
  const auto now = std::chrono::steady_clock::now();
  advance(now);
  result_.seconds = std::chrono::duration<double>(now - started_).count();
  return result_;
}

}  // namespace dlaaw::kernels::platform
