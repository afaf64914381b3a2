// prepare_dataset.h - runs a dataset task: a source table and its steps become a prepared dataset.
#pragma once

#include <filesystem>
#include <string>

#include "pipeline/pipeline_document.h"
#include "pipeline/prepared_dataset.h"
#include "pipeline/source_table.h"

namespace dlaaw::pipeline {

// Checks the task as validate_dataset_task does (its settings may come from an untrusted job),
// applies `dataset.steps` to `source` in order, then ordinal-codes the catalog's categorical
// columns no step encoded, turns every feature into a number and every label into 0/1, and, when
// there is a split step, stores the rows in the split's shuffled order with their parts (see
// prepared_dataset.h) and fits one min-max scaler per split when asked. Deterministic: the same
// source, steps and seed give the same bytes. `path` names the task ("tasks.prep") in messages.
// Throws InvalidInput naming the step and, for a cell, the file, line and column.
PreparedDataset prepare_dataset(const SourceTable& source, const DatasetSettings& dataset,
                                const std::string& path);

// read_source_table + prepare_dataset: what a dataset task's job does.
PreparedDataset run_dataset_task(const DatasetSettings& dataset,
                                 const std::filesystem::path& data_dir, const std::string& path);

}  // namespace dlaaw::pipeline
