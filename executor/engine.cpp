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

  json folds = json::array();
  std::vector<BinaryMetrics> fold_metrics;
  const int fold_count = static_cast<int>(splits.size());
  for (int f = 0; f < fold_count; ++f) {
    const auto& split = splits[f];
    t0 = Clock::now();
    const auto scaler = datasets::MinMaxScaler::fit(ds.features, ds.cols(), split.train);
    const auto x_train =
        to_matrix(scaler.transform(ds.features, split.train), split.train.size(), ds.cols());
    const auto y_train = labels_of(ds, split.train);
    const auto x_test =
        to_matrix(scaler.transform(ds.features, split.test), split.test.size(), ds.cols());
    const auto y_test = labels_of(ds, split.test);
    timings.preprocess += ms_since(t0);

    kernels::TrainConfig config;
    config.epochs = static_cast<int>(*document.training.epochs);
    config.batches = document.training.batches_for(split.train.size());
    config.learning_rate = static_cast<float>(document.training.effective_learning_rate());
    config.momentum = static_cast<float>(document.training.effective_momentum());
    config.seed = seed;
    config.threads = options.threads;
    if (split.train.size() < static_cast<std::size_t>(config.batches)) {
      throw InvalidInput("training.batches: " + std::to_string(config.batches) +
                         " mini-batches but only " + std::to_string(split.train.size()) +
                         " training rows");
    }

    bool cancelled = false;
    const kernels::EpochCallback on_epoch = [&](int epoch, double loss) {
      if (!options.on_progress) return true;
      cancelled = !options.on_progress(Progress{f, fold_count, epoch, config.epochs, loss});
      return !cancelled;
    };
    t0 = Clock::now();
    auto outcome = backend->train(spec, initial, x_train, y_train, config, on_epoch);
    timings.train += ms_since(t0);
    if (cancelled) throw JobCancelled("cancelled during fold " + std::to_string(f) + " training");

    t0 = Clock::now();
    const auto scores = backend->predict(spec, outcome.parameters, x_test);
    const auto metrics = compute_metrics(scores, y_test);
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
          {{"layers", nnworkflow::workflow_to_json(document)["network"]},
           {"parameters", outcome.parameters},
           {"features", ds.feature_names},
           {"categories", ds.categories},
           {"scaler", {{"min", scaler.min}, {"max", scaler.max}}}}},
         {"predictions", {{"rows", split.test}, {"labels", y_test}, {"scores", scores}}}});
  }

  json result = {
      {"schema", kResultSchema},
      {"workflow", nnworkflow::workflow_to_json(document)},
      {"dataset", dataset_json(ds)},
      {"backend", backend->name()},
      {"plan",
       {{"type", document.plan.type == nnworkflow::PlanType::KFold ? "kfold" : "train_test"},
        {"folds", fold_count}}},
      {"folds", folds}};
  const auto device = backend->device();
  result["device"] = {{"kind", device.kind},
                      {"name", device.name},
                      {"threads", device.threads},
                      {"integrated", device.integrated}};
  if (fold_count == 1) {
    result["metrics"] = folds[0]["metrics"];
  } else {
    auto [mean, sd] = summarize_folds(fold_metrics);
    result["metrics"] = mean;
    result["metrics_std"] = sd;
  }
  result["timings_ms"] = {{"load", load_ms},
                          {"preprocess", timings.preprocess},
                          {"train", timings.train},
                          {"evaluate", timings.evaluate},
                          {"total", ms_since(run_start)}};
  return result;
}

}  // namespace dlaaw::executor
