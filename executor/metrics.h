// metrics.h - binary classification metrics of scores against 0/1 labels.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

namespace dlaaw::executor {

struct BinaryMetrics {
  double accuracy = 0, precision = 0, recall = 0, f1 = 0;
  std::optional<double> auc;  // undefined when the labels hold one class only
  std::size_t tp = 0, fp = 0, tn = 0, fn = 0;
};

// Predicts positive when score >= threshold. Precision, recall and F1 are 0 where their
// denominator is 0; ROC AUC is the Mann-Whitney statistic with tied scores sharing their rank.
BinaryMetrics compute_metrics(const std::vector<float>& scores, const std::vector<float>& labels,
                              double threshold = 0.5);

nlohmann::json metrics_to_json(const BinaryMetrics& m);

// Mean and sample standard deviation (n - 1) of each metric over folds, as two JSON objects;
// AUC over the folds where it is defined.
std::pair<nlohmann::json, nlohmann::json> summarize_folds(const std::vector<BinaryMetrics>& folds);

}  // namespace dlaaw::executor
