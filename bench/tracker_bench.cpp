// tracker_bench.cpp - ingest throughput of `dlaaw tracker` (progress events from the Redis stream
// into SQLite), next to its peer in the same run: bare prepared INSERTs of the same rows in
// transactions of the same size, with no stream, consumer group or idempotency keys.
//
//   build/bench/tracker_bench [--events 100000]
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bench_redis.h"
#include "tracker/event_ingest.h"
#include "tracker/sqlite_db.h"

namespace {
using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}
}  // namespace

int main(int argc, char** argv) {
  int events = 100000;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--events") events = std::stoi(argv[i + 1]);
  }
  dlaaw::bench::BenchRedis server;
  dlaaw::queue::RedisClient redis(server.endpoint());
  // Progress events as executors write them: 100 jobs, one attempt each, epochs in order.
  std::vector<std::vector<std::string>> batch;
  for (int i = 0; i < events; ++i) {
    const int job = i % 100, epoch = i / 100 + 1;
    batch.push_back({"XADD",
                     "dlaaw:events",
                     "*",
                     "type",
                     "progress",
                     "job",
                     std::string("j").append(std::to_string(job)),
                     "attempt",
                     "1",
                     "seq",
                     std::to_string(epoch),
                     "executor",
                     "bench",
                     "fold",
                     "0",
                     "folds",
                     "1",
                     "epoch",
                     std::to_string(epoch),
                     "epochs",
                     "1000",
                     "loss",
                     "0.693147"});
    if (batch.size() == 1000 || i + 1 == events) {
      redis.pipeline(batch);
      batch.clear();
    }
  }
  const auto db_path = (server.dir() / "tracker.db").string();
  dlaaw::tracker::SqliteDb db(db_path);
  dlaaw::tracker::EventIngest ingest(redis, db, "bench", 1000);
  auto t0 = Clock::now();
  std::size_t total = 0;
  while (total < static_cast<std::size_t>(events)) total += ingest.ingest_batch(100);
  const double tracker_rate = total / seconds_since(t0);

  dlaaw::tracker::SqliteDb peer((server.dir() / "peer.db").string());
  peer.execute(
      "CREATE TABLE losses (run TEXT, epoch INTEGER, loss REAL, PRIMARY KEY (run, epoch))");
  auto insert = peer.prepare("INSERT INTO losses VALUES (?, ?, ?)");
  t0 = Clock::now();
  for (int i = 0; i < events; i += 1000) {
    dlaaw::tracker::Transaction t(peer);
    for (int k = i; k < std::min(events, i + 1000); ++k)
      insert.bind(1, std::string("j").append(std::to_string(k % 100)))
          .bind(2, k / 100 + 1)
          .bind(3, 0.693147)
          .run();
    t.commit();
  }
  const double peer_rate = events / seconds_since(t0);
  std::printf(
      "tracker ingest: %.0f progress events/s (target >= 20000) over %zu events; peer bare SQLite "
      "INSERT %.0f rows/s; ratio %.2f\n",
      tracker_rate, total, peer_rate, tracker_rate / peer_rate);
  return 0;
}
