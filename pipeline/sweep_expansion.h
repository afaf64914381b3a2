// sweep_expansion.h - turns each sweep task of a pipeline into its members, one train task each.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

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

// "<sweep>.<n>": the name of member n (from 1) of sweep task `sweep`. The dot keeps it apart
// from every name a document can give a task.
std::string sweep_member_name(const std::string& sweep, std::size_t n);

// True for a name sweep_member_name makes from a plain name ("grid.12"); false otherwise.
bool is_sweep_member_name(std::string_view name);

}  // namespace dlaaw::pipeline
