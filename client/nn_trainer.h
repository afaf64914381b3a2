// nn_trainer.h - the C++ API of the paper's Listing 2: train an NNWorkflow and get its result.
//
//   BreastCancerNet net;
//   dlaaw::client::NNTrainer trainer(net, /*batches=*/6, /*epochs=*/1000);
//   dlaaw::results::RunResult result = trainer.train();
//
// A workflow whose resource is on this machine trains in process; one that names a resource
// elsewhere (a Jetson on the lab network) goes through `remote`, e.g. QueueTraining, unchanged.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "executor/engine.h"
#include "nnworkflow/nn_workflow.h"
#include "resources/resource_registry.h"
#include "results/run_result.h"

namespace dlaaw::client {

// Trains a document somewhere else and returns its result.
class RemoteTraining {
 public:
  virtual ~RemoteTraining() = default;
  virtual results::RunResult train(const nnworkflow::ValidWorkflow& workflow) = 0;
};

// True when this machine is the resource `name`: unset and any always; a resource of the
// registry when the machine meets its requirements. Throws InvalidInput for a name the registry
// does not know.
bool resource_is_here(const std::optional<std::string>& name,
                      const resources::ResourceRegistry& registry);

class NNTrainer {
 public:
  // `registry` says what the workflow's resource needs (default: the built-ins and the file
  // $DLAAW_RESOURCES names; InvalidInput when that file is bad).
  NNTrainer(nnworkflow::NNWorkflow& workflow, int batches, int epochs,
            executor::EngineOptions options = {}, std::shared_ptr<RemoteTraining> remote = nullptr,
            std::optional<resources::ResourceRegistry> registry = std::nullopt);

  // Runs the workflow here (on the resource's backend) or through `remote`. Throws as
  // run_workflow does, and ServiceUnavailable when the resource is elsewhere and no remote was
  // given.
  results::RunResult train();

 private:
  nnworkflow::NNWorkflow& workflow_;
  executor::EngineOptions options_;
  std::shared_ptr<RemoteTraining> remote_;
  resources::ResourceRegistry registry_;
};

}  // namespace dlaaw::client
