// min_max_scaler.h - (x - min) / (max - min) per column, fitted on training rows only.
#pragma once

#include <cstddef>
#include <vector>

namespace dlaaw::datasets {

// Stored with the model so that new rows are scaled exactly as the training rows were.
struct MinMaxScaler {
  std::vector<double> min;
  std::vector<double> max;

  // Fits on `rows` of the row-major `features` (cols columns); throws std::invalid_argument if
  // rows is empty.
  static MinMaxScaler fit(const std::vector<double>& features, std::size_t cols,
                          const std::vector<std::size_t>& rows);

  // The scaled values of `rows`, row-major, as floats for the backends. A column that was
  // constant in training scales to 0.
  std::vector<float> transform(const std::vector<double>& features,
                               const std::vector<std::size_t>& rows) const;
};

}  // namespace dlaaw::datasets
