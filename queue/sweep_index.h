// sweep_index.h - dlaaw:sweep:<name>: which job each member of a sweep became, so that
// resubmitting the sweep queues only what is left.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "queue/redis_client.h"

namespace dlaaw::queue {

class SweepIndex {
 public:
  SweepIndex(RedisClient& redis, std::string sweep) : redis_(redis), sweep_(std::move(sweep)) {}

  // The job id recorded for each member key, in order; nullopt for a member never queued. One
  // round trip.
  std::vector<std::optional<std::string>> lookup(const std::vector<std::string>& member_keys);

  // Records member key -> job id for each pair. One round trip.
  void record(const std::vector<std::pair<std::string, std::string>>& key_and_job);

  // Every member's job id and its state name ("unknown" for a job whose hash is gone), in no
  // particular order; empty for a sweep never submitted. Two round trips.
  std::vector<std::pair<std::string, std::string>> members();

 private:
  RedisClient& redis_;
  std::string sweep_;
};

// The names of every sweep ever submitted (those with an index), sorted. Throws
// ServiceUnavailable on a Redis error.
std::vector<std::string> sweep_names(RedisClient& redis);

}  // namespace dlaaw::queue
