// resource_registry.h - every resource this process knows: the built-ins and user-defined ones.
//
// The one place that spells the built-in resource names. Every layer asks the registry whether a
// name exists, what backend it trains on and what its device must have.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "resources/resource.h"

namespace dlaaw::resources {

class ResourceRegistry {
 public:
  // The built-ins: local-gpu (a discrete NVIDIA GPU), xavier (integrated, sm_72), nano
  // (integrated, sm_53) and cpu (any host).
  ResourceRegistry();

  // Adds a user-defined resource read from `source` (a file name or "redis"). A resource already
  // there with the same definition changes nothing. Throws InvalidInput naming `source` when the
  // name is a built-in's, the any queue's, or is defined differently elsewhere.
  void add(Resource resource, const std::string& source);

  // The resource named `name`, or nullptr.
  const Resource* find(std::string_view name) const;

  // The resource named `name`. Throws InvalidInput "`field`: unknown resource \"x\" (known: ...)".
  const Resource& require(const std::string& name, const std::string& field) const;

  // Throws InvalidInput like require() unless `name` is a resource or the any queue (what a job
  // may name).
  void require_queue(const std::string& name, const std::string& field) const;

  // In order: the built-ins, then user-defined ones as they were added.
  const std::vector<Resource>& resources() const { return resources_; }

  // Every queue a job can be put on: each resource's, then any.
  std::vector<std::string> queue_names() const;

  // "local-gpu, xavier, nano, cpu or lab-cluster" (with_any: "..., lab-cluster or any").
  std::string known_names(bool with_any) const;

 private:
  std::vector<Resource> resources_;
  std::vector<std::string> sources_;  // where each resource was defined, for messages
};

}  // namespace dlaaw::resources
