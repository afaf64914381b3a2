// nn_workflow.cpp - building workflow documents from C++ code.
#include "nnworkflow/nn_workflow.h"

namespace dlaaw::nnworkflow {

NNWorkflow::NNWorkflow(std::string name) {
  document_.name = std::move(name);
  document_.plan = PlanSpec{PlanType::TrainTest, 0.2, std::nullopt};
}

NNWorkflow& NNWorkflow::use_catalog(const std::string& name) {
  document_.dataset = datasets::DatasetSpec{};
  document_.dataset.catalog = name;
  return *this;
}

NNWorkflow& NNWorkflow::use_dataset(datasets::DatasetSpec spec) {
  document_.dataset = std::move(spec);
  return *this;
}

NNWorkflow& NNWorkflow::train_test(double test_fraction) {
  document_.plan = PlanSpec{PlanType::TrainTest, test_fraction, std::nullopt};
  return *this;
}

NNWorkflow& NNWorkflow::kfold(int k) {
  document_.plan = PlanSpec{PlanType::KFold, std::nullopt, k};
  return *this;
}

NNWorkflow& NNWorkflow::learning_rate(double lr) {
  document_.training.learning_rate = lr;
  return *this;
}

NNWorkflow& NNWorkflow::momentum(double mu) {
  document_.training.momentum = mu;
  return *this;
}

NNWorkflow& NNWorkflow::seed(std::uint64_t seed) {
  document_.training.seed = seed;
  return *this;
}

NNWorkflow& NNWorkflow::resource(const std::string& name) {
  document_.resource = name;
  return *this;
}

ValidWorkflow NNWorkflow::document() {
  if (!designed_) {
    designed_ = true;
    design();
  }
  return ValidWorkflow(document_);
}

}  // namespace dlaaw::nnworkflow
