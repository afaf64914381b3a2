// event_ingest_test.cpp - a malformed event or result from Redis is skipped and acknowledged;
// it never stops the tracker, and the good events around it are written.
#include "tracker/event_ingest.h"

#include <gtest/gtest.h>

#include "../common/redis_server.h"
#include "executor/predictions_offload.h"
#include "queue/job_queue.h"
#include "tracker/lost_runs.h"
#include "tracker/run_queries.h"
#include "tracker_fixture.h"

namespace dlaaw::tracker {
namespace {

using nlohmann::json;

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

std::int64_t count_rows(SqliteDb& db, const std::string& sql) {
  auto st = db.prepare(sql);
  st.step();
  return st.integer(0);
}

void publish_result(queue::RedisClient& redis, const std::string& job, const std::string& result) {
  queue::JobQueue(redis).publish(queue::ResultEvent{{job, 1, "1", "ex", 1000}, result});
}

TEST(EventIngestTest, PoisonEventsAreRecordedAndThe100GoodOnesAfterThemAllLand) {
  testing::RedisServer server;
  testing::TempDir dir;
  queue::RedisClient redis(server.endpoint());
  publish_result(redis, "p1", "{not json");
  publish_result(redis, "p2", "{}");
  // Used to overflow the tracker's stack while the result was read (a crash at every restart).
  std::string deep = "{\"schema\": ";  // appended, not summed: GCC 12 warns on the sum
  deep.append(200000, '[').append(200000, ']').append("}");
  publish_result(redis, "p3", deep);
  // A result without `dataset` used to read past a map in the tracker.
  json no_dataset = results::run_result_to_json(synthetic_result(2, false, 1, 3));
  no_dataset.erase("dataset");
  publish_result(redis, "p4", no_dataset.dump());
  redis.command({"XADD", "dlaaw:events", "*", "type", "result", "job", "p5"});
  // 1000 fields of 4000 bytes: kept, it would have been a 4 MB row.
  std::vector<std::string> wide{"XADD", "dlaaw:events", "*", "type", "result", "job", "p6"};
  for (int i = 0; i < 1000; ++i) {
    wide.push_back(std::string("f").append(std::to_string(i)));
    wide.push_back(std::string(4000, 'w'));
  }
  redis.command(wide);
  for (int i = 0; i < 100; ++i) {
    queue::StateEvent e;
    e.header = {std::string("g").append(std::to_string(i)), 1, "1", "ex", 1000};
    e.state = queue::JobState::Executing;
    queue::JobQueue(redis).publish(e);
  }
  SqliteDb db((dir.path() / "t.db").string());
  EventIngest ingest(redis, db, "test", 30);
  std::size_t read = 0;
  for (int i = 0; i < 10 && read < 106; ++i) read += ingest.ingest_batch(100);
  EXPECT_EQ(read, 106u);
  EXPECT_EQ(count_rows(db, "SELECT COUNT(*) FROM runs WHERE job_id LIKE 'g%'"), 100);
  EXPECT_EQ(count_rows(db, "SELECT COUNT(*) FROM runs WHERE job_id LIKE 'p%'"), 0)
      << "a rejected event leaves nothing behind";
  EXPECT_EQ(count_rows(db, "SELECT COUNT(*) FROM rejected_events"), 6);
  EXPECT_LE(count_rows(db, "SELECT length(fields) FROM rejected_events WHERE job_id = 'p6'"),
            70000);
  auto st = db.prepare("SELECT reason FROM rejected_events WHERE job_id = ?");
  st.bind(1, "p3");
  ASSERT_TRUE(st.step());
  EXPECT_NE(st.text(0).find("nested deeper than 64"), std::string::npos) << st.text(0);
  st.reset();
  st.bind(1, "p4");
  ASSERT_TRUE(st.step());
  EXPECT_NE(st.text(0).find("dataset"), std::string::npos) << st.text(0);
  const auto pending = redis.command({"XPENDING", "dlaaw:events", kConsumerGroup});
  EXPECT_EQ(pending.elements.at(0).integer, 0) << "the poison was acknowledged too";
}

TEST(EventIngestTest, RecreatesItsGroupAfterRedisLostIt) {
  testing::RedisServer server;
  testing::TempDir dir;
  queue::RedisClient redis(server.endpoint());
  SqliteDb db((dir.path() / "t.db").string());
  EventIngest ingest(redis, db, "test");
  EXPECT_EQ(ingest.ingest_batch(50), 0u);
  redis.command({"FLUSHALL"});  // what a restart without persistence leaves
  queue::ProgressEvent p{{"j1", 1, "1", "ex", 1000}, 0, 1, 1, 10, 0.5};
  queue::JobQueue(redis).publish(p);
  std::size_t read = 0;
  // Used to throw "NOGROUP No such key 'dlaaw:events' or consumer group" at every call.
  for (int i = 0; i < 5 && read == 0; ++i) read += ingest.ingest_batch(50);
  EXPECT_EQ(read, 1u);
  EXPECT_EQ(count_rows(db, "SELECT COUNT(*) FROM losses"), 1);
}

TEST(EventIngestTest, RunsWhoseJobsRedisForgotAreMarkedLost) {
  testing::RedisServer server;
  testing::TempDir dir;
  queue::RedisClient redis(server.endpoint());
  SqliteDb db((dir.path() / "t.db").string());
  EventIngest ingest(redis, db, "test");
  for (const std::string job : {"kept", "gone"}) {
    queue::StateEvent e;
    e.header = {job, 1, "1", "ex", 1000};
    e.state = queue::JobState::Executing;
    queue::JobQueue(redis).publish(e);
  }
  redis.command({"HSET", "dlaaw:job:kept", "state", "executing"});
  std::size_t read = 0;
  for (int i = 0; i < 5 && read < 2; ++i) read += ingest.ingest_batch(50);
  ASSERT_EQ(read, 2u);
  EXPECT_EQ(mark_lost_runs(redis, db), 1u);
  EXPECT_EQ(count_rows(db, "SELECT COUNT(*) FROM runs WHERE job_id = 'gone' AND state = 'lost'"),
            1);
  EXPECT_EQ(
      count_rows(db, "SELECT COUNT(*) FROM runs WHERE job_id = 'kept' AND state = 'executing'"), 1);
  EXPECT_EQ(mark_lost_runs(redis, db), 0u) << "once";
}

// A result whose predictions (60,000 made-up rows) encode to well over the inline limit.
results::RunResult large_result(std::uint64_t seed) {
  results::RunResult r = synthetic_result(2, false, seed, 3);
  auto& p = r.folds.at(0).predictions;
  p = {};
  for (std::size_t i = 0; i < 60000; ++i) {
    p.rows.push_back(i + seed);
    p.labels.push_back(static_cast<float>(i % 2));
    p.scores.push_back(static_cast<float>(i % 997) / 997.0f);
  }
  return r;
}

// The result field of the stream's result event for `job`, as XADD wrote it.
std::string result_field(queue::RedisClient& redis, const std::string& job) {
  for (auto& e : queue::stream_events(redis.command({"XRANGE", "dlaaw:events", "-", "+"})))
    if (e.fields["type"] == "result" && e.fields["job"] == job) return e.fields["result"];
  return "";
}

std::string stored_predictions(SqliteDb& db, const std::string& job) {
  auto st = db.prepare(
      "SELECT a.content FROM artifacts a JOIN runs r ON r.id = a.run_id "
      "WHERE r.job_id = ? AND a.name = 'predictions'");
  st.bind(1, job);
  return st.step() ? st.text(0) : "";
}

TEST(EventIngestTest, LargePredictionsTravelAsAnArtifactAndAreStoredAsIfInline) {
  testing::RedisServer server;
  testing::TempDir dir;
  queue::RedisClient redis(server.endpoint());
  const results::RunResult original = large_result(1);
  const std::string inline_text = results::predictions_list_text(original);
  ASSERT_GT(inline_text.size(), executor::kInlinePredictionsLimit);
  results::RunResult sent = original;
  executor::offload_large_predictions(redis, sent);
  ASSERT_TRUE(sent.predictions_artifact);
  EXPECT_EQ(sent.predictions_artifact->rows, 60000u);
  publish_result(redis, "big", results::run_result_to_json(sent).dump());
  const std::string field = result_field(redis, "big");
  EXPECT_LT(field.size(), 64u * 1024) << "the result event carries a reference, not 60,000 rows";
  EXPECT_NE(field.find(sent.predictions_artifact->sha256), std::string::npos);

  SqliteDb db((dir.path() / "t.db").string());
  EventIngest ingest(redis, db, "test");
  for (int i = 0; i < 3; ++i) ingest.ingest_batch(50);
  EXPECT_EQ(count_rows(db, "SELECT COUNT(*) FROM rejected_events"), 0);
  EXPECT_EQ(stored_predictions(db, "big"), inline_text) << "stored exactly as an inline one";
}

TEST(EventIngestTest, AResultWithSmallPredictionsStillCarriesThem) {
  testing::RedisServer server;
  queue::RedisClient redis(server.endpoint());
  results::RunResult r = synthetic_result(2, false, 1, 3);
  const results::RunResult before = r;
  executor::offload_large_predictions(redis, r);
  EXPECT_FALSE(r.predictions_artifact);
  EXPECT_EQ(r.folds, before.folds);
  EXPECT_EQ(redis.command({"KEYS", "dlaaw:blob:*"}).elements.size(), 0u);
}

// A predictions artifact that expired or does not match its hash costs the run its predictions,
// not its metrics and model (it used to cost the whole run, left executing forever).
TEST(EventIngestTest, AMissingOrTamperedPredictionsArtifactKeepsTheRunWithoutPredictions) {
  testing::RedisServer server;
  testing::TempDir dir;
  queue::RedisClient redis(server.endpoint());
  results::RunResult missing = large_result(1), tampered = large_result(2);
  executor::offload_large_predictions(redis, missing);
  executor::offload_large_predictions(redis, tampered);
  redis.command({"DEL", "dlaaw:blob:" + missing.predictions_artifact->sha256});
  const std::string key = "dlaaw:blob:" + tampered.predictions_artifact->sha256;
  std::string bytes = redis.command({"GET", key}).text;
  bytes[bytes.find("0.5")] = '9';  // same size, other scores
  redis.command({"SET", key, bytes});
  publish_result(redis, "missing", results::run_result_to_json(missing).dump());
  publish_result(redis, "tampered", results::run_result_to_json(tampered).dump());
  publish_result(redis, "good",
                 results::run_result_to_json(synthetic_result(2, false, 3, 3)).dump());

  SqliteDb db((dir.path() / "t.db").string());
  EventIngest ingest(redis, db, "test");
  std::size_t read = 0;
  for (int i = 0; i < 5 && read < 3; ++i) read += ingest.ingest_batch(50);
  EXPECT_EQ(read, 3u);
  EXPECT_EQ(count_rows(db, "SELECT COUNT(*) FROM runs WHERE state = 'finished'"), 3);
  EXPECT_EQ(count_rows(db, "SELECT COUNT(*) FROM runs WHERE accuracy IS NOT NULL"), 3);
  for (const std::string job : {"missing", "tampered"}) {
    const json stored = json::parse(stored_predictions(db, job));
    ASSERT_EQ(stored.size(), 1u) << job;
    EXPECT_TRUE(stored[0]["rows"].empty()) << job << ": no predictions, none made up";
  }
  EXPECT_EQ(count_rows(db, "SELECT COUNT(*) FROM rejected_events WHERE job_id = 'good'"), 0);
  auto st = db.prepare("SELECT reason FROM rejected_events WHERE job_id = ?");
  for (const auto& [job, words] :
       {std::pair<std::string, std::string>{"missing", "not in redis"}, {"tampered", "corrupt"}}) {
    st.bind(1, job);
    ASSERT_TRUE(st.step()) << job << ": the missing predictions were not recorded";
    EXPECT_NE(st.text(0).find(words), std::string::npos) << st.text(0);
    EXPECT_NE(st.text(0).find("stored without its predictions"), std::string::npos) << st.text(0);
    st.reset();
  }
  const auto pending = redis.command({"XPENDING", "dlaaw:events", kConsumerGroup});
  EXPECT_EQ(pending.elements.at(0).integer, 0) << "every event was acknowledged";
}

}  // namespace
}  // namespace dlaaw::tracker
