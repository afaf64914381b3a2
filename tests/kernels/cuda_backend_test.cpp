// cuda_backend_test.cpp - each CUDA kernel (cooperative, block) against the CPU backend (skipped
// without a GPU).
//
// Tolerances: the GPU sums a batch's gradient in another order than the CPU, so after one epoch
// the weights agree within 1e-4 relative (plus 1e-6 absolute) and the per-epoch losses of five
// epochs within 1e-4 relative. The memory paths run the same arithmetic and agree exactly.
#include <chrono>
#include <memory>

#include <gtest/gtest.h>

#include "../common/random_data.h"
#include "cuda_test_support.h"

#include "common/errors.h"
#include "kernels/backend.h"
#include "kernels/cpu/cpu_backend.h"

namespace dlaaw::kernels {
namespace {

using testing::expect_close;
using testing::random_inputs;
using testing::separable_labels;

ModelSpec paper_network_5() {
  return ModelSpec{{{16, 8, Activation::ReLU},
                    {8, 5, Activation::ReLU},
                    {5, 3, Activation::ReLU},
                    {3, 1, Activation::Identity}}};
}

class CudaKernelTest : public ::testing::TestWithParam<KernelChoice> {
 protected:
  void SetUp() override {
    std::string why_not;
    cuda_ = testing::real_cuda_backend(why_not);
    if (!cuda_) GTEST_SKIP() << why_not;
    if (!testing::runs_kernel(*cuda_, GetParam())) {
      GTEST_SKIP() << cuda_->device().name << " cannot run the " << name_of(GetParam())
                   << " kernel: " << cuda_->device().kernels_note;
    }
    config_.kernel = GetParam();
  }

  // Trains `spec` on the GPU and the CPU for `epochs` epochs and compares weights and losses.
  void expect_matches_cpu(const ModelSpec& spec, const Matrix& x, const std::vector<float>& y,
                          int epochs, double weight_tolerance) {
    TrainConfig config = config_;
    config.epochs = epochs;
    const auto init = xavier_uniform_parameters(spec, 1);
    const auto cpu = cpu::CpuBackend(2).train(spec, init, x, y, config, {});
    const auto gpu = cuda_->train(spec, init, x, y, config, {});
    EXPECT_EQ(gpu.kernel, name_of(GetParam()));
    ASSERT_EQ(gpu.epoch_loss.size(), static_cast<std::size_t>(epochs));
    expect_close(gpu.epoch_loss, cpu.epoch_loss, 1e-4);
    if (weight_tolerance > 0) expect_close(gpu.parameters, cpu.parameters, weight_tolerance);
  }

  std::unique_ptr<Backend> cuda_;
  TrainConfig config_;
};

TEST_P(CudaKernelTest, OneEpochOfWeightsMatchesTheCpuBackend) {
  const Matrix x = random_inputs(36169, 16, 3);
  expect_matches_cpu(paper_network_5(), x, separable_labels(x), 1, 1e-4);
}

TEST_P(CudaKernelTest, FiveEpochsOfLossMatchTheCpuBackend) {
  const Matrix x = random_inputs(36169, 16, 4);
  expect_matches_cpu(paper_network_5(), x, separable_labels(x), 5, 0.0);
}

TEST_P(CudaKernelTest, SigmoidAndTanhHiddenLayersMatchTheCpuBackend) {
  const ModelSpec spec{
      {{8, 6, Activation::Sigmoid}, {6, 4, Activation::Tanh}, {4, 1, Activation::Identity}}};
  const Matrix x = random_inputs(5000, 8, 5);
  const auto y = separable_labels(x);
  expect_matches_cpu(spec, x, y, 1, 1e-4);
  expect_matches_cpu(spec, x, y, 5, 0.0);
}

TEST_P(CudaKernelTest, WidthsUpToThirtyTwoAndEightLayersMatchTheCpuBackend) {
  const ModelSpec wide_input{
      {{32, 14, Activation::Tanh}, {14, 32, Activation::ReLU}, {32, 1, Activation::Identity}}};
  const Matrix x32 = random_inputs(3000, 32, 6);
  expect_matches_cpu(wide_input, x32, separable_labels(x32), 1, 1e-4);
  const ModelSpec wide_hidden{{{28, 32, Activation::Sigmoid}, {32, 1, Activation::Identity}}};
  const Matrix x28 = random_inputs(3000, 28, 7);
  expect_matches_cpu(wide_hidden, x28, separable_labels(x28), 1, 1e-4);
  std::vector<DenseLayer> layers(7, DenseLayer{4, 4, Activation::Tanh});
  layers.push_back({4, 1, Activation::Identity});
  const Matrix x4 = random_inputs(3000, 4, 8);
  expect_matches_cpu(ModelSpec{layers}, x4, separable_labels(x4), 1, 1e-4);
}

TEST_P(CudaKernelTest, KFoldPlanMatchesTheCpuBackendFoldByFold) {
  // Three folds of about 12,000 rows: 2,000 rows per mini-batch, so the cooperative kernel gives
  // each model more than one block and its grid barrier and partial sums are exercised.
  const ModelSpec spec = paper_network_5();
  std::vector<Matrix> xs;
  std::vector<std::vector<float>> ys;
  for (int f = 0; f < 3; ++f) {
    xs.push_back(random_inputs(12000 + 7 * f, 16, 20 + f));
    ys.push_back(separable_labels(xs.back()));
  }
  std::vector<TrainingSet> sets;
  for (int f = 0; f < 3; ++f) sets.push_back({&xs[f], &ys[f]});
  const auto init = xavier_uniform_parameters(spec, 2);
  TrainConfig config = config_;
  config.epochs = 5;
  const auto gpu = cuda_->train_many(spec, init, sets, config, {});
  ASSERT_EQ(gpu.size(), 3u);
  if (GetParam() == KernelChoice::Cooperative) {
    EXPECT_GT(gpu[0].blocks_per_model, 1) << "the grid barrier was not exercised";
  } else {
    EXPECT_EQ(gpu[0].blocks_per_model, 1);
  }
  TrainConfig one = config;
  one.epochs = 1;
  const auto gpu_one = cuda_->train_many(spec, init, sets, one, {});
  cpu::CpuBackend cpu(2);
  for (int f = 0; f < 3; ++f) {
    SCOPED_TRACE("fold " + std::to_string(f));
    expect_close(gpu[f].epoch_loss, cpu.train(spec, init, xs[f], ys[f], config, {}).epoch_loss,
                 1e-4);
    expect_close(gpu_one[f].parameters, cpu.train(spec, init, xs[f], ys[f], one, {}).parameters,
                 1e-4);
  }
}

TEST_P(CudaKernelTest, ACallbackStopStopsEveryModel) {
  const ModelSpec spec{{{4, 3, Activation::ReLU}, {3, 1, Activation::Identity}}};
  std::vector<Matrix> xs;
  std::vector<std::vector<float>> ys;
  for (int f = 0; f < 3; ++f) {
    xs.push_back(random_inputs(2000 + f, 4, 30 + f));
    ys.push_back(separable_labels(xs.back()));
  }
  std::vector<TrainingSet> sets;
  for (int f = 0; f < 3; ++f) sets.push_back({&xs[f], &ys[f]});
  TrainConfig config = config_;
  config.epochs = 100000;
  int stop_seen_at = 0;
  const auto out = cuda_->train_many(spec, xavier_uniform_parameters(spec, 1), sets, config,
                                     [&](int model, int epoch, double) {
                                       if (model == 1 && epoch == 5) stop_seen_at = epoch;
                                       return !(model == 1 && epoch >= 5);
                                     });
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(stop_seen_at, 5);
  for (int f = 0; f < 3; ++f) {
    EXPECT_TRUE(out[f].stopped) << "model " << f;
    EXPECT_LT(out[f].epoch_loss.size(), 100000u) << "model " << f;
  }
  if (GetParam() == KernelChoice::Cooperative) {  // one grid: every model stops at one epoch
    EXPECT_EQ(out[0].epoch_loss.size(), out[1].epoch_loss.size());
    EXPECT_EQ(out[2].epoch_loss.size(), out[1].epoch_loss.size());
  }
}

TEST_P(CudaKernelTest, EveryMemoryPathGivesTheSameWeights) {
  const ModelSpec spec = paper_network_5();
  const Matrix x = random_inputs(9000, 16, 9);
  const auto y = separable_labels(x);
  const auto init = xavier_uniform_parameters(spec, 2);
  TrainConfig config = config_;
  config.epochs = 20;
  config.memory = MemoryPath::Device;
  const auto device = cuda_->train(spec, init, x, y, config, {});
  EXPECT_EQ(device.memory, "device");
  config.memory = MemoryPath::ZeroCopy;
  const auto mapped = cuda_->train(spec, init, x, y, config, {});
  EXPECT_EQ(mapped.memory, "zero_copy");
  config.memory = MemoryPath::Managed;
  const auto managed = cuda_->train(spec, init, x, y, config, {});
  EXPECT_EQ(managed.memory, "managed");
  config.memory = MemoryPath::Auto;
  const auto automatic = cuda_->train(spec, init, x, y, config, {});
  EXPECT_EQ(automatic.memory, "device") << "auto is device memory on every GPU";
  EXPECT_EQ(device.parameters, mapped.parameters);
  EXPECT_EQ(device.parameters, managed.parameters);
  EXPECT_EQ(device.parameters, automatic.parameters);
  EXPECT_EQ(device.epoch_loss, managed.epoch_loss);
}

TEST_P(CudaKernelTest, ReportsItsKernelAndTimesItWithEvents) {
  const ModelSpec spec = paper_network_5();
  const Matrix x = random_inputs(20000, 16, 10);
  const auto y = separable_labels(x);
  TrainConfig config = config_;
  config.epochs = 50;
  const auto start = std::chrono::steady_clock::now();
  const auto out = cuda_->train(spec, xavier_uniform_parameters(spec, 1), x, y, config, {});
  const double wall_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(out.kernel, name_of(GetParam()));
  EXPECT_GT(out.kernel_ms, 0.0);
  EXPECT_LE(out.kernel_ms, wall_ms) << "the kernel cannot take longer than the call";
  EXPECT_GE(out.blocks_per_model, 1);
}

INSTANTIATE_TEST_SUITE_P(EachKernel, CudaKernelTest,
                         ::testing::Values(KernelChoice::Cooperative, KernelChoice::Block),
                         [](const auto& info) { return name_of(info.param); });

}  // namespace
}  // namespace dlaaw::kernels
