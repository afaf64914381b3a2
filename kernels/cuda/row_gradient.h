// row_gradient.h - forward, loss and backward of one row, as each CUDA training thread runs it.
//
// Host-callable (C++14, no CUDA header) so that CPU tests compare it with the CPU backend's
// gradient: the kernels call exactly this function. It uses the shared per-element math of
// kernels/shared/elementwise.h, so both backends compute the same function of a row.
#pragma once

#include "kernels/cuda/train_layout.h"
#include "kernels/shared/elementwise.h"
#include "kernels/shared/host_device.h"

namespace dlaaw {
namespace kernels {
namespace cuda {

// Runs `row` (m.inputs floats) with label `label` through the network, adds the row's gradient
// times `row_weight` to `gradient` (m.parameters values) and returns the row's unweighted loss.
// Activations and deltas live in fixed arrays sized by the kernel limits (train_layout.h), which
// a validated ModelLayout never exceeds.
template <typename Real>
DLAAW_HD Real train_row(const ModelLayout& m, const Real* params, const float* row, float label,
                        Real row_weight, Real* gradient) {
  Real acts[kMaxWidth * (kMaxLayers + 1)];  // the inputs, then each layer's outputs, packed
  int act_offset[kMaxLayers + 1];           // where layer l's inputs start in acts
  Real delta[kMaxWidth];                    // d loss / d z of the layer being walked back
  Real delta_prev[kMaxWidth];
  act_offset[0] = 0;
  for (int i = 0; i < m.inputs; ++i) acts[i] = static_cast<Real>(row[i]);
  for (int l = 0; l < m.layers; ++l) {
    act_offset[l + 1] = act_offset[l] + m.in[l];
    const Real* w = params + m.weight_offset[l];
    const Real* b = w + m.in[l] * m.out[l];
    const Real* in = acts + act_offset[l];
    Real* out = acts + act_offset[l + 1];
    const Activation activation = static_cast<Activation>(m.activation[l]);
    for (int o = 0; o < m.out[l]; ++o) {
      Real z = b[o];
      for (int i = 0; i < m.in[l]; ++i) z += w[o * m.in[l] + i] * in[i];
      out[o] = activate(activation, z);
    }
  }
  const BceTerms<Real> terms =
      bce_with_logits(acts[act_offset[m.layers]], static_cast<Real>(label));
  delta[0] = terms.slope * row_weight;  // the last layer has one output, the logit
  for (int l = m.layers - 1; l >= 0; --l) {
    const Real* w = params + m.weight_offset[l];
    const Real* in = acts + act_offset[l];
    Real* gw = gradient + m.weight_offset[l];
    Real* gb = gw + m.in[l] * m.out[l];
    for (int o = 0; o < m.out[l]; ++o) {
      for (int i = 0; i < m.in[l]; ++i) gw[o * m.in[l] + i] += delta[o] * in[i];
      gb[o] += delta[o];
    }
    if (l == 0) break;
    // The previous layer's delta: W^T delta times its activation's slope at its output (in).
    const Activation previous = static_cast<Activation>(m.activation[l - 1]);
    for (int i = 0; i < m.in[l]; ++i) {
      Real s = Real(0);
      for (int o = 0; o < m.out[l]; ++o) s += w[o * m.in[l] + i] * delta[o];
      delta_prev[i] = s * activation_slope(previous, in[i]);
    }
    for (int i = 0; i < m.in[l]; ++i) delta[i] = delta_prev[i];
  }
  return terms.loss;
}

}  // namespace cuda
}  // namespace kernels
}  // namespace dlaaw
