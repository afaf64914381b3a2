// persistence_check.cpp - CONFIG GET appendonly, read as a warning.
#include "queue/persistence_check.h"

namespace dlaaw::queue {

namespace {

// CONFIG GET's value for `name`; nullopt when CONFIG is refused (a managed Redis, an ACL user).
std::optional<std::string> config_value(RedisClient& redis, const std::string& name) {
  const RedisReply r = redis.command({"CONFIG", "GET", name});
  if (r.is_error() || r.elements.size() < 2) return std::nullopt;
  return r.elements[1].text;
}

}  // namespace

std::optional<std::string> persistence_warning(RedisClient& redis) {
  const auto appendonly = config_value(redis, "appendonly");
  if (!appendonly || *appendonly != "no") return std::nullopt;  // persists, or not ours to know
  const std::string advice =
      " Run it with --appendonly yes --appendfsync everysec (see README, \"Redis persistence\").";
  const std::string where = "WARNING: redis at " + redis.endpoint().describe();
  const auto save = config_value(redis, "save");
  if (save && !save->empty()) {
    return where + " keeps only snapshots (appendonly no, save \"" + *save +
           "\"): a restart loses the queued jobs, dataset blobs and executor registrations "
           "changed since the last snapshot." +
           advice;
  }
  return where +
         " does not persist (appendonly no, no snapshots): a restart loses every queued "
         "job, dataset blob and executor registration." +
         advice;
}

}  // namespace dlaaw::queue
