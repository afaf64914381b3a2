// executor_registry.cpp - executor registration with TTLs.
#include "queue/executor_registry.h"

#include "queue/job_keys.h"
#include "queue/job_queue.h"

namespace dlaaw::queue {

void register_executor(RedisClient& redis, const std::string& id, const ExecutorFields& fields,
                       std::chrono::milliseconds ttl) {
  std::vector<std::string> hset{"HSET", keys::executor(id), "id",
                                id,     "last_heartbeat",   now_ms_text()};
  for (const auto& [k, v] : fields) {
    hset.push_back(k);
    hset.push_back(v);
  }
  for (const auto& r : redis.pipeline({hset,
                                       {"PEXPIRE", keys::executor(id), std::to_string(ttl.count())},
                                       {"SADD", keys::kExecutors, id}})) {
    throw_if_error(r, "registering executor " + id);
  }
}

void heartbeat_executor(RedisClient& redis, const std::string& id, std::chrono::milliseconds ttl) {
  redis.pipeline({{"HSET", keys::executor(id), "last_heartbeat", now_ms_text()},
                  {"PEXPIRE", keys::executor(id), std::to_string(ttl.count())}});
}

void deregister_executor(RedisClient& redis, const std::string& id) {
  redis.pipeline({{"DEL", keys::executor(id)}, {"SREM", keys::kExecutors, id}});
}

std::vector<ExecutorFields> live_executors(RedisClient& redis) {
  const auto ids = redis.command({"SMEMBERS", keys::kExecutors}).elements;
  std::vector<std::vector<std::string>> reads;
  for (const auto& id : ids) reads.push_back({"HGETALL", keys::executor(id.text)});
  const auto hashes = redis.pipeline(reads);  // one round trip for all of them
  std::vector<ExecutorFields> out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (hashes[i].elements.empty()) {
      redis.command({"SREM", keys::kExecutors, ids[i].text});  // its TTL ran out: it is gone
      continue;
    }
    out.push_back(hashes[i].as_map());
  }
  return out;
}

}  // namespace dlaaw::queue
