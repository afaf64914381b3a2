// elementwise.h - per-element math of training, shared by the CPU backend and the CUDA kernels.
// C++14, header-only, templated on the real type so that tests can run it in double.
#pragma once

#include <cmath>
#include <cstring>

#include "kernels/shared/host_device.h"

namespace dlaaw {
namespace kernels {

// Bit reinterpretation that works in host code (memcpy vectorises) and in device code.
DLAAW_HD float float_from_bits(int bits) {
#if defined(__CUDA_ARCH__)
  return __int_as_float(bits);
#else
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
#endif
}

// exp(x) for x <= 0 in float without a libm call, so that loops over rows vectorise and the GPU
// computes the same values: x = k ln2 + r with |r| <= ln2/2, exp(r) by its degree-6 Taylor
// polynomial (error below 2e-7 relative), 2^k put straight into the exponent bits. Inputs below
// -87 (where 2^k would leave the normal range) give 0.
DLAAW_HD float exp_nonpositive(float x) {
  const bool underflow = x < -87.0f;
  x = underflow ? -87.0f : x;
  // Adding and subtracting 1.5 * 2^23 rounds to the nearest integer without a libm call.
  const float k = (x * 1.44269504f + 12582912.0f) - 12582912.0f;
  const float r = (x - k * 0.693145752f) - k * 1.42860677e-06f;  // ln2 split: hi exact in float
  float p = 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  const float scale = float_from_bits((static_cast<int>(k) + 127) << 23);
  return underflow ? 0.0f : p * scale;
}

// log(1 + u) for u in [0, 1] in float without a libm call: with s = u / (2 + u) (s <= 1/3),
// log(1 + u) = 2 atanh(s) = 2 (s + s^3/3 + ... + s^13/13), truncation error below 1e-8.
DLAAW_HD float log1p_unit(float u) {
  const float s = u / (2.0f + u);
  const float s2 = s * s;
  float p = 1.0f / 13.0f;
  p = p * s2 + 1.0f / 11.0f;
  p = p * s2 + 1.0f / 9.0f;
  p = p * s2 + 1.0f / 7.0f;
  p = p * s2 + 1.0f / 5.0f;
  p = p * s2 + 1.0f / 3.0f;
  p = p * s2 + 1.0f;
  return 2.0f * s * p;
}

template <typename Real>
DLAAW_HD Real exp_nonpositive(Real x) {
  return std::exp(x);
}
template <typename Real>
DLAAW_HD Real log1p_unit(Real u) {
  return std::log1p(u);
}

// What follows a Linear layer. Identity marks the output layer, whose value is a logit: the
// network's final Sigmoid is folded into the loss (binary cross-entropy from logits).
enum class Activation : int { Identity = 0, ReLU = 1, Sigmoid = 2, Tanh = 3 };

// sigmoid(z) from e = exp(-|z|), which never overflows: 1/(1+e) for z >= 0, e/(1+e) below.
template <typename Real>
DLAAW_HD Real sigmoid(Real z) {
  const Real e = exp_nonpositive(z < Real(0) ? z : -z);
  const Real inv = Real(1) / (Real(1) + e);
  return z >= Real(0) ? inv : e * inv;
}

template <typename Real>
DLAAW_HD Real activate(Activation a, Real z) {
  switch (a) {
    case Activation::ReLU:
      return z > Real(0) ? z : Real(0);
    case Activation::Sigmoid:
      return sigmoid(z);
    case Activation::Tanh:
      return Real(2) * sigmoid(Real(2) * z) - Real(1);
    case Activation::Identity:
    default:
      return z;
  }
}

// d activation / d z, written in terms of the activation's output y = activate(a, z), so that the
// backward pass needs only the stored outputs.
template <typename Real>
DLAAW_HD Real activation_slope(Activation a, Real y) {
  switch (a) {
    case Activation::ReLU:
      return y > Real(0) ? Real(1) : Real(0);
    case Activation::Sigmoid:
      return y * (Real(1) - y);
    case Activation::Tanh:
      return Real(1) - y * y;
    case Activation::Identity:
    default:
      return Real(1);
  }
}

// Binary cross-entropy of sigmoid(z) against label y in {0, 1} and its slope d loss / d z, from
// the logit z: loss = max(z, 0) - z*y + log(1 + exp(-|z|)) never overflows or takes log(0), and
// slope = sigmoid(z) - y reuses the same exp(-|z|). Returned by value so that loops over rows
// vectorise.
template <typename Real>
struct BceTerms {
  Real loss;
  Real slope;
};

template <typename Real>
DLAAW_HD BceTerms<Real> bce_with_logits(Real z, Real y) {
  const Real e = exp_nonpositive(z < Real(0) ? z : -z);
  const Real inv = Real(1) / (Real(1) + e);
  BceTerms<Real> t;
  t.loss = (z > Real(0) ? z : Real(0)) - z * y + log1p_unit(e);
  t.slope = (z >= Real(0) ? inv : e * inv) - y;
  return t;
}

// SGD with momentum exactly as PyTorch defines it (no dampening, no Nesterov, no weight decay):
// v = momentum * v + g; w = w - lr * v. PyTorch starts v at g, which equals this with v = 0.
template <typename Real>
DLAAW_HD void momentum_step(Real& weight, Real& velocity, Real gradient, Real learning_rate,
                            Real momentum) {
  velocity = momentum * velocity + gradient;
  weight -= learning_rate * velocity;
}

// Row positions [batch_begin(n, b, k), batch_begin(n, b + 1, k)) of the epoch's permuted order
// form mini-batch k of b: every batch gets floor(n/b) or ceil(n/b) rows, none is empty while n >=
// b.
DLAAW_HD unsigned long long batch_begin(unsigned long long rows, int batches, int batch) {
  return rows * static_cast<unsigned long long>(batch) / static_cast<unsigned long long>(batches);
}

}  // namespace kernels
}  // namespace dlaaw
