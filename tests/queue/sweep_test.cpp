// sweep_test.cpp - resubmitting a sweep queues only what is left; an invalid member queues nothing.
#include "client/sweep_runner.h"

#include <gtest/gtest.h>

#include "../common/redis_server.h"
#include "common/errors.h"
#include "queue/job_queue.h"
#include "sweep_fixtures.h"

namespace dlaaw::client {
namespace {

using std::chrono::milliseconds;

nnworkflow::SweepDocument four_members() { return testing::four_seed_sweep("overnight"); }

TEST(SweepSubmitTest, ResubmittingQueuesOnlyWhatIsLeft) {
  const resources::ResourceRegistry registry;
  testing::RedisServer server;
  queue::RedisClient redis(server.endpoint());
  queue::JobQueue jobs(redis);
  const auto first = submit_sweep(redis, four_members(), ".", registry);
  EXPECT_EQ(first.queued, 4);
  EXPECT_EQ(first.experiment, "overnight");
  // Two members finish, one dies, and one was never queued (the submission was cut short).
  for (int i = 0; i < 3; ++i) {
    const auto job = jobs.take("ex", "cpu", milliseconds(5000));
    ASSERT_TRUE(job);
    if (i < 2) {
      queue::ResultEvent result;
      result.header = {job->id, job->attempt, "1", "ex", std::nullopt};
      result.result = "{}";
      ASSERT_TRUE(jobs.finish(*job, "ex", result));
    } else {
      ASSERT_EQ(jobs.fail(*job, "ex", "crashed", false), queue::FailOutcome::Dead);
    }
  }
  const std::string never_queued = first.job_ids[3];
  ASSERT_EQ(jobs.cancel(never_queued), queue::CancelOutcome::Cancelled);
  for (const auto& field : redis.command({"HKEYS", "dlaaw:sweep:overnight"}).elements) {
    if (redis.command({"HGET", "dlaaw:sweep:overnight", field.text}).text == never_queued) {
      redis.command({"HDEL", "dlaaw:sweep:overnight", field.text});
    }
  }
  const auto again = submit_sweep(redis, four_members(), ".", registry);
  EXPECT_EQ(again.queued, 1) << "the member that was never queued";
  EXPECT_EQ(again.retried, 1) << "the member that died";
  EXPECT_EQ(again.skipped, 2) << "the finished members";
  EXPECT_EQ(again.job_ids[0], first.job_ids[0]);
  EXPECT_EQ(again.job_ids[2], first.job_ids[2]);
  EXPECT_EQ(jobs.job(first.job_ids[2])["state"], "queued");
  EXPECT_EQ(redis.command({"ZCARD", "dlaaw:jobs"}).integer, 5)
      << "no finished member was queued twice";
  const auto third = submit_sweep(redis, four_members(), ".", registry);
  EXPECT_EQ(third.queued + third.retried, 0) << "everything is finished or in flight";
  EXPECT_EQ(jobs.job(again.job_ids[0])["experiment"], "overnight");
}

TEST(SweepSubmitTest, AnInvalidMemberQueuesNothing) {
  const resources::ResourceRegistry registry;
  testing::RedisServer server;
  queue::RedisClient redis(server.endpoint());
  auto sweep = four_members();
  sweep.axes.push_back({"learning_rate", {0.1, -1.0}});
  try {
    submit_sweep(redis, sweep, ".", registry);
    FAIL() << "a negative learning rate was accepted";
  } catch (const InvalidInput& e) {
    EXPECT_NE(
        std::string(e.what()).find(
            "member 2 (blobs seed=1 learning_rate=-1.0): training.learning_rate: must be positive"),
        std::string::npos)
        << e.what();
  }
  EXPECT_EQ(redis.command({"ZCARD", "dlaaw:jobs"}).integer, 0);
}

TEST(SweepSubmitTest, AMemberForAnUnknownResourceQueuesNothing) {
  const resources::ResourceRegistry registry;
  testing::RedisServer server;
  queue::RedisClient redis(server.endpoint());
  auto sweep = four_members();
  sweep.axes.push_back({"resource", {"cpu", "tpu"}});
  try {
    submit_sweep(redis, sweep, ".", registry);
    FAIL() << "a member for an unknown resource was accepted";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("member 2 (blobs seed=1 resource=tpu): resource: unknown "
                                         "resource \"tpu\""),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(redis.command({"ZCARD", "dlaaw:jobs"}).integer, 0);
}

}  // namespace
}  // namespace dlaaw::client
