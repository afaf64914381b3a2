// elementwise_test.cpp - the shared per-element math against libm and closed forms.
#include "kernels/shared/elementwise.h"

#include <cmath>

#include <gtest/gtest.h>

namespace dlaaw::kernels {
namespace {

TEST(ElementwiseTest, ExpNonpositiveMatchesLibmTo3e7Relative) {
  for (float x = -86.0f; x <= 0.0f; x += 0.0137f) {
    const double expected = std::exp(static_cast<double>(x));
    EXPECT_NEAR(exp_nonpositive(x), expected, 3e-7 * expected) << "x = " << x;
  }
  EXPECT_EQ(exp_nonpositive(-200.0f), 0.0f);
  EXPECT_EQ(exp_nonpositive(0.0f), 1.0f);
}

TEST(ElementwiseTest, Log1pUnitMatchesLibm) {
  for (float u = 0.0f; u <= 1.0f; u += 0.001f) {
    const double expected = std::log1p(static_cast<double>(u));
    EXPECT_NEAR(log1p_unit(u), expected, 2e-7 * (expected + 1e-30)) << "u = " << u;
  }
}

TEST(ElementwiseTest, BceWithLogitsIsStableAndMatchesTheNaiveFormula) {
  for (double z : {-9.0, -3.0, -0.5, 0.0, 0.7, 4.0, 9.0}) {  // naive log(1 - p) is inexact beyond
    for (double y : {0.0, 1.0}) {
      const auto [loss, slope] = bce_with_logits(z, y);
      const double p = 1.0 / (1.0 + std::exp(-z));
      const double naive = -(y * std::log(p) + (1 - y) * std::log1p(-p));
      if (std::isfinite(naive)) {
        EXPECT_NEAR(loss, naive, 1e-9 * (1 + naive)) << z << " " << y;
      }
      EXPECT_NEAR(slope, p - y, 1e-12) << z << " " << y;
      const auto [lf, sf] = bce_with_logits(static_cast<float>(z), static_cast<float>(y));
      EXPECT_NEAR(lf, loss, 1e-6 * (1 + loss));
      EXPECT_NEAR(sf, slope, 1e-6);
    }
  }
  const auto far = bce_with_logits(-200.0f, 1.0f);  // naive log(sigmoid) would be -inf
  EXPECT_FLOAT_EQ(far.loss, 200.0f);
}

TEST(ElementwiseTest, ActivationSlopeIsTheDerivativeAtTheOutput) {
  for (Activation a :
       {Activation::ReLU, Activation::Sigmoid, Activation::Tanh, Activation::Identity}) {
    for (double z : {-2.0, -0.3, 0.4, 1.5}) {
      const double h = 1e-6;
      const double numeric = (activate(a, z + h) - activate(a, z - h)) / (2 * h);
      EXPECT_NEAR(activation_slope(a, activate(a, z)), numeric, 1e-6)
          << static_cast<int>(a) << " " << z;
    }
  }
}

TEST(ElementwiseTest, MomentumStepFollowsPyTorch) {
  double w = 1.0, v = 0.0;
  momentum_step(w, v, 0.5, 0.1, 0.9);  // first step: v = g
  EXPECT_DOUBLE_EQ(v, 0.5);
  EXPECT_DOUBLE_EQ(w, 0.95);
  momentum_step(w, v, 0.2, 0.1, 0.9);  // v = 0.9 * 0.5 + 0.2
  EXPECT_DOUBLE_EQ(v, 0.65);
  EXPECT_DOUBLE_EQ(w, 0.95 - 0.065);
}

TEST(ElementwiseTest, BatchesAreBalancedAndCoverEveryPosition) {
  const unsigned long long n = 36169;
  unsigned long long covered = 0;
  for (int b = 0; b < 6; ++b) {
    const auto len = batch_begin(n, 6, b + 1) - batch_begin(n, 6, b);
    EXPECT_TRUE(len == n / 6 || len == n / 6 + 1) << len;
    covered += len;
  }
  EXPECT_EQ(covered, n);
}

}  // namespace
}  // namespace dlaaw::kernels
