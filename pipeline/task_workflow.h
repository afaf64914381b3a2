// task_workflow.h - the NNWorkflow documents of train and sweep tasks, read without their dataset.
//
// In a pipeline a train task's dataset is the needed dataset task's output, so the workflow's own
// "dataset" is replaced (and may be left out), as may "schema" and "name" (the task's name).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "nnworkflow/workflow_document.h"

namespace dlaaw::pipeline {

// The workflow JSON with "schema" and "name" filled in when absent and "dataset" removed.
// Throws InvalidInput "must be an object" for anything else.
nlohmann::json normalize_task_workflow(nlohmann::json workflow, const std::string& default_name);

// The same JSON with a stand-in dataset that nnworkflow's reader and validator accept without
// comparing widths (the pipeline checks widths against the dataset task itself). Only for
// handing a task's workflow to nnworkflow; never stored.
nlohmann::json with_stand_in_dataset(nlohmann::json normalized);

// Reads a normalized workflow; the result's dataset is empty. Throws InvalidInput as
// workflow_from_json does (messages relative to the workflow: "network[2]: ...").
nnworkflow::WorkflowDocument task_workflow_from_json(const nlohmann::json& normalized);

// The workflow as a task stores it in JSON: workflow_to_json without "dataset".
nlohmann::json task_workflow_to_json(const nnworkflow::WorkflowDocument& workflow);

// validate_workflow for everything but the dataset. Throws InvalidInput as it does.
void validate_task_workflow(const nnworkflow::WorkflowDocument& workflow);

}  // namespace dlaaw::pipeline
