// resource_profile.cpp - refusing to train under a false resource name.
#include "executor/resource_profile.h"

#include "common/errors.h"

namespace dlaaw::executor {

std::string choose_backend(const std::string& resource, const std::string& backend,
                           bool allow_mismatch) {
  if (resource != "cpu" && resource != "local-gpu" && resource != "xavier" && resource != "nano") {
    throw InvalidInput("--resource: unknown resource \"" + resource +
                       "\" (expected local-gpu, xavier, nano or cpu)");
  }
  if (resource == "cpu") {
    if (backend == "cuda")
      throw InvalidInput(
          "--backend cuda: a cpu executor trains on the CPU; use --resource local-gpu");
    return "cpu";
  }
  const auto gpus = kernels::cuda_devices();
  if (resource == "local-gpu") {
    if (gpus.empty()) {
      throw InvalidInput("--resource local-gpu: this machine has no usable CUDA device" +
                         std::string(kernels::available_backends().size() == 1
                                         ? " (and this build has no CUDA backend)"
                                         : "") +
                         "; start the executor with --resource cpu");
    }
    if (backend == "cpu")
      throw InvalidInput("--backend cpu: a local-gpu executor trains on the GPU");
    return "cuda";
  }
  // xavier and nano stand for Jetson boards, whose GPU shares memory with the CPU.
  const bool jetson = !gpus.empty() && gpus.front().integrated;
  if (!jetson && !allow_mismatch) {
    throw InvalidInput(
        "--resource " + resource + ": this machine is not a Jetson (" +
        (gpus.empty() ? std::string("no CUDA device")
                      : gpus.front().name + " is not an integrated GPU") +
        "); use --resource " + (gpus.empty() ? "cpu" : "local-gpu") +
        ", or --allow-mismatch to serve that queue anyway (runs record the real device)");
  }
  if (backend == "auto") return gpus.empty() ? "cpu" : "cuda";
  return backend;
}

}  // namespace dlaaw::executor
