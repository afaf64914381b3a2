// sweep_index.cpp - the member -> job map of a sweep in one Redis hash.
#include "queue/sweep_index.h"

#include <algorithm>

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

std::vector<std::pair<std::string, std::string>> SweepIndex::members() {
  const RedisReply ids = redis_.command({"HVALS", keys::sweep(sweep_)});
  throw_if_error(ids, "reading " + keys::sweep(sweep_));
  std::vector<std::vector<std::string>> reads;
  for (const auto& id : ids.elements) reads.push_back({"HGET", keys::job(id.text), "state"});
  const auto states = redis_.pipeline(reads);
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t i = 0; i < ids.elements.size(); ++i) {
    const bool known = i < states.size() && states[i].type == RedisReply::Type::String;
    out.emplace_back(ids.elements[i].text, known ? states[i].text : "unknown");
  }
  return out;
}

std::vector<std::string> sweep_names(RedisClient& redis) {
  const std::string prefix = keys::sweep("");
  std::vector<std::string> names;
  std::string cursor = "0";
  do {
    const RedisReply r = redis.command({"SCAN", cursor, "MATCH", prefix + "*", "COUNT", "1000"});
    throw_if_error(r, "listing sweeps");
    if (r.elements.size() != 2) break;
    cursor = r.elements[0].text;
    for (const auto& k : r.elements[1].elements) names.push_back(k.text.substr(prefix.size()));
  } while (cursor != "0");
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace dlaaw::queue
