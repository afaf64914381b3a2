// nn_workflow.h - the C++ API of the paper's Listing 1: a network designed as a workflow of layers.
//
//   class BreastCancerNet : public dlaaw::nnworkflow::NNWorkflow {
//    public:
//     BreastCancerNet() : NNWorkflow("breast-cancer") { use_catalog("breast_cancer"); }
//     void design() override { Sequential(Linear(5, 3), ReLU(), Linear(3, 1), Sigmoid()); }
//   };
#pragma once

#include <string>
#include <utility>

#include "nnworkflow/workflow_document.h"
#include "nnworkflow/workflow_validation.h"

namespace dlaaw::nnworkflow {

class NNWorkflow {
 public:
  explicit NNWorkflow(std::string name);
  virtual ~NNWorkflow() = default;

  // Where a subclass lays out its layer tasks (Listing 1); called once, by document().
  virtual void design() {}

  // Appends layer tasks in order: Sequential(Linear(8, 5), ReLU(), ...).
  template <typename... Tasks>
  void Sequential(Tasks&&... tasks) {
    (add_task(std::forward<Tasks>(tasks)), ...);
  }
  void add_task(NNTask task) { document_.network.push_back(task); }

  NNWorkflow& use_catalog(const std::string& name);
  NNWorkflow& use_dataset(datasets::DatasetSpec spec);
  NNWorkflow& train_test(double test_fraction);
  NNWorkflow& kfold(int k);
  NNWorkflow& learning_rate(double lr);
  NNWorkflow& momentum(double mu);
  NNWorkflow& seed(std::uint64_t seed);
  NNWorkflow& resource(const std::string& name);

  // Mutable training options (a trainer sets batches and epochs here).
  TrainingSpec& training() { return document_.training; }

  // The workflow document: design() (on first call) plus the options set so far, validated.
  // Throws InvalidInput if the document is not valid.
  ValidWorkflow document();

 private:
  WorkflowDocument document_;
  bool designed_ = false;
};

}  // namespace dlaaw::nnworkflow
