// sweep_control_test.cpp - a sweep as an object: status with the best run so far, cancelling its
// queued and executing members, the on-done command, and `dlaaw sweep status|cancel`.
#include "client/sweep_control.h"

#include <fstream>

#include <gtest/gtest.h>

#include "../common/dlaaw_cli.h"
#include "../common/redis_server.h"
#include "../common/temp_dir.h"
#include "client/sweep_runner.h"
#include "common/errors.h"
#include "executor/engine.h"
#include "queue/job_queue.h"
#include "sweep_fixtures.h"

namespace dlaaw::client {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

nnworkflow::SweepDocument four_members() { return testing::four_seed_sweep("night-lr"); }

// Finishes the next job of the cpu queue with a real result whose accuracy is `accuracy`.
void finish_next(queue::JobQueue& jobs, double accuracy) {
  const auto job = jobs.take("ex", "cpu", milliseconds(5000));
  ASSERT_TRUE(job);
  nnworkflow::WorkflowDocument d;
  d.name = "blobs";
  d.dataset.synthetic = datasets::SyntheticSpec{100, 2, 1};
  d.network = {nnworkflow::Linear(2, 1), nnworkflow::Sigmoid()};
  d.training.epochs = 2;
  executor::EngineOptions options;
  options.threads = 1;
  auto r = executor::run_workflow(nnworkflow::ValidWorkflow(d), options);
  r.metrics.accuracy = accuracy;
  queue::ResultEvent result;
  result.header = {job->id, job->attempt, "1", "ex", std::nullopt};
  result.result = results::run_result_to_json(r).dump();
  ASSERT_TRUE(jobs.finish(*job, "ex", result));
}

class SweepControlTest : public ::testing::Test {
 protected:
  testing::RedisServer server_;
  queue::RedisClient redis_{server_.endpoint()};
  queue::JobQueue jobs_{redis_};
  resources::ResourceRegistry registry_;
};

TEST_F(SweepControlTest, StatusCountsMembersByStateAndFindsTheBestSoFar) {
  submit_sweep(redis_, four_members(), ".", registry_);
  finish_next(jobs_, 0.75);
  finish_next(jobs_, 0.9);
  ASSERT_TRUE(jobs_.take("ex", "cpu", milliseconds(5000)));  // one executing, one queued
  const SweepStatus s = sweep_status(redis_, "night-lr");
  EXPECT_EQ(s.total, 4);
  EXPECT_EQ(s.ended, 2);
  EXPECT_EQ(s.by_state,
            (std::map<std::string, int>{{"finished", 2}, {"executing", 1}, {"queued", 1}}));
  ASSERT_TRUE(s.best_accuracy);
  EXPECT_DOUBLE_EQ(*s.best_accuracy, 0.9);
  const json summary = sweep_summary(s);
  EXPECT_EQ(summary["best"]["accuracy"], 0.9);
  EXPECT_EQ(summary["by_state"]["queued"], 1);
  EXPECT_THROW(sweep_status(redis_, "no-such-sweep"), NotFound);
}

TEST_F(SweepControlTest, CancelStopsQueuedAndExecutingMembersOnly) {
  submit_sweep(redis_, four_members(), ".", registry_);
  finish_next(jobs_, 0.8);
  const auto executing = jobs_.take("ex", "cpu", milliseconds(5000));
  ASSERT_TRUE(executing);
  const SweepCancellation c = cancel_sweep(redis_, "night-lr");
  EXPECT_EQ(c.cancelled, 2);
  EXPECT_EQ(c.requested, 1);
  EXPECT_EQ(c.already_ended, 1);
  EXPECT_FALSE(jobs_.take("ex", "cpu", milliseconds(200))) << "nothing left on the queue";
  EXPECT_EQ(sweep_status(redis_, "night-lr").by_state["cancelled"], 2);
  EXPECT_THROW(cancel_sweep(redis_, "no-such-sweep"), NotFound);
}

TEST_F(SweepControlTest, TheOnDoneCommandGetsTheSummaryOnStandardInput) {
  testing::TempDir dir;
  const auto out = dir.path() / "summary.json";
  const json summary = {{"sweep", "s"}, {"total", 2}};
  EXPECT_EQ(run_on_done("cat > '" + out.string() + "'", summary), 0);
  std::ifstream in(out);
  EXPECT_EQ(json::parse(in), summary);
  EXPECT_EQ(run_on_done("exit 7", summary), 7) << "a command that reads nothing is no crash";
  EXPECT_EQ(run_on_done("/no/such/program", summary), 127);
}

TEST_F(SweepControlTest, TheCommandLineShowsStatusAndCancels) {
  testing::TempDir dir;
  submit_sweep(redis_, four_members(), ".", registry_);
  auto r = testing::run_dlaaw(dir.path(),
                              "sweep status night-lr --format json --redis " + server_.url());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(json::parse(r.output)["by_state"]["queued"], 4);
  r = testing::run_dlaaw(dir.path(), "sweep status night-lr --redis " + server_.url());
  EXPECT_NE(r.output.find("0 of 4 members ended"), std::string::npos) << r.output;
  r = testing::run_dlaaw(dir.path(), "sweep cancel night-lr --redis " + server_.url());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("4 queued member(s) cancelled"), std::string::npos) << r.output;
  r = testing::run_dlaaw(dir.path(), "sweep status nope --redis " + server_.url());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("sweep nope: no such sweep"), std::string::npos) << r.output;
  EXPECT_EQ(testing::run_dlaaw(dir.path(), "sweep --redis " + server_.url()).exit_code, 2);
}

}  // namespace
}  // namespace dlaaw::client
