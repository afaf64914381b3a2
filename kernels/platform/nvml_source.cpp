// nvml_source.cpp - a discrete NVIDIA GPU's energy from NVML's total-energy counter.
#include "kernels/platform/nvml_source.h"

#include <dlfcn.h>

#include "common/errors.h"

namespace dlaaw::kernels::platform {
namespace {

// The few NVML C signatures used here, as nvml.h declares them (no header needed at build time).
using NvmlReturn = int;  // nvmlReturn_t; NVML_SUCCESS is 0
using NvmlDevice = void*;
using InitFn = NvmlReturn (*)();
using ShutdownFn = NvmlReturn (*)();
using ErrorStringFn = const char* (*)(NvmlReturn);
using HandleByIndexFn = NvmlReturn (*)(unsigned int, NvmlDevice*);
using HandleByBusIdFn = NvmlReturn (*)(const char*, NvmlDevice*);
using NameFn = NvmlReturn (*)(NvmlDevice, char*, unsigned int);
using EnergyFn = NvmlReturn (*)(NvmlDevice, unsigned long long*);

}  // namespace

// The loaded library with NVML initialised: dlclose and nvmlShutdown when it goes away.
class NvmlLibrary {
 public:
  explicit NvmlLibrary(const std::string& path) : path_(path) {
    handle_ = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle_) {
      const char* why = ::dlerror();
      throw ServiceUnavailable("cannot load " + path +
                               " (no NVIDIA driver?): " + (why ? why : "unknown error"));
    }
    try {
      init_ = symbol<InitFn>("nvmlInit_v2");
      shutdown_ = symbol<ShutdownFn>("nvmlShutdown");
      error_string = symbol<ErrorStringFn>("nvmlErrorString");
      handle_by_index = symbol<HandleByIndexFn>("nvmlDeviceGetHandleByIndex_v2");
      handle_by_bus_id = symbol<HandleByBusIdFn>("nvmlDeviceGetHandleByPciBusId_v2");
      name = symbol<NameFn>("nvmlDeviceGetName");
      total_energy = symbol<EnergyFn>("nvmlDeviceGetTotalEnergyConsumption");
      check(init_(), "nvmlInit_v2");
    } catch (...) {
      ::dlclose(handle_);
      throw;
    }
  }
  ~NvmlLibrary() {
    shutdown_();
    ::dlclose(handle_);
  }
  NvmlLibrary(const NvmlLibrary&) = delete;
  NvmlLibrary& operator=(const NvmlLibrary&) = delete;

  // Throws ServiceUnavailable naming the call and NVML's message unless `result` is success.
  void check(NvmlReturn result, const std::string& call) const {
    if (result == 0) return;
    const char* text = error_string ? error_string(result) : nullptr;
    throw ServiceUnavailable(call +
                             " failed: " + (text ? text : "NVML error " + std::to_string(result)));
  }

  ErrorStringFn error_string = nullptr;
  HandleByIndexFn handle_by_index = nullptr;
  HandleByBusIdFn handle_by_bus_id = nullptr;
  NameFn name = nullptr;
  EnergyFn total_energy = nullptr;

 private:
  template <class Fn>
  Fn symbol(const char* symbol_name) {
    void* address = ::dlsym(handle_, symbol_name);
    if (!address) throw ServiceUnavailable(path_ + " has no " + symbol_name);
    return reinterpret_cast<Fn>(address);
  }

  std::string path_;
  void* handle_ = nullptr;
  InitFn init_ = nullptr;
  ShutdownFn shutdown_ = nullptr;
};

std::unique_ptr<NvmlSource> NvmlSource::open(const std::string& library, int cuda_index,
                                             const std::string& pci_bus_id) {
  auto nvml = std::make_unique<NvmlLibrary>(library);
  NvmlDevice device = nullptr;
  std::string which = "GPU " + std::to_string(cuda_index);
  if (!pci_bus_id.empty()) {
    nvml->check(nvml->handle_by_bus_id(pci_bus_id.c_str(), &device),
                "nvmlDeviceGetHandleByPciBusId_v2(" + pci_bus_id + ")");
  } else {
    if (cuda_index < 0) throw ServiceUnavailable("no GPU " + std::to_string(cuda_index));
    nvml->check(nvml->handle_by_index(static_cast<unsigned>(cuda_index), &device),
                "nvmlDeviceGetHandleByIndex_v2(" + std::to_string(cuda_index) + ")");
  }
  char name[96] = {};
  if (nvml->name(device, name, sizeof name) == 0) which += std::string(" (") + name + ")";
  unsigned long long probe = 0;
  // Before Volta the counter does not exist: NVML_ERROR_NOT_SUPPORTED.
  nvml->check(nvml->total_energy(device, &probe),
              "nvmlDeviceGetTotalEnergyConsumption on " + which);
  return std::unique_ptr<NvmlSource>(new NvmlSource(std::move(nvml), device, which));
}

NvmlSource::NvmlSource(std::unique_ptr<NvmlLibrary> nvml, void* device, std::string scope)
    : nvml_(std::move(nvml)), device_(device), scope_(std::move(scope)) {}

NvmlSource::~NvmlSource() = default;

unsigned long long NvmlSource::read_millijoules() const {
  unsigned long long millijoules = 0;
  nvml_->check(nvml_->total_energy(device_, &millijoules), "nvmlDeviceGetTotalEnergyConsumption");
  return millijoules;
}

void NvmlSource::begin(SteadyTime) { last_mj_ = read_millijoules(); }

double NvmlSource::advance(SteadyTime) {
  const unsigned long long now_mj = read_millijoules();
  // A 64-bit count of millijoules does not wrap; a smaller value means the driver reloaded.
  if (now_mj < last_mj_)
    throw ServiceUnavailable("NVML's energy counter went back (driver reloaded)");
  const double joules = static_cast<double>(now_mj - last_mj_) * 1e-3;
  last_mj_ = now_mj;
  return joules;
}

}  // namespace dlaaw::kernels::platform
