// nn_trainer.cpp - training a C++-designed workflow here or on the resource it names.
#include "executor/nn_trainer.h"

#include "common/errors.h"
#include "kernels/backend.h"

namespace dlaaw::executor {

bool resource_is_here(const std::optional<std::string>& resource) {
  if (!resource || *resource == "any" || *resource == "cpu") return true;
  const auto gpus = kernels::cuda_devices();
  if (*resource == "local-gpu") return !gpus.empty();
  return !gpus.empty() && gpus.front().integrated;  // xavier, nano: a Jetson
}

NNTrainer::NNTrainer(nnworkflow::NNWorkflow& workflow, int batches, int epochs,
                     EngineOptions options, std::shared_ptr<RemoteTraining> remote)
    : workflow_(workflow), options_(std::move(options)), remote_(std::move(remote)) {
  workflow_.training().batches = batches;
  workflow_.training().batch_size.reset();
  workflow_.training().epochs = epochs;
}

nlohmann::json NNTrainer::train() {
  const auto document = workflow_.document();
  if (resource_is_here(document.resource)) {
    EngineOptions options = options_;
    if (document.resource && *document.resource != "cpu" && *document.resource != "any") {
      options.backend = "cuda";
    }
    return run_workflow(document, options);
  }
  if (!remote_) {
    throw ServiceUnavailable("resource " + *document.resource +
                             " is not on this machine; give the trainer a QueueTraining (a Redis "
                             "URL) so that an executor of that resource trains it");
  }
  return remote_->train(document);
}

}  // namespace dlaaw::executor
