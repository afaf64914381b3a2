// workflow_validation.h - semantic checks of a workflow document, before anything runs or queues.
#pragma once

#include "nnworkflow/workflow_document.h"

namespace dlaaw::nnworkflow {

// Throws InvalidInput with the first problem, naming its field, e.g.
// "network[2]: Linear.in is 4 but the previous layer gives 3".
void validate_workflow(const WorkflowDocument& d);

// A workflow document that passed validate_workflow. Whatever needs a valid document (the engine,
// job preparation) takes this type, so that a document is validated once where it enters (a file,
// a sweep, the C++ API, Redis) and never again on its way.
class ValidWorkflow {
 public:
  // Validates `document`; throws InvalidInput as validate_workflow does.
  explicit ValidWorkflow(WorkflowDocument document);

  const WorkflowDocument& document() const { return document_; }
  const WorkflowDocument* operator->() const { return &document_; }
  operator const WorkflowDocument&() const { return document_; }  // NOLINT: read-only view

 private:
  WorkflowDocument document_;
};

}  // namespace dlaaw::nnworkflow
