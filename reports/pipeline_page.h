// pipeline_page.h - the report page of one pipeline: its DAG as SVG boxes coloured by state,
// with links to the runs of its train tasks and the hashes of its artifacts.
#pragma once

#include <map>
#include <string>

#include "queue/job_events.h"
#include "tracker/pipeline_store.h"

namespace dlaaw::reports {

// The page of `pipeline`: one box per task (class "task state-<state>", data-task and data-state
// attributes, so that tests and scripts can read them), placed by depth in the DAG, edges from
// each need to its task, and a table of tasks (id "tasks", a row per task with data-task) with
// timings, jobs, runs (a train task's box links to it), outputs, and for a reused task the job
// and run that produced its output (cell class "source"). A running task whose job has an entry
// in `progress_by_job` (latest_progress) shows its fold, epoch and loss (class "progress"). Every
// value is escaped. Refreshes every 2 s while the pipeline runs.
std::string pipeline_page(const tracker::PipelineView& pipeline,
                          const std::map<std::string, queue::ProgressEvent>& progress_by_job = {});

}  // namespace dlaaw::reports
