// engine.h - the NNWorkflow engine: runs a workflow's plan on a backend and returns the result.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "nnworkflow/workflow_document.h"

namespace dlaaw::executor {

inline constexpr const char* kResultSchema = "dlaaw/result@1";

struct Progress {
  int fold = 0;  // 0-based
  int folds = 1;
  int epoch = 0;  // 1-based, within the fold
  int epochs = 0;
  double loss = 0;
};

struct EngineOptions {
  std::filesystem::path data_dir = "data";
  std::string backend = "cpu";  // see kernels::make_backend
  int threads = 0;              // CPU threads; 0 = all
  // Called after every epoch; returning false cancels the run (JobCancelled is thrown).
  std::function<bool(const Progress&)> on_progress;
};

// Loads the dataset, drops rows with empty values, splits (train/test or k folds), fits the scaler
// on each training part, trains, predicts the test rows and measures them. The result JSON holds
// the document, dataset provenance, device, per-fold models (weights + scaler), test predictions,
// metrics (with mean and std over folds), per-epoch loss and timings in ms.
// Throws InvalidInput for a bad document or dataset, JobCancelled when on_progress says stop, and
// ServiceUnavailable when the backend's device fails.
nlohmann::json run_workflow(const nnworkflow::WorkflowDocument& document,
                            const EngineOptions& options);

}  // namespace dlaaw::executor
