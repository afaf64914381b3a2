// metrics.h - binary classification metrics of scores against 0/1 labels, and their fold summary.
#pragma once

#include <utility>
#include <vector>

#include "results/run_result.h"

namespace dlaaw::executor {

using results::BinaryMetrics;
using results::MetricSummary;

// Predicts positive when score >= threshold. Precision, recall and F1 are 0 where their
// denominator is 0; ROC AUC is the Mann-Whitney statistic with tied scores sharing their rank.
// Throws std::invalid_argument for no scores or a label count that differs.
BinaryMetrics compute_metrics(const std::vector<float>& scores, const std::vector<float>& labels,
                              double threshold = 0.5);

// Mean and sample standard deviation (n - 1) of each metric over folds; AUC over the folds where
// it is defined (nullopt where it is defined in none).
std::pair<MetricSummary, MetricSummary> summarize_folds(const std::vector<BinaryMetrics>& folds);

}  // namespace dlaaw::executor
