// pipeline_page.h - the report page of one pipeline: its DAG as SVG boxes coloured by state,
// with links to the runs of its train tasks and the hashes of its artifacts.
#pragma once

#include <string>

#include "tracker/pipeline_store.h"

namespace dlaaw::reports {

// The page of `pipeline`: one box per task (class "task state-<state>", data-task and data-state
// attributes, so that tests and scripts can read them), placed by depth in the DAG, edges from
// each need to its task, and a table of tasks with timings, jobs, runs and outputs. Every value
// is escaped. Refreshes every 2 s while the pipeline runs.
std::string pipeline_page(const tracker::PipelineView& pipeline);

}  // namespace dlaaw::reports
