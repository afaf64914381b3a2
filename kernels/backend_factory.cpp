// backend_factory.cpp - the one place that knows which backends this build has.
#include <memory>
#include <string>
#include <vector>

#include "common/errors.h"
#include "kernels/backend.h"
#include "kernels/cpu/cpu_backend.h"

namespace dlaaw::kernels {

std::vector<std::string> available_backends() { return {"cpu"}; }

std::unique_ptr<Backend> make_backend(const std::string& name, int threads) {
  if (name == "cpu" || name == "auto") return std::make_unique<cpu::CpuBackend>(threads);
  if (name == "cuda") {
    throw ServiceUnavailable(
        "backend cuda: this build of dlaaw has no CUDA backend "
        "(configure with -DDLAAW_CUDA=ON on a machine with nvcc)");
  }
  throw InvalidInput("backend \"" + name + "\": unknown (expected auto, cpu or cuda)");
}

}  // namespace dlaaw::kernels
