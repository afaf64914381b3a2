// persistence_check.h - does the Redis server keep its data across a restart?
#pragma once

#include <optional>
#include <string>

#include "queue/redis_client.h"

namespace dlaaw::queue {

// A warning to print once when the server runs without append-only persistence (CONFIG GET
// appendonly is "no"): a restart then loses every queued job, blob and registration, or with RDB
// snapshots (CONFIG GET save) what changed since the last one; it says which. nullopt when
// it persists, or when CONFIG is not allowed (a managed Redis, an ACL user without it). Throws
// ServiceUnavailable only when the server is unreachable.
std::optional<std::string> persistence_warning(RedisClient& redis);

}  // namespace dlaaw::queue
