// fold_training.h - the part of a run shared by a catalog dataset (engine.h) and a prepared one
// (prepared_training.h): every fold trained side by side, then measured on its test rows.
#pragma once

#include <vector>

#include "datasets/dataset.h"
#include "datasets/min_max_scaler.h"
#include "datasets/splits.h"
#include "executor/engine.h"
#include "kernels/model_spec.h"
#include "nnworkflow/workflow_document.h"
#include "results/run_result.h"

namespace dlaaw::executor {

// One fold's rows, scaled with the scaler fitted on (or stored for) its training part.
struct FoldData {
  datasets::MinMaxScaler scaler;
  kernels::Matrix x_train, x_test;
  std::vector<float> y_train, y_test;
};

// Trains `document`'s network on every fold of `data` (row indices `splits` of `ds`) with
// options.backend, scores each fold's test rows, and fills `result`'s folds (model, loss,
// predictions), metrics (mean ± std over folds), backend, device, what the GPU used, energy,
// timings.train and timings.evaluate, and code_version. Throws InvalidInput before training when
// a fold has fewer training rows than mini-batches or rows of one class only, when the run needs
// more memory than the host has, or for bad options.initial_parameters; JobFailed when training
// diverges (a non-finite loss or weight); JobCancelled when options.on_progress says stop.
void train_and_measure(const nnworkflow::WorkflowDocument& document, const datasets::Dataset& ds,
                       const std::vector<datasets::Split>& splits,
                       const std::vector<FoldData>& data, const EngineOptions& options,
                       results::RunResult& result);

}  // namespace dlaaw::executor
