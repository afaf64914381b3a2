// resource_store.h - user-defined resources kept in Redis (dlaaw:resources), so that every client
// and executor of a deployment knows them without a local file (`dlaaw resources add FILE`).
#pragma once

#include <string>
#include <vector>

#include "queue/redis_client.h"
#include "resources/resource_registry.h"

namespace dlaaw::queue {

// Stores (or replaces) each resource under its name.
void store_resources(RedisClient& redis, const std::vector<resources::Resource>& list);

// Removes the stored resource `name`; false when there was none.
bool remove_stored_resource(RedisClient& redis, const std::string& name);

// Adds every stored resource to `registry`. Throws InvalidInput naming the entry ("redis
// dlaaw:resources lab-cluster: ...") for one that does not decode or that a local file defines
// differently.
void add_stored_resources(RedisClient& redis, resources::ResourceRegistry& registry);

// The registry of a command that talks to Redis: the built-ins, the resources file `flag` (else
// $DLAAW_RESOURCES) and the resources stored in Redis.
resources::ResourceRegistry load_registry(RedisClient& redis, const std::string& flag);

}  // namespace dlaaw::queue
