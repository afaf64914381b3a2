// train_layout_test.cpp - the CUDA kernels' index maths and per-row gradient, checked on the CPU.
//
// The kernels call exactly these host-callable functions: which block and thread take which
// position, where partial sums and row records sit, and the two phases of a step (run_row, then
// sum_terms per value), which together must give the CPU backend's gradient (1e-12 relative in
// double, 2e-5 in float).
#include "kernels/cuda/train_layout.h"

#include <cmath>
#include <numeric>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "../common/random_data.h"

#include "kernels/cpu/cpu_gradient.h"
#include "kernels/cuda/batch_gradient.h"

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
  for (int chunk_rows : {kTrainThreads, 37, 1}) {
    for (int blocks : {1, 2, 3, 7}) {
      for (auto [lo, hi] : {std::pair<uint64_t, uint64_t>{0, 1},
                            {5, 6},
                            {100, 1100},
                            {37, 37 + 3 * kTrainThreads * 7 + 5}}) {
        std::vector<int> hits(hi - lo, 0);
        for (int part = 0; part < blocks; ++part) {
          for (uint64_t start = chunk_begin(lo, part, chunk_rows); start < hi;
               start += chunk_stride(blocks, chunk_rows)) {
            for (int thread = 0; thread < chunk_rows && start + thread < hi; ++thread) {
              ASSERT_GE(start + thread, lo);
              ++hits[start + thread - lo];
            }
          }
        }
        for (uint64_t i = 0; i < hi - lo; ++i) {
          ASSERT_EQ(hits[i], 1) << "position " << lo + i << " with " << blocks << " blocks of "
                                << chunk_rows << " rows";
        }
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

TEST(TrainLayoutTest, WantsOneBlockPerChunkOfABatch) {
  EXPECT_EQ(wanted_blocks_per_model(455, 6), 1);   // breast_cancer: 76 rows per batch
  EXPECT_EQ(wanted_blocks_per_model(1536, 6), 1);  // 256 rows per batch: one full block
  EXPECT_EQ(wanted_blocks_per_model(1537, 6), 2);
  EXPECT_EQ(wanted_blocks_per_model(12000, 6), 8);   // a k-fold of ~12,000 rows
  EXPECT_EQ(wanted_blocks_per_model(36169, 6), 24);  // bank_marketing's training rows
  EXPECT_EQ(wanted_blocks_per_model(1, 1), 1);
}

// The gradient the kernels sum over a batch (run_row per row into its record, weighted by
// 1/rows, then sum_terms for every value) against the CPU backend's loss_and_gradient over the
// same rows. The records are visited in a shuffled order through row_index, as the kernels do.
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
  const RecordLayout layout = make_record_layout(m);
  const std::vector<Real> params(params_d.begin(), params_d.end());
  std::vector<std::uint32_t> row_index(x.rows);
  for (std::size_t j = 0; j < x.rows; ++j) row_index[j] = (j * 31 + 7) % x.rows;  // a permutation
  std::vector<Real> records(x.rows * layout.stride, Real(-1e30));
  for (std::size_t j = 0; j < x.rows; ++j) {
    const std::uint32_t r = row_index[j];
    run_row<Real>(m, layout, params.data(), x.row(r), y[r], Real(1) / Real(x.rows),
                  records.data() + j * layout.stride);
  }
  const int n = static_cast<int>(x.rows);
  const int inputs = m.inputs;
  const Real loss = sum_terms(parameter_term(m, layout, m.parameters), records.data(),
                              layout.stride, n, x.values.data(), inputs, row_index.data());
  EXPECT_NEAR(loss / n, expected_loss, tolerance * expected_loss);
  for (int k = 0; k < m.parameters; ++k) {
    const ParameterTerm term = parameter_term(m, layout, k);
    ASSERT_NE(term.delta, kNoTerm) << "parameter " << k;
    const Real g = sum_terms(term, records.data(), layout.stride, n, x.values.data(), inputs,
                             row_index.data());
    EXPECT_NEAR(g, expected[k], tolerance * std::abs(expected[k]) + tolerance * 1e-2)
        << "parameter " << k;
  }
  EXPECT_EQ(parameter_term(m, layout, m.parameters + 1).delta, kNoTerm);
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

TEST(BatchGradientTest, MatchesTheCpuBackendInDouble) {
  for (const auto& spec :
       {paper_network_5(), sigmoid_tanh_network(), widest_network(), deepest_network()}) {
    ASSERT_LE(spec.parameter_count(), static_cast<std::size_t>(kMaxParameters));
    expect_rows_give_the_cpu_gradient<double>(spec, 1e-12);
  }
}

TEST(BatchGradientTest, MatchesTheCpuBackendInFloat) {
  for (const auto& spec :
       {paper_network_5(), sigmoid_tanh_network(), widest_network(), deepest_network()}) {
    expect_rows_give_the_cpu_gradient<float>(spec, 2e-5);
  }
}

// Offsets of a record never overlap and stay within its stride; the chunk fits shared memory
// with at least one row for every network within the limits, a full block for the paper's.
TEST(BatchGradientTest, RecordsAndChunksFitSharedMemory) {
  for (const auto& spec :
       {paper_network_5(), sigmoid_tanh_network(), widest_network(), deepest_network()}) {
    const ModelLayout m = layout_of(spec);
    const RecordLayout r = make_record_layout(m);
    std::set<int> used;
    for (int l = 1; l < m.layers; ++l) {
      for (int i = 0; i < m.in[l]; ++i) ASSERT_TRUE(used.insert(r.activation_offset[l] + i).second);
    }
    for (int l = 0; l < m.layers; ++l) {
      for (int o = 0; o < m.out[l]; ++o) ASSERT_TRUE(used.insert(r.delta_offset[l] + o).second);
    }
    ASSERT_TRUE(used.insert(r.loss_offset).second);
    EXPECT_LT(*used.rbegin(), r.stride);
    EXPECT_EQ(r.stride % 2, 1);
    const int chunk = chunk_rows_for(m, r);
    EXPECT_GE(chunk, 1);
    EXPECT_LE(chunk, kTrainThreads);
    EXPECT_LE((training_shared_words(m.parameters, chunk, r.stride) + kStaticSharedWords) * 4,
              kSharedLimitBytes);
  }
  EXPECT_EQ(chunk_rows_for(layout_of(paper_network_5()),
                           make_record_layout(layout_of(paper_network_5()))),
            kTrainThreads);
  // The largest record the limits allow: 7 hidden layers 32 wide, 1024 parameters.
  ModelLayout widest{};
  widest.layers = kMaxLayers;
  widest.parameters = kMaxParameters;
  for (int l = 0; l < kMaxLayers; ++l) {
    widest.in[l] = kMaxWidth;
    widest.out[l] = l + 1 < kMaxLayers ? kMaxWidth : 1;
  }
  EXPECT_GE(chunk_rows_for(widest, make_record_layout(widest)), 20);
}

}  // namespace
}  // namespace dlaaw::kernels::cuda
