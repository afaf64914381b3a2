// block_pass.h - forward, loss and backward for a block of rows laid out for SIMD.
//
// These networks are 2 to 16 wide, too narrow to vectorise across a layer. Instead a block holds
// kLanes rows side by side: every activation is stored as [unit][lane], so each inner loop runs
// over kLanes independent rows with the same weight, which compilers turn into vector FMAs.
// Gradients are accumulated per lane as well ([parameter][lane]) and summed across lanes once per
// chunk, so the hot loops contain no horizontal reductions.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

#include "kernels/model_spec.h"
#include "kernels/shared/elementwise.h"

namespace dlaaw::kernels::cpu {

inline constexpr int kLanes = 64;
// Gradient accumulators are a quarter as wide as a block: lanes r, r + 16, r + 32 and r + 48 share
// one, which cuts the accumulator loads and stores per product (the hot spot of backward) by four.
inline constexpr int kGradLanes = 16;

// Tells the compiler that lane arrays do not overlap, so it vectorises without runtime checks.
#define DLAAW_RESTRICT __restrict__
// The block methods are inlined into each instruction-set clone of the training loop (see
// cpu_backend.cpp), so that every clone compiles them for its own vector width.
#define DLAAW_ALWAYS_INLINE [[gnu::always_inline]] inline

// Allocates on 64-byte boundaries: every [unit][lane] row then starts a cache line, so vector
// loads never straddle two (unaligned buffers made training up to 10% slower, depending on where
// the heap happened to put them).
template <typename T>
struct CacheLineAllocator {
  using value_type = T;
  CacheLineAllocator() = default;
  template <typename U>
  CacheLineAllocator(const CacheLineAllocator<U>&) {}
  T* allocate(std::size_t n) {
    return static_cast<T*>(::operator new (n * sizeof(T), std::align_val_t{64}));
  }
  void deallocate(T* p, std::size_t) { ::operator delete (p, std::align_val_t{64}); }
  bool operator==(const CacheLineAllocator&) const { return true; }
};

template <typename T>
using LaneVector = std::vector<T, CacheLineAllocator<T>>;

// Scratch space and lane accumulators for one thread. Real is float in training and double in the
// gradient checks, which run the very same code.
template <typename Real>
class BlockPass {
 public:
  explicit BlockPass(const ModelSpec& spec) : spec_(spec) {
    std::size_t units = spec.inputs();
    layer_act_offset_.push_back(0);
    for (std::size_t l = 0; l < spec.layers.size(); ++l) {
      layer_act_offset_.push_back(units * kLanes);
      units += spec.layers[l].out;
      weight_offset_.push_back(spec.weight_offset(l));
    }
    acts_.assign(units * kLanes, Real(0));
    delta_.assign(static_cast<std::size_t>(spec.max_width()) * kLanes, Real(0));
    delta_prev_.assign(delta_.size(), Real(0));
    grad_lanes_.assign(spec.parameter_count() * kGradLanes, Real(0));
    loss_lanes_.fill(Real(0));
  }

  // Zeroes the lane accumulators (start of a chunk).
  DLAAW_ALWAYS_INLINE void clear_accumulators() {
    std::fill(grad_lanes_.begin(), grad_lanes_.end(), Real(0));
    loss_lanes_.fill(Real(0));
  }

  // Loads kLanes rows (indices into x) into lane layout. Every lane must name a valid row: callers
  // repeat a row in the lanes past their count, which backward() then masks out. Written as one
  // indexed load per (input, lane) so that vector ISAs turn it into gathers; needs
  // x.values.size() < 2^31 (checked by the backend).
  DLAAW_ALWAYS_INLINE void load_rows(const Matrix& x, const std::uint32_t* rows) {
    const int cols = static_cast<int>(x.cols);
    int offset[kLanes];
    for (int r = 0; r < kLanes; ++r) offset[r] = static_cast<int>(rows[r]) * cols;
    gather_columns(acts_.data(), x.values.data(), offset, spec_.inputs());
  }

  // Runs every layer on the loaded block; afterwards output(r) is row r's logit.
  DLAAW_ALWAYS_INLINE void forward(const Real* params) {
    for (std::size_t l = 0; l < spec_.layers.size(); ++l) {
      const DenseLayer& layer = spec_.layers[l];
      const Real* w = params + weight_offset_[l];
      const Real* b = w + layer.in * layer.out;
      const Real* in = acts_.data() + layer_act_offset_[l];
      Real* out = acts_.data() + layer_act_offset_[l + 1];
      int o = 0;
      for (; o + 4 <= layer.out; o += 4)
        dense_tile<4>(w, b, layer.in, in, o, layer.activation, out);
      for (; o + 2 <= layer.out; o += 2)
        dense_tile<2>(w, b, layer.in, in, o, layer.activation, out);
      for (; o < layer.out; ++o) dense_tile<1>(w, b, layer.in, in, o, layer.activation, out);
    }
  }

  Real output(int lane) const { return acts_[layer_act_offset_.back() + lane]; }

  // Adds the block's loss and gradient to the accumulators: labels[r] for the first `count` lanes,
  // each row weighted by `row_weight` (1 / rows in the mini-batch, so the sum is the batch mean).
  DLAAW_ALWAYS_INLINE void backward(const Real* params, const float* labels, int count,
                                    Real row_weight) {
    const std::size_t last = spec_.layers.size() - 1;
    const Real* z = acts_.data() + layer_act_offset_.back();
    Real y[kLanes];
    Real mask[kLanes];
    for (int r = 0; r < kLanes; ++r) {
      y[r] = r < count ? static_cast<Real>(labels[r]) : Real(0);
      mask[r] = r < count ? Real(1) : Real(0);
    }
    Real* DLAAW_RESTRICT delta = delta_.data();
    for (int r = 0; r < kLanes; ++r) {
      const BceTerms<Real> t = bce_with_logits(z[r], y[r]);
      loss_lanes_[r] += mask[r] * t.loss;
      delta[r] = mask[r] * t.slope * row_weight;
    }
    for (std::size_t l = last + 1; l-- > 0;) {
      const DenseLayer& layer = spec_.layers[l];
      const std::size_t w_off = weight_offset_[l];
      const Real* in = acts_.data() + layer_act_offset_[l];
      Real* gw = grad_lanes_.data() + w_off * kGradLanes;
      Real* gb = grad_lanes_.data() + (w_off + layer.in * layer.out) * kGradLanes;
      for (int o = 0; o < layer.out; ++o) {
        Real d[kLanes];
        for (int r = 0; r < kLanes; ++r) d[r] = delta_[o * kLanes + r];
        for (int i = 0; i < layer.in; ++i) {
          const Real* DLAAW_RESTRICT a = in + i * kLanes;
          Real* DLAAW_RESTRICT g = gw + (o * layer.in + i) * kGradLanes;
          accumulate_pairs(g, d, a);
        }
        Real* DLAAW_RESTRICT g = gb + o * kGradLanes;
        for (int r = 0; r < kGradLanes; ++r) {
          Real sum = d[r];
          for (int k = kGradLanes; k < kLanes; k += kGradLanes) sum += d[r + k];
          g[r] += sum;
        }
      }
      if (l == 0) break;
      // delta of the previous layer: W^T delta, times the slope of its activation at its output.
      const Real* w = params + w_off;
      const Activation prev_activation = spec_.layers[l - 1].activation;
      const Real* a_prev = in;
      int i = 0;
      for (; i + 4 <= layer.in; i += 4) propagate_tile<4>(w, layer, i, prev_activation, a_prev);
      for (; i + 2 <= layer.in; i += 2) propagate_tile<2>(w, layer, i, prev_activation, a_prev);
      for (; i < layer.in; ++i) propagate_tile<1>(w, layer, i, prev_activation, a_prev);
      delta_.swap(delta_prev_);
    }
  }

  // Sums the lane accumulators: adds the gradient into `gradient` (parameter_count values) and
  // returns the summed loss.
  DLAAW_ALWAYS_INLINE double reduce_into(Real* gradient) const {
    // Lanes are summed in 8 interleaved partial sums (a fixed order, so results stay identical
    // run to run) because a strictly sequential sum would not vectorise.
    constexpr int kPartials = 8;
    const std::size_t p = spec_.parameter_count();
    for (std::size_t k = 0; k < p; ++k) {
      const Real* g = grad_lanes_.data() + k * kGradLanes;
      Real part[kPartials] = {};
      for (int j = 0; j < kGradLanes; j += kPartials) {
        for (int q = 0; q < kPartials; ++q) part[q] += g[j + q];
      }
      Real s = Real(0);
      for (int q = 0; q < kPartials; ++q) s += part[q];
      gradient[k] += s;
    }
    double loss = 0.0;
    for (int r = 0; r < kLanes; ++r) loss += static_cast<double>(loss_lanes_[r]);
    return loss;
  }

 private:
  // g[r] += d[r] a[r] + d[r + 16] a[r + 16] + ...: one accumulator update per kLanes / 16 products.
  // Kept out of line from the loop over inputs so that GCC vectorises across lanes, not across
  // inputs.
  DLAAW_ALWAYS_INLINE static void accumulate_pairs(Real* DLAAW_RESTRICT g,
                                                   const Real* DLAAW_RESTRICT d,
                                                   const Real* DLAAW_RESTRICT a) {
    for (int r = 0; r < kGradLanes; ++r) {
      Real sum = d[r] * a[r];
      for (int k = kGradLanes; k < kLanes; k += kGradLanes) sum += d[r + k] * a[r + k];
      g[r] += sum;
    }
  }

  // a0[i][r] = base[offset[r] + i]: raw pointers only, which GCC needs to see the gathers.
  DLAAW_ALWAYS_INLINE static void gather_columns(Real* DLAAW_RESTRICT a0, const float* base,
                                                 const int* DLAAW_RESTRICT offset, int inputs) {
    for (int i = 0; i < inputs; ++i) {
      const float* column = base + i;
      for (int r = 0; r < kLanes; ++r) a0[i * kLanes + r] = static_cast<Real>(column[offset[r]]);
    }
  }

  // Outputs [o0, o0 + T) of a dense layer. The T x kLanes accumulators stay in registers across
  // the loop over inputs, so the FMA units see T independent dependency chains instead of one
  // (one chain would wait on FMA latency). Each output still sums its inputs in order, so the
  // tile size does not change any result.
  template <int T>
  DLAAW_ALWAYS_INLINE static void dense_tile(const Real* w, const Real* b, int in,
                                             const Real* input, int o0, Activation activation,
                                             Real* out) {
    Real acc[T][kLanes];
    for (int t = 0; t < T; ++t) {
      for (int r = 0; r < kLanes; ++r) acc[t][r] = b[o0 + t];
    }
    for (int i = 0; i < in; ++i) {
      const Real* DLAAW_RESTRICT a = input + i * kLanes;
      for (int t = 0; t < T; ++t) {
        const Real wi = w[(o0 + t) * in + i];
        for (int r = 0; r < kLanes; ++r) acc[t][r] += wi * a[r];
      }
    }
    for (int t = 0; t < T; ++t) apply_activation(activation, acc[t], out + (o0 + t) * kLanes);
  }

  // Deltas of inputs [i0, i0 + T) of a layer: W^T delta, times the slope of the previous layer's
  // activation at its output. Tiled for the same reason as dense_tile.
  template <int T>
  DLAAW_ALWAYS_INLINE void propagate_tile(const Real* w, const DenseLayer& layer, int i0,
                                          Activation prev_activation, const Real* a_prev) {
    Real acc[T][kLanes] = {};
    for (int o = 0; o < layer.out; ++o) {
      const Real* DLAAW_RESTRICT d = delta_.data() + o * kLanes;
      for (int t = 0; t < T; ++t) {
        const Real wi = w[o * layer.in + i0 + t];
        for (int r = 0; r < kLanes; ++r) acc[t][r] += wi * d[r];
      }
    }
    for (int t = 0; t < T; ++t) {
      apply_slope(prev_activation, a_prev + (i0 + t) * kLanes, acc[t],
                  delta_prev_.data() + (i0 + t) * kLanes);
    }
  }

  // Each case is its own loop so that the common ones (ReLU, Identity) vectorise.
  DLAAW_ALWAYS_INLINE static void apply_activation(Activation a, const Real* z, Real* out) {
    switch (a) {
      case Activation::ReLU:
        for (int r = 0; r < kLanes; ++r) out[r] = z[r] > Real(0) ? z[r] : Real(0);
        break;
      case Activation::Identity:
        for (int r = 0; r < kLanes; ++r) out[r] = z[r];
        break;
      default:
        for (int r = 0; r < kLanes; ++r) out[r] = activate(a, z[r]);
        break;
    }
  }

  DLAAW_ALWAYS_INLINE static void apply_slope(Activation a, const Real* y, const Real* upstream,
                                              Real* out) {
    switch (a) {
      case Activation::ReLU:
        for (int r = 0; r < kLanes; ++r) out[r] = y[r] > Real(0) ? upstream[r] : Real(0);
        break;
      default:
        for (int r = 0; r < kLanes; ++r) out[r] = upstream[r] * activation_slope(a, y[r]);
        break;
    }
  }

  const ModelSpec& spec_;
  std::vector<std::size_t> layer_act_offset_;  // start of each layer's [unit][lane] outputs
  std::vector<std::size_t> weight_offset_;     // ModelSpec::weight_offset, computed once
  LaneVector<Real> acts_;
  LaneVector<Real> delta_;
  LaneVector<Real> delta_prev_;
  LaneVector<Real> grad_lanes_;
  std::array<Real, kLanes> loss_lanes_;
};

}  // namespace dlaaw::kernels::cpu
