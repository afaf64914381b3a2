// gpu_loader_test.cpp - loading libdlaaw_gpu.so and everything that crosses its C interface,
// against the CPU stand-in (kernels/standin), so that it runs on machines without a GPU.
//
// The stand-in trains with the CPU backend, so results that crossed the boundary intact equal
// the CPU backend's exactly.
#include "kernels/gpu/gpu_library.h"

#include <cstdlib>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "../common/random_data.h"
#include "../common/scoped_env.h"
#include "../common/temp_dir.h"

#include "common/errors.h"
#include "kernels/backend.h"
#include "kernels/cpu/cpu_backend.h"
#include "kernels/gpu/gpu_backend.h"

namespace dlaaw::kernels::gpu {
namespace {

using testing::random_inputs;
using testing::ScopedEnv;
using testing::separable_labels;

ModelSpec small_network() {
  return ModelSpec{{{4, 3, Activation::Tanh}, {3, 1, Activation::Identity}}};
}

class GpuLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override { library_ = GpuLibrary::load(DLAAW_STANDIN_LIBRARY); }
  std::shared_ptr<const GpuLibrary> library_;
};

TEST_F(GpuLoaderTest, LoadsTheStandInAndDescribesItsDevice) {
  EXPECT_EQ(library_->info().abi_version, DLAAW_GPU_ABI_VERSION);
  EXPECT_EQ(library_->info().cuda_runtime_version, 0) << "the stand-in has no CUDA";
  ASSERT_EQ(library_->device_count(), 1);
  const DeviceInfo d = library_->describe(0);
  EXPECT_EQ(d.kind, "cuda");
  EXPECT_EQ(d.compute_capability, "5.3");
  EXPECT_EQ(d.kernels, std::vector<std::string>{"block"});
  EXPECT_NE(d.kernels_note.find("needs 6.0"), std::string::npos) << d.kernels_note;
  EXPECT_NO_THROW(require_usable_kernel(d));
  EXPECT_THROW(library_->describe(1), ServiceUnavailable);
}

TEST(GpuLibraryRefusalTest, AnotherAbiVersionIsRefusedNamingBoth) {
  try {
    GpuLibrary::load(DLAAW_STANDIN_V999_LIBRARY);
    FAIL() << "a library of ABI version 999 was loaded";
  } catch (const ServiceUnavailable& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("ABI version 999"), std::string::npos) << message;
    EXPECT_NE(message.find("needs version " + std::to_string(DLAAW_GPU_ABI_VERSION)),
              std::string::npos)
        << message;
  }
}

TEST(GpuLibraryRefusalTest, AMissingFunctionIsRefusedByName) {
  try {
    GpuLibrary::load(DLAAW_STANDIN_NOTRAIN_LIBRARY);
    FAIL() << "a library without dlaaw_gpu_train was loaded";
  } catch (const ServiceUnavailable& e) {
    EXPECT_NE(std::string(e.what()).find("lacks the function dlaaw_gpu_train"), std::string::npos)
        << e.what();
  }
}

TEST(GpuLibraryRefusalTest, FilesThatAreNoDlaawLibraryAreRefused) {
  testing::TempDir dir;
  const auto text = dir.write("libdlaaw_gpu.so", "not an ELF file\n");
  try {
    GpuLibrary::load(text.string());
    FAIL() << "a text file was loaded";
  } catch (const ServiceUnavailable& e) {
    EXPECT_NE(std::string(e.what()).find("cannot be loaded"), std::string::npos) << e.what();
  }
  try {
    GpuLibrary::load("libm.so.6");  // a real shared object, but not ours
    FAIL() << "libm was accepted as a GPU library";
  } catch (const ServiceUnavailable& e) {
    EXPECT_NE(std::string(e.what()).find("not a dlaaw GPU library"), std::string::npos) << e.what();
  }
}

TEST_F(GpuLoaderTest, TrainingCrossesTheBoundaryIntact) {
  GpuBackend backend(library_, 0);
  const ModelSpec spec = small_network();
  const Matrix x1 = random_inputs(300, 4, 1), x2 = random_inputs(280, 4, 2);
  const auto y1 = separable_labels(x1), y2 = separable_labels(x2);
  const auto init = xavier_uniform_parameters(spec, 3);
  TrainConfig config;
  config.epochs = 7;
  const auto both = backend.train_many(spec, init, {{&x1, &y1}, {&x2, &y2}}, config, {});
  ASSERT_EQ(both.size(), 2u);
  cpu::CpuBackend cpu(2);
  const auto cpu1 = cpu.train(spec, init, x1, y1, config, {});
  const auto cpu2 = cpu.train(spec, init, x2, y2, config, {});
  EXPECT_EQ(both[0].parameters, cpu1.parameters);
  EXPECT_EQ(both[1].parameters, cpu2.parameters);
  EXPECT_EQ(both[0].epoch_loss, cpu1.epoch_loss);
  EXPECT_EQ(both[1].epoch_loss, cpu2.epoch_loss);
  EXPECT_EQ(both[0].kernel, "block");  // the only kernel of the stand-in's pretend device
  EXPECT_EQ(both[0].memory, "device");
  EXPECT_EQ(both[0].blocks_per_model, 1);
  EXPECT_FALSE(both[0].stopped);
  EXPECT_EQ(backend.predict(spec, both[0].parameters, x1),
            cpu.predict(spec, both[0].parameters, x1));
}

TEST_F(GpuLoaderTest, ABadNetworkComesBackAsInvalidInputWithTheLibrarysMessage) {
  GpuBackend backend(library_, 0);
  const ModelSpec broken{{{4, 5, Activation::ReLU}, {3, 1, Activation::Identity}}};
  const Matrix x = random_inputs(50, 4, 1);
  const auto y = separable_labels(x);
  try {
    backend.train(broken, std::vector<float>(29, 0.0f), x, y, TrainConfig{}, {});
    FAIL() << "a broken network was trained";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("layer 1 takes 3 inputs but the previous gives 5"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(GpuLoaderTest, AKernelTheDeviceCannotRunIsInvalidInputSayingWhatToUse) {
  GpuBackend backend(library_, 0);
  const Matrix x = random_inputs(50, 4, 1);
  const auto y = separable_labels(x);
  TrainConfig config;
  config.kernel = KernelChoice::Cooperative;
  try {
    backend.train(small_network(), xavier_uniform_parameters(small_network(), 1), x, y, config, {});
    FAIL() << "the cooperative kernel was accepted on a compute capability 5.3 device";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("use \"kernel\": \"block\""), std::string::npos)
        << e.what();
  }
}

TEST_F(GpuLoaderTest, ProgressArrivesForEveryEpochOfEveryModel) {
  GpuBackend backend(library_, 0);
  const Matrix x = random_inputs(120, 4, 8);
  const auto y = separable_labels(x);
  TrainConfig config;
  config.epochs = 5;
  std::vector<std::vector<double>> seen(2);
  const auto out =
      backend.train_many(small_network(), xavier_uniform_parameters(small_network(), 1),
                         {{&x, &y}, {&x, &y}}, config, [&](int model, int epoch, double loss) {
                           EXPECT_EQ(epoch, static_cast<int>(seen[model].size()) + 1);
                           seen[model].push_back(loss);
                           return true;
                         });
  EXPECT_EQ(seen[0], out[0].epoch_loss);
  EXPECT_EQ(seen[1], out[1].epoch_loss);
  EXPECT_EQ(seen[0].size(), 5u);
}

TEST_F(GpuLoaderTest, ACallbackThatReturnsFalseStopsTraining) {
  GpuBackend backend(library_, 0);
  const Matrix x = random_inputs(120, 4, 8);
  const auto y = separable_labels(x);
  TrainConfig config;
  config.epochs = 1000;
  const auto out = backend.train(small_network(), xavier_uniform_parameters(small_network(), 1), x,
                                 y, config, [](int epoch, double) { return epoch < 3; });
  EXPECT_TRUE(out.stopped);
  EXPECT_EQ(out.epoch_loss.size(), 3u);
}

TEST_F(GpuLoaderTest, AnExceptionInTheCallbackReachesTheCallerNotTheLibrary) {
  GpuBackend backend(library_, 0);
  const Matrix x = random_inputs(120, 4, 8);
  const auto y = separable_labels(x);
  TrainConfig config;
  config.epochs = 50;
  int calls = 0;
  EXPECT_THROW(
      backend.train(small_network(), xavier_uniform_parameters(small_network(), 1), x, y, config,
                    [&](int, double) -> bool {
                      ++calls;
                      throw std::logic_error("callback failed");
                    }),
      std::logic_error);
  EXPECT_EQ(calls, 1) << "training went on after the callback threw";
}

TEST_F(GpuLoaderTest, SetupIsTimedApartFromTraining) {
  GpuBackend backend(library_, 0);
  EXPECT_GT(backend.setup_timings().library_ms, 0.0);
  EXPECT_GE(backend.setup_timings().context_ms, 0.0);
}

TEST(GpuLibraryLocationTest, DlaawGpuLibChoosesTheLibraryForTheFactory) {
  ScopedEnv env("DLAAW_GPU_LIB", DLAAW_STANDIN_LIBRARY);
  const GpuLibraryStatus status = gpu_library_status();
  EXPECT_TRUE(status.loaded) << status.error;
  EXPECT_EQ(status.path, DLAAW_STANDIN_LIBRARY);
  EXPECT_EQ(status.abi_version, DLAAW_GPU_ABI_VERSION);
  EXPECT_NE(status.description.find("stand-in"), std::string::npos);
  EXPECT_EQ(available_backends(), (std::vector<std::string>{"cpu", "cuda"}));
  ASSERT_EQ(cuda_devices().size(), 1u);
  const auto backend = make_backend("cuda");
  EXPECT_EQ(backend->name(), "cuda");
  EXPECT_NE(backend->device().name.find("stand-in"), std::string::npos);
}

TEST(GpuLibraryLocationTest, AMissingLibraryIsReportedAndAutoFallsBackToTheCpu) {
  testing::TempDir dir;
  const std::string missing = (dir.path() / "libdlaaw_gpu.so").string();
  ScopedEnv env("DLAAW_GPU_LIB", missing);
  const GpuLibraryStatus status = gpu_library_status();
  EXPECT_FALSE(status.loaded);
  EXPECT_NE(status.error.find(missing), std::string::npos) << status.error;
  EXPECT_EQ(available_backends(), std::vector<std::string>{"cpu"});
  EXPECT_TRUE(cuda_devices().empty());
  EXPECT_THROW(make_backend("cuda"), ServiceUnavailable);
  EXPECT_EQ(make_backend("auto")->name(), "cpu");
}

TEST(GpuLibraryLocationTest, ADeviceWithoutKernelsIsRefusedWithTheReason) {
  DeviceInfo d;
  d.kind = "cuda";
  d.name = "Old GPU";
  d.kernels_note = "this library has no code for compute capability 5.0";
  try {
    require_usable_kernel(d);
    FAIL() << "a device without kernels was accepted";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("Old GPU"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("compute capability 5.0"), std::string::npos);
  }
}

}  // namespace
}  // namespace dlaaw::kernels::gpu
