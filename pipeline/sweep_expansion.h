// sweep_expansion.h - turns each sweep task of a pipeline into its members, one train task each.
#pragma once

#include "pipeline/pipeline_document.h"

namespace dlaaw::pipeline {

// The pipeline with every sweep task replaced, in place, by its members: train tasks named
// "<sweep>.1", "<sweep>.2", ... in expand_sweep's order (deterministic for a document), each
// needing what the sweep needs; a need that names a sweep becomes all its members. A member runs
// on the resource its resource axis gives, else the sweep task's, else its workflow's. Throws
// InvalidInput "tasks.grid.sweep: member 3 (nn2 seed=3): ..." for an invalid member, for a
// "dataset" axis (the dataset comes from needs), and for a resource axis on a sweep task that
// names a resource itself.
PipelineDocument expand_sweeps(const PipelineDocument& pipeline);

}  // namespace dlaaw::pipeline
