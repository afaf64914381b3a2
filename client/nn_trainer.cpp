// nn_trainer.cpp - training a C++-designed workflow here or on the resource it names.
#include "client/nn_trainer.h"

#include "common/errors.h"
#include "executor/resource_check.h"
#include "resources/resource_file.h"

namespace dlaaw::client {

bool resource_is_here(const std::optional<std::string>& name,
                      const resources::ResourceRegistry& registry) {
  if (!name || *name == resources::kAnyQueue) return true;
  const auto& resource = registry.require(*name, "resource");
  return !executor::unmet_requirement(resource, executor::this_machine());
}

NNTrainer::NNTrainer(nnworkflow::NNWorkflow& workflow, int batches, int epochs,
                     executor::EngineOptions options, std::shared_ptr<RemoteTraining> remote,
                     std::optional<resources::ResourceRegistry> registry)
    : workflow_(workflow),
      options_(std::move(options)),
      remote_(std::move(remote)),
      registry_(registry ? std::move(*registry) : resources::load_registry("")) {
  workflow_.training().batches = batches;
  workflow_.training().batch_size.reset();
  workflow_.training().epochs = epochs;
}

results::RunResult NNTrainer::train() {
  const nnworkflow::ValidWorkflow workflow = workflow_.document();
  const auto& name = workflow->resource;
  if (resource_is_here(name, registry_)) {
    executor::EngineOptions options = options_;
    if (name && *name != resources::kAnyQueue) {
      const auto& resource = registry_.require(*name, "resource");
      options.backend = resource.backend == resources::Backend::Cuda ? "cuda" : "cpu";
      options.kernel = resource.defaults.kernel;
      options.memory = resource.defaults.memory;
      if (options.threads == 0) options.threads = resource.defaults.threads;
    }
    return executor::run_workflow(workflow, options);
  }
  if (!remote_) {
    throw ServiceUnavailable("resource " + *name +
                             " is not on this machine; give the trainer a QueueTraining (a Redis "
                             "URL) so that an executor of that resource trains it");
  }
  return remote_->train(workflow);
}

}  // namespace dlaaw::client
