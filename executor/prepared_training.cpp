// prepared_training.cpp - training on a prepared dataset's stored splits and scalers.
#include "executor/prepared_training.h"

#include <chrono>
#include <tuple>

#include "common/errors.h"
#include "executor/metrics.h"
#include "executor/model_mapping.h"
#include "executor/train_config.h"
#include "kernels/backend.h"

namespace dlaaw::executor {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void check_fits(const nnworkflow::WorkflowDocument& workflow,
                const pipeline::PreparedDataset& prepared) {
  const auto& s = prepared.schema;
  if (static_cast<std::size_t>(workflow.network.front().in) != prepared.cols()) {
    throw InvalidInput("network[0]: Linear.in is " + std::to_string(workflow.network.front().in) +
                       " but the prepared dataset " + s.source_name + " has " +
                       std::to_string(prepared.cols()) + " features");
  }
  if (!s.label) throw InvalidInput("the prepared dataset has no label to train on");
  if (!s.split) throw InvalidInput("the prepared dataset is not split into training and test rows");
  const bool kfold = s.split->plan.type == nnworkflow::PlanType::KFold;
  if (kfold != (workflow.plan.type == nnworkflow::PlanType::KFold)) {
    throw InvalidInput(std::string("plan.type: the workflow's plan is ") +
                       (kfold ? "train_test" : "kfold") + " but the dataset is split " +
                       (kfold ? "into folds" : "train/test"));
  }
}

struct SplitData {
  datasets::MinMaxScaler scaler;
  kernels::Matrix x_train, x_test;
  std::vector<float> y_train, y_test;
};

std::vector<float> labels_of(const pipeline::PreparedDataset& p,
                             const std::vector<std::size_t>& rows) {
  std::vector<float> y;
  y.reserve(rows.size());
  for (auto r : rows) y.push_back(p.labels[r]);
  return y;
}

std::vector<SplitData> split_data(const pipeline::PreparedDataset& p,
                                  const std::vector<datasets::Split>& splits) {
  std::vector<SplitData> data;
  for (std::size_t j = 0; j < splits.size(); ++j) {
    auto scaler = split_scaler(p, j);
    kernels::Matrix x_train{splits[j].train.size(), p.cols(),
                            scaler.transform(p.values, splits[j].train)};
    kernels::Matrix x_test{splits[j].test.size(), p.cols(),
                           scaler.transform(p.values, splits[j].test)};
    data.push_back({std::move(scaler), std::move(x_train), std::move(x_test),
                    labels_of(p, splits[j].train), labels_of(p, splits[j].test)});
  }
  return data;
}

std::vector<kernels::TrainOutcome> train_splits(kernels::Backend& backend,
                                                const kernels::ModelSpec& spec,
                                                const std::vector<float>& initial,
                                                const std::vector<SplitData>& data,
                                                const kernels::TrainConfig& config,
                                                const EngineOptions& options) {
  std::vector<kernels::TrainingSet> sets;
  for (const auto& d : data) sets.push_back({&d.x_train, &d.y_train});
  const int folds = static_cast<int>(data.size());
  bool cancelled = false;
  const kernels::ModelEpochCallback on_epoch = [&](int fold, int epoch, double loss) {
    if (!options.on_progress) return true;
    cancelled = !options.on_progress(Progress{fold, folds, epoch, config.epochs, loss});
    return !cancelled;
  };
  auto outcomes = backend.train_many(spec, initial, sets, config, on_epoch);
  if (cancelled) throw JobCancelled("cancelled during training");
  return outcomes;
}

results::DatasetRecord dataset_record(const pipeline::PreparedDataset& p,
                                      const std::string& prepared_sha256) {
  const auto& s = p.schema;
  return {s.source_name, "prepared", prepared_sha256, s.label.value_or(""),
          s.positive,    s.features, s.rows_read,     s.rows_dropped + s.rows_filtered,
          s.rows,        s.note};
}

}  // namespace

datasets::MinMaxScaler split_scaler(const pipeline::PreparedDataset& prepared, std::size_t split) {
  if (split < prepared.schema.scalers.size()) return prepared.schema.scalers[split];
  datasets::MinMaxScaler identity;
  identity.min.assign(prepared.cols(), 0.0);
  identity.max.assign(prepared.cols(), 1.0);
  return identity;
}

results::RunResult train_on_prepared(const nnworkflow::WorkflowDocument& workflow,
                                     const pipeline::PreparedDataset& prepared,
                                     const std::string& prepared_sha256,
                                     const EngineOptions& options) {
  const auto run_start = Clock::now();
  check_fits(workflow, prepared);
  results::RunResult result;
  auto t0 = Clock::now();
  const auto splits = pipeline::splits_of(prepared);
  const auto data = split_data(prepared, splits);
  result.timings.preprocess = ms_since(t0);

  const kernels::ModelSpec spec = model_spec_from_network(workflow.network);
  auto backend = kernels::make_backend(options.backend, options.threads);
  const kernels::TrainConfig config = train_config(workflow, splits.front().train.size(), options);
  for (const auto& split : splits) {
    if (split.train.size() < static_cast<std::size_t>(config.batches))
      throw InvalidInput("training.batches: " + std::to_string(config.batches) +
                         " mini-batches but only " + std::to_string(split.train.size()) +
                         " training rows");
  }
  t0 = Clock::now();
  const auto outcomes = train_splits(
      *backend, spec, kernels::xavier_uniform_parameters(spec, workflow.training.effective_seed()),
      data, config, options);
  result.timings.train = ms_since(t0);

  const datasets::Dataset ds = pipeline::to_dataset(prepared);
  for (std::size_t f = 0; f < splits.size(); ++f) {
    t0 = Clock::now();
    auto scores = backend->predict(spec, outcomes[f].parameters, data[f].x_test);
    const auto metrics = compute_metrics(scores, data[f].y_test);
    result.timings.evaluate += ms_since(t0);
    results::FoldResult fold;
    fold.fold = static_cast<int>(f);
    fold.train_rows = splits[f].train.size();
    fold.test_rows = splits[f].test.size();
    fold.batches = config.batches;
    fold.epochs_run = outcomes[f].epoch_loss.size();
    fold.loss = outcomes[f].epoch_loss;
    fold.metrics = metrics;
    fold.model = {workflow.network, outcomes[f].parameters, ds.feature_names,   ds.columns,
                  ds.label,         ds.categories,          data[f].scaler.min, data[f].scaler.max};
    fold.predictions = {splits[f].test, data[f].y_test, std::move(scores)};
    result.folds.push_back(std::move(fold));
  }
  result.workflow = workflow;
  result.dataset = dataset_record(prepared, prepared_sha256);
  result.backend = backend->name();
  result.device = backend->device();
  if (result.folds.size() == 1) {
    result.metrics = results::summary_of(result.folds[0].metrics);
  } else {
    std::vector<results::BinaryMetrics> fold_metrics;
    for (const auto& f : result.folds) fold_metrics.push_back(f.metrics);
    std::tie(result.metrics, result.metrics_std) = summarize_folds(fold_metrics);
  }
  result.code_version = DLAAW_CODE_VERSION;
  result.timings.total = ms_since(run_start);
  return result;
}

}  // namespace dlaaw::executor
