// min_max_scaler.cpp - fitting and applying min-max scaling.
#include "datasets/min_max_scaler.h"

#include <algorithm>
#include <stdexcept>

namespace dlaaw::datasets {

MinMaxScaler MinMaxScaler::fit(const std::vector<double>& features, std::size_t cols,
                               const std::vector<std::size_t>& rows) {
  if (rows.empty()) throw std::invalid_argument("cannot fit a scaler on no rows");
  MinMaxScaler s;
  s.min.assign(features.begin() + rows[0] * cols, features.begin() + (rows[0] + 1) * cols);
  s.max = s.min;
  for (std::size_t r : rows) {
    for (std::size_t c = 0; c < cols; ++c) {
      const double v = features[r * cols + c];
      s.min[c] = std::min(s.min[c], v);
      s.max[c] = std::max(s.max[c], v);
    }
  }
  return s;
}

std::vector<float> MinMaxScaler::transform(const std::vector<double>& features,
                                           const std::vector<std::size_t>& rows) const {
  const std::size_t cols = min.size();
  std::vector<float> out(rows.size() * cols);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (std::size_t c = 0; c < cols; ++c) {
      const double range = max[c] - min[c];
      const double v = features[rows[i] * cols + c];
      out[i * cols + c] = range > 0.0 ? static_cast<float>((v - min[c]) / range) : 0.0f;
    }
  }
  return out;
}

}  // namespace dlaaw::datasets
