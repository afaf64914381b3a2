// batch_gradient.h - a training step's arithmetic as the CUDA kernels split it between threads.
//
// Phase 1: each thread runs forward, loss and backward of one row and writes what the gradient
// needs (hidden activations, every layer's delta, the loss) into that row's record in shared
// memory. Phase 2: each thread sums, over the records of the chunk, the terms of the parameters
// it owns (delta times input, or delta alone for a bias). No thread keeps a private gradient and
// no warp reduces one value at a time: an earlier design did both, its per-thread gradient lived
// in local memory, and that cost most of a step (measured on an H200, 2026-11-27).
//
// Host-callable (C++14, no CUDA header) so that CPU tests check both phases against the CPU
// backend's gradient; the kernels call exactly these functions.
#pragma once

#include <stdint.h>

#include "kernels/cuda/train_layout.h"
#include "kernels/shared/elementwise.h"
#include "kernels/shared/host_device.h"

namespace dlaaw {
namespace kernels {
namespace cuda {

// Where a row's values sit in its record (offsets in floats).
struct RecordLayout {
  int activation_offset[kMaxLayers];  // inputs of layer l >= 1 (the outputs of layer l - 1)
  int delta_offset[kMaxLayers];       // d loss / d z of layer l's outputs, times the row weight
  int loss_offset;                    // the row's unweighted loss
  int stride;                         // floats per record
};

DLAAW_HD RecordLayout make_record_layout(const ModelLayout& m) {
  RecordLayout r{};
  int at = 0;
  for (int l = 1; l < m.layers; ++l) {
    r.activation_offset[l] = at;
    at += m.in[l];
  }
  for (int l = 0; l < m.layers; ++l) {
    r.delta_offset[l] = at;
    at += m.out[l];
  }
  r.loss_offset = at++;
  // An odd stride puts the same value of 32 consecutive rows in 32 different shared-memory banks.
  r.stride = at % 2 == 1 ? at : at + 1;
  return r;
}

// Rows per chunk: one per thread of the block, or fewer when a wide, deep network's records
// would not fit beside the parameters and velocity within kSharedLimitBytes (a row index per row
// and the kernels' static shared words included). At least 1 for every network within the limits.
DLAAW_HD int chunk_rows_for(const ModelLayout& m, const RecordLayout& r) {
  const int64_t free_floats = static_cast<int64_t>(kSharedLimitBytes / sizeof(float)) -
                              2 * static_cast<int64_t>(m.parameters) - kStaticSharedWords;
  const int64_t rows = free_floats / (r.stride + 1);
  return rows > kTrainThreads ? kTrainThreads : static_cast<int>(rows);
}

// Dynamic shared memory of a training block, in 4-byte words: parameters [p], velocity [p], the
// chunk's row indices [chunk_rows], then its records [chunk_rows][stride].
DLAAW_HD size_t training_shared_words(int parameters, int chunk_rows, int stride) {
  return 2 * static_cast<size_t>(parameters) +
         static_cast<size_t>(chunk_rows) * (static_cast<size_t>(stride) + 1);
}

// One dense layer: output[o] = activation(b[o] + sum_i w[o][i] * input[i]), its biases after
// its weights.
template <typename Real, typename Input>
DLAAW_HD void dense_forward(const Real* w, int in, int out, Activation activation,
                            const Input* input, Real* output) {
  const Real* b = w + in * out;
  for (int o = 0; o < out; ++o) {
    Real z = b[o];
    for (int i = 0; i < in; ++i) z += w[o * in + i] * static_cast<Real>(input[i]);
    output[o] = activate(activation, z);
  }
}

// Forward, loss and backward of `row` (m.inputs floats) with label `label`: writes the record
// (see RecordLayout), deltas already multiplied by `row_weight`.
template <typename Real>
DLAAW_HD void run_row(const ModelLayout& m, const RecordLayout& r, const Real* params,
                      const float* row, float label, Real row_weight, Real* record) {
  Real logit[1];  // the last layer has one output
  for (int l = 0; l < m.layers; ++l) {
    Real* output = l + 1 < m.layers ? record + r.activation_offset[l + 1] : logit;
    const Activation activation = static_cast<Activation>(m.activation[l]);
    if (l == 0) {
      dense_forward(params + m.weight_offset[0], m.in[0], m.out[0], activation, row, output);
    } else {
      dense_forward(params + m.weight_offset[l], m.in[l], m.out[l], activation,
                    record + r.activation_offset[l], output);
    }
  }
  const BceTerms<Real> terms = bce_with_logits(logit[0], static_cast<Real>(label));
  record[r.loss_offset] = terms.loss;
  record[r.delta_offset[m.layers - 1]] = terms.slope * row_weight;
  for (int l = m.layers - 1; l > 0; --l) {
    // The previous layer's delta: W^T delta times its activation's slope at its output.
    const Real* w = params + m.weight_offset[l];
    const Real* delta = record + r.delta_offset[l];
    const Real* in = record + r.activation_offset[l];
    Real* delta_prev = record + r.delta_offset[l - 1];
    const Activation previous = static_cast<Activation>(m.activation[l - 1]);
    for (int i = 0; i < m.in[l]; ++i) {
      Real s = Real(0);
      for (int o = 0; o < m.out[l]; ++o) s += w[o * m.in[l] + i] * delta[o];
      delta_prev[i] = s * activation_slope(previous, in[i]);
    }
  }
}

// What a value's per-row term multiplies: a record value, an input feature of the row, or 1.
enum TermFactor : int { kFactorRecord = 0, kFactorInput = 1, kFactorOne = 2 };

// Value k's term of one row is record[delta] * factor. Values 0..p-1 are the parameters (layer by
// layer, weights w[o][i] then biases), value p is the loss; kNoTerm marks a slot past p.
struct ParameterTerm {
  int delta;   // offset in the record, or kNoTerm
  int factor;  // a TermFactor
  int index;   // kFactorRecord: offset in the record; kFactorInput: the feature
};
constexpr int kNoTerm = -1;

DLAAW_HD ParameterTerm parameter_term(const ModelLayout& m, const RecordLayout& r, int k) {
  if (k == m.parameters) return ParameterTerm{r.loss_offset, kFactorOne, 0};
  for (int l = 0; l < m.layers; ++l) {
    const int weights = m.in[l] * m.out[l];
    const int at = k - m.weight_offset[l];
    if (at < 0 || at >= weights + m.out[l]) continue;
    if (at >= weights) return ParameterTerm{r.delta_offset[l] + (at - weights), kFactorOne, 0};
    const int o = at / m.in[l];
    const int i = at % m.in[l];
    if (l == 0) return ParameterTerm{r.delta_offset[0] + o, kFactorInput, i};
    return ParameterTerm{r.delta_offset[l] + o, kFactorRecord, r.activation_offset[l] + i};
  }
  return ParameterTerm{kNoTerm, kFactorOne, 0};
}

// The sum of term t over the first `rows` records, in record order. x holds the model's rows
// (`inputs` columns) and row_index[j] says which of them record j came from.
template <typename Real>
DLAAW_HD Real sum_terms(const ParameterTerm& t, const Real* records, int stride, int rows,
                        const float* x, int inputs, const uint32_t* row_index) {
  Real s = Real(0);
  const Real* d = records + t.delta;
  if (t.factor == kFactorRecord) {
    const Real* a = records + t.index;
    for (int j = 0; j < rows; ++j) s += d[j * stride] * a[j * stride];
  } else if (t.factor == kFactorInput) {
    for (int j = 0; j < rows; ++j) {
      s += d[j * stride] *
           static_cast<Real>(x[static_cast<uint64_t>(row_index[j]) * inputs + t.index]);
    }
  } else {
    for (int j = 0; j < rows; ++j) s += d[j * stride];
  }
  return s;
}

}  // namespace cuda
}  // namespace kernels
}  // namespace dlaaw
