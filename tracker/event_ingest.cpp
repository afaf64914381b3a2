// event_ingest.cpp - at-least-once delivery from the Redis stream, made exactly-once by keys.
#include "tracker/event_ingest.h"

#include <chrono>
#include <cstdio>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/errors.h"
#include "queue/artifact_store.h"
#include "queue/event_stream.h"
#include "queue/job_events.h"
#include "queue/job_keys.h"
#include "queue/persistence_check.h"
#include "tracker/lost_runs.h"

namespace dlaaw::tracker {

EventIngest::EventIngest(queue::RedisClient& redis, SqliteDb& db, std::string consumer, int batch)
    : redis_(redis), db_(db), store_(db), consumer_(std::move(consumer)), batch_(batch) {
  create_group();
}

void EventIngest::create_group() {
  const auto r =
      redis_.command({"XGROUP", "CREATE", queue::keys::kEvents, kConsumerGroup, "0", "MKSTREAM"});
  if (r.is_error() && r.text.rfind("BUSYGROUP", 0) != 0)
    queue::throw_if_error(r, "creating the tracker's consumer group");
}

void EventIngest::reject(const queue::StreamEvent& event, const std::string& reason) {
  std::fprintf(stderr, "[tracker] event %s kept in rejected_events: %s\n", event.id.c_str(),
               reason.c_str());
  // Kept for a person to read, bounded whatever the event held: a poison event must not become a
  // poison row (each value to 4 KiB, 64 KiB and 32 fields in all).
  nlohmann::json fields = nlohmann::json::object();
  std::size_t kept_bytes = 0, dropped = 0;
  for (const auto& [name, value] : event.fields) {
    const std::string kept = value.size() > 4096 ? value.substr(0, 4096) + "..." : value;
    if (fields.size() >= 32 || kept_bytes + name.size() + kept.size() > 65536) {
      ++dropped;
      continue;
    }
    kept_bytes += name.size() + kept.size();
    fields[name.substr(0, 200)] = kept;
  }
  if (dropped > 0) fields["(dropped fields)"] = std::to_string(dropped);
  const auto job = event.fields.find("job");
  db_.prepare(
         "INSERT OR IGNORE INTO rejected_events (stream_id, job_id, reason, fields, rejected_at) "
         "VALUES (?, ?, ?, ?, ?)")
      .bind(1, event.id)
      .bind(2, job == event.fields.end() ? std::string() : job->second.substr(0, 200))
      .bind(3, reason)
      .bind(4, fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
      .bind(5, static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count()))
      .run();
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
  if (reply.is_error() &&
      (reply.text.rfind("NOGROUP", 0) == 0 || reply.text.rfind("UNBLOCKED", 0) == 0)) {
    // Redis restarted without persistence, or the stream was deleted while we waited on it: start
    // over from what the stream holds now; events ingested before are recognised by their keys.
    std::fprintf(stderr, "[tracker] the consumer group is gone (%s); creating it again\n",
                 reply.text.c_str());
    create_group();
    pending_first_ = true;
    return 0;
  }
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
      Savepoint item(db_);
      std::string warning;
      store_.apply_event(
          queue::decode_event(event.fields),
          [this](const std::string& sha256) { return queue::fetch_artifact(redis_, sha256); },
          &warning);
      item.release();
      if (!warning.empty()) reject(event, warning);  // applied, but not whole: kept for a person
    } catch (const ServiceUnavailable&) {
      throw;  // the database is away: nothing is acknowledged, the batch comes again
    } catch (const std::exception& e) {
      // Anything else is the event's fault and would fail at every restart: recorded with the
      // reason, acknowledged, and ingestion goes on.
      reject(event, e.what());
    }
  }
  t.commit();
  queue::throw_if_error(redis_.command(ack), "acknowledging events");
  return events.size();
}

int run_tracker(const std::string& redis_url, const std::string& db_path,
                const std::string& consumer, int batch, const std::atomic<bool>& stop,
                std::chrono::milliseconds reap_period) {
  queue::RedisClient redis(queue::parse_redis_url(redis_url));
  redis.give_up_retrying_when(&stop);
  SqliteDb db(db_path);
  db.check_integrity();
  EventIngest ingest(redis, db, consumer, batch);
  std::printf("[tracker] %s -> %s (consumer %s)\n", redis.endpoint().describe().c_str(),
              db_path.c_str(), consumer.c_str());
  if (const auto warning = queue::persistence_warning(redis))
    std::fprintf(stderr, "[tracker] %s\n", warning->c_str());
  std::fflush(stdout);
  auto next_reap = std::chrono::steady_clock::now();
  while (!stop) {
    try {
      const auto n = ingest.ingest_batch(500);
      if (n > 0) {
        std::printf("[tracker] %zu events written\n", n);
        std::fflush(stdout);
      }
      if (std::chrono::steady_clock::now() >= next_reap) {
        if (const auto lost = mark_lost_runs(redis, db))
          std::printf("[tracker] %zu run(s) marked lost: their jobs are gone from redis\n", lost);
        next_reap = std::chrono::steady_clock::now() + reap_period;
      }
    } catch (const ServiceUnavailable& e) {
      std::fprintf(stderr, "[tracker] %s; retrying\n", e.what());
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
  return 0;
}

}  // namespace dlaaw::tracker
