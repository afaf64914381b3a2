// backend_factory.cpp - the one place that knows which backends exist: the CPU backend, built in,
// and the CUDA backend, which is whatever GPU library this process can load.
#include <memory>
#include <string>
#include <vector>

#include "common/errors.h"
#include "kernels/backend.h"
#include "kernels/cpu/cpu_backend.h"
#include "kernels/gpu/gpu_backend.h"
#include "kernels/gpu/gpu_library.h"

namespace dlaaw::kernels {
namespace {

std::string version_text(int v) {
  return std::to_string(v / 1000) + "." + std::to_string(v % 1000 / 10);
}

// The CUDA backend on the library's first device. Throws ServiceUnavailable when there is no
// library, no device, or no kernel the device can run.
std::unique_ptr<Backend> make_cuda_backend() {
  const auto library = gpu::GpuLibrary::locate();
  std::string why_none;
  if (library->device_count(&why_none) == 0) {
    throw ServiceUnavailable("backend cuda: no CUDA device (" + why_none + ", via " +
                             library->path() + "); use --backend cpu");
  }
  const DeviceInfo device = library->describe(0);
  if (device.kernels.empty()) {
    throw ServiceUnavailable("backend cuda: " + device.name + " can run no training kernel: " +
                             device.kernels_note + "; use --backend cpu");
  }
  return std::make_unique<gpu::GpuBackend>(library, 0);
}

}  // namespace

std::vector<std::string> available_backends() {
  try {
    gpu::GpuLibrary::locate();
    return {"cpu", "cuda"};
  } catch (const Error&) {
    return {"cpu"};
  }
}

GpuLibraryStatus gpu_library_status() {
  GpuLibraryStatus status;
  const auto candidates = gpu::library_candidates();
  status.path = candidates.empty() ? "" : candidates.back();
  try {
    const auto library = gpu::GpuLibrary::locate();
    const dlaaw_gpu_library_info info = library->info();
    status.loaded = true;
    status.path = library->path();
    status.abi_version = info.abi_version;
    status.description = info.description;
    if (info.cuda_runtime_version) status.runtime_version = version_text(info.cuda_runtime_version);
    if (info.driver_version) status.driver_version = version_text(info.driver_version);
    if (library->device_count(&status.no_device_reason) > 0) status.no_device_reason.clear();
  } catch (const Error& e) {
    status.error = e.what();
  }
  return status;
}

std::vector<DeviceInfo> cuda_devices() {
  std::vector<DeviceInfo> devices;
  try {
    const auto library = gpu::GpuLibrary::locate();
    const int count = library->device_count();
    for (int i = 0; i < count; ++i) devices.push_back(library->describe(i));
  } catch (const Error&) {
    // No library or no usable device: the answer is "none", and gpu_library_status says why.
  }
  return devices;
}

void require_usable_kernel(const DeviceInfo& device) {
  if (!device.kernels.empty()) return;
  throw InvalidInput(device.kind + ":" + std::to_string(device.index) + " (" + device.name +
                     ") can run no training kernel: " + device.kernels_note);
}

std::unique_ptr<Backend> make_backend(const std::string& name, int threads) {
  if (name == "cpu") return std::make_unique<cpu::CpuBackend>(threads);
  if (name == "cuda") return make_cuda_backend();
  if (name == "auto") {
    try {
      return make_cuda_backend();
    } catch (const ServiceUnavailable&) {
      return std::make_unique<cpu::CpuBackend>(threads);
    }
  }
  throw InvalidInput("backend \"" + name + "\": unknown (expected auto, cpu or cuda)");
}

}  // namespace dlaaw::kernels
