// prepared_training.cpp - training on a prepared dataset's stored splits and scalers.
#include "executor/prepared_training.h"

#include "common/errors.h"
#include "common/stopwatch.h"
#include "executor/fold_training.h"

namespace dlaaw::executor {
namespace {

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

std::vector<float> labels_of(const pipeline::PreparedDataset& p,
                             const std::vector<std::size_t>& rows) {
  std::vector<float> y;
  y.reserve(rows.size());
  for (auto r : rows) y.push_back(p.labels[r]);
  return y;
}

std::vector<FoldData> split_data(const pipeline::PreparedDataset& p,
                                 const std::vector<datasets::Split>& splits) {
  std::vector<FoldData> data;
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
  const auto run_start = SteadyClock::now();
  check_fits(workflow, prepared);
  results::RunResult result;
  auto t0 = SteadyClock::now();
  const auto splits = pipeline::splits_of(prepared);
  const auto data = split_data(prepared, splits);
  result.timings.preprocess = ms_since(t0);

  train_and_measure(workflow, pipeline::to_dataset(prepared), splits, data, options, result);
  result.workflow = workflow;
  result.dataset = dataset_record(prepared, prepared_sha256);
  result.timings.total = ms_since(run_start);
  return result;
}

}  // namespace dlaaw::executor
