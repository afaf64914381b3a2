// run_result.h - the result document "dlaaw/result@1": what one run of a workflow produced.
//
// The engine fills it, the executor adds where and when it ran, the queue carries it as JSON,
// the tracker stores it, and the CLI prints it. run_result_from_json is where a result from Redis
// (untrusted) enters: every field is read with checked access, and anything malformed is an
// InvalidInput naming the field ("result.folds[0].metrics.accuracy: must be a number, ...").
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kernels/backend.h"
#include "kernels/device_modes.h"
#include "nnworkflow/workflow_document.h"

namespace dlaaw::results {

inline constexpr const char* kResultSchema = "dlaaw/result@1";

// Where the rows came from (provenance).
struct DatasetRecord {
  std::string name;  // catalog name, file name or "synthetic"
  std::string file;
  std::string sha256;
  std::string label;
  std::string positive;
  std::vector<std::string> features;
  std::size_t rows_read = 0;
  std::size_t rows_dropped = 0;
  std::size_t rows = 0;
  std::string note;  // "" for none
  bool operator==(const DatasetRecord&) const = default;
};

// Binary classification metrics of one fold's test rows.
struct BinaryMetrics {
  double accuracy = 0, precision = 0, recall = 0, f1 = 0;
  std::optional<double> auc;  // undefined when the labels hold one class only
  std::size_t tp = 0, fp = 0, tn = 0, fn = 0;
  bool operator==(const BinaryMetrics&) const = default;
};

// Each metric's mean (or standard deviation) over folds; nullopt where undefined.
struct MetricSummary {
  std::optional<double> accuracy, precision, recall, f1, auc;
  bool operator==(const MetricSummary&) const = default;
};

// A trained model and everything needed to apply it to new rows exactly as at training time.
struct TrainedModel {
  std::vector<nnworkflow::NNTask> layers;
  std::vector<float> parameters;
  std::vector<std::string> features;
  std::vector<std::string> columns;  // every column of the training file, in order
  std::string label;
  std::map<std::string, std::vector<std::string>> categories;  // sorted distinct values
  std::vector<double> scaler_min, scaler_max;
  bool operator==(const TrainedModel&) const = default;
};

struct TestPredictions {
  std::vector<std::size_t> rows;  // row numbers in the loaded dataset
  std::vector<float> labels;
  std::vector<float> scores;
  bool operator==(const TestPredictions&) const = default;
};

// Where a result's test predictions are when they were too large to travel inside it: the
// artifact dlaaw:blob:<sha256> of `bytes` bytes, predictions_list_text() of every fold, `rows` rows
// in all. While a result holds one, its folds' predictions are empty.
struct PredictionsArtifact {
  std::string sha256;
  std::size_t bytes = 0, rows = 0;
  bool operator==(const PredictionsArtifact&) const = default;
};

struct FoldResult {
  int fold = 0;
  std::size_t train_rows = 0, test_rows = 0;
  int batches = 0;
  std::size_t epochs_run = 0;
  std::vector<double> loss;  // per epoch; NaN where training diverged (null in JSON)
  BinaryMetrics metrics;
  TrainedModel model;
  TestPredictions predictions;
  bool operator==(const FoldResult&) const = default;
};

// Milliseconds per phase. The optional ones are set by whoever measured them: the executor
// (blob_fetch, queue_wait) and a GPU backend (gpu_kernel, gpu_context, gpu_library).
struct Timings {
  double load = 0, preprocess = 0, train = 0, evaluate = 0, total = 0;
  std::optional<double> blob_fetch, queue_wait;
  std::optional<double> gpu_kernel;   // time inside the training kernels
  std::optional<double> gpu_context;  // creating the CUDA context (before training, not in it)
  std::optional<double> gpu_library;  // loading libdlaaw_gpu.so (before training, not in it)
  bool operator==(const Timings&) const = default;
};

// Energy the device used for the run, where it can be measured.
struct EnergyRecord {
  double joules = 0;
  std::string source;      // what measured it, e.g. "nvml" or "tegrastats"
  std::string power_mode;  // e.g. a Jetson nvpmodel mode; "" when not applicable
  bool operator==(const EnergyRecord&) const = default;
};

// The executor that ran the job (absent for in-process runs).
struct ExecutorRecord {
  std::string id, host, resource;
  bool operator==(const ExecutorRecord&) const = default;
};

struct JobRecord {
  std::string id;
  int attempt = 0;
  bool operator==(const JobRecord&) const = default;
};

struct RunResult {
  nnworkflow::WorkflowDocument workflow;
  DatasetRecord dataset;
  std::string backend;  // "cpu", "cuda"
  kernels::DeviceInfo device;
  std::vector<FoldResult> folds;  // one for train_test, k for kfold
  // Mean over folds (one fold: its metrics); the standard deviation is set for k-fold plans only.
  MetricSummary metrics;
  std::optional<MetricSummary> metrics_std;
  std::string code_version;
  Timings timings;
  // What a GPU backend used (absent when it does not report them, and on the CPU).
  std::optional<kernels::KernelChoice> kernel;
  std::optional<kernels::MemoryPath> memory;
  std::optional<int> blocks_per_model;  // CUDA thread blocks that trained each model
  std::optional<EnergyRecord> energy;
  std::optional<ExecutorRecord> executor;
  std::optional<JobRecord> job;
  std::optional<PredictionsArtifact> predictions_artifact;  // see PredictionsArtifact
};

// The result as JSON (schema dlaaw/result@1, plus the plan's type and fold count).
nlohmann::json run_result_to_json(const RunResult& r);

// Reads a result document. Throws InvalidInput naming the field (paths start with "result.") for
// another schema, a missing field or a wrong type; a workflow document inside is read as
// workflow_from_json reads it.
RunResult run_result_from_json(const nlohmann::json& j);

// Parses `text` and reads it as above; JSON syntax errors are InvalidInput too.
RunResult run_result_from_text(const std::string& text);

// One fold's model as stored by the tracker (and read back by `dlaaw predict`); `path` names it.
nlohmann::json trained_model_to_json(const TrainedModel& m);
TrainedModel trained_model_from_json(const nlohmann::json& j, const std::string& path);

nlohmann::json metrics_to_json(const BinaryMetrics& m);
nlohmann::json summary_to_json(const MetricSummary& s);
// {"load": ms, ...}: the optional timings only where measured.
nlohmann::json timings_to_json(const Timings& t);
// {"rows", "labels", "scores"}.
nlohmann::json predictions_to_json(const TestPredictions& p);

// Every fold's predictions as one JSON array, as text: what a PredictionsArtifact holds.
std::string predictions_list_text(const RunResult& r);

// Fills the folds' predictions from `bytes`, the artifact r.predictions_artifact names (its hash
// checked by whoever fetched it), and clears the reference. Throws InvalidInput, changing nothing,
// when there is no reference or the bytes differ from it in size, fold count or row count or do not
// decode.
void attach_predictions(RunResult& r, const std::string& bytes);

// The summary of a single fold: its metrics.
MetricSummary summary_of(const BinaryMetrics& m);

}  // namespace dlaaw::results
