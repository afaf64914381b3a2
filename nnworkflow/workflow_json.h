// workflow_json.h - maps workflow documents to and from JSON, checking types as it reads.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "nnworkflow/workflow_document.h"
#include "nnworkflow/workflow_validation.h"

namespace dlaaw::nnworkflow {

// Reads a document. Throws InvalidInput naming the field for a wrong type, a missing required
// field, an unknown field or layer type, or another schema. Does not validate the semantics (see
// validate_workflow).
WorkflowDocument workflow_from_json(const nlohmann::json& j);

// The document as JSON; workflow_from_json(workflow_to_json(d)) == d, and for a document read from
// JSON, workflow_to_json gives that JSON back.
nlohmann::json workflow_to_json(const WorkflowDocument& d);

// The layer tasks of a "network" array (a stored model's layers). Throws InvalidInput.
std::vector<NNTask> network_from_json(const nlohmann::json& network);
// The "network" array of `tasks`.
nlohmann::json network_to_json(const std::vector<NNTask>& tasks);

// Reads, parses and validates a workflow file; messages start with the file name.
ValidWorkflow load_workflow_file(const std::string& path);

}  // namespace dlaaw::nnworkflow
