// resource_file.h - the resources document "dlaaw/resources@1": user-defined resources as JSON.
//
//   {"schema": "dlaaw/resources@1",
//    "resources": [
//      {"name": "lab-cluster", "backend": "cpu", "description": "the lab's CPU nodes",
//       "requires": {"min_memory_mib": 2048}, "defaults": {"threads": 4}},
//      {"name": "cloud-a100", "backend": "cuda",
//       "requires": {"integrated": false, "min_compute_capability": "8.0"},
//       "defaults": {"kernel": "cooperative", "memory": "device"}}]}
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "resources/resource_registry.h"

namespace dlaaw::resources {

inline constexpr const char* kResourcesSchema = "dlaaw/resources@1";

// The resources of a resources document. Throws InvalidInput naming the field
// ("resources[1].requires.min_compute_capability: ...") for a wrong type, an unknown field, a
// name given twice, a CUDA requirement on a cpu resource, or a value out of range.
std::vector<Resource> resources_from_json(const nlohmann::json& document);

// One resource as it appears in a resources document (and in Redis, see queue/resource_store.h).
nlohmann::json resource_to_json(const Resource& resource);
// One resource of a resources document; `path` names it in messages ("resources[0]").
Resource resource_from_json(const nlohmann::json& j, const std::string& path);

// A resources document holding `resources`.
nlohmann::json resources_to_json(const std::vector<Resource>& resources);

// Reads a resources file; messages start with the file name. Throws InvalidInput.
std::vector<Resource> load_resources_file(const std::string& path);

// The file a command uses: `flag` when given, else $DLAAW_RESOURCES, else none ("").
std::string resolve_resources_file(const std::string& flag);

// The built-ins plus the resources of the file `resolve_resources_file(flag)` names, if any.
// Throws InvalidInput for a bad file.
ResourceRegistry load_registry(const std::string& flag);

}  // namespace dlaaw::resources
