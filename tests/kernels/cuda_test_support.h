// cuda_test_support.h - how the GPU suites get a real CUDA backend, or skip without one.
#pragma once

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/errors.h"
#include "kernels/backend.h"

namespace dlaaw::testing {

// The CUDA backend on a real GPU, or "" with the reason to skip: no library, the CPU stand-in
// (CUDA runtime 0), no device.
inline std::unique_ptr<kernels::Backend> real_cuda_backend(std::string& why_not) {
  const kernels::GpuLibraryStatus status = kernels::gpu_library_status();
  if (!status.loaded) {
    why_not = "no GPU library: " + status.error;
    return nullptr;
  }
  if (status.runtime_version.empty()) {
    why_not = status.path + " is a stand-in without CUDA";
    return nullptr;
  }
  try {
    return kernels::make_backend("cuda");
  } catch (const ServiceUnavailable& e) {
    why_not = e.what();
    return nullptr;
  }
}

inline bool runs_kernel(const kernels::Backend& backend, kernels::KernelChoice kernel) {
  const auto& k = backend.device().kernels;
  return std::find(k.begin(), k.end(), kernels::name_of(kernel)) != k.end();
}

// Every value within `relative` of the reference (plus 1e-6 absolute for values near zero).
inline void expect_close(const std::vector<float>& gpu, const std::vector<float>& cpu,
                         double relative) {
  ASSERT_EQ(gpu.size(), cpu.size());
  for (std::size_t k = 0; k < cpu.size(); ++k) {
    EXPECT_NEAR(gpu[k], cpu[k], relative * std::abs(cpu[k]) + 1e-6) << "parameter " << k;
  }
}

inline void expect_close(const std::vector<double>& gpu, const std::vector<double>& cpu,
                         double relative) {
  ASSERT_EQ(gpu.size(), cpu.size());
  for (std::size_t k = 0; k < cpu.size(); ++k) {
    EXPECT_NEAR(gpu[k], cpu[k], relative * std::abs(cpu[k])) << "epoch " << k + 1;
  }
}

}  // namespace dlaaw::testing
