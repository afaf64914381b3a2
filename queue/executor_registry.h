// executor_registry.h - live executors: who they are, what device they have, when they last beat.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "queue/redis_client.h"

namespace dlaaw::queue {

using ExecutorFields = std::map<std::string, std::string>;

// Writes dlaaw:executor:<id> with `fields` and a TTL of `ttl` (renewed by every heartbeat), and
// adds the id to dlaaw:executors. An executor that dies vanishes when its TTL runs out.
void register_executor(RedisClient& redis, const std::string& id, const ExecutorFields& fields,
                       std::chrono::milliseconds ttl);
void heartbeat_executor(RedisClient& redis, const std::string& id, std::chrono::milliseconds ttl);
void deregister_executor(RedisClient& redis, const std::string& id);

// Every live executor's fields (stale ids are dropped from the set on the way).
std::vector<ExecutorFields> live_executors(RedisClient& redis);

}  // namespace dlaaw::queue
