// engine.h - the NNWorkflow engine: runs a workflow's plan on a backend and returns the result.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "datasets/dataset_loader.h"
#include "kernels/device_modes.h"
#include "nnworkflow/workflow_validation.h"
#include "results/run_result.h"

namespace dlaaw::executor {

struct Progress {
  int fold = 0;  // 0-based
  int folds = 1;
  int epoch = 0;  // 1-based, within the fold
  int epochs = 0;
  double loss = 0;
};

struct EngineOptions {
  std::filesystem::path data_dir = "data";
  // The dataset file already read and checked (an executor's blob); data_dir is then not read.
  std::optional<datasets::DatasetFile> dataset_file;
  std::string backend = "cpu";  // see kernels::make_backend
  int threads = 0;              // CPU threads; 0 = all
  // The resource's defaults, used where the document says auto or nothing.
  kernels::KernelChoice kernel = kernels::KernelChoice::Auto;
  kernels::MemoryPath memory = kernels::MemoryPath::Auto;
  // Seconds without a finished epoch before a GPU job fails (0: the kernels' default).
  double watchdog_seconds = 0;
  // Called after every epoch; returning false cancels the run (JobCancelled is thrown).
  std::function<bool(const Progress&)> on_progress;
  // When not empty, every fold starts from these weights instead of the document's init (a warm
  // start, or a rounding-level change of the start in tests); InvalidInput unless it holds one
  // finite value per parameter of the network.
  std::vector<float> initial_parameters;
};

// Loads the dataset, drops rows with empty values, splits (train/test or k folds), fits the scaler
// on each training part, trains, predicts the test rows and measures them. The result holds the
// document, dataset provenance, device, per-fold models (weights + scaler), test predictions,
// metrics (with mean and std over folds), per-epoch loss, timings in ms, what a GPU backend used
// (kernel, memory path, blocks per model, kernel, library and context times) and the joules of
// training where the device exposes them (kernels::platform::EnergyMeter).
// Throws InvalidInput for a dataset that does not fit the document, JobCancelled when on_progress
// says stop, and ServiceUnavailable when the backend's device fails.
results::RunResult run_workflow(const nnworkflow::ValidWorkflow& workflow,
                                const EngineOptions& options);

}  // namespace dlaaw::executor
