// workflow_validation.h - semantic checks of a workflow document, before anything runs or queues.
#pragma once

#include <string>

#include "nnworkflow/workflow_document.h"

namespace dlaaw::nnworkflow {

// The most folds a k-fold plan may have: every fold holds a scaled copy of the rows, so k is what
// multiplies a run's memory, and past 100 folds a fold's test part is a handful of rows anyway.
inline constexpr int kMaxFolds = 100;

// Checks a split plan (a workflow's `plan`, a pipeline's split step): a test fraction strictly
// between 0 and 1, or 2 <= k <= kMaxFolds. Throws InvalidInput naming `at` + ".test_fraction" or
// ".k".
void validate_plan(const PlanSpec& plan, const std::string& at);

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
