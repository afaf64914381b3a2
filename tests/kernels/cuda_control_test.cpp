// cuda_control_test.cpp - what the CUDA backend decides and reports around the kernels: the
// automatic kernel choice, refusals, the watchdog, setup timing, scoring (skipped without a GPU).
#include <chrono>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "../common/random_data.h"
#include "cuda_test_support.h"

#include "common/errors.h"
#include "kernels/backend.h"
#include "kernels/cpu/cpu_backend.h"

namespace dlaaw::kernels {
namespace {

using testing::random_inputs;
using testing::separable_labels;

class CudaControlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why_not;
    cuda_ = testing::real_cuda_backend(why_not);
    if (!cuda_) GTEST_SKIP() << why_not;
  }
  std::unique_ptr<Backend> cuda_;
};

const ModelSpec kSmall{{{4, 3, Activation::ReLU}, {3, 1, Activation::Identity}}};

TEST_F(CudaControlTest, DescribesItsDeviceAndTheKernelsItRuns) {
  const DeviceInfo d = cuda_->device();
  EXPECT_EQ(d.kind, "cuda");
  EXPECT_FALSE(d.name.empty());
  EXPECT_GT(d.multiprocessors, 0);
  EXPECT_FALSE(d.runtime_version.empty());
  ASSERT_FALSE(d.kernels.empty()) << d.kernels_note;
  EXPECT_NO_THROW(require_usable_kernel(d));
  if (std::stoi(d.compute_capability) >= 6) {
    EXPECT_TRUE(testing::runs_kernel(*cuda_, KernelChoice::Cooperative)) << d.kernels_note;
  }
  EXPECT_TRUE(testing::runs_kernel(*cuda_, KernelChoice::Block)) << d.kernels_note;
}

TEST_F(CudaControlTest, AutoPicksByCapabilityAndSize) {
  const Matrix small = random_inputs(455, 4, 1);
  const Matrix large = random_inputs(36169, 4, 2);
  TrainConfig config;
  config.epochs = 2;
  const auto init = xavier_uniform_parameters(kSmall, 1);
  const auto on_small = cuda_->train(kSmall, init, small, separable_labels(small), config, {});
  EXPECT_EQ(on_small.kernel, "block") << "76 rows per batch fit one block";
  const auto on_large = cuda_->train(kSmall, init, large, separable_labels(large), config, {});
  if (testing::runs_kernel(*cuda_, KernelChoice::Cooperative)) {
    EXPECT_EQ(on_large.kernel, "cooperative");
    EXPECT_EQ(on_large.blocks_per_model, 24);  // 6029 rows per batch, 256 per block
  } else {
    EXPECT_EQ(on_large.kernel, "block");
  }
}

TEST_F(CudaControlTest, BothKernelsTrainBitIdenticalWeightsWithOneBlockPerModel) {
  if (!testing::runs_kernel(*cuda_, KernelChoice::Cooperative)) {
    GTEST_SKIP() << "no cooperative kernel here: " << cuda_->device().kernels_note;
  }
  const Matrix x = random_inputs(1500, 4, 3);  // 250 rows per batch: one cooperative block
  const auto y = separable_labels(x);
  TrainConfig config;
  config.epochs = 30;
  config.kernel = KernelChoice::Block;
  const auto block = cuda_->train(kSmall, xavier_uniform_parameters(kSmall, 1), x, y, config, {});
  config.kernel = KernelChoice::Cooperative;
  const auto grid = cuda_->train(kSmall, xavier_uniform_parameters(kSmall, 1), x, y, config, {});
  ASSERT_EQ(grid.blocks_per_model, 1);
  EXPECT_EQ(block.parameters, grid.parameters);
  EXPECT_EQ(block.epoch_loss, grid.epoch_loss);
}

TEST_F(CudaControlTest, ANetworkTooLargeForTheKernelsIsInvalidInput) {
  const ModelSpec wide{{{32, 32, Activation::ReLU}, {32, 1, Activation::Identity}}};
  const Matrix x = random_inputs(100, 32, 1);
  try {
    cuda_->train(wide, xavier_uniform_parameters(wide, 1), x, separable_labels(x), TrainConfig{},
                 {});
    FAIL() << "1089 parameters were accepted";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("use the cpu backend"), std::string::npos) << e.what();
  }
}

TEST_F(CudaControlTest, TheWatchdogFailsAJobWhoseEpochsTakeTooLong) {
  // 2,000,000 rows in one block: uploading them and one epoch take several milliseconds (about
  // 8,000 rows per thread), well over the 1 ms the watchdog allows.
  const ModelSpec spec{{{16, 8, Activation::ReLU}, {8, 1, Activation::Identity}}};
  const Matrix x = random_inputs(2000000, 16, 4);
  const auto y = separable_labels(x);
  TrainConfig config;
  config.kernel = KernelChoice::Block;
  config.batches = 1;
  config.epochs = 1000;
  config.watchdog_seconds = 0.001;
  const auto start = std::chrono::steady_clock::now();
  try {
    cuda_->train(spec, xavier_uniform_parameters(spec, 1), x, y, config, {});
    FAIL() << "the watchdog did not fire";
  } catch (const DeviceFailure& e) {
    EXPECT_NE(std::string(e.what()).find("watchdog"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("stopped when asked"), std::string::npos) << e.what();
  }
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 30.0);
  // The kernel stopped, so the backend still trains.
  const Matrix small = random_inputs(600, 4, 5);
  TrainConfig quick;
  quick.epochs = 3;
  EXPECT_EQ(cuda_
                ->train(kSmall, xavier_uniform_parameters(kSmall, 1), small,
                        separable_labels(small), quick, {})
                .epoch_loss.size(),
            3u);
}

TEST_F(CudaControlTest, ContextCreationIsTimedApartFromTraining) {
  EXPECT_GT(cuda_->setup_timings().context_ms, 0.0);
  EXPECT_GT(cuda_->setup_timings().library_ms, 0.0);
}

TEST_F(CudaControlTest, LearnsAndScoresLikeTheCpuBackend) {
  const ModelSpec spec{{{2, 4, Activation::ReLU}, {4, 1, Activation::Identity}}};
  const Matrix x = random_inputs(2000, 2, 31);
  const auto y = separable_labels(x);
  TrainConfig config;
  config.epochs = 200;
  const auto trained = cuda_->train(spec, xavier_uniform_parameters(spec, 1), x, y, config, {});
  const auto gpu_scores = cuda_->predict(spec, trained.parameters, x);
  const auto cpu_scores = cpu::CpuBackend(1).predict(spec, trained.parameters, x);
  int correct = 0;
  for (std::size_t r = 0; r < x.rows; ++r) {
    EXPECT_NEAR(gpu_scores[r], cpu_scores[r], 1e-5) << "row " << r;
    correct += (gpu_scores[r] >= 0.5f) == (y[r] > 0.5f);
  }
  EXPECT_GT(correct, 1900);
}

}  // namespace
}  // namespace dlaaw::kernels
