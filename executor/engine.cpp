// engine.cpp - one workflow run, from dataset file to result.
#include "executor/engine.h"

#include "common/errors.h"
#include "common/stopwatch.h"
#include "datasets/min_max_scaler.h"
#include "datasets/splits.h"
#include "executor/fold_training.h"

namespace dlaaw::executor {
namespace {

std::vector<float> labels_of(const datasets::Dataset& ds, const std::vector<std::size_t>& rows) {
  std::vector<float> y;
  y.reserve(rows.size());
  for (auto r : rows) y.push_back(ds.labels[r]);
  return y;
}

results::DatasetRecord dataset_record(const datasets::Dataset& ds) {
  return {ds.name,          ds.file,      ds.sha256,       ds.label,  ds.positive,
          ds.feature_names, ds.rows_read, ds.rows_dropped, ds.rows(), ds.note};
}

datasets::Dataset load_checked(const nnworkflow::WorkflowDocument& document,
                               const EngineOptions& options) {
  datasets::Dataset ds = options.dataset_file
                             ? datasets::load_dataset(document.dataset, options.dataset_file)
                             : datasets::load_dataset(document.dataset, options.data_dir);
  if (static_cast<std::size_t>(document.network.front().in) != ds.cols()) {
    throw InvalidInput("network[0]: Linear.in is " + std::to_string(document.network.front().in) +
                       " but dataset " + ds.name + " has " + std::to_string(ds.cols()) +
                       " features");
  }
  return ds;
}

std::vector<datasets::Split> plan_splits(const nnworkflow::WorkflowDocument& document,
                                         std::size_t rows) {
  const std::uint64_t seed = document.training.effective_seed();
  if (document.plan.type == nnworkflow::PlanType::TrainTest)
    return {datasets::train_test_split(rows, document.plan.effective_test_fraction(), seed)};
  return datasets::kfold_splits(rows, *document.plan.k, seed);
}

std::vector<FoldData> prepare_folds(const datasets::Dataset& ds,
                                    const std::vector<datasets::Split>& splits) {
  std::vector<FoldData> data;
  for (const auto& split : splits) {
    auto scaler = datasets::MinMaxScaler::fit(ds.features, ds.cols(), split.train);
    kernels::Matrix x_train{split.train.size(), ds.cols(),
                            scaler.transform(ds.features, split.train)};
    kernels::Matrix x_test{split.test.size(), ds.cols(), scaler.transform(ds.features, split.test)};
    data.push_back({std::move(scaler), std::move(x_train), std::move(x_test),
                    labels_of(ds, split.train), labels_of(ds, split.test)});
  }
  return data;
}

}  // namespace

results::RunResult run_workflow(const nnworkflow::ValidWorkflow& workflow,
                                const EngineOptions& options) {
  const nnworkflow::WorkflowDocument& document = workflow;
  const auto run_start = SteadyClock::now();
  results::RunResult result;
  auto t0 = SteadyClock::now();
  const datasets::Dataset ds = load_checked(document, options);
  result.timings.load = ms_since(t0);

  t0 = SteadyClock::now();
  const auto splits = plan_splits(document, ds.rows());
  const auto data = prepare_folds(ds, splits);
  result.timings.preprocess = ms_since(t0);

  train_and_measure(document, ds, splits, data, options, result);
  result.workflow = document;
  result.dataset = dataset_record(ds);
  result.timings.total = ms_since(run_start);
  return result;
}

}  // namespace dlaaw::executor
