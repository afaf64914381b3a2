// task_outputs.h - what the evaluate, predict and compare tasks of a pipeline produce from their
// inputs: pure functions over models and prepared rows (no queue, no files).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/prepared_dataset.h"
#include "results/run_result.h"

namespace dlaaw::executor {

inline constexpr const char* kEvaluationSchema = "dlaaw/evaluation@1";
inline constexpr const char* kComparisonSchema = "dlaaw/comparison@1";

// Each fold model's scores (score of class 1) for every row of `rows`, scaled by the model's own
// scaler (fitted on its training rows). Throws InvalidInput when the widths differ.
std::vector<std::vector<float>> score_rows(const results::RunResult& trained,
                                           const pipeline::PreparedDataset& rows);

// An evaluate task's output (schema dlaaw/evaluation@1): per-fold metrics of the model(s) on every
// row, their mean (and standard deviation over folds), the row count, the threshold and the
// hashes of the model and rows used. Throws InvalidInput for unlabelled rows.
nlohmann::json evaluation_output(const results::RunResult& trained,
                                 const pipeline::PreparedDataset& rows,
                                 const std::string& model_sha256, const std::string& rows_sha256,
                                 double threshold);

// A predict task's output: CSV "row,score,predicted" (plus "label" for labelled rows), one line
// per row in stored order; with k fold models the score is their mean.
std::string predictions_csv(const results::RunResult& trained,
                            const pipeline::PreparedDataset& rows, double threshold);

// One input of a compare task: a train task's result or an evaluate task's output, by task name.
struct ComparedTask {
  std::string task;
  std::string kind;            // "train" or "evaluate"
  nlohmann::json metrics;      // summary_to_json form
  nlohmann::json metrics_std;  // null when there is none
  std::string dataset;         // what the metrics were measured on
  std::size_t rows = 0;
};

// The compared row of a train task's result.
ComparedTask compared_train(const std::string& task, const results::RunResult& trained);
// The compared row of an evaluate task's output, read as untrusted JSON text. Throws InvalidInput
// naming the field for anything but an evaluation output.
ComparedTask compared_evaluation(const std::string& task, const std::string& evaluation);

// A compare task's output (schema dlaaw/comparison@1): the rows side by side, in input order.
nlohmann::json comparison_output(const std::vector<ComparedTask>& rows);

}  // namespace dlaaw::executor
