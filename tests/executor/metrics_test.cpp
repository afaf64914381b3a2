// metrics_test.cpp - binary metrics against hand counts.
#include "executor/metrics.h"

#include <limits>

#include <gtest/gtest.h>

namespace dlaaw::executor {
namespace {

TEST(MetricsTest, CountsTheConfusionMatrix) {
  const std::vector<float> scores{0.9f, 0.8f, 0.3f, 0.6f, 0.2f, 0.1f};
  const std::vector<float> labels{1, 1, 1, 0, 0, 0};
  const auto m = compute_metrics(scores, labels);
  EXPECT_EQ(m.tp, 2u);
  EXPECT_EQ(m.fn, 1u);
  EXPECT_EQ(m.fp, 1u);
  EXPECT_EQ(m.tn, 2u);
  EXPECT_DOUBLE_EQ(m.accuracy, 4.0 / 6);
  EXPECT_DOUBLE_EQ(m.precision, 2.0 / 3);
  EXPECT_DOUBLE_EQ(m.recall, 2.0 / 3);
  EXPECT_DOUBLE_EQ(m.f1, 2.0 / 3);
  // Of the 9 positive-negative pairs, 8 are ordered right (0.3 < 0.6 is the one wrong).
  EXPECT_DOUBLE_EQ(*m.auc, 8.0 / 9);
}

TEST(MetricsTest, TiedScoresCountHalf) {
  const auto m = compute_metrics({0.5f, 0.5f}, {1, 0});
  EXPECT_DOUBLE_EQ(*m.auc, 0.5);
}

TEST(MetricsTest, NonFiniteScoresEndWithoutAnAuc) {
  // A NaN score never equals itself: the tie loop used to spin forever (and sort was undefined).
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const auto m = compute_metrics({nan, 0.2f, nan, 0.9f}, {1, 0, 0, 1});
  EXPECT_FALSE(m.auc);
  EXPECT_FALSE(compute_metrics({std::numeric_limits<float>::infinity(), 0.1f}, {1, 0}).auc);
}

TEST(MetricsTest, UndefinedValuesAreZeroOrAbsent) {
  const auto m = compute_metrics({0.1f, 0.2f}, {0, 0});
  EXPECT_EQ(m.precision, 0.0);
  EXPECT_EQ(m.recall, 0.0);
  EXPECT_FALSE(m.auc.has_value());
  EXPECT_TRUE(results::metrics_to_json(m)["auc"].is_null());
}

TEST(MetricsTest, SummarizesFoldsWithSampleStd) {
  BinaryMetrics a, b;
  a.accuracy = 0.8;
  b.accuracy = 0.9;
  a.auc = 0.7;
  const auto [mean, sd] = summarize_folds({a, b});
  EXPECT_DOUBLE_EQ(*mean.accuracy, 0.85);
  EXPECT_NEAR(*sd.accuracy, 0.0707106781, 1e-9);
  EXPECT_DOUBLE_EQ(*mean.auc, 0.7);
  EXPECT_EQ(*sd.auc, 0.0) << "one fold defines it";
  const auto [no_folds_mean, unused] = summarize_folds({});
  EXPECT_FALSE(no_folds_mean.accuracy) << "nothing to summarize";
}

}  // namespace
}  // namespace dlaaw::executor
