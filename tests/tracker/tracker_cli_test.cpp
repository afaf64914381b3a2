// tracker_cli_test.cpp - `dlaaw tracker`, `predict` and the runs written by real processes.
#include <chrono>
#include <fstream>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "../common/child_process.h"
#include "../common/dlaaw_cli.h"
#include "../common/redis_server.h"
#include "../common/time_scale.h"
#include "tracker/run_queries.h"
#include "tracker/sqlite_db.h"

namespace dlaaw::tracker {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;
using testing::run_dlaaw;

std::int64_t count_in(const std::string& db_path, const std::string& sql) {
  if (!std::filesystem::exists(db_path)) return 0;
  try {
    SqliteDb db(db_path, SqliteDb::Mode::ReadOnly);
    auto st = db.prepare(sql);
    st.step();
    return st.integer(0);
  } catch (const std::exception&) {
    return 0;  // the tracker has not created its tables yet
  }
}

TEST(TrackerIngestTest, AKilledTrackerLosesNoEventAndDuplicatesNone) {
  testing::RedisServer server;
  testing::TempDir dir;
  const std::string db = (dir.path() / "t.db").string();
  const auto start_tracker = [&] {
    return std::make_unique<ChildProcess>(
        std::vector<std::string>{DLAAW_BINARY, "tracker", "--redis", server.url(), "--db", db,
                                 "--batch", "25"},
        (dir.path() / "tracker.log").string());
  };
  auto tracker = start_tracker();
  // A burst of 1,000 progress events over about half a second, killed in the middle.
  std::thread publisher([&] {
    queue::RedisClient redis(server.endpoint());
    for (int group = 0; group < 20; ++group) {
      std::vector<std::vector<std::string>> xadds;
      for (int i = group * 50; i < (group + 1) * 50; ++i) {
        xadds.push_back({"XADD",
                         "dlaaw:events",
                         "*",
                         "type",
                         "progress",
                         "job",
                         "burst",
                         "attempt",
                         "1",
                         "seq",
                         std::to_string(i),
                         "fold",
                         "0",
                         "folds",
                         "1",
                         "epoch",
                         std::to_string(i + 1),
                         "epochs",
                         "1000",
                         "loss",
                         "0.5"});
      }
      redis.pipeline(xadds);
      std::this_thread::sleep_for(25ms);
    }
  });
  const auto deadline = std::chrono::steady_clock::now() + testing::scaled(10s);
  while (count_in(db, "SELECT COUNT(*) FROM losses") == 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  tracker->signal(SIGKILL);
  tracker->wait(5s);
  const auto at_kill = count_in(db, "SELECT COUNT(*) FROM losses");
  publisher.join();
  tracker = start_tracker();
  const auto finish = std::chrono::steady_clock::now() + testing::scaled(30s);
  while (count_in(db, "SELECT COUNT(*) FROM ingested_events") < 1000 &&
         std::chrono::steady_clock::now() < finish) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_LT(at_kill, 1000) << "the kill should land mid-burst";
  EXPECT_EQ(count_in(db, "SELECT COUNT(*) FROM ingested_events"), 1000);
  EXPECT_EQ(count_in(db, "SELECT COUNT(*) FROM losses"), 1000);
  EXPECT_EQ(count_in(db, "SELECT COUNT(DISTINCT epoch) FROM losses"), 1000);
  queue::RedisClient redis(server.endpoint());
  const auto pending = redis.command({"XPENDING", "dlaaw:events", "dlaaw-tracker"});
  EXPECT_EQ(pending.elements.at(0).integer, 0) << "every event acknowledged";
  tracker->signal(SIGTERM);
  EXPECT_EQ(tracker->wait(10s), 0);
}

TEST(TrackerIngestTest, RunsOfExecutorsLandInTheDatabase) {
  testing::RedisServer server;
  testing::TempDir dir;
  const std::string db = (dir.path() / "t.db").string();
  dir.write("quick.json", R"({"schema": "dlaaw/workflow@1", "name": "quick",
    "dataset": {"synthetic": {"rows": 800, "features": 3, "seed": 2}},
    "network": [{"type": "Linear", "in": 3, "out": 4}, {"type": "ReLU"}, {"type": "Linear", "in": 4, "out": 1}, {"type": "Sigmoid"}],
    "plan": {"type": "kfold", "k": 3}, "training": {"epochs": 30}, "resource": "cpu"})");
  ChildProcess tracker({DLAAW_BINARY, "tracker", "--redis", server.url(), "--db", db},
                       (dir.path() / "tracker.log").string());
  ChildProcess executor({DLAAW_BINARY, "executor", "--resource", "cpu", "--redis", server.url(),
                         "--threads", "1", "--cache-dir", (dir.path() / "cache").string()},
                        (dir.path() / "executor.log").string());
  const auto r =
      run_dlaaw(dir.path(), "submit quick.json --wait --experiment e2e --redis " + server.url());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto deadline = std::chrono::steady_clock::now() + testing::scaled(20s);
  while (count_in(db, "SELECT COUNT(*) FROM runs WHERE state = 'finished'") == 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  const auto runs = run_dlaaw(dir.path(), "runs --format json --db " + db);
  ASSERT_EQ(runs.exit_code, 0) << runs.output;
  const auto rows = nlohmann::json::parse(runs.output);
  ASSERT_EQ(rows.size(), 1u) << runs.output;
  EXPECT_EQ(rows[0]["state"], "finished");
  EXPECT_EQ(rows[0]["experiment"], "e2e");
  EXPECT_EQ(rows[0]["resource"], "cpu");
  SqliteDb ro(db, SqliteDb::Mode::ReadOnly);
  const auto details = run_details(ro, rows[0]["id"].get<std::int64_t>());
  EXPECT_EQ(details["metrics"]["folds"].size(), 3u);
  EXPECT_TRUE(details["timings_ms"].contains("queue_wait"));
  EXPECT_TRUE(details["timings_ms"].contains("blob_fetch"));
  EXPECT_FALSE(details["code_version"].get<std::string>().empty());
}

TEST(PredictTest, ReproducesTheScoresStoredAtTrainingTime) {
  testing::TempDir dir;
  std::string csv = "a,kind,b,y\n";
  const char* kinds[] = {"red", "green", "blue"};
  for (int i = 0; i < 400; ++i) {
    const int a = (i * 37) % 101, b = (i * 13) % 29;
    csv += std::to_string(a) + "," + kinds[i % 3] + "," + std::to_string(b) + "," +
           (a / 10 + b > 20 ? "yes" : "no") + "\n";
  }
  dir.write("data/points.csv", csv);
  dir.write("wf.json", R"({"schema": "dlaaw/workflow@1", "name": "points",
    "dataset": {"path": "points.csv", "label": "y", "positive": "yes", "categorical": ["kind"]},
    "network": [{"type": "Linear", "in": 3, "out": 4}, {"type": "Tanh"}, {"type": "Linear", "in": 4, "out": 1}, {"type": "Sigmoid"}],
    "plan": {"type": "train_test", "test_fraction": 0.25}, "training": {"epochs": 100}})");
  const auto trained = run_dlaaw(dir.path(), "run wf.json --data-dir data --db t.db --threads 1");
  ASSERT_EQ(trained.exit_code, 0) << trained.output;
  const auto predicted =
      run_dlaaw(dir.path(), "predict 1 data/points.csv --db t.db --out scores.csv");
  ASSERT_EQ(predicted.exit_code, 0) << predicted.output;
  std::ifstream in(dir.path() / "scores.csv");
  std::string line;
  std::getline(in, line);  // header
  std::vector<float> scores;
  while (std::getline(in, line)) scores.push_back(std::stof(line.substr(line.find(',') + 1)));
  ASSERT_EQ(scores.size(), 400u);
  SqliteDb db((dir.path() / "t.db").string(), SqliteDb::Mode::ReadOnly);
  const auto stored = artifact(db, 1, "predictions")[0];
  ASSERT_EQ(stored["rows"].size(), 100u);
  for (std::size_t i = 0; i < stored["rows"].size(); ++i) {
    const auto row = stored["rows"][i].get<std::size_t>();
    EXPECT_EQ(scores[row], stored["scores"][i].get<float>()) << "row " << row;
  }
  dir.write("new.csv", "a,kind,b\n5,purple,3\n");
  const auto unseen = run_dlaaw(dir.path(), "predict 1 new.csv --db t.db");
  EXPECT_EQ(unseen.exit_code, 2) << unseen.output;
  EXPECT_NE(unseen.output.find("category \"purple\" was not seen in training"), std::string::npos)
      << unseen.output;
}

}  // namespace
}  // namespace dlaaw::tracker
