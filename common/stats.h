// stats.h - mean and sample standard deviation, the summary every comparison of runs uses.
#pragma once

#include <cmath>
#include <limits>
#include <vector>

namespace dlaaw {

struct MeanStd {
  double mean = 0;
  double std = 0;
};

// The mean and the sample standard deviation (divided by n - 1; 0 for a single value) of
// `values`; both NaN when there are none.
inline MeanStd mean_std(const std::vector<double>& values) {
  if (values.empty()) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    return {nan, nan};
  }
  double sum = 0;
  for (double v : values) sum += v;
  const double mean = sum / static_cast<double>(values.size());
  double squares = 0;
  for (double v : values) squares += (v - mean) * (v - mean);
  const double n = static_cast<double>(values.size());
  return {mean, values.size() > 1 ? std::sqrt(squares / (n - 1)) : 0.0};
}

}  // namespace dlaaw
