// epoch_permutation_test.cpp - the counter-based epoch order is a permutation, seeded and stable.
#include "kernels/shared/epoch_permutation.h"

#include "kernels/cpu/permute_block.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace dlaaw::kernels {
namespace {

TEST(EpochPermutationTest, VisitsEveryRowExactlyOnce) {
  for (uint64_t n : {1ULL, 2ULL, 3ULL, 7ULL, 64ULL, 455ULL, 1000ULL, 36169ULL}) {
    const auto p = make_epoch_permutation(n, 42, 3);
    std::vector<int> seen(n, 0);
    for (uint64_t i = 0; i < n; ++i) {
      const uint64_t row = permute_row(p, i);
      ASSERT_LT(row, n) << "n = " << n;
      ++seen[row];
    }
    for (uint64_t r = 0; r < n; ++r) ASSERT_EQ(seen[r], 1) << "row " << r << " of " << n;
  }
}

TEST(EpochPermutationTest, DependsOnSeedAndEpochOnly) {
  const uint64_t n = 1000;
  const auto a = make_epoch_permutation(n, 1, 0);
  const auto b = make_epoch_permutation(n, 1, 0);
  const auto other_epoch = make_epoch_permutation(n, 1, 1);
  const auto other_seed = make_epoch_permutation(n, 2, 0);
  int same_epoch_diff = 0, same_seed_diff = 0;
  for (uint64_t i = 0; i < n; ++i) {
    ASSERT_EQ(permute_row(a, i), permute_row(b, i));
    same_epoch_diff += permute_row(a, i) != permute_row(other_epoch, i);
    same_seed_diff += permute_row(a, i) != permute_row(other_seed, i);
  }
  EXPECT_GT(same_epoch_diff, 900);
  EXPECT_GT(same_seed_diff, 900);
}

// Pins the order: the CPU and CUDA backends and every saved result depend on it, so a change to
// the generator must be deliberate.
TEST(EpochPermutationTest, OrderIsPinned) {
  const auto p = make_epoch_permutation(10, 1, 0);
  std::vector<uint64_t> order;
  for (uint64_t i = 0; i < 10; ++i) order.push_back(permute_row(p, i));
  EXPECT_EQ(order, (std::vector<uint64_t>{6, 4, 9, 2, 0, 5, 7, 8, 3, 1}));
}

// A shuffle good enough for SGD: positions and rows are uncorrelated, each mini-batch draws rows
// from the whole range, and consecutive epochs order the rows differently.
TEST(EpochPermutationTest, LooksRandom) {
  const uint64_t n = 36169;
  for (uint64_t epoch = 0; epoch < 3; ++epoch) {
    const auto p = make_epoch_permutation(n, 1, epoch);
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (uint64_t i = 0; i < n; ++i) {
      const double x = static_cast<double>(i), y = static_cast<double>(permute_row(p, i));
      sx += x, sy += y, sxx += x * x, syy += y * y, sxy += x * y;
    }
    const double cov = sxy / n - (sx / n) * (sy / n);
    const double r =
        cov / std::sqrt((sxx / n - (sx / n) * (sx / n)) * (syy / n - (sy / n) * (sy / n)));
    EXPECT_LT(std::abs(r), 0.03) << "epoch " << epoch;
    // The first of six mini-batches covers every tenth of the rows in about equal shares.
    std::vector<int> deciles(10, 0);
    for (uint64_t i = 0; i < n / 6; ++i) ++deciles[permute_row(p, i) * 10 / n];
    for (int d = 0; d < 10; ++d)
      EXPECT_NEAR(deciles[d], n / 60.0, n / 60.0 * 0.15) << "decile " << d;
  }
  const auto a = make_epoch_permutation(n, 1, 0), b = make_epoch_permutation(n, 1, 1);
  uint64_t same_batch = 0;  // rows that land in the same mini-batch in both epochs
  for (uint64_t i = 0; i < n; ++i) {
    same_batch += permute_row(a, i) * 6 / n == permute_row(b, i) * 6 / n;
  }
  EXPECT_NEAR(static_cast<double>(same_batch) / n, 1.0 / 6, 0.03);
}

// The CPU backend evaluates the order a block at a time; it must agree with the scalar function
// that CUDA threads call, including the clamped lanes of a last, partial block.
TEST(EpochPermutationTest, BlockEvaluationMatchesTheScalarFunction) {
  for (uint64_t n : {5ULL, 100ULL, 36169ULL, 65536ULL, 65537ULL}) {
    const auto p = make_epoch_permutation(n, 7, 11);
    uint32_t rows[cpu::kLanes];
    for (uint64_t first = 0; first < n; first += cpu::kLanes) {
      cpu::permute_block(p, static_cast<uint32_t>(first), rows);
      for (int r = 0; r < cpu::kLanes && first + r < n; ++r) {
        ASSERT_EQ(rows[r], permute_row(p, static_cast<uint32_t>(first + r)))
            << n << " " << first + r;
      }
    }
  }
}

}  // namespace
}  // namespace dlaaw::kernels
