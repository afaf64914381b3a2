// task_outputs.cpp - evaluation, predictions and comparison of pipeline tasks.
#include "executor/task_outputs.h"

#include <cstdio>

#include "common/errors.h"
#include "common/json_fields.h"
#include "common/json_parse.h"
#include "executor/metrics.h"
#include "executor/model_mapping.h"
#include "kernels/cpu/cpu_backend.h"

namespace dlaaw::executor {
namespace {

using nlohmann::json;

std::vector<std::size_t> all_rows(std::size_t n) {
  std::vector<std::size_t> rows(n);
  for (std::size_t r = 0; r < n; ++r) rows[r] = r;
  return rows;
}

json summary_json(const results::MetricSummary& s) { return results::summary_to_json(s); }

// A metrics object as stored: every value a number or null.
json checked_metrics(const json& j, const std::string& path) {
  if (j.is_null()) return j;
  require_object(j, path);
  for (const auto& [name, value] : j.items()) {
    if (!value.is_number() && !value.is_null())
      throw InvalidInput(path + "." + name + ": must be a number or null, got " +
                         describe_json(value));
  }
  return j;
}

}  // namespace

std::vector<std::vector<float>> score_rows(const results::RunResult& trained,
                                           const pipeline::PreparedDataset& rows) {
  const auto index = all_rows(rows.rows());
  std::vector<std::vector<float>> scores;
  for (const auto& fold : trained.folds) {
    const auto& model = fold.model;
    if (model.scaler_min.size() != rows.cols() || model.scaler_max.size() != rows.cols()) {
      throw InvalidInput("the model has " + std::to_string(model.scaler_min.size()) +
                         " features but the rows have " + std::to_string(rows.cols()));
    }
    datasets::MinMaxScaler scaler;
    scaler.min = model.scaler_min;
    scaler.max = model.scaler_max;
    const kernels::Matrix x{rows.rows(), rows.cols(), scaler.transform(rows.values, index)};
    scores.push_back(kernels::cpu::CpuBackend(1).predict(model_spec_from_network(model.layers),
                                                         model.parameters, x));
  }
  return scores;
}

json evaluation_output(const results::RunResult& trained, const pipeline::PreparedDataset& rows,
                       const std::string& model_sha256, const std::string& rows_sha256,
                       double threshold) {
  if (rows.labels.empty()) throw InvalidInput("the rows evaluated on have no label");
  std::vector<results::BinaryMetrics> folds;
  for (const auto& scores : score_rows(trained, rows))
    folds.push_back(compute_metrics(scores, rows.labels, threshold));
  json out = {{"schema", kEvaluationSchema}, {"model", model_sha256},
              {"dataset", rows_sha256},      {"dataset_name", rows.schema.source_name},
              {"rows", rows.rows()},         {"threshold", threshold},
              {"folds", json::array()},      {"metrics_std", nullptr}};
  for (const auto& m : folds) out["folds"].push_back(results::metrics_to_json(m));
  if (folds.size() == 1) {
    out["metrics"] = summary_json(results::summary_of(folds[0]));
  } else {
    const auto [mean, std] = summarize_folds(folds);
    out["metrics"] = summary_json(mean);
    out["metrics_std"] = summary_json(std);
  }
  return out;
}

std::string predictions_csv(const results::RunResult& trained,
                            const pipeline::PreparedDataset& rows, double threshold) {
  const auto scores = score_rows(trained, rows);
  const bool labelled = !rows.labels.empty();
  std::string csv = labelled ? "row,score,predicted,label\n" : "row,score,predicted\n";
  char line[96];
  for (std::size_t r = 0; r < rows.rows(); ++r) {
    double score = 0;
    for (const auto& fold : scores) score += fold[r];
    score /= static_cast<double>(scores.size());
    const int predicted = score >= threshold ? 1 : 0;
    if (labelled) {
      std::snprintf(line, sizeof line, "%zu,%.9g,%d,%d\n", r, score, predicted,
                    static_cast<int>(rows.labels[r]));
    } else {
      std::snprintf(line, sizeof line, "%zu,%.9g,%d\n", r, score, predicted);
    }
    csv += line;
  }
  return csv;
}

ComparedTask compared_train(const std::string& task, const results::RunResult& trained) {
  std::size_t rows = 0;
  for (const auto& f : trained.folds) rows += f.test_rows;
  return {task,
          "train",
          summary_json(trained.metrics),
          trained.metrics_std ? summary_json(*trained.metrics_std) : json(nullptr),
          trained.dataset.name + " (held-out rows)",
          rows};
}

ComparedTask compared_evaluation(const std::string& task, const std::string& evaluation) {
  const json j = parse_json(evaluation, "evaluation of " + task);
  const std::string at = "evaluation of " + task;
  require_object(j, at);
  if (j.value("schema", "") != kEvaluationSchema)
    throw InvalidInput(at + ".schema: not " + std::string(kEvaluationSchema));
  JsonFields f(j, at);
  ComparedTask row;
  row.task = task;
  row.kind = "evaluate";
  row.metrics = checked_metrics(f.required("metrics"), f.field("metrics"));
  const json* std = f.value("metrics_std");
  row.metrics_std = std ? checked_metrics(*std, f.field("metrics_std")) : json(nullptr);
  row.dataset = f.text("dataset_name").value_or("");
  row.rows = f.required_count("rows");
  return row;
}

json comparison_output(const std::vector<ComparedTask>& rows) {
  json out = {{"schema", kComparisonSchema}, {"rows", json::array()}};
  for (const auto& r : rows) {
    out["rows"].push_back({{"task", r.task},
                           {"kind", r.kind},
                           {"dataset", r.dataset},
                           {"rows", r.rows},
                           {"metrics", r.metrics},
                           {"metrics_std", r.metrics_std}});
  }
  return out;
}

}  // namespace dlaaw::executor
