// hostile_job_test.cpp - jobs pushed straight into Redis, bypassing submit: a file name that is a
// path, a document that is not JSON or nests 200,000 deep, a learning rate that diverges. Each
// ends in dlaaw:dead or error with a clear message, and the executor goes on serving.
#include <chrono>
#include <fstream>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "../common/child_process.h"
#include "../common/redis_server.h"
#include "../common/time_scale.h"
#include "datasets/sha256.h"
#include "queue/blob_store.h"
#include "queue/job_id.h"
#include "queue/job_queue.h"

namespace dlaaw::queue {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;

const std::string kCsv = "a,y\n1,0\n2,1\n3,0\n4,1\n5,0\n6,1\n7,0\n8,1\n9,0\n10,1\n11,0\n12,1\n";

std::string file_workflow(double learning_rate = 0.1) {
  return R"({"schema": "dlaaw/workflow@1", "name": "hostile",
    "dataset": {"path": "points.csv", "label": "y"},
    "network": [{"type": "Linear", "in": 1, "out": 4}, {"type": "ReLU"},
                {"type": "Linear", "in": 4, "out": 1}, {"type": "Sigmoid"}],
    "plan": {"type": "train_test"}, "training": {"epochs": 50, "batches": 2, "learning_rate": )" +
         std::to_string(learning_rate) + R"(}, "resource": "cpu"})";
}

class HostileJobTest : public ::testing::Test {
 protected:
  HostileJobTest() : redis_(server_.endpoint()), queue_(redis_) {
    put_blob(redis_, datasets::sha256_hex(kCsv), kCsv);
    executor_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{DLAAW_BINARY, "executor", "--resource", "cpu", "--redis",
                                 server_.url(), "--lease", "1s", "--threads", "1", "--cache-dir",
                                 (dir_.path() / "a" / "b" / "cache").string()},
        (dir_.path() / "executor.log").string());
  }

  std::string push(const std::string& document, const std::string& dataset_file = "points.csv") {
    SubmitRequest r;
    r.id = new_job_id();
    r.name = "hostile";
    r.document = document;
    r.resource = "cpu";
    r.max_attempts = 3;
    r.dataset_sha256 = datasets::sha256_hex(kCsv);
    r.dataset_file = dataset_file;
    EXPECT_EQ(queue_.submit({r}), 1);
    return r.id;
  }

  // Waits (scaled for slow machines) until job `id` ends; returns its hash.
  std::map<std::string, std::string> ended(const std::string& id, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + testing::scaled(limit);
    while (std::chrono::steady_clock::now() < deadline) {
      auto job = queue_.job(id);
      if (job["state"] == "error" || job["state"] == "finished") return job;
      std::this_thread::sleep_for(50ms);
    }
    return queue_.job(id);
  }
  bool is_dead(const std::string& id) {
    for (const auto& e : redis_.command({"LRANGE", "dlaaw:dead", "0", "-1"}).elements)
      if (e.text == id) return true;
    return false;
  }
  std::string log() {
    std::ifstream in(dir_.path() / "executor.log");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  testing::RedisServer server_;
  testing::TempDir dir_;
  RedisClient redis_;
  JobQueue queue_;
  std::unique_ptr<ChildProcess> executor_;
};

TEST_F(HostileJobTest, ADatasetFileThatIsAPathGoesDeadAndWritesNothing) {
  // Used to be trained, its blob written as cache/<sha>/x.csv (and before that, at the path).
  for (const std::string bad : {"../../x.csv", "/tmp/dlaaw-hostile-x.csv"}) {
    const auto id = push(file_workflow(), bad);
    auto job = ended(id, 30s);
    EXPECT_EQ(job["state"], "error") << log();
    EXPECT_EQ(job["attempts"], "1") << "no retries: the same field fails every time";
    EXPECT_NE(job["error"].find("dataset_file"), std::string::npos) << job["error"];
    EXPECT_TRUE(is_dead(id));
  }
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "a" / "x.csv"));
  EXPECT_FALSE(std::filesystem::exists("/tmp/dlaaw-hostile-x.csv"));
  const auto good = push(file_workflow());
  EXPECT_EQ(ended(good, 60s)["state"], "finished") << log();
}

TEST_F(HostileJobTest, ADocumentThatDoesNotParseGoesDeadAtOnce) {
  const auto broken = push("{not json");
  // 200,000 levels used to crash the executor (three in a row) until the lease ran out.
  const auto deep =
      push("{\"schema\": \"dlaaw/workflow@1\", \"name\": " + std::string(200000, '[') +
           std::string(200000, ']') + "}");
  for (const auto& id : {broken, deep}) {
    auto job = ended(id, 30s);
    EXPECT_EQ(job["state"], "error") << log();
    EXPECT_EQ(job["attempts"], "1");
    EXPECT_TRUE(is_dead(id));
  }
  EXPECT_NE(queue_.job(deep)["error"].find("nested deeper than 64"), std::string::npos)
      << queue_.job(deep)["error"];
  EXPECT_EQ(executor_->wait(0ms), -1) << "the executor still runs\n" << log();
}

TEST_F(HostileJobTest, ADivergingRunFailsInsteadOfHanging) {
  // learning_rate 1e20 made every score NaN, and the AUC loop never ended: the heartbeat kept the
  // lease, so neither cancel nor the reaper could end the job.
  const auto id = push(file_workflow(1e20));
  auto job = ended(id, 30s);
  EXPECT_EQ(job["state"], "error") << log();
  EXPECT_NE(job["error"].find("training diverged"), std::string::npos) << job["error"];
  EXPECT_EQ(job["attempts"], "1") << "the same seed diverges again: it was retried 3 times";
  EXPECT_EQ(executor_->wait(0ms), -1) << "the executor still runs\n" << log();
}

}  // namespace
}  // namespace dlaaw::queue
