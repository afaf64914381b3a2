// executor_registry.cpp - executor registration with TTLs.
#include "queue/executor_registry.h"

#include <charconv>

#include "queue/job_keys.h"
#include "queue/job_queue.h"
#include "resources/resource.h"

namespace dlaaw::queue {
namespace {

template <typename T>
T number_or_zero(const std::map<std::string, std::string>& fields, const char* key) {
  const auto it = fields.find(key);
  T value{};
  if (it == fields.end()) return value;
  const auto [end, ec] =
      std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
  return ec == std::errc() && end == it->second.data() + it->second.size() ? value : T{};
}

std::string text_or_empty(const std::map<std::string, std::string>& fields, const char* key) {
  const auto it = fields.find(key);
  return it == fields.end() ? std::string() : it->second;
}

}  // namespace

void register_executor(RedisClient& redis, const ExecutorInfo& info,
                       std::chrono::milliseconds ttl) {
  const std::vector<std::string> hset{"HSET",
                                      keys::executor(info.id),
                                      "id",
                                      info.id,
                                      "host",
                                      info.host,
                                      "pid",
                                      std::to_string(info.pid),
                                      "resource",
                                      info.resource,
                                      "backend",
                                      info.backend,
                                      "concurrency",
                                      std::to_string(info.concurrency),
                                      "device",
                                      info.device,
                                      "versions",
                                      info.versions,
                                      "host_memory_bytes",
                                      std::to_string(info.host_memory_bytes),
                                      "started",
                                      std::to_string(info.started_ms),
                                      "last_heartbeat",
                                      now_ms_text()};
  for (const auto& r :
       redis.pipeline({hset,
                       {"PEXPIRE", keys::executor(info.id), std::to_string(ttl.count())},
                       {"SADD", keys::kExecutors, info.id},
                       {"SADD", keys::kServed, info.resource, resources::kAnyQueue}})) {
    throw_if_error(r, "registering executor " + info.id);
  }
}

void heartbeat_executor(RedisClient& redis, const std::string& id, std::chrono::milliseconds ttl) {
  redis.pipeline({{"HSET", keys::executor(id), "last_heartbeat", now_ms_text()},
                  {"PEXPIRE", keys::executor(id), std::to_string(ttl.count())}});
}

void deregister_executor(RedisClient& redis, const std::string& id) {
  redis.pipeline({{"DEL", keys::executor(id)}, {"SREM", keys::kExecutors, id}});
}

std::vector<ExecutorInfo> live_executors(RedisClient& redis) {
  const auto ids = redis.command({"SMEMBERS", keys::kExecutors}).elements;
  std::vector<std::vector<std::string>> reads;
  for (const auto& id : ids) reads.push_back({"HGETALL", keys::executor(id.text)});
  const auto hashes = redis.pipeline(reads);  // one round trip for all of them
  std::vector<ExecutorInfo> out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (hashes[i].elements.empty()) {
      redis.command({"SREM", keys::kExecutors, ids[i].text});  // its TTL ran out: it is gone
      continue;
    }
    const auto f = hashes[i].as_map();
    ExecutorInfo e;
    e.id = text_or_empty(f, "id");
    e.resource = text_or_empty(f, "resource");
    if (e.id.empty() || e.resource.empty()) continue;
    e.host = text_or_empty(f, "host");
    e.pid = number_or_zero<long long>(f, "pid");
    e.backend = text_or_empty(f, "backend");
    e.concurrency = number_or_zero<int>(f, "concurrency");
    e.device = text_or_empty(f, "device");
    e.versions = text_or_empty(f, "versions");
    e.host_memory_bytes = number_or_zero<std::uint64_t>(f, "host_memory_bytes");
    e.started_ms = number_or_zero<std::int64_t>(f, "started");
    e.last_heartbeat_ms = number_or_zero<std::int64_t>(f, "last_heartbeat");
    out.push_back(std::move(e));
  }
  return out;
}

std::set<std::string> served_resources(RedisClient& redis) {
  std::set<std::string> out;
  for (const auto& r : redis.command({"SMEMBERS", keys::kServed}).elements) out.insert(r.text);
  return out;
}

}  // namespace dlaaw::queue
