// nn_trainer.h - the C++ API of the paper's Listing 2: train an NNWorkflow and get its result.
//
//   BreastCancerNet net;
//   dlaaw::executor::NNTrainer trainer(net, /*batches=*/6, /*epochs=*/1000);
//   nlohmann::json result = trainer.train();
//
// A workflow whose resource is on this machine trains in process; one that names a resource
// elsewhere (a Jetson on the lab network) goes through `remote`, e.g. QueueTraining, unchanged.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "executor/engine.h"
#include "nnworkflow/nn_workflow.h"

namespace dlaaw::executor {

// Trains a document somewhere else and returns the result JSON of run_workflow.
class RemoteTraining {
 public:
  virtual ~RemoteTraining() = default;
  virtual nlohmann::json train(const nnworkflow::WorkflowDocument& document) = 0;
};

// True when this machine is the resource: unset, any and cpu always; local-gpu with a CUDA
// device; xavier and nano with an integrated (Jetson) GPU.
bool resource_is_here(const std::optional<std::string>& resource);

class NNTrainer {
 public:
  NNTrainer(nnworkflow::NNWorkflow& workflow, int batches, int epochs, EngineOptions options = {},
            std::shared_ptr<RemoteTraining> remote = nullptr);

  // Runs the workflow here or through `remote`. Throws as run_workflow does, and
  // ServiceUnavailable when the resource is elsewhere and no remote was given.
  nlohmann::json train();

 private:
  nnworkflow::NNWorkflow& workflow_;
  EngineOptions options_;
  std::shared_ptr<RemoteTraining> remote_;
};

}  // namespace dlaaw::executor
