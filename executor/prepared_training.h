// prepared_training.h - the engine on a prepared dataset (a pipeline's dataset task output)
// instead of a catalog dataset: the splits and scalers come from the prepared dataset.
#pragma once

#include "executor/engine.h"
#include "nnworkflow/workflow_document.h"
#include "pipeline/prepared_dataset.h"
#include "results/run_result.h"

namespace dlaaw::executor {

// Trains `workflow` (validated without its dataset: pipeline::validate_task_workflow) on every
// split of `prepared` (splits_of), each split's training rows scaled by its stored scaler (or
// unscaled when the dataset has none), and measures its test rows, as run_workflow does for a
// catalog dataset. `prepared_sha256` (the manifest's hash) is recorded as the result's dataset
// sha256, so that a model can be traced to the rows it learnt from. options.dataset_file and
// options.data_dir are not used. Throws InvalidInput when the network's input width is not the
// feature count, the rows are unlabelled or not split, or the workflow's plan does not match the
// split; JobCancelled and ServiceUnavailable as run_workflow does.
results::RunResult train_on_prepared(const nnworkflow::WorkflowDocument& workflow,
                                     const pipeline::PreparedDataset& prepared,
                                     const std::string& prepared_sha256,
                                     const EngineOptions& options);

// The scaler a model trained on split `split` of `prepared` applies to new rows: the stored one,
// or the identity (min 0, max 1) when the dataset was not scaled.
datasets::MinMaxScaler split_scaler(const pipeline::PreparedDataset& prepared, std::size_t split);

}  // namespace dlaaw::executor
