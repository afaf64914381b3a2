// dataset_task.h - what can be known about a dataset task without reading its data: its checks,
// its label, its split, and the number of features it will give.
#pragma once

#include <optional>
#include <string>

#include "pipeline/pipeline_document.h"

namespace dlaaw::pipeline {

// Checks a dataset task's source and steps; `path` is the task's ("tasks.prep"). Throws
// InvalidInput naming the field for: not exactly one of catalog and path; an unknown catalog name;
// label, positive or header on a catalog source; positive without a label; an empty column list
// or a column named twice; the label selected, dropped or encoded; categories for a column the
// step does not encode, or an empty or repeating category list; <, <=, > or >= with a text
// value; a split with test_fraction outside (0, 1) or k < 2; a second split or scaling; a step
// other than min_max_scale after the split; scaling without a split before it; steps that
// statically leave no feature column.
void validate_dataset_task(const DatasetSettings& dataset, const std::string& path);

// The label column (the catalog's, or the source's), or nullopt for unlabelled rows.
std::optional<std::string> source_label(const DatasetSource& source);

// The task's split step, or nullopt.
std::optional<SplitRows> find_split(const DatasetSettings& dataset);

// The feature count a dataset task gives, when it can be known before the data is read; else
// `count` is unset and `unknown_because` says why (a file's columns, or a one-hot encoding
// whose categories are known only from the data).
struct FeatureCount {
  std::optional<int> count;
  std::string unknown_because;
};
FeatureCount static_feature_count(const DatasetSettings& dataset);

}  // namespace dlaaw::pipeline
