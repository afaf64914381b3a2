// random_data.h - seeded inputs and labels for backend tests.
#pragma once

#include <cstdint>
#include <vector>

#include "common/random.h"
#include "kernels/model_spec.h"

namespace dlaaw::testing {

// rows x cols values uniform in [0, 1), from SplitMix64(seed).
inline kernels::Matrix random_inputs(std::size_t rows, std::size_t cols, std::uint64_t seed) {
  SplitMix64 rng(seed);
  kernels::Matrix x{rows, cols, std::vector<float>(rows * cols)};
  for (auto& v : x.values) v = static_cast<float>(rng.uniform());
  return x;
}

// Labels a line separates: 1 where x0 + x1 > 1.
inline std::vector<float> separable_labels(const kernels::Matrix& x) {
  std::vector<float> y(x.rows);
  for (std::size_t r = 0; r < x.rows; ++r) y[r] = x.row(r)[0] + x.row(r)[1] > 1.0f ? 1.0f : 0.0f;
  return y;
}

}  // namespace dlaaw::testing
