// fold_training.cpp - training every fold of a run and measuring each on its test rows.
#include "executor/fold_training.h"

#include <cmath>
#include <string>
#include <thread>
#include <tuple>

#include "common/errors.h"
#include "common/stopwatch.h"
#include "executor/memory_budget.h"
#include "executor/metrics.h"
#include "executor/model_mapping.h"
#include "executor/train_config.h"
#include "kernels/backend.h"
#include "kernels/device_modes.h"
#include "kernels/platform/energy_meter.h"

namespace dlaaw::executor {
namespace {

void check_batches(const kernels::TrainConfig& config, const std::vector<datasets::Split>& splits) {
  for (const auto& split : splits) {
    if (split.train.size() < static_cast<std::size_t>(config.batches)) {
      throw InvalidInput("training.batches: " + std::to_string(config.batches) +
                         " mini-batches but only " + std::to_string(split.train.size()) +
                         " training rows");
    }
  }
}

// A training set of one class teaches nothing and scores a perfect accuracy: refused.
void check_classes(const datasets::Dataset& ds, const std::vector<datasets::Split>& splits) {
  for (std::size_t f = 0; f < splits.size(); ++f) {
    std::size_t positives = 0;
    for (const auto r : splits[f].train) positives += ds.labels[r] > 0.5f;
    if (positives != 0 && positives != splits[f].train.size()) continue;
    throw InvalidInput("dataset.label: every training row" +
                       (splits.size() > 1 ? " of fold " + std::to_string(f) : std::string()) +
                       " is class " + (positives ? "1" : "0") + "; need both classes");
  }
}

// The weights training starts from: the caller's (checked) or the document's init.
std::vector<float> initial_parameters(const kernels::ModelSpec& spec,
                                      const nnworkflow::WorkflowDocument& document,
                                      const EngineOptions& options) {
  if (options.initial_parameters.empty()) {
    return kernels::xavier_uniform_parameters(spec, document.training.effective_seed());
  }
  if (options.initial_parameters.size() != spec.parameter_count()) {
    throw InvalidInput("initial parameters: " + std::to_string(options.initial_parameters.size()) +
                       " values for a network of " + std::to_string(spec.parameter_count()) +
                       " parameters");
  }
  for (std::size_t k = 0; k < options.initial_parameters.size(); ++k) {
    if (!std::isfinite(options.initial_parameters[k])) {
      throw InvalidInput("initial parameters: value " + std::to_string(k) + " is not finite");
    }
  }
  return options.initial_parameters;
}

// Trains every fold side by side (the backend may run them in one launch).
std::vector<kernels::TrainOutcome> train_folds(kernels::Backend& backend,
                                               const kernels::ModelSpec& spec,
                                               const std::vector<float>& initial,
                                               const std::vector<FoldData>& data,
                                               const kernels::TrainConfig& config,
                                               const EngineOptions& options) {
  std::vector<kernels::TrainingSet> sets;
  for (const auto& d : data) sets.push_back({&d.x_train, &d.y_train});
  const int folds = static_cast<int>(data.size());
  bool cancelled = false;
  std::string diverged;
  const kernels::ModelEpochCallback on_epoch = [&](int fold, int epoch, double loss) {
    if (!std::isfinite(loss)) {  // every later epoch and score would be NaN too: stop now
      diverged = "fold " + std::to_string(fold) + " epoch " + std::to_string(epoch) + " loss is " +
                 std::to_string(loss);
      return false;
    }
    if (!options.on_progress) return true;
    cancelled = !options.on_progress(Progress{fold, folds, epoch, config.epochs, loss});
    return !cancelled;
  };
  auto outcomes = backend.train_many(spec, initial, sets, config, on_epoch);
  if (cancelled) throw JobCancelled("cancelled during training");
  for (std::size_t f = 0; f < outcomes.size() && diverged.empty(); ++f) {
    for (const float w : outcomes[f].parameters) {
      if (!std::isfinite(w)) {
        diverged = "fold " + std::to_string(f) + " ended with non-finite parameters";
        break;
      }
    }
  }
  if (!diverged.empty()) {
    throw JobFailed("training diverged (" + diverged +
                    "): lower training.learning_rate or check the data for extreme values");
  }
  return outcomes;
}

results::FoldResult fold_result(int fold, const datasets::Dataset& ds, const datasets::Split& split,
                                const FoldData& d, const kernels::TrainOutcome& outcome,
                                const std::vector<nnworkflow::NNTask>& layers, int batches,
                                std::vector<float> scores, const results::BinaryMetrics& metrics) {
  results::FoldResult f;
  f.fold = fold;
  f.train_rows = split.train.size();
  f.test_rows = split.test.size();
  f.batches = batches;
  f.epochs_run = outcome.epoch_loss.size();
  f.loss = outcome.epoch_loss;
  f.metrics = metrics;
  f.model = {layers,   outcome.parameters, ds.feature_names, ds.columns,
             ds.label, ds.categories,      d.scaler.min,     d.scaler.max};
  f.predictions = {split.test, d.y_test, std::move(scores)};
  return f;
}

kernels::platform::EnergyTarget energy_target(const kernels::DeviceInfo& device) {
  return device.kind == "cuda" ? kernels::platform::EnergyTarget::cuda(device.index)
                               : kernels::platform::EnergyTarget::cpu();
}

// What the backend reports of the training it just did: the kernel, memory path and GPU time
// (the same for every fold of one launch), its setup cost, and the energy where it was measured.
void record_execution(results::RunResult& result, const kernels::Backend& backend,
                      const kernels::TrainOutcome& outcome,
                      const kernels::platform::EnergyMeasurement& energy) {
  result.kernel = kernels::parse_kernel_choice(outcome.kernel);  // nullopt for "cpu"
  result.memory = kernels::parse_memory_path(outcome.memory);    // nullopt for "host"
  if (outcome.blocks_per_model > 0) result.blocks_per_model = outcome.blocks_per_model;
  if (outcome.kernel_ms > 0) result.timings.gpu_kernel = outcome.kernel_ms;
  const auto setup = backend.setup_timings();
  if (setup.library_ms > 0) result.timings.gpu_library = setup.library_ms;
  if (setup.context_ms > 0) result.timings.gpu_context = setup.context_ms;
  if (energy.available) {
    const std::string scope = energy.scope.empty() ? "" : " (" + energy.scope + ")";
    result.energy = results::EnergyRecord{energy.joules, energy.source + scope, energy.power_mode};
  }
}

// Everything that can be refused is refused here, before the backend allocates or trains.
void check_trainable(const nnworkflow::WorkflowDocument& document, const datasets::Dataset& ds,
                     const std::vector<datasets::Split>& splits, const kernels::TrainConfig& config,
                     const EngineOptions& options) {
  check_network_limits(document.network);
  check_batches(config, splits);
  check_classes(ds, splits);
  const int threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  check_memory(estimate_training_bytes(document.network, ds.rows(), ds.cols(), splits.size(),
                                       config.batches, threads),
               host_memory_bytes());
}

void summarize(results::RunResult& result) {
  if (result.folds.size() == 1) {
    result.metrics = results::summary_of(result.folds[0].metrics);
    return;
  }
  std::vector<results::BinaryMetrics> fold_metrics;
  for (const auto& f : result.folds) fold_metrics.push_back(f.metrics);
  std::tie(result.metrics, result.metrics_std) = summarize_folds(fold_metrics);
}

}  // namespace

void train_and_measure(const nnworkflow::WorkflowDocument& document, const datasets::Dataset& ds,
                       const std::vector<datasets::Split>& splits,
                       const std::vector<FoldData>& data, const EngineOptions& options,
                       results::RunResult& result) {
  const kernels::TrainConfig config = train_config(document, splits.front().train.size(), options);
  check_trainable(document, ds, splits, config, options);
  const kernels::ModelSpec spec = model_spec_from_network(document.network);
  const auto initial = initial_parameters(spec, document, options);
  auto backend = kernels::make_backend(options.backend, options.threads);
  check_device_memory(estimate_device_bytes(document.network, ds.rows(), ds.cols(), splits.size()),
                      backend->device());
  // The backend exists already: training time and energy exclude loading the GPU library and
  // creating the CUDA context, which setup_timings() reports apart.
  kernels::platform::EnergyMeter meter(energy_target(backend->device()));
  auto t0 = SteadyClock::now();
  const auto outcomes = train_folds(*backend, spec, initial, data, config, options);
  result.timings.train = ms_since(t0);
  record_execution(result, *backend, outcomes.front(), meter.stop());

  for (std::size_t f = 0; f < splits.size(); ++f) {
    t0 = SteadyClock::now();
    auto scores = backend->predict(spec, outcomes[f].parameters, data[f].x_test);
    const auto metrics = compute_metrics(scores, data[f].y_test);
    result.timings.evaluate += ms_since(t0);
    result.folds.push_back(fold_result(static_cast<int>(f), ds, splits[f], data[f], outcomes[f],
                                       document.network, config.batches, std::move(scores),
                                       metrics));
  }
  result.backend = backend->name();
  result.device = backend->device();
  summarize(result);
  result.code_version = DLAAW_CODE_VERSION;
}

}  // namespace dlaaw::executor
