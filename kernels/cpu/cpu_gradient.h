// cpu_gradient.h - mean BCE loss and its full gradient over chosen rows, for checks and tests.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/cpu/block_pass.h"

namespace dlaaw::kernels::cpu {

// Mean loss over x's `rows`, with its gradient written to `gradient` (resized to the parameter
// count). Runs the training code path of the CPU backend in the precision Real.
template <typename Real>
double loss_and_gradient(const ModelSpec& spec, const std::vector<Real>& params, const Matrix& x,
                         const std::vector<float>& y, const std::vector<std::uint32_t>& rows,
                         std::vector<Real>& gradient) {
  BlockPass<Real> pass(spec);
  pass.clear_accumulators();
  const Real row_weight = Real(1) / static_cast<Real>(rows.size());
  float labels[kLanes];
  for (std::size_t begin = 0; begin < rows.size(); begin += kLanes) {
    const int count = static_cast<int>(std::min<std::size_t>(kLanes, rows.size() - begin));
    std::uint32_t block[kLanes];
    for (int r = 0; r < kLanes; ++r) block[r] = rows[begin + std::min(r, count - 1)];
    for (int r = 0; r < count; ++r) labels[r] = y[block[r]];
    pass.load_rows(x, block);
    pass.forward(params.data());
    pass.backward(params.data(), labels, count, row_weight);
  }
  gradient.assign(spec.parameter_count(), Real(0));
  return pass.reduce_into(gradient.data()) / static_cast<double>(rows.size());
}

}  // namespace dlaaw::kernels::cpu
