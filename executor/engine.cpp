// engine.cpp - one workflow run, from dataset file to result JSON.
#include "executor/engine.h"

#include <chrono>
#include <stdexcept>

#include "common/errors.h"
#include "datasets/dataset_loader.h"
#include "datasets/min_max_scaler.h"
#include "datasets/splits.h"
#include "executor/metrics.h"
#include "executor/model_mapping.h"
#include "kernels/backend.h"
#include "nnworkflow/workflow_json.h"
#include "nnworkflow/workflow_validation.h"

namespace dlaaw::executor {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

kernels::Matrix to_matrix(std::vector<float> values, std::size_t rows, std::size_t cols) {
  return kernels::Matrix{rows, cols, std::move(values)};
}

std::vector<float> labels_of(const datasets::Dataset& ds, const std::vector<std::size_t>& rows) {
  std::vector<float> y;
  y.reserve(rows.size());
  for (auto r : rows) y.push_back(ds.labels[r]);
  return y;
}

json dataset_json(const datasets::Dataset& ds) {
  json j = {{"name", ds.name},           {"file", ds.file},
            {"sha256", ds.sha256},       {"label", ds.label},
            {"positive", ds.positive},   {"features", ds.feature_names},
            {"rows_read", ds.rows_read}, {"rows_dropped", ds.rows_dropped},
            {"rows", ds.rows()}};
  if (!ds.note.empty()) j["note"] = ds.note;
  return j;
}

json device_json(const kernels::DeviceInfo& d) {
  json j = {{"kind", d.kind}, {"name", d.name}, {"integrated", d.integrated}};
  if (d.kind == "cpu") {
    j["threads"] = d.threads;
  } else {
    j["index"] = d.index;
    j["compute_capability"] = d.compute_capability;
    j["multiprocessors"] = d.multiprocessors;
    j["memory_bytes"] = d.memory_bytes;
    j["driver_version"] = d.driver_version;
    j["runtime_version"] = d.runtime_version;
  }
  return j;
}

struct Timings {
  double preprocess = 0, train = 0, evaluate = 0;
};

}  // namespace

json run_workflow(const nnworkflow::WorkflowDocument& document, const EngineOptions& options) {
  const auto run_start = Clock::now();
  nnworkflow::validate_workflow(document);

  auto t0 = Clock::now();
  const datasets::Dataset ds = datasets::load_dataset(document.dataset, options.data_dir);
  const double load_ms = ms_since(t0);
  if (static_cast<std::size_t>(document.network.front().in) != ds.cols()) {
    throw InvalidInput("network[0]: Linear.in is " + std::to_string(document.network.front().in) +
                       " but dataset " + ds.name + " has " + std::to_string(ds.cols()) +
                       " features");
  }

  Timings timings;
  t0 = Clock::now();
  const std::uint64_t seed = document.training.effective_seed();
  std::vector<datasets::Split> splits;
  if (document.plan.type == nnworkflow::PlanType::TrainTest) {
    splits.push_back(
        datasets::train_test_split(ds.rows(), document.plan.effective_test_fraction(), seed));
  } else {
    splits = datasets::kfold_splits(ds.rows(), *document.plan.k, seed);
  }
  timings.preprocess += ms_since(t0);

  const kernels::ModelSpec spec = model_spec_from_network(document.network);
  auto backend = kernels::make_backend(options.backend, options.threads);
  const auto initial = kernels::xavier_uniform_parameters(spec, seed);

  // Every fold is prepared first, so that a backend can train all of them side by side.
  struct FoldData {
    datasets::MinMaxScaler scaler;
    kernels::Matrix x_train, x_test;
    std::vector<float> y_train, y_test;
  };
  const int fold_count = static_cast<int>(splits.size());
  std::vector<FoldData> data;
  std::vector<kernels::TrainingSet> sets;
  t0 = Clock::now();
  for (const auto& split : splits) {
    auto scaler = datasets::MinMaxScaler::fit(ds.features, ds.cols(), split.train);
    auto x_train =
        to_matrix(scaler.transform(ds.features, split.train), split.train.size(), ds.cols());
    auto x_test =
        to_matrix(scaler.transform(ds.features, split.test), split.test.size(), ds.cols());
    data.push_back({std::move(scaler), std::move(x_train), std::move(x_test),
                    labels_of(ds, split.train), labels_of(ds, split.test)});
  }
  for (const auto& d : data) sets.push_back({&d.x_train, &d.y_train});
  timings.preprocess += ms_since(t0);

  kernels::TrainConfig config;
  config.epochs = static_cast<int>(*document.training.epochs);
  config.batches = document.training.batches_for(splits.front().train.size());
  config.learning_rate = static_cast<float>(document.training.effective_learning_rate());
  config.momentum = static_cast<float>(document.training.effective_momentum());
  config.seed = seed;
  config.threads = options.threads;
  if (document.memory) {
    config.memory = *document.memory == "zero_copy" ? kernels::MemoryPath::ZeroCopy
                                                    : kernels::MemoryPath::Device;
  }
  for (const auto& split : splits) {
    if (split.train.size() < static_cast<std::size_t>(config.batches)) {
      throw InvalidInput("training.batches: " + std::to_string(config.batches) +
                         " mini-batches but only " + std::to_string(split.train.size()) +
                         " training rows");
    }
  }

  bool cancelled = false;
  const kernels::ModelEpochCallback on_epoch = [&](int fold, int epoch, double loss) {
    if (!options.on_progress) return true;
    cancelled = !options.on_progress(Progress{fold, fold_count, epoch, config.epochs, loss});
    return !cancelled;
  };
  t0 = Clock::now();
  const auto outcomes = backend->train_many(spec, initial, sets, config, on_epoch);
  timings.train += ms_since(t0);
  if (cancelled) throw JobCancelled("cancelled during training");

  json folds = json::array();
  std::vector<BinaryMetrics> fold_metrics;
  const json document_json = nnworkflow::workflow_to_json(document);
  const json& layers = document_json["network"];
  for (int f = 0; f < fold_count; ++f) {
    const auto& split = splits[f];
    const auto& d = data[f];
    const auto& outcome = outcomes[f];
    t0 = Clock::now();
    const auto scores = backend->predict(spec, outcome.parameters, d.x_test);
    const auto metrics = compute_metrics(scores, d.y_test);
    timings.evaluate += ms_since(t0);
    fold_metrics.push_back(metrics);
    folds.push_back(
        {{"fold", f},
         {"train_rows", split.train.size()},
         {"test_rows", split.test.size()},
         {"batches", config.batches},
         {"epochs_run", outcome.epoch_loss.size()},
         {"loss", outcome.epoch_loss},
         {"metrics", metrics_to_json(metrics)},
         {"model",
          {{"layers", layers},
           {"parameters", outcome.parameters},
           {"features", ds.feature_names},
           {"columns", ds.columns},
           {"label", ds.label},
           {"categories", ds.categories},
           {"scaler", {{"min", d.scaler.min}, {"max", d.scaler.max}}}}},
         {"predictions", {{"rows", split.test}, {"labels", d.y_test}, {"scores", scores}}}});
  }

  json result = {
      {"schema", kResultSchema},
      {"workflow", document_json},
      {"dataset", dataset_json(ds)},
      {"backend", backend->name()},
      {"plan",
       {{"type", document.plan.type == nnworkflow::PlanType::KFold ? "kfold" : "train_test"},
        {"folds", fold_count}}},
      {"folds", folds}};
  result["device"] = device_json(backend->device());
  if (fold_count == 1) {
    result["metrics"] = folds[0]["metrics"];
  } else {
    auto [mean, sd] = summarize_folds(fold_metrics);
    result["metrics"] = mean;
    result["metrics_std"] = sd;
  }
  result["code_version"] = DLAAW_CODE_VERSION;
  result["timings_ms"] = {{"load", load_ms},
                          {"preprocess", timings.preprocess},
                          {"train", timings.train},
                          {"evaluate", timings.evaluate},
                          {"total", ms_since(run_start)}};
  return result;
}

}  // namespace dlaaw::executor
