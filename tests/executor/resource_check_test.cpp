// resource_check_test.cpp - a resource's requirements against machines it is and is not.
#include "executor/resource_check.h"

#include <gtest/gtest.h>

#include <functional>

#include "../common/scoped_env.h"
#include "../common/temp_dir.h"
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
  d.kernels = {"cooperative", "block"};
  return d;
}

// What a real device reports when the library has no code for it.
kernels::DeviceInfo gpu_without_kernels(const std::string& name) {
  kernels::DeviceInfo d = gpu(name, "5.0", false);
  d.kernels.clear();
  d.kernels_note = "the library has no code for sm_50";
  return d;
}

std::string refusal(const std::function<void()>& call) {
  try {
    call();
  } catch (const InvalidInput& e) {
    return e.what();
  }
  return "(no refusal)";
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

TEST(ResourceCheckTest, AGpuThatCanRunNoKernelIsRefusedWithItsReason) {
  const resources::ResourceRegistry registry;
  const auto& local = registry.require("local-gpu", "r");
  const Machine old = with({gpu_without_kernels("Old GPU")});
  const std::string why =
      "cuda:0 (Old GPU) can run no training kernel: the library has no code "
      "for sm_50";
  EXPECT_EQ(unmet_requirement(local, old),
            "needs a GPU that can run a training kernel, but " + why);
  EXPECT_NE(refusal([&] { choose_backend(local, "auto", false, registry, old); }).find(why),
            std::string::npos);
  EXPECT_EQ(choose_backend(local, "auto", true, registry, old), "cpu")
      << "an allowed mismatch trains on the CPU when the GPU cannot";
  EXPECT_EQ(refusal([&] { choose_backend(local, "cuda", true, registry, old); }),
            "--resource local-gpu: the CUDA backend cannot train on this machine: " + why +
                "; serve a resource with backend cpu, or --allow-mismatch --backend cpu");
  EXPECT_FALSE(
      unmet_requirement(local, with({gpu_without_kernels("Old"), gpu("A100", "8.0", false)})))
      << "another GPU can train";
  EXPECT_NE(refusal([&] {
              choose_backend(local, "auto", false, registry,
                             with({gpu_without_kernels("Old GPU"), gpu("A100", "8.0", false)}));
            }).find(why),
            std::string::npos)
      << "the CUDA backend trains on the first GPU, so that one must run a kernel";
}

TEST(ResourceCheckTest, NoGpuIsRefusedWithTheLibrarysReason) {
  const resources::ResourceRegistry registry;
  const auto& local = registry.require("local-gpu", "r");
  Machine none = with({});
  none.cuda_built = false;
  none.no_gpu_reason = "no GPU library: libdlaaw_gpu.so is not at /opt/x";
  EXPECT_EQ(unmet_requirement(local, none),
            "needs a CUDA device, but this machine has none (no GPU library: libdlaaw_gpu.so is "
            "not at /opt/x)");
  EXPECT_EQ(refusal([&] { choose_backend(local, "cuda", true, registry, none); }),
            "--resource local-gpu: the CUDA backend cannot train on this machine: this machine "
            "has no CUDA device (no GPU library: libdlaaw_gpu.so is not at /opt/x); serve a "
            "resource with backend cpu, or --allow-mismatch --backend cpu");
}

TEST(ResourceCheckTest, ThisMachineWithoutItsGpuLibrarySaysWhy) {
  testing::TempDir dir;
  const std::string missing = (dir.path() / "libdlaaw_gpu.so").string();
  testing::ScopedEnv env("DLAAW_GPU_LIB", missing);
  const Machine machine = this_machine();
  EXPECT_TRUE(machine.gpus.empty());
  EXPECT_FALSE(machine.cuda_built);
  EXPECT_NE(machine.no_gpu_reason.find(missing), std::string::npos) << machine.no_gpu_reason;
  EXPECT_GT(machine.host_memory_bytes, 0u);
  const resources::ResourceRegistry registry;
  const std::string message = refusal([&] {
    choose_backend(registry.require("local-gpu", "r"), "auto", false, registry, machine);
  });
  EXPECT_EQ(message.rfind("--resource local-gpu: this machine does not meet its requirements: "
                          "local-gpu needs a CUDA device, but this machine has none (",
                          0),
            0u)
      << message;
  EXPECT_NE(message.find(missing), std::string::npos) << message;
}

TEST(ResourceCheckTest, ThisMachineServesNanoThroughTheStandInUnlessItsDeviceRunsNoKernel) {
  const resources::ResourceRegistry registry;
  const auto& nano = registry.require("nano", "r");
  {
    testing::ScopedEnv env("DLAAW_GPU_LIB", DLAAW_STANDIN_LIBRARY);
    const Machine machine = this_machine();
    ASSERT_EQ(machine.gpus.size(), 1u) << machine.no_gpu_reason;
    EXPECT_EQ(machine.gpus[0].kernels, std::vector<std::string>{"block"});
    EXPECT_EQ(choose_backend(nano, "auto", false, registry, machine), "cuda");
  }
  testing::ScopedEnv env("DLAAW_GPU_LIB", DLAAW_STANDIN_NOKERNEL_LIBRARY);
  const Machine machine = this_machine();
  ASSERT_EQ(machine.gpus.size(), 1u) << machine.no_gpu_reason;
  EXPECT_TRUE(machine.gpus[0].kernels.empty());
  const std::string message =
      refusal([&] { choose_backend(nano, "auto", false, registry, machine); });
  EXPECT_NE(message.find("nano needs a GPU that can run a training kernel, but cuda:0 (dlaaw "
                         "stand-in (CPU backend, no GPU)) can run no training kernel: the library "
                         "has no code for sm_53"),
            std::string::npos)
      << message;
}

}  // namespace
}  // namespace dlaaw::executor
