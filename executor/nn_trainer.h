// nn_trainer.h - the C++ API of the paper's Listing 2: train an NNWorkflow and get its result.
//
//   BreastCancerNet net;
//   dlaaw::executor::NNTrainer trainer(net, /*batches=*/6, /*epochs=*/1000);
//   nlohmann::json result = trainer.train();
#pragma once

#include <nlohmann/json.hpp>

#include "executor/engine.h"
#include "nnworkflow/nn_workflow.h"

namespace dlaaw::executor {

// Trains in this process on the backend named in the options (CPU by default).
class NNTrainer {
 public:
  NNTrainer(nnworkflow::NNWorkflow& workflow, int batches, int epochs, EngineOptions options = {});

  // Runs the workflow; throws as run_workflow does.
  nlohmann::json train();

 private:
  nnworkflow::NNWorkflow& workflow_;
  EngineOptions options_;
};

}  // namespace dlaaw::executor
