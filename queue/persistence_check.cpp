// persistence_check.cpp - CONFIG GET appendonly, read as a warning.
#include "queue/persistence_check.h"

namespace dlaaw::queue {

std::optional<std::string> persistence_warning(RedisClient& redis) {
  const RedisReply r = redis.command({"CONFIG", "GET", "appendonly"});
  if (r.is_error() || r.elements.size() < 2) return std::nullopt;  // not ours to know
  if (r.elements[1].text != "no") return std::nullopt;
  return "WARNING: redis at " + redis.endpoint().describe() +
         " runs without append-only persistence (appendonly no): a restart loses every queued "
         "job, dataset blob and executor registration. Run it with --appendonly yes "
         "--appendfsync everysec (see README, \"Redis persistence\").";
}

}  // namespace dlaaw::queue
