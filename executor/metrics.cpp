// metrics.cpp - accuracy, precision, recall, F1, ROC AUC and their fold summaries.
#include "executor/metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "common/stats.h"

namespace dlaaw::executor {
namespace {

std::optional<double> roc_auc(const std::vector<float>& scores, const std::vector<float>& labels) {
  // NaN compares unequal to itself (the tie loop below would never end) and breaks std::sort's
  // ordering: scores that are not all finite have no AUC.
  if (!std::all_of(scores.begin(), scores.end(), [](float s) { return std::isfinite(s); }))
    return std::nullopt;
  const std::size_t n = scores.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return scores[a] < scores[b]; });
  double positive_rank_sum = 0.0;
  std::size_t positives = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && scores[order[j]] == scores[order[i]]) ++j;
    const double shared_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (std::size_t k = i; k < j; ++k) {
      if (labels[order[k]] > 0.5f) {
        positive_rank_sum += shared_rank;
        ++positives;
      }
    }
    i = j;
  }
  const std::size_t negatives = n - positives;
  if (positives == 0 || negatives == 0) return std::nullopt;
  const double p = static_cast<double>(positives);
  return (positive_rank_sum - p * (p + 1.0) / 2.0) / (p * static_cast<double>(negatives));
}

double ratio(double num, double den) { return den > 0 ? num / den : 0.0; }

}  // namespace

BinaryMetrics compute_metrics(const std::vector<float>& scores, const std::vector<float>& labels,
                              double threshold) {
  if (scores.size() != labels.size() || scores.empty()) {
    throw std::invalid_argument("metrics need as many scores as labels, and at least one");
  }
  BinaryMetrics m;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const bool predicted = scores[i] >= threshold;
    const bool actual = labels[i] > 0.5f;
    m.tp += predicted && actual;
    m.fp += predicted && !actual;
    m.tn += !predicted && !actual;
    m.fn += !predicted && actual;
  }
  m.accuracy = ratio(static_cast<double>(m.tp + m.tn), static_cast<double>(scores.size()));
  m.precision = ratio(static_cast<double>(m.tp), static_cast<double>(m.tp + m.fp));
  m.recall = ratio(static_cast<double>(m.tp), static_cast<double>(m.tp + m.fn));
  m.f1 = ratio(2.0 * m.precision * m.recall, m.precision + m.recall);
  m.auc = roc_auc(scores, labels);
  return m;
}

std::pair<MetricSummary, MetricSummary> summarize_folds(const std::vector<BinaryMetrics>& folds) {
  MetricSummary mean, sd;
  const auto put = [&](std::optional<double> MetricSummary::*field, auto get) {
    std::vector<double> values;
    for (const auto& f : folds) {
      if (const std::optional<double> v = get(f)) values.push_back(*v);
    }
    if (values.empty()) return;
    const MeanStd summary = mean_std(values);
    mean.*field = summary.mean;
    sd.*field = summary.std;
  };
  put(&MetricSummary::accuracy, [](const BinaryMetrics& f) { return std::optional(f.accuracy); });
  put(&MetricSummary::precision, [](const BinaryMetrics& f) { return std::optional(f.precision); });
  put(&MetricSummary::recall, [](const BinaryMetrics& f) { return std::optional(f.recall); });
  put(&MetricSummary::f1, [](const BinaryMetrics& f) { return std::optional(f.f1); });
  put(&MetricSummary::auc, [](const BinaryMetrics& f) { return f.auc; });
  return {mean, sd};
}

}  // namespace dlaaw::executor
