// train_layout_test.cpp - the CUDA kernels' index maths and per-row gradient, checked on the CPU.
//
// The kernels call exactly these host-callable functions: which thread takes which position,
// where partial sums and reduction rows sit, and train_row, the forward/backward of one row,
// which must give the CPU backend's gradient (1e-12 relative in double, 1e-5 in float).
#include "kernels/cuda/train_layout.h"

#include <cmath>
#include <numeric>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "../common/random_data.h"

#include "kernels/cpu/cpu_gradient.h"
#include "kernels/cuda/row_gradient.h"

namespace dlaaw::kernels::cuda {
namespace {

ModelLayout layout_of(const ModelSpec& spec) {
  ModelLayout m{};
  m.layers = static_cast<int>(spec.layers.size());
  m.inputs = spec.inputs();
  m.parameters = static_cast<int>(spec.parameter_count());
  for (int l = 0; l < m.layers; ++l) {
    m.in[l] = spec.layers[l].in;
    m.out[l] = spec.layers[l].out;
    m.activation[l] = static_cast<int>(spec.layers[l].activation);
    m.weight_offset[l] = static_cast<int>(spec.weight_offset(l));
  }
  return m;
}

TEST(TrainLayoutTest, EveryPositionOfABatchGoesToExactlyOneThread) {
  for (int blocks : {1, 2, 3, 7}) {
    for (auto [lo, hi] : {std::pair<uint64_t, uint64_t>{0, 1},
                          {5, 6},
                          {100, 1100},
                          {37, 37 + 3 * kTrainThreads * 7 + 5}}) {
      std::vector<int> hits(hi - lo, 0);
      for (int part = 0; part < blocks; ++part) {
        for (int thread = 0; thread < kTrainThreads; ++thread) {
          for (uint64_t pos = first_position(lo, part, thread); pos < hi;
               pos += group_stride(blocks)) {
            ASSERT_GE(pos, lo);
            ++hits[pos - lo];
          }
        }
      }
      for (uint64_t i = 0; i < hi - lo; ++i) {
        ASSERT_EQ(hits[i], 1) << "position " << lo + i << " with " << blocks << " blocks";
      }
    }
  }
}

TEST(TrainLayoutTest, PartialSlotsOfTwoStepsNeverOverlapAndStayInTheBuffer) {
  for (int slots : {1, 2, 6, 37}) {
    for (int p : {2, 203, kMaxParameters}) {
      std::set<size_t> used;
      const size_t size = 2 * static_cast<size_t>(slots) * (p + 1);  // as allocated
      for (int step : {4, 5}) {  // two consecutive steps: both halves are live at once
        for (int slot = 0; slot < slots; ++slot) {
          for (int k = 0; k <= p; ++k) {
            const size_t at = partial_index(step, slot, slots, p) + k;
            ASSERT_LT(at, size);
            ASSERT_TRUE(used.insert(at).second) << "step " << step << " slot " << slot;
          }
        }
      }
      EXPECT_EQ(used.size(), size);
      EXPECT_EQ(partial_index(6, 1, slots, p), partial_index(4, 1, slots, p));  // parity reuse
    }
  }
}

TEST(TrainLayoutTest, ScratchRowsFollowTheParametersAndFitSharedMemory) {
  for (int p : {1, 9, 203, kMaxParameters}) {
    std::set<size_t> used;
    for (int w = 0; w < kTrainWarps; ++w) {
      for (int k = 0; k <= p; ++k) ASSERT_TRUE(used.insert(scratch_index(w, k, p)).second);
    }
    // params [p] + velocity [p] + scratch must be exactly what a block is given.
    EXPECT_EQ(2 * static_cast<size_t>(p) + *used.rbegin() + 1, training_shared_floats(p));
  }
  // The block kernel's two stop flags are static shared memory on top.
  EXPECT_LE(training_shared_floats(kMaxParameters) * sizeof(float) + 2 * sizeof(int),
            kSharedLimitBytes);
}

TEST(TrainLayoutTest, WantsOneBlockPerThousandRowsOfABatch) {
  EXPECT_EQ(wanted_blocks_per_model(455, 6), 1);   // breast_cancer: 76 rows per batch
  EXPECT_EQ(wanted_blocks_per_model(6144, 6), 1);  // 1024 rows per batch: one full block
  EXPECT_EQ(wanted_blocks_per_model(6145, 6), 2);
  EXPECT_EQ(wanted_blocks_per_model(12000, 6), 2);  // a k-fold of ~12,000 rows
  EXPECT_EQ(wanted_blocks_per_model(36169, 6), 6);  // bank_marketing's training rows
  EXPECT_EQ(wanted_blocks_per_model(1, 1), 1);
}

// The gradient the kernels sum over a batch (train_row per row, weighted by 1/rows) against the
// CPU backend's loss_and_gradient over the same rows.
template <typename Real>
void expect_rows_give_the_cpu_gradient(const ModelSpec& spec, double tolerance) {
  const Matrix x = testing::random_inputs(70, spec.inputs(), 11);
  std::vector<float> y(70);
  for (std::size_t r = 0; r < y.size(); ++r) y[r] = (r * 7 % 3 == 0) ? 1.0f : 0.0f;
  const auto init = xavier_uniform_parameters(spec, 5);
  std::vector<double> params_d(init.begin(), init.end());
  for (std::size_t k = 0; k < params_d.size(); ++k) params_d[k] += 0.01 * std::sin(double(k));
  std::vector<std::uint32_t> rows(x.rows);
  std::iota(rows.begin(), rows.end(), 0);
  std::vector<double> expected;
  const double expected_loss = cpu::loss_and_gradient(spec, params_d, x, y, rows, expected);

  const ModelLayout m = layout_of(spec);
  const std::vector<Real> params(params_d.begin(), params_d.end());
  std::vector<Real> gradient(params.size(), Real(0));
  double loss = 0.0;
  for (std::size_t r = 0; r < x.rows; ++r) {
    loss +=
        train_row<Real>(m, params.data(), x.row(r), y[r], Real(1) / Real(x.rows), gradient.data());
  }
  EXPECT_NEAR(loss / x.rows, expected_loss, tolerance * expected_loss);
  for (std::size_t k = 0; k < expected.size(); ++k) {
    EXPECT_NEAR(gradient[k], expected[k], tolerance * std::abs(expected[k]) + tolerance * 1e-2)
        << "parameter " << k;
  }
}

ModelSpec paper_network_5() {
  return ModelSpec{{{16, 8, Activation::ReLU},
                    {8, 5, Activation::ReLU},
                    {5, 3, Activation::ReLU},
                    {3, 1, Activation::Identity}}};
}

ModelSpec sigmoid_tanh_network() {
  return ModelSpec{
      {{6, 5, Activation::Sigmoid}, {5, 4, Activation::Tanh}, {4, 1, Activation::Identity}}};
}

ModelSpec widest_network() {  // 32 inputs and a 32-wide hidden layer within 1024 parameters
  return ModelSpec{
      {{32, 14, Activation::Tanh}, {14, 32, Activation::ReLU}, {32, 1, Activation::Identity}}};
}

ModelSpec deepest_network() {  // kMaxLayers layers
  std::vector<DenseLayer> layers(kMaxLayers - 1, DenseLayer{4, 4, Activation::Tanh});
  layers.push_back({4, 1, Activation::Identity});
  return ModelSpec{layers};
}

TEST(RowGradientTest, MatchesTheCpuBackendInDouble) {
  for (const auto& spec :
       {paper_network_5(), sigmoid_tanh_network(), widest_network(), deepest_network()}) {
    ASSERT_LE(spec.parameter_count(), static_cast<std::size_t>(kMaxParameters));
    expect_rows_give_the_cpu_gradient<double>(spec, 1e-12);
  }
}

TEST(RowGradientTest, MatchesTheCpuBackendInFloat) {
  for (const auto& spec :
       {paper_network_5(), sigmoid_tanh_network(), widest_network(), deepest_network()}) {
    expect_rows_give_the_cpu_gradient<float>(spec, 2e-5);
  }
}

}  // namespace
}  // namespace dlaaw::kernels::cuda
