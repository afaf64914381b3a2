// resource_registry.cpp - the built-in resources and the rules for adding user-defined ones.
#include "resources/resource_registry.h"

#include "common/errors.h"

namespace dlaaw::resources {
namespace {

Resource built_in(std::string name, Backend backend, DeviceRequirements requirements,
                  std::string description) {
  Resource r;
  r.name = std::move(name);
  r.backend = backend;
  r.requirements = requirements;
  r.description = std::move(description);
  r.built_in = true;
  return r;
}

}  // namespace

ResourceRegistry::ResourceRegistry() {
  // Memory defaults to auto everywhere: device memory, also on the Jetsons (DESIGN.md).
  resources_ = {
      built_in("local-gpu", Backend::Cuda, {false, std::nullopt, std::nullopt},
               "the host's discrete NVIDIA GPU"),
      built_in("xavier", Backend::Cuda, {true, ComputeCapability{7, 2}, std::nullopt},
               "NVIDIA Jetson AGX Xavier (sm_72): GPU and CPU share memory"),
      built_in("nano", Backend::Cuda, {true, ComputeCapability{5, 3}, std::nullopt},
               "NVIDIA Jetson Nano (sm_53): GPU and CPU share memory"),
      built_in("cpu", Backend::Cpu, {}, "any host's CPU (x86-64 or aarch64)"),
  };
  sources_.assign(resources_.size(), "built-in");
}

void ResourceRegistry::add(Resource resource, const std::string& source) {
  check_resource_name(resource.name, source + ": resource");
  if (resource.name == kAnyQueue) {
    throw InvalidInput(source +
                       ": resource \"any\" is the queue every executor serves; choose "
                       "another name");
  }
  resource.built_in = false;
  for (std::size_t i = 0; i < resources_.size(); ++i) {
    const Resource& known = resources_[i];
    if (known.name != resource.name) continue;
    if (known.built_in) {
      throw InvalidInput(source + ": resource \"" + resource.name +
                         "\" is a built-in resource; choose another name");
    }
    if (known == resource) return;
    throw InvalidInput(source + ": resource \"" + resource.name + "\" is defined differently in " +
                       sources_[i] + "; give it one definition");
  }
  resources_.push_back(std::move(resource));
  sources_.push_back(source);
}

const Resource* ResourceRegistry::find(std::string_view name) const {
  for (const auto& r : resources_) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

const Resource& ResourceRegistry::require(const std::string& name, const std::string& field) const {
  if (const Resource* r = find(name)) return *r;
  throw InvalidInput(field + ": unknown resource \"" + name + "\" (known: " + known_names(false) +
                     "; define others in a resources file, see --resources)");
}

void ResourceRegistry::require_queue(const std::string& name, const std::string& field) const {
  if (name == kAnyQueue || find(name)) return;
  throw InvalidInput(field + ": unknown resource \"" + name + "\" (known: " + known_names(true) +
                     "; define others in a resources file, see --resources)");
}

std::vector<std::string> ResourceRegistry::queue_names() const {
  std::vector<std::string> names;
  for (const auto& r : resources_) names.push_back(r.name);
  names.push_back(kAnyQueue);
  return names;
}

std::string ResourceRegistry::known_names(bool with_any) const {
  std::vector<std::string> names;
  for (const auto& r : resources_) names.push_back(r.name);
  if (with_any) names.push_back(kAnyQueue);
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  return out;
}

}  // namespace dlaaw::resources
