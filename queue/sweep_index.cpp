// sweep_index.cpp - the member -> job map of a sweep in one Redis hash.
#include "queue/sweep_index.h"

#include "queue/job_keys.h"

namespace dlaaw::queue {

std::vector<std::optional<std::string>> SweepIndex::lookup(
    const std::vector<std::string>& member_keys) {
  std::vector<std::optional<std::string>> out;
  if (member_keys.empty()) return out;
  std::vector<std::string> args{"HMGET", keys::sweep(sweep_)};
  args.insert(args.end(), member_keys.begin(), member_keys.end());
  const RedisReply reply = redis_.command(args);
  throw_if_error(reply, "reading " + keys::sweep(sweep_));
  for (std::size_t i = 0; i < member_keys.size(); ++i) {
    const bool known = i < reply.elements.size() && !reply.elements[i].is_nil();
    out.push_back(known ? std::optional(reply.elements[i].text) : std::nullopt);
  }
  return out;
}

void SweepIndex::record(const std::vector<std::pair<std::string, std::string>>& key_and_job) {
  if (key_and_job.empty()) return;
  std::vector<std::string> args{"HSET", keys::sweep(sweep_)};
  for (const auto& [key, job] : key_and_job) {
    args.push_back(key);
    args.push_back(job);
  }
  throw_if_error(redis_.command(args), "writing " + keys::sweep(sweep_));
}

}  // namespace dlaaw::queue
