// event_ingest.h - `dlaaw tracker`: consumes dlaaw:events into SQLite through a consumer group.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>

#include "queue/event_stream.h"
#include "queue/redis_client.h"
#include "tracker/run_store.h"

namespace dlaaw::tracker {

inline const char* const kConsumerGroup = "dlaaw-tracker";

// Reads events for `consumer` of the dlaaw-tracker group: first the ones it was given before but
// never acknowledged (a restart after a crash), then new ones, waiting up to `block_ms`. Each
// batch is written in one transaction and acknowledged only after it commits, so a crash loses
// nothing; an event seen twice changes nothing. An event that cannot be applied (malformed, a
// result that does not decode, anything but an unreachable database) is rolled back alone,
// recorded in rejected_events with the reason, and acknowledged. Returns the number of events read.
class EventIngest {
 public:
  EventIngest(queue::RedisClient& redis, SqliteDb& db, std::string consumer, int batch = 1000);

  std::size_t ingest_batch(int block_ms);

 private:
  void create_group();
  void reject(const queue::StreamEvent& event, const std::string& reason);

  queue::RedisClient& redis_;
  SqliteDb& db_;
  RunStore store_;
  std::string consumer_;
  int batch_;
  bool pending_first_ = true;
};

// Ingests until `stop` is set; prints a line per batch with new runs. Refuses a damaged database
// (InvalidInput from the integrity check), warns once when Redis does not persist, recreates the
// consumer group after a Redis restart lost it, and every `reap_period` marks lost the runs whose
// jobs Redis no longer has. Returns 0.
int run_tracker(const std::string& redis_url, const std::string& db_path,
                const std::string& consumer, int batch, const std::atomic<bool>& stop,
                std::chrono::milliseconds reap_period = std::chrono::seconds(10));

}  // namespace dlaaw::tracker
