// event_stream.h - reading dlaaw:events, where executors publish progress, states and results.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "queue/redis_client.h"

namespace dlaaw::queue {

struct StreamEvent {
  std::string id;  // the stream entry id, "ms-seq"
  std::map<std::string, std::string> fields;
};

// The entries of an XRANGE / XREVRANGE reply (entries trimmed away come back with no fields).
std::vector<StreamEvent> stream_events(const RedisReply& entries);

// Up to `count` events after `cursor` ("0-0" from the start), which is advanced past them; waits
// up to `block` for new ones when there are none (no wait for block = 0).
std::vector<StreamEvent> read_events(RedisClient& redis, std::string& cursor,
                                     std::chrono::milliseconds block, int count = 1000);

}  // namespace dlaaw::queue
