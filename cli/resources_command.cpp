// resources_command.cpp - `dlaaw resources [add FILE | remove NAME]`: the registry with each
// resource's live executors and queue depth, and the user-defined resources kept in Redis.
#include <cstdio>
#include <map>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/exit_codes.h"
#include "cli/queue_commands.h"
#include "cli/redis_option.h"
#include "common/errors.h"
#include "common/json_parse.h"
#include "queue/executor_registry.h"
#include "queue/job_queue.h"
#include "queue/resource_store.h"
#include "resources/resource_file.h"
#include "results/device_json.h"

namespace dlaaw::cli {
namespace {

using nlohmann::json;

struct ResourcesArgs {
  Connection c;
  std::string file;  // add
  std::string name;  // remove
};

// An executor as listed: its advertisement, with the device and versions decoded where they can
// be (an entry from Redis is untrusted: what does not decode shows as null).
json executor_row(const queue::ExecutorInfo& e) {
  json row = {{"id", e.id},
              {"host", e.host},
              {"pid", e.pid},
              {"backend", e.backend},
              {"concurrency", e.concurrency},
              {"host_memory_bytes", e.host_memory_bytes},
              {"device", nullptr},
              {"versions", nullptr}};
  try {
    row["device"] = results::device_to_json(
        results::device_from_json(parse_json(e.device, "device"), "device"));
  } catch (const std::exception&) {
  }
  const json versions = parse_json_or_discarded(e.versions);
  if (versions.is_object()) row["versions"] = versions;
  return row;
}

std::string requirement_text(const resources::Resource& r) {
  std::string out;
  const auto add = [&](const std::string& part) { out += (out.empty() ? "" : ", ") + part; };
  if (r.requirements.integrated) add(*r.requirements.integrated ? "integrated" : "discrete");
  if (r.requirements.min_compute_capability)
    add("sm >= " + r.requirements.min_compute_capability->text());
  if (r.requirements.min_memory_bytes)
    add(std::to_string(*r.requirements.min_memory_bytes >> 20) + " MiB");
  return out.empty() ? "-" : out;
}

json listing(queue::RedisClient& redis, const resources::ResourceRegistry& registry) {
  std::map<std::string, json> executors;
  for (const auto& e : queue::live_executors(redis))
    executors[e.resource].push_back(executor_row(e));
  const auto depths = queue::JobQueue(redis).depths(registry.queue_names());
  const auto served = queue::served_resources(redis);
  json out = json::array();
  const auto row = [&](const std::string& name, json j) {
    j["name"] = name;
    j["queued"] = depths.count("queued:" + name) ? depths.at("queued:" + name) : 0;
    j["executors"] = executors.count(name) ? executors[name] : json::array();
    j["ever_served"] = served.count(name) > 0;
    executors.erase(name);
    out.push_back(j);
  };
  for (const auto& r : registry.resources()) {
    json j = resources::resource_to_json(r);
    j["built_in"] = r.built_in;
    j["requires_text"] = requirement_text(r);
    row(r.name, j);
  }
  row(resources::kAnyQueue, {{"backend", nullptr}, {"requires_text", "served by every executor"}});
  std::vector<std::string> unknown;  // resources of live executors this registry does not know
  for (const auto& [name, list] : executors) unknown.push_back(name);
  for (const auto& name : unknown)
    row(name, {{"backend", nullptr}, {"requires_text", "not in this registry"}});
  return out;
}

int list_resources(const ResourcesArgs& a) {
  auto redis = connect(a.c);
  const json rows = listing(redis, queue::load_registry(redis, a.c.resources));
  if (a.c.json) {
    std::printf("%s\n", rows.dump(2).c_str());
    return kSuccess;
  }
  std::printf("%-14s %-5s %-28s %6s  %s\n", "resource", "kind", "requires", "queued", "executors");
  for (const auto& r : rows) {
    const std::string kind = r["backend"].is_string() ? r["backend"].get<std::string>() : "queue";
    std::string live;
    for (const auto& e : r["executors"]) {
      const std::string device =
          e["device"].is_object() ? e["device"]["name"].get<std::string>() : "unknown device";
      live += (live.empty() ? "" : "; ") + e["id"].get<std::string>() + " (" + device + ")";
    }
    std::printf("%-14s %-5s %-28s %6lld  %s\n", r["name"].get<std::string>().c_str(), kind.c_str(),
                r["requires_text"].get<std::string>().c_str(), r["queued"].get<long long>(),
                live.empty() ? "-" : live.c_str());
  }
  return kSuccess;
}

int add_resources(const ResourcesArgs& a) {
  const auto list = resources::load_resources_file(a.file);
  resources::ResourceRegistry built_ins;  // refuses the names of built-ins and of any
  for (const auto& r : list) built_ins.add(r, a.file);
  auto redis = connect(a.c);
  queue::store_resources(redis, list);
  std::string names;
  for (const auto& r : list) names += (names.empty() ? "" : ", ") + r.name;
  std::printf("stored %zu resource(s) in redis: %s\n", list.size(), names.c_str());
  return kSuccess;
}

int remove_resource(const ResourcesArgs& a) {
  auto redis = connect(a.c);
  if (!queue::remove_stored_resource(redis, a.name))
    throw NotFound("resource " + a.name + ": not stored in redis");
  std::printf("removed resource %s from redis\n", a.name.c_str());
  return kSuccess;
}

}  // namespace

void add_resources_command(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<ResourcesArgs>();
  CLI::App* cmd = app.add_subcommand(
      "resources", "Resources with their live executors and queue depth; add or remove some");
  const auto connection = [&a](CLI::App* c) { add_redis_option(c, a->c.redis); };
  connection(cmd);
  cmd->add_option("--resources", a->c.resources,
                  "Resources file (default: $DLAAW_RESOURCES) besides those in redis");
  cmd->add_flag("--json", a->c.json, "Print JSON");
  CLI::App* add_cmd =
      cmd->add_subcommand("add", "Store the resources of a file (dlaaw/resources@1) in redis");
  add_cmd->add_option("file", a->file, "Resources file")->required();
  connection(add_cmd);
  CLI::App* remove_cmd = cmd->add_subcommand("remove", "Remove a resource stored in redis");
  remove_cmd->add_option("name", a->name, "Resource name")->required();
  connection(remove_cmd);
  cmd->final_callback([a, cmd, add_cmd, remove_cmd, &exit_code] {
    exit_code = run_guarded([&] {
      if (cmd->got_subcommand(add_cmd)) return add_resources(*a);
      if (cmd->got_subcommand(remove_cmd)) return remove_resource(*a);
      return list_resources(*a);
    });
  });
}

}  // namespace dlaaw::cli
