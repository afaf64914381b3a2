// event_ingest.cpp - at-least-once delivery from the Redis stream, made exactly-once by keys.
#include "tracker/event_ingest.h"

#include <chrono>
#include <cstdio>
#include <thread>

#include "common/errors.h"
#include "queue/event_stream.h"
#include "queue/job_events.h"
#include "queue/job_keys.h"

namespace dlaaw::tracker {

EventIngest::EventIngest(queue::RedisClient& redis, SqliteDb& db, std::string consumer, int batch)
    : redis_(redis), db_(db), store_(db), consumer_(std::move(consumer)), batch_(batch) {
  const auto r =
      redis_.command({"XGROUP", "CREATE", queue::keys::kEvents, kConsumerGroup, "0", "MKSTREAM"});
  if (r.is_error() && r.text.rfind("BUSYGROUP", 0) != 0)
    queue::throw_if_error(r, "creating the tracker's consumer group");
}

std::size_t EventIngest::ingest_batch(int block_ms) {
  std::vector<std::string> args{"XREADGROUP", "GROUP", kConsumerGroup,
                                consumer_,    "COUNT", std::to_string(batch_)};
  if (!pending_first_) {
    args.push_back("BLOCK");
    args.push_back(std::to_string(block_ms));
  }
  args.insert(args.end(), {"STREAMS", queue::keys::kEvents, pending_first_ ? "0" : ">"});
  const auto reply = redis_.blocking_command(args, std::chrono::milliseconds(block_ms));
  queue::throw_if_error(reply, "reading dlaaw:events");
  if (reply.type != queue::RedisReply::Type::Array || reply.elements.empty()) return 0;
  const auto events = queue::stream_events(reply.elements[0].elements[1]);
  if (events.empty()) {
    pending_first_ = false;  // everything delivered before a restart has been written
    return 0;
  }
  std::vector<std::string> ack{"XACK", queue::keys::kEvents, kConsumerGroup};
  Transaction t(db_);
  for (const auto& event : events) {
    ack.push_back(event.id);
    if (event.fields.empty()) continue;  // trimmed away
    try {
      store_.apply_event(queue::decode_event(event.fields));
    } catch (const InvalidInput& e) {
      // A malformed event (or result) must not stop the consumer: acknowledged and skipped.
      std::fprintf(stderr, "[tracker] event %s skipped: %s\n", event.id.c_str(), e.what());
    }
  }
  t.commit();
  queue::throw_if_error(redis_.command(ack), "acknowledging events");
  return events.size();
}

int run_tracker(const std::string& redis_url, const std::string& db_path,
                const std::string& consumer, int batch, const std::atomic<bool>& stop) {
  queue::RedisClient redis(queue::parse_redis_url(redis_url));
  SqliteDb db(db_path);
  EventIngest ingest(redis, db, consumer, batch);
  std::printf("[tracker] %s -> %s (consumer %s)\n", redis.endpoint().describe().c_str(),
              db_path.c_str(), consumer.c_str());
  std::fflush(stdout);
  while (!stop) {
    try {
      const auto n = ingest.ingest_batch(500);
      if (n > 0) {
        std::printf("[tracker] %zu events written\n", n);
        std::fflush(stdout);
      }
    } catch (const ServiceUnavailable& e) {
      std::fprintf(stderr, "[tracker] %s; retrying\n", e.what());
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
  return 0;
}

}  // namespace dlaaw::tracker
