// fake_nvml.cpp - a stand-in libnvidia-ml with one GPU whose energy counter the test sets.
// Only the NVML entry points NvmlSource uses, with nvml.h's C signatures; plus two setters.
#include <cstring>

namespace {

struct FakeGpu {
  unsigned long long energy_mj = 0;
  bool energy_supported = true;
  int initialised = 0;
};

FakeGpu& gpu() {
  static FakeGpu instance;  // the library's state, as the real one keeps per process
  return instance;
}

constexpr int kSuccess = 0;
constexpr int kInvalidArgument = 2;
constexpr int kNotSupported = 3;
constexpr int kUninitialized = 1;

}  // namespace

extern "C" {

void fake_nvml_set_energy_mj(unsigned long long energy) { gpu().energy_mj = energy; }
void fake_nvml_set_energy_supported(int supported) { gpu().energy_supported = supported != 0; }
int fake_nvml_initialised() { return gpu().initialised; }

int nvmlInit_v2() {
  ++gpu().initialised;
  return kSuccess;
}
int nvmlShutdown() {
  if (gpu().initialised == 0) return kUninitialized;
  --gpu().initialised;
  return kSuccess;
}
const char* nvmlErrorString(int result) {
  return result == kNotSupported ? "Not Supported" : "Invalid Argument";
}
int nvmlDeviceGetHandleByIndex_v2(unsigned int index, void** device) {
  if (index != 0) return kInvalidArgument;
  *device = &gpu();
  return kSuccess;
}
int nvmlDeviceGetHandleByPciBusId_v2(const char* bus_id, void** device) {
  if (std::strcmp(bus_id, "00000000:65:00.0") != 0) return kInvalidArgument;
  *device = &gpu();
  return kSuccess;
}
int nvmlDeviceGetName(void*, char* name, unsigned int length) {
  std::strncpy(name, "Fake GPU", length - 1);
  return kSuccess;
}
int nvmlDeviceGetTotalEnergyConsumption(void* device, unsigned long long* energy) {
  if (!gpu().energy_supported) return kNotSupported;
  *energy = static_cast<FakeGpu*>(device)->energy_mj;
  return kSuccess;
}

}  // extern "C"
