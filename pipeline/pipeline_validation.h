// pipeline_validation.h - the checks of a whole pipeline, before anything is queued.
#pragma once

#include <cstddef>

#include "pipeline/pipeline_document.h"

namespace dlaaw::pipeline {

// At most this many tasks in a pipeline, sweeps expanded (a guard against hostile documents).
inline constexpr std::size_t kMaxTasks = 10000;

// Throws InvalidInput with the first problem, one line naming its field, checked in this order:
// names (the pipeline's and every resource a plain name); each task's own settings (dataset
// steps, workflows as validate_workflow checks them, thresholds in (0, 1)); the DAG (duplicate
// names, unknown needs, cycles named in full); kinds that do not fit (what each kind may need,
// e.g. a train task needs exactly one dataset task, which must be labelled and split); sweeps
// (each member valid); and shapes that do not fit (a network's input width against the dataset
// task's feature count where static_feature_count knows it, a workflow's plan against the split,
// an evaluated model's features against the dataset it is applied to).
void validate_pipeline(const PipelineDocument& pipeline);

}  // namespace dlaaw::pipeline
