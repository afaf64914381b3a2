// cpu_backend_test.cpp - gradients, the SGD step, determinism and threads of the CPU backend.
#include "kernels/cpu/cpu_backend.h"

#include <cmath>
#include <numeric>

#include <gtest/gtest.h>

#include "../common/random_data.h"

#include "common/random.h"
#include "kernels/cpu/cpu_gradient.h"

namespace dlaaw::kernels {
namespace {

using testing::random_inputs;
using testing::separable_labels;

std::vector<float> random_labels(std::size_t rows, std::uint64_t seed) {
  SplitMix64 rng(seed);
  std::vector<float> y(rows);
  for (auto& v : y) v = (rng.next() >> 63) ? 1.0f : 0.0f;
  return y;
}

ModelSpec paper_network_5() {
  return ModelSpec{{{16, 8, Activation::ReLU},
                    {8, 5, Activation::ReLU},
                    {5, 3, Activation::ReLU},
                    {3, 1, Activation::Identity}}};
}

// Central differences of the double-precision loss against the analytic gradient.
void expect_gradient_matches_finite_differences(const ModelSpec& spec) {
  const Matrix x = random_inputs(37, spec.inputs(), 7);  // 37 rows: a full block and a partial one
  const std::vector<float> y = random_labels(37, 8);
  std::vector<std::uint32_t> rows(37);
  std::iota(rows.begin(), rows.end(), 0);
  const auto init = xavier_uniform_parameters(spec, 3);
  std::vector<double> params(init.begin(), init.end());
  for (std::size_t l = 0; l < spec.layers.size(); ++l) {  // non-zero biases exercise their gradient
    for (int o = 0; o < spec.layers[l].out; ++o) params[spec.bias_offset(l) + o] = 0.05 * (o + 1);
  }
  std::vector<double> gradient;
  cpu::loss_and_gradient(spec, params, x, y, rows, gradient);
  const double h = 1e-6;
  for (std::size_t k = 0; k < params.size(); ++k) {
    std::vector<double> plus = params, minus = params, unused;
    plus[k] += h;
    minus[k] -= h;
    const double numeric = (cpu::loss_and_gradient(spec, plus, x, y, rows, unused) -
                            cpu::loss_and_gradient(spec, minus, x, y, rows, unused)) /
                           (2 * h);
    EXPECT_NEAR(gradient[k], numeric, 1e-7 + 1e-5 * std::abs(numeric)) << "parameter " << k;
  }
}

TEST(CpuGradientTest, LinearAndLossMatchFiniteDifferences) {
  expect_gradient_matches_finite_differences(ModelSpec{{{3, 1, Activation::Identity}}});
}

TEST(CpuGradientTest, ReluLayerMatchesFiniteDifferences) {
  expect_gradient_matches_finite_differences(
      ModelSpec{{{4, 5, Activation::ReLU}, {5, 1, Activation::Identity}}});
}

TEST(CpuGradientTest, SigmoidLayerMatchesFiniteDifferences) {
  expect_gradient_matches_finite_differences(
      ModelSpec{{{4, 3, Activation::Sigmoid}, {3, 1, Activation::Identity}}});
}

TEST(CpuGradientTest, TanhLayerMatchesFiniteDifferences) {
  expect_gradient_matches_finite_differences(ModelSpec{
      {{4, 3, Activation::Tanh}, {3, 2, Activation::Tanh}, {2, 1, Activation::Identity}}});
}

TEST(CpuGradientTest, PaperNetworkFiveMatchesFiniteDifferences) {
  expect_gradient_matches_finite_differences(paper_network_5());
}

// Linear(2, 1) on two rows, one mini-batch, worked by hand: epoch 1 from w = (0.5, -0.25), b = 0.
TEST(CpuBackendTest, SgdWithMomentumMatchesAHandWorkedStep) {
  const ModelSpec spec{{{2, 1, Activation::Identity}}};
  const Matrix x{2, 2, {1.0f, 0.0f, 0.0f, 1.0f}};
  const std::vector<float> y{1.0f, 0.0f};
  TrainConfig config;
  config.epochs = 1;
  config.batches = 1;
  config.learning_rate = 0.1f;
  config.momentum = 0.9f;
  cpu::CpuBackend backend(1);
  const std::vector<float> start{0.5f, -0.25f, 0.0f};
  const auto one = backend.train(spec, start, x, y, config, {});
  // sigmoid(0.5) = 0.6224593312, sigmoid(-0.25) = 0.4378234991; gradients are batch means:
  // dw1 = (0.62246 - 1) / 2, dw2 = 0.43782 / 2, db = (0.62246 - 1 + 0.43782) / 2; v = g; w -= 0.1
  // v.
  EXPECT_NEAR(one.parameters[0], 0.5188770334, 1e-6);
  EXPECT_NEAR(one.parameters[1], -0.2718911750, 1e-6);
  EXPECT_NEAR(one.parameters[2], -0.0030141415, 1e-6);
  // Loss of epoch 1: mean(-log 0.6224593, -log(1 - 0.4378235)) = (0.4740770 + 0.5759394) / 2.
  EXPECT_NEAR(one.epoch_loss[0], 0.5250082, 1e-6);

  // Epoch 2 adds momentum: v = 0.9 g1 + g2 with g2 at the epoch-1 weights.
  config.epochs = 2;
  const auto two = backend.train(spec, start, x, y, config, {});
  const double w1 = 0.5188770334, w2 = -0.2718911750, b = -0.0030141415;
  const double s1 = 1 / (1 + std::exp(-(w1 + b))), s2 = 1 / (1 + std::exp(-(w2 + b)));
  const double g1[3] = {-0.1887703344, 0.2189117496, 0.0301414152};
  const double g2[3] = {(s1 - 1) / 2, s2 / 2, (s1 - 1 + s2) / 2};
  const double w[3] = {w1, w2, b};
  for (int k = 0; k < 3; ++k) {
    EXPECT_NEAR(two.parameters[k], w[k] - 0.1 * (0.9 * g1[k] + g2[k]), 1e-6) << "parameter " << k;
  }
}

TEST(CpuBackendTest, IdenticalSeedsGiveBitIdenticalWeights) {
  const ModelSpec spec = paper_network_5();
  const Matrix x = random_inputs(3000, 16, 11);
  const auto y = random_labels(3000, 12);
  TrainConfig config;
  config.epochs = 5;
  config.seed = 9;
  cpu::CpuBackend backend(2);
  const auto init = xavier_uniform_parameters(spec, 9);
  EXPECT_EQ(init, xavier_uniform_parameters(spec, 9));
  EXPECT_NE(init, xavier_uniform_parameters(spec, 10));
  const auto a = backend.train(spec, init, x, y, config, {});
  const auto b = backend.train(spec, init, x, y, config, {});
  EXPECT_EQ(a.parameters, b.parameters);
  EXPECT_EQ(a.epoch_loss, b.epoch_loss);
}

TEST(CpuBackendTest, ThreadCountDoesNotChangeTheWeights) {
  const ModelSpec spec = paper_network_5();
  const Matrix x = random_inputs(9000, 16, 21);  // 1500-row batches: 6 chunks each
  const auto y = random_labels(9000, 22);
  const auto init = xavier_uniform_parameters(spec, 1);
  TrainConfig config;
  config.epochs = 3;
  const auto reference = cpu::CpuBackend(1).train(spec, init, x, y, config, {});
  for (int threads : {2, 3, 4, 7}) {
    config.threads = threads;
    const auto other = cpu::CpuBackend(threads).train(spec, init, x, y, config, {});
    EXPECT_EQ(other.parameters, reference.parameters) << threads << " threads";
    EXPECT_EQ(other.epoch_loss, reference.epoch_loss) << threads << " threads";
  }
}

// Pinned weights after one epoch: speed work on the CPU backend must not change results (within
// 1e-5 relative). A deliberate change of the arithmetic or of the epoch order updates these.
TEST(CpuBackendTest, OneEpochWeightsArePinned) {
  const ModelSpec spec = paper_network_5();
  SplitMix64 rng(21);
  Matrix x{6000, 16, std::vector<float>(6000 * 16)};
  for (auto& v : x.values) v = static_cast<float>(rng.uniform());
  std::vector<float> y(6000);
  for (std::size_t r = 0; r < 6000; ++r) y[r] = x.row(r)[0] + x.row(r)[3] > 1.0f ? 1.0f : 0.0f;
  TrainConfig config;
  config.epochs = 1;
  for (int threads : {1, 2}) {
    const auto out =
        cpu::CpuBackend(threads).train(spec, xavier_uniform_parameters(spec, 1), x, y, config, {});
    const std::pair<int, float> pinned[] = {
        {0, 0.065526925f},    {1, 0.245208889f},      {2, 0.470460713f},    {50, -0.197729692f},
        {127, -0.104979642f}, {128, -0.00126241799f}, {136, -0.354768723f}, {170, 0.302251875f},
        {188, -0.801447272f}, {189, -0.66757381f},    {190, -0.278175026f}, {191, 0.735426426f},
        {192, 0.502224147f}};
    for (const auto& [k, value] : pinned) {
      EXPECT_NEAR(out.parameters[k], value, 1e-5 * std::abs(value)) << "parameter " << k;
    }
    EXPECT_NEAR(out.epoch_loss[0], 0.693415442, 1e-5 * 0.693415442);
  }
}

TEST(CpuBackendTest, LearnsASeparableProblemAndPredictsProbabilities) {
  const ModelSpec spec{{{2, 4, Activation::ReLU}, {4, 1, Activation::Identity}}};
  const Matrix x = random_inputs(2000, 2, 31);
  const auto y = separable_labels(x);
  TrainConfig config;
  config.epochs = 200;
  cpu::CpuBackend backend(2);
  const auto out = backend.train(spec, xavier_uniform_parameters(spec, 1), x, y, config, {});
  ASSERT_EQ(out.epoch_loss.size(), 200u);
  EXPECT_LT(out.epoch_loss.back(), out.epoch_loss.front() * 0.5);
  const auto scores = backend.predict(spec, out.parameters, x);
  int correct = 0;
  for (std::size_t r = 0; r < x.rows; ++r) {
    ASSERT_GE(scores[r], 0.0f);
    ASSERT_LE(scores[r], 1.0f);
    correct += (scores[r] >= 0.5f) == (y[r] > 0.5f);
  }
  EXPECT_GT(correct, 1900) << "accuracy " << correct / 2000.0;
}

TEST(CpuBackendTest, CallbackCanStopTraining) {
  const ModelSpec spec{{{2, 1, Activation::Identity}}};
  const Matrix x = random_inputs(100, 2, 1);
  const auto y = separable_labels(x);
  TrainConfig config;
  config.epochs = 50;
  int calls = 0;
  const auto out = cpu::CpuBackend(2).train(spec, xavier_uniform_parameters(spec, 1), x, y, config,
                                            [&](int epoch, double) {
                                              ++calls;
                                              return epoch < 7;
                                            });
  EXPECT_EQ(calls, 7);
  EXPECT_TRUE(out.stopped);
  EXPECT_EQ(out.epoch_loss.size(), 7u);
}

TEST(CpuBackendTest, RefusesFewerRowsThanBatches) {
  const ModelSpec spec{{{2, 1, Activation::Identity}}};
  const Matrix x = random_inputs(4, 2, 1);
  TrainConfig config;
  config.batches = 6;
  EXPECT_THROW(cpu::CpuBackend(1).train(spec, xavier_uniform_parameters(spec, 1), x,
                                        std::vector<float>(4, 0.0f), config, {}),
               std::invalid_argument);
}

TEST(CpuBackendTest, XavierUniformStaysInItsBoundsWithZeroBiases) {
  const ModelSpec spec = paper_network_5();
  const auto p = xavier_uniform_parameters(spec, 5);
  for (std::size_t l = 0; l < spec.layers.size(); ++l) {
    const auto& layer = spec.layers[l];
    const double bound = std::sqrt(6.0 / (layer.in + layer.out));
    for (int i = 0; i < layer.in * layer.out; ++i) {
      EXPECT_LE(std::abs(p[spec.weight_offset(l) + i]), bound);
    }
    for (int o = 0; o < layer.out; ++o) EXPECT_EQ(p[spec.bias_offset(l) + o], 0.0f);
  }
}

}  // namespace
}  // namespace dlaaw::kernels
