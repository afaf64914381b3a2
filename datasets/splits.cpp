// splits.cpp - row-index shuffles and partitions.
#include "datasets/splits.h"

#include <cmath>
#include <numeric>
#include <string>
#include <utility>

#include "common/errors.h"
#include "common/random.h"

namespace dlaaw::datasets {
namespace {
constexpr std::uint64_t kSplitTag = 0x73706c6974;  // "split"
}

std::vector<std::size_t> shuffled_rows(std::size_t n, std::uint64_t seed) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  SplitMix64 rng(derive_seed(seed, kSplitTag));
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
  return order;
}

Split train_test_split(std::size_t n, double test_fraction, std::uint64_t seed) {
  const auto test = static_cast<std::size_t>(std::llround(test_fraction * static_cast<double>(n)));
  if (test == 0 || test >= n) {
    throw InvalidInput("plan.test_fraction: " + std::to_string(test_fraction) + " of " +
                       std::to_string(n) + " rows leaves no training or no test rows");
  }
  const auto order = shuffled_rows(n, seed);
  Split s;
  s.train.assign(order.begin(), order.end() - test);
  s.test.assign(order.end() - test, order.end());
  return s;
}

std::vector<Split> kfold_splits(std::size_t n, int k, std::uint64_t seed) {
  if (k < 2 || static_cast<std::size_t>(k) > n) {
    throw InvalidInput("plan.k: " + std::to_string(k) + " folds need 2 <= k <= rows (" +
                       std::to_string(n) + ")");
  }
  const auto order = shuffled_rows(n, seed);
  std::vector<Split> folds(k);
  for (int j = 0; j < k; ++j) {
    const std::size_t lo = n * j / k, hi = n * (j + 1) / k;
    for (std::size_t pos = 0; pos < n; ++pos) {
      (pos >= lo && pos < hi ? folds[j].test : folds[j].train).push_back(order[pos]);
    }
  }
  return folds;
}

}  // namespace dlaaw::datasets
