// workflow_validation.h - semantic checks of a workflow document, before anything runs or queues.
#pragma once

#include "nnworkflow/workflow_document.h"

namespace dlaaw::nnworkflow {

// Throws InvalidInput with the first problem, naming its field, e.g.
// "network[2]: Linear.in is 4 but the previous layer gives 3".
void validate_workflow(const WorkflowDocument& d);

}  // namespace dlaaw::nnworkflow
