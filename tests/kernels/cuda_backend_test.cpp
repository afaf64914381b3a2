// cuda_backend_test.cpp - the CUDA backend against the CPU backend (skipped without a GPU).
//
// Tolerances: after one epoch the weights agree within 1e-4 relative (the GPU sums gradients in
// another order); the two memory paths and side-by-side folds run the same arithmetic and agree
// exactly.
#include <cmath>
#include <memory>

#include <gtest/gtest.h>

#include "../common/random_data.h"

#include "common/errors.h"
#include "common/random.h"
#include "kernels/backend.h"
#include "kernels/cpu/cpu_backend.h"

namespace dlaaw::kernels {
namespace {

using testing::random_inputs;
using testing::separable_labels;

ModelSpec paper_network_5() {
  return ModelSpec{{{16, 8, Activation::ReLU},
                    {8, 5, Activation::ReLU},
                    {5, 3, Activation::ReLU},
                    {3, 1, Activation::Identity}}};
}

class CudaBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    try {
      cuda_ = make_backend("cuda");
    } catch (const ServiceUnavailable& e) {
      GTEST_SKIP() << "no CUDA backend here: " << e.what();
    }
  }
  std::unique_ptr<Backend> cuda_;
};

void expect_close(const std::vector<float>& gpu, const std::vector<float>& cpu, double relative) {
  ASSERT_EQ(gpu.size(), cpu.size());
  for (std::size_t k = 0; k < cpu.size(); ++k) {
    EXPECT_NEAR(gpu[k], cpu[k], relative * std::abs(cpu[k]) + 1e-6) << "parameter " << k;
  }
}

TEST_F(CudaBackendTest, OneEpochMatchesTheCpuBackend) {
  const ModelSpec spec = paper_network_5();
  const Matrix x = random_inputs(36169, 16, 3);
  const auto y = separable_labels(x);
  const auto init = xavier_uniform_parameters(spec, 1);
  TrainConfig config;
  config.epochs = 1;
  const auto cpu = cpu::CpuBackend(2).train(spec, init, x, y, config, {});
  const auto gpu = cuda_->train(spec, init, x, y, config, {});
  expect_close(gpu.parameters, cpu.parameters, 1e-4);
  ASSERT_EQ(gpu.epoch_loss.size(), 1u);
  EXPECT_NEAR(gpu.epoch_loss[0], cpu.epoch_loss[0], 1e-4 * cpu.epoch_loss[0]);
}

TEST_F(CudaBackendTest, ZeroCopyAndDeviceMemoryGiveTheSameWeights) {
  const ModelSpec spec = paper_network_5();
  const Matrix x = random_inputs(5000, 16, 4);
  const auto y = separable_labels(x);
  const auto init = xavier_uniform_parameters(spec, 2);
  TrainConfig config;
  config.epochs = 20;
  config.memory = MemoryPath::Device;
  const auto device = cuda_->train(spec, init, x, y, config, {});
  config.memory = MemoryPath::ZeroCopy;
  const auto mapped = cuda_->train(spec, init, x, y, config, {});
  EXPECT_EQ(device.parameters, mapped.parameters);
}

TEST_F(CudaBackendTest, FoldsSideBySideMatchFoldsOneAtATime) {
  const ModelSpec spec{{{4, 3, Activation::ReLU}, {3, 1, Activation::Identity}}};
  std::vector<Matrix> xs;
  std::vector<std::vector<float>> ys;
  for (int f = 0; f < 3; ++f) {
    xs.push_back(random_inputs(1000 + f, 4, 10 + f));
    ys.push_back(separable_labels(xs.back()));
  }
  std::vector<TrainingSet> sets;
  for (int f = 0; f < 3; ++f) sets.push_back({&xs[f], &ys[f]});
  const auto init = xavier_uniform_parameters(spec, 3);
  TrainConfig config;
  config.epochs = 50;
  const auto together = cuda_->train_many(spec, init, sets, config, {});
  ASSERT_EQ(together.size(), 3u);
  for (int f = 0; f < 3; ++f) {
    const auto alone = cuda_->train(spec, init, xs[f], ys[f], config, {});
    expect_close(together[f].parameters, alone.parameters, 1e-6);
    EXPECT_EQ(together[f].epoch_loss.size(), 50u);
  }
}

TEST_F(CudaBackendTest, LearnsAndPredictsLikeTheCpuBackend) {
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

TEST_F(CudaBackendTest, CallbackStopsBetweenEpochs) {
  const ModelSpec spec{{{2, 1, Activation::Identity}}};
  const Matrix x = random_inputs(600, 2, 5);
  const auto y = separable_labels(x);
  TrainConfig config;
  config.epochs = 100000;
  int last = 0;
  const auto out =
      cuda_->train(spec, xavier_uniform_parameters(spec, 1), x, y, config, [&](int epoch, double) {
        last = epoch;
        return epoch < 10;
      });
  EXPECT_TRUE(out.stopped);
  EXPECT_LT(out.epoch_loss.size(), 100000u);
  EXPECT_GE(last, 10);
}

TEST_F(CudaBackendTest, DescribesItsDevice) {
  const auto d = cuda_->device();
  EXPECT_EQ(d.kind, "cuda");
  EXPECT_FALSE(d.name.empty());
  EXPECT_GT(d.multiprocessors, 0);
  EXPECT_FALSE(d.compute_capability.empty());
}

}  // namespace
}  // namespace dlaaw::kernels
