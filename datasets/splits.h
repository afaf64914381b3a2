// splits.h - seeded shuffles, train/test splits and k-fold partitions of row indices.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace dlaaw::datasets {

struct Split {
  std::vector<std::size_t> train;
  std::vector<std::size_t> test;
};

// 0..n-1 in a Fisher-Yates order drawn from SplitMix64(derive_seed(seed, "split")): the same for
// a seed on every platform and standard library.
std::vector<std::size_t> shuffled_rows(std::size_t n, std::uint64_t seed);

// The first n - round(n * test_fraction) shuffled rows train, the rest test. Throws InvalidInput
// when either side would be empty.
Split train_test_split(std::size_t n, double test_fraction, std::uint64_t seed);

// k folds over the shuffled rows: fold j tests positions [j n / k, (j + 1) n / k), so every row is
// tested exactly once. Throws InvalidInput when k < 2 or k > n.
std::vector<Split> kfold_splits(std::size_t n, int k, std::uint64_t seed);

}  // namespace dlaaw::datasets
