// backend_factory.cpp - the one place that knows which backends this build has.
#include <memory>
#include <string>
#include <vector>

#include "common/errors.h"
#include "kernels/backend.h"
#include "kernels/cpu/cpu_backend.h"
#ifdef DLAAW_HAVE_CUDA
#include "kernels/cuda/cuda_backend.h"
#include "kernels/cuda/cuda_training.h"
#endif

namespace dlaaw::kernels {

std::vector<std::string> available_backends() {
#ifdef DLAAW_HAVE_CUDA
  return {"cpu", "cuda"};
#else
  return {"cpu"};
#endif
}

std::vector<DeviceInfo> cuda_devices() {
  std::vector<DeviceInfo> devices;
#ifdef DLAAW_HAVE_CUDA
  for (int i = 0; i < cuda::cuda_device_count(); ++i)
    devices.push_back(cuda::describe_cuda_device(i));
#endif
  return devices;
}

std::unique_ptr<Backend> make_backend(const std::string& name, int threads) {
  if (name == "cpu") return std::make_unique<cpu::CpuBackend>(threads);
  if (name == "cuda" || name == "auto") {
#ifdef DLAAW_HAVE_CUDA
    if (name == "cuda" || cuda::cuda_device_count() > 0)
      return std::make_unique<cuda::CudaBackend>(0);
#else
    if (name == "cuda") {
      throw ServiceUnavailable(
          "backend cuda: this build of dlaaw has no CUDA backend "
          "(configure with -DDLAAW_CUDA=ON on a machine with nvcc)");
    }
#endif
    return std::make_unique<cpu::CpuBackend>(threads);
  }
  throw InvalidInput("backend \"" + name + "\": unknown (expected auto, cpu or cuda)");
}

}  // namespace dlaaw::kernels
