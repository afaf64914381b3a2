// nn_trainer.cpp - in-process training of a C++-designed workflow.
#include "executor/nn_trainer.h"

namespace dlaaw::executor {

NNTrainer::NNTrainer(nnworkflow::NNWorkflow& workflow, int batches, int epochs,
                     EngineOptions options)
    : workflow_(workflow), options_(std::move(options)) {
  workflow_.training().batches = batches;
  workflow_.training().batch_size.reset();
  workflow_.training().epochs = epochs;
}

nlohmann::json NNTrainer::train() { return run_workflow(workflow_.document(), options_); }

}  // namespace dlaaw::executor
