// chaos_test.cpp - 200 jobs, 3 executors, one killed (SIGKILL) and restarted every second for 30 s:
// every job finishes exactly once; none is lost or duplicated.
#include <chrono>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "../common/child_process.h"
#include "../common/dlaaw_cli.h"
#include "../common/redis_server.h"
#include "../common/time_scale.h"
#include "queue/event_stream.h"
#include "queue/job_queue.h"

namespace dlaaw::queue {
namespace {

using namespace std::chrono_literals;

TEST(ChaosTest, EveryJobFinishesExactlyOnceWhileExecutorsDie) {
  testing::RedisServer server;
  testing::TempDir dir;
  dir.write("job.json", R"({"schema": "dlaaw/workflow@1", "name": "chaos",
    "dataset": {"synthetic": {"rows": 4000, "features": 8, "seed": 3}},
    "network": [{"type": "Linear", "in": 8, "out": 8}, {"type": "ReLU"}, {"type": "Linear", "in": 8, "out": 1}, {"type": "Sigmoid"}],
    "plan": {"type": "train_test"}, "training": {"epochs": 5000, "batches": 6}, "resource": "cpu"})");
  std::string files;
  for (int i = 0; i < 200; ++i) files += " job.json";
  // Kills are the point here, so a job may lose several attempts before one finishes.
  const auto submitted = testing::run_dlaaw(
      dir.path(), "submit" + files + " --max-attempts 50 --redis " + server.url());
  ASSERT_EQ(submitted.exit_code, 0) << submitted.output;
  // Job ids, one a line; a warning may follow (no executor has served cpu yet).
  std::vector<std::string> ids;
  for (std::size_t p = 0, q; (q = submitted.output.find('\n', p)) != std::string::npos; p = q + 1) {
    if (submitted.output.compare(p, 1, "j") == 0) ids.push_back(submitted.output.substr(p, q - p));
  }
  ASSERT_EQ(ids.size(), 200u);

  // The lease is short so that killed executors' jobs come back quickly, but not so short that a
  // heartbeat delayed on a loaded 2-core CI machine loses a live job's lease.
  const auto start = [&](int n) {
    return std::make_unique<testing::ChildProcess>(
        std::vector<std::string>{DLAAW_BINARY, "executor", "--resource", "cpu", "--redis",
                                 server.url(), "--lease", "1500ms", "--threads", "1", "--cache-dir",
                                 (dir.path() / "cache").string()},
        (dir.path() / ("executor" + std::to_string(n) + ".log")).string());
  };
  std::vector<std::unique_ptr<testing::ChildProcess>> executors;
  for (int i = 0; i < 3; ++i) executors.push_back(start(i));
  RedisClient redis(server.endpoint());
  JobQueue queue(redis);
  const auto all_ended = [&] {
    const auto d = queue.depths();
    return d.at("queued:cpu") == 0 && d.at("executing") == 0;
  };
  int kills = 0;
  for (int second = 0; second < 30 && !all_ended(); ++second) {
    std::this_thread::sleep_for(1s);
    const int victim = second % 3;
    executors[victim]->signal(SIGKILL);
    executors[victim]->wait(5s);
    executors[victim] = start(victim);
    ++kills;
  }
  const auto deadline = std::chrono::steady_clock::now() + testing::scaled(120s);
  while (!all_ended() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(200ms);

  int finished = 0, lost_attempts = 0;
  for (const auto& id : ids) {
    const auto job = queue.job(id);
    int finished_entries = 0;
    for (const auto& h : queue.history(id)) {
      finished_entries += h.rfind("finished|", 0) == 0;
      lost_attempts += h.rfind("lost|", 0) == 0;
    }
    EXPECT_EQ(job.at("state"), "finished")
        << id << " attempts " << job.at("attempts") << " error " << job.at("error");
    EXPECT_EQ(finished_entries, job.at("state") == "finished" ? 1 : 0) << id;
    finished += job.at("state") == "finished";
  }
  // One result event per job: the result is published inside the finish transition.
  std::map<std::string, int> results;
  for (auto& e : stream_events(redis.command({"XRANGE", "dlaaw:events", "-", "+"}))) {
    if (e.fields["type"] == "result") ++results[e.fields["job"]];
  }
  for (const auto& id : ids) EXPECT_EQ(results[id], 1) << id;
  std::printf("chaos: %d executor kills, %d jobs finished, %d attempts lost and redone\n", kills,
              finished, lost_attempts);
}

}  // namespace
}  // namespace dlaaw::queue
