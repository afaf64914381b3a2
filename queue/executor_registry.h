// executor_registry.h - live executors: who they are, what they have, when they last beat.
#pragma once

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "queue/redis_client.h"

namespace dlaaw::queue {

// What an executor advertises when it registers.
struct ExecutorInfo {
  std::string id;
  std::string host;
  long long pid = 0;
  std::string resource;  // the resource it serves (besides the any queue)
  std::string backend;   // "cpu" or "cuda"
  int concurrency = 1;
  std::string device;    // its device as JSON (results/device_json.h); the queue does not read it
  std::string versions;  // JSON object of library versions (dlaaw, hiredis, compiler, CUDA)
  std::uint64_t host_memory_bytes = 0;
  std::int64_t started_ms = 0;
  std::int64_t last_heartbeat_ms = 0;  // set by the registry
};

// Writes dlaaw:executor:<id> with `info` and a TTL of `ttl` (renewed by every heartbeat), adds
// the id to dlaaw:executors and the resource to dlaaw:served. An executor that dies vanishes
// when its TTL runs out. Throws std::runtime_error for an error reply, ServiceUnavailable when
// Redis is away.
void register_executor(RedisClient& redis, const ExecutorInfo& info, std::chrono::milliseconds ttl);
void heartbeat_executor(RedisClient& redis, const std::string& id, std::chrono::milliseconds ttl);
void deregister_executor(RedisClient& redis, const std::string& id);

// Every live executor (stale ids are dropped from the set on the way; an entry without an id or a
// resource is skipped, and numbers that do not parse read as 0).
std::vector<ExecutorInfo> live_executors(RedisClient& redis);

// The resources some executor has ever registered for (the any queue included once any has).
std::set<std::string> served_resources(RedisClient& redis);

}  // namespace dlaaw::queue
