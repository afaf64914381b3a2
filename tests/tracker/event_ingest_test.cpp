// event_ingest_test.cpp - a malformed event or result from Redis is skipped and acknowledged;
// it never stops the tracker, and the good events around it are written.
#include "tracker/event_ingest.h"

#include <gtest/gtest.h>

#include "../common/redis_server.h"
#include "queue/job_queue.h"
#include "tracker/run_queries.h"
#include "tracker_fixture.h"

namespace dlaaw::tracker {
namespace {

TEST(EventIngestTest, MalformedEventsAreSkippedAndTheRestIsWritten) {
  testing::RedisServer server;
  testing::TempDir dir;
  queue::RedisClient redis(server.endpoint());
  queue::JobQueue jobs(redis);
  redis.command({"XADD", "dlaaw:events", "*",  "type", "progress", "job",   "j1", "attempt",
                 "1",    "seq",          "1",  "fold", "0",        "folds", "1",  "epoch",
                 "many", "epochs",       "10", "loss", "0.5"});
  redis.command({"XADD", "dlaaw:events", "*", "note", "not a job event"});
  jobs.publish(queue::ResultEvent{{"j1", 1, "2", "ex", 1000}, R"({"schema": "dlaaw/result@1"})"});
  jobs.publish(queue::ProgressEvent{{"j1", 1, "3", "ex", 1000}, 0, 1, 4, 10, 0.25});
  jobs.publish(
      queue::ResultEvent{{"j2", 1, "9", "ex", 2000},
                         results::run_result_to_json(synthetic_result(2, false, 1)).dump()});
  SqliteDb db((dir.path() / "t.db").string());
  EventIngest ingest(redis, db, "test");
  std::size_t read = 0;
  for (int i = 0; i < 5; ++i) read += ingest.ingest_batch(100);
  EXPECT_EQ(read, 5u);
  const auto pending = redis.command({"XPENDING", "dlaaw:events", kConsumerGroup});
  EXPECT_EQ(pending.elements.at(0).integer, 0) << "every event was acknowledged";
  const auto runs = list_runs(db, {});
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0]["job_id"], "j2");
  EXPECT_EQ(runs[0]["state"], "finished");
  EXPECT_EQ(run_details(db, runs[1]["id"].get<std::int64_t>())["losses"][0].size(), 1u)
      << "j1's good progress event";
}

}  // namespace
}  // namespace dlaaw::tracker
