// resource_store.cpp - the dlaaw:resources hash: name -> resource as JSON.
#include "queue/resource_store.h"

#include <nlohmann/json.hpp>

#include "common/errors.h"
#include "common/json_parse.h"
#include "queue/job_keys.h"
#include "resources/resource_file.h"

namespace dlaaw::queue {

void store_resources(RedisClient& redis, const std::vector<resources::Resource>& list) {
  if (list.empty()) return;
  std::vector<std::string> args{"HSET", keys::kResources};
  for (const auto& r : list) {
    args.push_back(r.name);
    args.push_back(resources::resource_to_json(r).dump());
  }
  throw_if_error(redis.command(args), "storing resources");
}

bool remove_stored_resource(RedisClient& redis, const std::string& name) {
  return redis.command({"HDEL", keys::kResources, name}).integer == 1;
}

void add_stored_resources(RedisClient& redis, resources::ResourceRegistry& registry) {
  const RedisReply reply = redis.command({"HGETALL", keys::kResources});
  throw_if_error(reply, "reading " + keys::kResources);
  for (const auto& [name, text] : reply.as_map()) {
    const std::string where = "redis " + keys::kResources + " " + name;
    nlohmann::json j;
    try {
      j = parse_json(text, where);
    } catch (const InvalidInput& e) {
      throw InvalidInput(std::string(e.what()) + " (remove it: dlaaw resources remove " + name +
                         ")");
    }
    resources::Resource r = resources::resource_from_json(j, where);
    if (r.name != name) throw InvalidInput(where + ": holds resource \"" + r.name + "\"");
    registry.add(std::move(r), "redis (" + keys::kResources + ")");
  }
}

resources::ResourceRegistry load_registry(RedisClient& redis, const std::string& flag) {
  resources::ResourceRegistry registry = resources::load_registry(flag);
  add_stored_resources(redis, registry);
  return registry;
}

}  // namespace dlaaw::queue
