// event_stream.h - reading dlaaw:events, where executors publish progress, states and results.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "queue/job_events.h"
#include "queue/redis_client.h"

namespace dlaaw::queue {

struct StreamEvent {
  std::string id;  // the stream entry id, "ms-seq"
  StreamFields fields;
};

// The entries of an XRANGE / XREVRANGE / XREAD reply (entries trimmed away come back with no
// fields).
std::vector<StreamEvent> stream_events(const RedisReply& entries);

// Up to `count` events after `cursor` ("0-0" from the start), which is advanced past them; waits
// up to `block` for new ones when there are none (no wait for block = 0).
std::vector<StreamEvent> read_events(RedisClient& redis, std::string& cursor,
                                     std::chrono::milliseconds block, int count = 1000);

// The newest progress of each job among the last `scan` events (what the dashboard shows).
// Entries that do not decode are skipped.
std::map<std::string, ProgressEvent> latest_progress(RedisClient& redis, int scan = 2000);

}  // namespace dlaaw::queue
