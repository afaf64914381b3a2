// executor_test.cpp - executors and the submission CLI end to end, against a real redis-server.
#include <chrono>
#include <memory>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "../common/child_process.h"
#include "../common/dlaaw_cli.h"
#include "../common/redis_server.h"
#include "../common/scoped_env.h"
#include "../common/time_scale.h"
#include "client/nn_trainer.h"
#include "client/queued_trainer.h"
#include "common/errors.h"
#include "queue/event_stream.h"
#include "queue/executor_registry.h"
#include "queue/job_queue.h"
#include "tracker/event_ingest.h"
#include "tracker/sqlite_db.h"

namespace dlaaw::queue {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;
using testing::run_dlaaw;

// A synthetic workflow; `epochs` sets its length (2500 epochs of 40,000 rows: about 8 s on one
// core, long enough to be killed or cancelled mid-job, short enough for a loaded CI machine).
std::string synthetic_workflow(int rows, int epochs, const std::string& name = "synthetic") {
  return R"({"schema": "dlaaw/workflow@1", "name": ")" + name +
         R"(", "dataset": {"synthetic": {"rows": )" + std::to_string(rows) +
         R"(, "features": 8, "seed": 1}},
  "network": [{"type": "Linear", "in": 8, "out": 16}, {"type": "ReLU"},
              {"type": "Linear", "in": 16, "out": 8}, {"type": "ReLU"},
              {"type": "Linear", "in": 8, "out": 1}, {"type": "Sigmoid"}],
  "plan": {"type": "train_test"}, "training": {"epochs": )" +
         std::to_string(epochs) + R"(, "batches": 6}, "resource": "cpu"})";
}

class ExecutorTest : public ::testing::Test {
 protected:
  ExecutorTest() : redis_(server_.endpoint()), queue_(redis_) {
    dir_.write("slow.json", synthetic_workflow(40000, 2500, "slow"));
    dir_.write("quick.json", synthetic_workflow(2000, 50, "quick"));
  }

  std::unique_ptr<ChildProcess> start_executor(const std::string& name,
                                               const std::string& lease = "1s") {
    return std::make_unique<ChildProcess>(
        std::vector<std::string>{DLAAW_BINARY, "executor", "--resource", "cpu", "--redis",
                                 server_.url(), "--lease", lease, "--threads", "1", "--cache-dir",
                                 (dir_.path() / ("cache-" + name)).string()},
        (dir_.path() / (name + ".log")).string());
  }

  std::string submit(const std::string& file, const std::string& extra = "") {
    const auto r =
        run_dlaaw(dir_.path(), "submit " + file + " --redis " + server_.url() + " " + extra);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return r.output.substr(0, r.output.find('\n'));
  }

  std::map<std::string, std::string> job(const std::string& id) { return queue_.job(id); }

  // Waits until `pred` holds or `timeout` passes; returns whether it held.
  template <typename Pred>
  bool eventually(Pred pred, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + testing::scaled(timeout);
    while (std::chrono::steady_clock::now() < deadline) {
      if (pred()) return true;
      std::this_thread::sleep_for(50ms);
    }
    return pred();
  }

  int count(const std::string& id, const std::string& state) {
    int n = 0;
    for (const auto& h : queue_.history(id)) n += h.rfind(state + "|", 0) == 0;
    return n;
  }

  int result_events(const std::string& id) {
    int n = 0;
    for (auto& e : stream_events(redis_.command({"XRANGE", "dlaaw:events", "-", "+"}))) {
      n += e.fields["type"] == "result" && e.fields["job"] == id;
    }
    return n;
  }

  std::string log_of(const std::string& name) {
    std::ifstream in(dir_.path() / (name + ".log"));
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  testing::RedisServer server_;
  testing::TempDir dir_;
  RedisClient redis_;
  JobQueue queue_;
};

TEST_F(ExecutorTest, RunsAJobEndToEndWithItsDatasetAsABlob) {
  std::string csv = "a,b,y\n";
  for (int i = 0; i < 300; ++i)
    csv += std::to_string(i % 17) + "," + std::to_string((i * 7) % 13) + "," +
           ((i % 17) + ((i * 7) % 13) > 14 ? "1" : "0") + "\n";
  dir_.write("data/points.csv", csv);
  dir_.write("file.json", R"({"schema": "dlaaw/workflow@1", "name": "points",
    "dataset": {"path": "points.csv", "label": "y"},
    "network": [{"type": "Linear", "in": 2, "out": 3}, {"type": "ReLU"}, {"type": "Linear", "in": 3, "out": 1}, {"type": "Sigmoid"}],
    "plan": {"type": "train_test"}, "training": {"epochs": 100, "batches": 6}, "resource": "cpu"})");
  auto executor = start_executor("a");
  const auto r =
      run_dlaaw(dir_.path(), "submit file.json --wait --data-dir data --redis " + server_.url());
  ASSERT_EQ(r.exit_code, 0) << r.output << log_of("a");
  const std::string id = r.output.substr(0, r.output.find('\n'));
  EXPECT_EQ(job(id)["state"], "finished");
  EXPECT_EQ(result_events(id), 1);
  EXPECT_TRUE(
      std::filesystem::exists(dir_.path() / "cache-a" / job(id)["dataset_sha256"] / "points.csv"))
      << "the executor fetched the dataset from redis into its own cache";
  const auto resources = run_dlaaw(dir_.path(), "resources --redis " + server_.url());
  EXPECT_NE(resources.output.find("cpu"), std::string::npos) << resources.output;
  executor->signal(SIGTERM);
  EXPECT_EQ(executor->wait(10s), 0) << log_of("a");
  EXPECT_EQ(redis_.command({"SCARD", "dlaaw:executors"}).integer, 0) << "deregistered";
}

TEST_F(ExecutorTest, LargePredictionsLeaveTheResultEventSmallAndReachTheTracker) {
  // 100,000 rows, half of them test rows: about 1.6 MB of predictions, over the inline limit.
  dir_.write("large.json", R"({"schema": "dlaaw/workflow@1", "name": "large",
    "dataset": {"synthetic": {"rows": 100000, "features": 4, "seed": 3}},
    "network": [{"type": "Linear", "in": 4, "out": 2}, {"type": "ReLU"}, {"type": "Linear", "in": 2, "out": 1}, {"type": "Sigmoid"}],
    "plan": {"type": "train_test", "test_fraction": 0.5}, "training": {"epochs": 1, "batches": 6},
    "resource": "cpu"})");
  auto executor = start_executor("a");
  const auto r = run_dlaaw(dir_.path(), "submit large.json --wait --redis " + server_.url());
  ASSERT_EQ(r.exit_code, 0) << r.output << log_of("a");
  const std::string id = r.output.substr(0, r.output.find('\n'));
  std::string field;
  for (auto& e : stream_events(redis_.command({"XRANGE", "dlaaw:events", "-", "+"})))
    if (e.fields["type"] == "result" && e.fields["job"] == id) field = e.fields["result"];
  ASSERT_FALSE(field.empty()) << log_of("a");
  EXPECT_LT(field.size(), 64u * 1024) << "the result event carries a reference to the predictions";
  EXPECT_NE(field.find("\"predictions_artifact\""), std::string::npos) << field.substr(0, 500);

  tracker::SqliteDb db((dir_.path() / "t.db").string());
  tracker::EventIngest ingest(redis_, db, "test");
  for (int i = 0; i < 3; ++i) ingest.ingest_batch(50);
  auto st = db.prepare(
      "SELECT json_array_length(a.content, '$[0].rows') FROM artifacts a "
      "JOIN runs r ON r.id = a.run_id WHERE r.job_id = ? AND a.name = 'predictions'");
  st.bind(1, id);
  ASSERT_TRUE(st.step()) << "the tracker stored the run's predictions";
  EXPECT_EQ(st.integer(0), 50000);
  executor->signal(SIGTERM);
  EXPECT_EQ(executor->wait(10s), 0) << log_of("a");
}

TEST_F(ExecutorTest, AJobOfAKilledExecutorFinishesOnAnotherExactlyOnce) {
  auto first = start_executor("first");
  const auto id = submit("slow.json");
  ASSERT_TRUE(eventually([&] { return job(id)["state"] == "executing"; }, 10s));
  std::this_thread::sleep_for(500ms);
  first->signal(SIGKILL);
  first->wait(5s);
  auto second = start_executor("second");
  ASSERT_TRUE(eventually([&] { return job(id)["state"] == "finished"; }, 60s)) << log_of("second");
  EXPECT_EQ(job(id)["attempts"], "2");
  EXPECT_EQ(count(id, "finished"), 1);
  EXPECT_EQ(count(id, "lost"), 1);
  EXPECT_EQ(result_events(id), 1);
}

TEST_F(ExecutorTest, AJobThatAlwaysFailsEndsInDead) {
  dir_.write("data/points.csv", "a,y\n1,1\n2,0\n3,1\n4,0\n5,1\n6,0\n7,1\n8,0\n9,1\n10,0\n");
  dir_.write("file.json", R"({"schema": "dlaaw/workflow@1", "name": "doomed",
    "dataset": {"path": "points.csv", "label": "y"},
    "network": [{"type": "Linear", "in": 1, "out": 1}, {"type": "Sigmoid"}],
    "plan": {"type": "train_test"}, "training": {"epochs": 5, "batches": 2}, "resource": "cpu"})");
  const auto id = submit("file.json", "--data-dir data");
  redis_.command(
      {"DEL", "dlaaw:blob:" + job(id)["dataset_sha256"]});  // every attempt fails to fetch it
  auto executor = start_executor("a");
  ASSERT_TRUE(eventually([&] { return job(id)["state"] == "error"; }, 30s)) << log_of("a");
  // A missing blob does not come back by itself: JobFailed is not retried (failure_policy.h).
  EXPECT_EQ(job(id)["attempts"], "1");
  EXPECT_NE(job(id)["error"].find("not in redis"), std::string::npos) << job(id)["error"];
  EXPECT_EQ(redis_.command({"LRANGE", "dlaaw:dead", "0", "-1"}).elements.at(0).text, id);
  const auto retried = run_dlaaw(dir_.path(), "retry " + id + " --redis " + server_.url());
  EXPECT_EQ(retried.exit_code, 0) << retried.output;
}

TEST_F(ExecutorTest, CancelsQueuedAndRunningJobs) {
  const auto queued = submit("quick.json", "--resource local-gpu");  // nobody serves it
  const auto c1 = run_dlaaw(dir_.path(), "cancel " + queued + " --redis " + server_.url());
  EXPECT_EQ(c1.exit_code, 0) << c1.output;
  EXPECT_EQ(job(queued)["state"], "cancelled");

  auto executor = start_executor("a");
  const auto running = submit("slow.json");
  ASSERT_TRUE(eventually([&] { return job(running)["state"] == "executing"; }, 10s));
  const auto c2 = run_dlaaw(dir_.path(), "cancel " + running + " --redis " + server_.url());
  EXPECT_EQ(c2.exit_code, 0) << c2.output;
  EXPECT_TRUE(eventually([&] { return job(running)["state"] == "cancelled"; }, 10s)) << log_of("a");
  const auto unknown = run_dlaaw(dir_.path(), "cancel j0-none --redis " + server_.url());
  EXPECT_EQ(unknown.exit_code, 2) << unknown.output;
}

TEST_F(ExecutorTest, SigtermMidJobHandsTheJobBackAndExitsZero) {
  auto first = start_executor("first");
  const auto id = submit("slow.json");
  ASSERT_TRUE(eventually([&] { return job(id)["state"] == "executing"; }, 10s));
  first->signal(SIGTERM);
  EXPECT_EQ(first->wait(15s), 0) << log_of("first");
  const std::string state = job(id)["state"];
  EXPECT_TRUE(state == "queued" || state == "finished") << state;
  auto second = start_executor("second");
  EXPECT_TRUE(eventually([&] { return job(id)["state"] == "finished"; }, 60s)) << log_of("second");
  EXPECT_EQ(count(id, "finished"), 1);
}

// With Redis away, SIGTERM used to wait out two 10-second reconnect backoffs (the worker's and
// the deregistration's): about 20 s before the executor exited.
TEST_F(ExecutorTest, SigtermWithRedisAwayStopsWithinSeconds) {
  auto executor = start_executor("a");
  ASSERT_TRUE(eventually(
      [&] {
        return redis_.command({"SCARD", "dlaaw:executors"}).integer == 1;
      },
      10s));
  server_.stop();
  std::this_thread::sleep_for(500ms);  // the worker and the housekeeping lose their connections
  executor->signal(SIGTERM);
  EXPECT_EQ(executor->wait(4s), 0) << log_of("a");
}

TEST_F(ExecutorTest, AnInvalidDocumentQueuesNothing) {
  dir_.write("bad.json", R"({"schema": "dlaaw/workflow@1", "name": "bad",
    "dataset": {"synthetic": {"rows": 100, "features": 8, "seed": 1}},
    "network": [{"type": "Linear", "in": 8, "out": 4}, {"type": "ReLU"}, {"type": "Linear", "in": 3, "out": 1}, {"type": "Sigmoid"}],
    "plan": {"type": "train_test"}, "training": {"epochs": 5}})");
  const auto r = run_dlaaw(dir_.path(), "submit quick.json bad.json --redis " + server_.url());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("network[2]: Linear.in is 3 but the previous layer gives 4"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(redis_.command({"ZCARD", "dlaaw:jobs"}).integer, 0);
}

TEST_F(ExecutorTest, WrongPasswordAndUnreachableServerExitThree) {
  testing::RedisServer guarded("secret");
  const auto wrong = run_dlaaw(dir_.path(), "submit quick.json --redis redis://:nope@127.0.0.1:" +
                                                std::to_string(guarded.port()));
  EXPECT_EQ(wrong.exit_code, 3) << wrong.output;
  EXPECT_EQ(std::count(wrong.output.begin(), wrong.output.end(), '\n'), 1) << wrong.output;
  const auto away = run_dlaaw(dir_.path(), "queue --redis redis://127.0.0.1:" +
                                               std::to_string(testing::free_loopback_port()));
  EXPECT_EQ(away.exit_code, 3) << away.output;
  EXPECT_NE(away.output.find("unreachable"), std::string::npos) << away.output;
}

TEST_F(ExecutorTest, RefusesToServeAGpuResourceWithoutAGpu) {
  const auto r = run_dlaaw(dir_.path(), "executor --resource nano --redis " + server_.url());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  // The machine here has no (or no integrated) CUDA device; the message says which requirement.
  EXPECT_NE(r.output.find("--resource nano: this machine does not meet its requirements: nano "
                          "needs "),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("--allow-mismatch"), std::string::npos) << r.output;
  const auto unknown = run_dlaaw(dir_.path(), "executor --resource tpu --redis " + server_.url());
  EXPECT_EQ(unknown.exit_code, 2) << unknown.output;
  EXPECT_NE(unknown.output.find("--resource: unknown resource \"tpu\""), std::string::npos)
      << unknown.output;
}

// Issue 11: a cuda resource's executor refuses at start, with the reason, when there is no GPU
// library or its device can run no training kernel (here: the stand-in built without kernels).
TEST_F(ExecutorTest, AGpuResourceIsRefusedAtStartWhenItsGpuCannotTrain) {
  const std::string missing = (dir_.path() / "libdlaaw_gpu.so").string();
  {
    testing::ScopedEnv env("DLAAW_GPU_LIB", missing);
    const auto r = run_dlaaw(dir_.path(), "executor --resource local-gpu --redis " + server_.url());
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("local-gpu needs a CUDA device, but this machine has none (no GPU "
                            "library: libdlaaw_gpu.so is not at " +
                            missing),
              std::string::npos)
        << r.output;
    const auto forced = run_dlaaw(dir_.path(),
                                  "executor --resource local-gpu --allow-mismatch "
                                  "--backend cuda --redis " +
                                      server_.url());
    EXPECT_EQ(forced.exit_code, 2) << forced.output;
    EXPECT_NE(forced.output.find("the CUDA backend cannot train on this machine: this machine has "
                                 "no CUDA device (no GPU library"),
              std::string::npos)
        << forced.output;
  }
  testing::ScopedEnv env("DLAAW_GPU_LIB", DLAAW_STANDIN_NOKERNEL_LIBRARY);
  const auto r = run_dlaaw(dir_.path(), "executor --resource nano --redis " + server_.url());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("nano needs a GPU that can run a training kernel, but cuda:0 (dlaaw "
                          "stand-in (CPU backend, no GPU)) can run no training kernel: the library "
                          "has no code for sm_53"),
            std::string::npos)
      << r.output;
  EXPECT_TRUE(live_executors(redis_).empty()) << "a refused executor never registers";
}

TEST_F(ExecutorTest, ListingTwoTrainerReachesAnotherResourceThroughTheQueue) {
  class Blobs : public nnworkflow::NNWorkflow {
   public:
    Blobs() : NNWorkflow("remote-blobs") {
      datasets::DatasetSpec blobs;
      blobs.synthetic = datasets::SyntheticSpec{600, 2, 1};
      use_dataset(blobs);
      resource("nano");
    }
    void design() override {
      Sequential(nnworkflow::Linear(2, 3), nnworkflow::ReLU(), nnworkflow::Linear(3, 1),
                 nnworkflow::Sigmoid());
    }
  } net;
  client::NNTrainer local(net, 6, 20);
  EXPECT_THROW(local.train(), ServiceUnavailable) << "no Jetson here and no queue given";

  ChildProcess nano(
      {DLAAW_BINARY, "executor", "--resource", "nano", "--allow-mismatch", "--redis", server_.url(),
       "--threads", "1", "--cache-dir", (dir_.path() / "cache-nano").string()},
      (dir_.path() / "nano.log").string());
  client::NNTrainer remote(net, 6, 20, {},
                           std::make_shared<client::QueueTraining>(server_.url(), dir_.path()));
  const auto result = remote.train();
  ASSERT_TRUE(result.executor) << log_of("nano");
  EXPECT_EQ(result.executor->resource, "nano") << log_of("nano");
  EXPECT_EQ(result.device.kind, "cpu") << "provenance records the real device";
  EXPECT_EQ(result.folds[0].loss.size(), 20u);
}

}  // namespace
}  // namespace dlaaw::queue
