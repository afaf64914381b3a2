// resource_check_test.cpp - a resource's requirements against machines it is and is not.
#include "executor/resource_check.h"

#include <gtest/gtest.h>

#include "common/errors.h"

namespace dlaaw::executor {
namespace {

kernels::DeviceInfo gpu(const std::string& name, const std::string& cc, bool integrated,
                        std::size_t memory = 8ULL << 30) {
  kernels::DeviceInfo d;
  d.kind = "cuda";
  d.name = name;
  d.compute_capability = cc;
  d.integrated = integrated;
  d.memory_bytes = memory;
  return d;
}

Machine with(std::vector<kernels::DeviceInfo> gpus) {
  Machine m;
  m.gpus = std::move(gpus);
  m.cuda_built = true;
  m.host_memory_bytes = 16ULL << 30;
  return m;
}

TEST(ResourceCheckTest, TheBuiltInsAskForWhatTheyStandFor) {
  const resources::ResourceRegistry registry;
  const auto& xavier = registry.require("xavier", "r");
  const auto& nano = registry.require("nano", "r");
  const auto& local = registry.require("local-gpu", "r");
  EXPECT_FALSE(unmet_requirement(xavier, with({gpu("Xavier", "7.2", true)})));
  EXPECT_EQ(unmet_requirement(xavier, with({gpu("Nano", "5.3", true)})),
            "needs compute capability 7.2 or newer, but GPU 0 (Nano) has 5.3");
  EXPECT_EQ(unmet_requirement(nano, with({gpu("H100", "9.0", false)})),
            "needs an integrated GPU (a Jetson), but GPU 0 (H100) is discrete");
  EXPECT_EQ(unmet_requirement(local, with({gpu("Orin", "8.7", true)})),
            "needs a discrete GPU, but GPU 0 (Orin) is integrated");
  EXPECT_FALSE(
      unmet_requirement(local, with({gpu("Orin", "8.7", true), gpu("A100", "8.0", false)})))
      << "one GPU that meets them is enough";
  Machine none = with({});
  none.cuda_built = false;
  EXPECT_EQ(unmet_requirement(local, none),
            "needs a CUDA device, but this machine has none (and this build has no CUDA backend)");
  EXPECT_FALSE(unmet_requirement(registry.require("cpu", "r"), none));
}

TEST(ResourceCheckTest, MemoryRequirementsApplyToTheGpuOrTheHost) {
  resources::Resource big;
  big.name = "big";
  big.backend = resources::Backend::Cuda;
  big.requirements.min_memory_bytes = 40ULL << 30;
  EXPECT_EQ(unmet_requirement(big, with({gpu("T4", "7.5", false, 16ULL << 30)})),
            "needs 40960 MiB of GPU memory, but GPU 0 (T4) has 16384 MiB");
  big.backend = resources::Backend::Cpu;
  EXPECT_EQ(unmet_requirement(big, with({})),
            "needs 40960 MiB of memory, but this machine has 16384 MiB");
}

TEST(ResourceCheckTest, TheBackendFollowsTheResourceUnlessAMismatchIsAllowed) {
  const resources::ResourceRegistry registry;
  const auto& cpu = registry.require("cpu", "r");
  const auto& local = registry.require("local-gpu", "r");
  const Machine h100 = with({gpu("H100", "9.0", false)});
  EXPECT_EQ(choose_backend(local, "auto", false, registry, h100), "cuda");
  EXPECT_EQ(choose_backend(cpu, "auto", false, registry, h100), "cpu");
  EXPECT_THROW(choose_backend(cpu, "cuda", false, registry, h100), InvalidInput);
  EXPECT_THROW(choose_backend(local, "cpu", false, registry, h100), InvalidInput);
  try {
    choose_backend(registry.require("xavier", "r"), "auto", false, registry, h100);
    FAIL() << "an H100 served xavier";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(std::string(e.what()),
              "--resource xavier: this machine does not meet its requirements: xavier needs an "
              "integrated GPU (a Jetson), but GPU 0 (H100) is discrete; this machine can serve "
              "local-gpu, cpu; --allow-mismatch serves xavier anyway (runs record the real "
              "device)");
  }
  EXPECT_EQ(choose_backend(registry.require("xavier", "r"), "auto", true, registry, h100), "cuda");
  EXPECT_EQ(choose_backend(local, "auto", true, registry, with({})), "cpu")
      << "allowed mismatch without a GPU trains on the CPU";
}

}  // namespace
}  // namespace dlaaw::executor
