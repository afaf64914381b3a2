// task_workflow.cpp - reading and validating the workflows of train and sweep tasks.
#include "pipeline/task_workflow.h"

#include "common/errors.h"
#include "common/json_fields.h"
#include "nnworkflow/workflow_json.h"
#include "nnworkflow/workflow_validation.h"

namespace dlaaw::pipeline {
namespace {

using nlohmann::json;

// nnworkflow validates a document together with its dataset and has no form for "the dataset
// comes from elsewhere". A path dataset is the one form whose checks (a non-empty path and label)
// involve neither files nor widths, so it stands in while nnworkflow reads and validates.
const char* const kStandIn = "(the prepared dataset of the pipeline)";

datasets::DatasetSpec stand_in_spec() {
  datasets::DatasetSpec spec;
  spec.path = kStandIn;
  spec.label = kStandIn;
  return spec;
}

}  // namespace

json normalize_task_workflow(json workflow, const std::string& default_name) {
  require_object(workflow, "workflow");
  if (!workflow.contains("schema")) workflow["schema"] = nnworkflow::kWorkflowSchema;
  if (!workflow.contains("name")) workflow["name"] = default_name;
  workflow.erase("dataset");
  return workflow;
}

json with_stand_in_dataset(json normalized) {
  normalized["dataset"] = {{"path", kStandIn}, {"label", kStandIn}};
  return normalized;
}

nnworkflow::WorkflowDocument task_workflow_from_json(const json& normalized) {
  auto document = nnworkflow::workflow_from_json(with_stand_in_dataset(normalized));
  document.dataset = {};
  return document;
}

json task_workflow_to_json(const nnworkflow::WorkflowDocument& workflow) {
  json j = nnworkflow::workflow_to_json(workflow);
  j.erase("dataset");
  return j;
}

void validate_task_workflow(const nnworkflow::WorkflowDocument& workflow) {
  nnworkflow::WorkflowDocument copy = workflow;
  copy.dataset = stand_in_spec();
  nnworkflow::validate_workflow(copy);
}

}  // namespace dlaaw::pipeline
