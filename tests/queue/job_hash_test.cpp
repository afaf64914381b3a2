// job_hash_test.cpp - the Lua transitions on job hashes that miss fields (written by hand, or
// half deleted): every script copes, and such a job ends in dlaaw:dead instead of hanging.
#include <gtest/gtest.h>

#include "../common/redis_server.h"
#include "queue/job_id.h"
#include "queue/job_queue.h"

namespace dlaaw::queue {
namespace {

using std::chrono::milliseconds;

class JobHashTest : public ::testing::Test {
 protected:
  JobHashTest() : redis_(server_.endpoint()), queue_(redis_) {}

  std::string submit() {
    SubmitRequest r;
    r.id = new_job_id();
    r.name = "job";
    r.document = "{}";
    r.resource = "cpu";
    r.max_attempts = 3;
    EXPECT_EQ(queue_.submit({r}), 1);
    return r.id;
  }
  std::string field(const std::string& id, const std::string& name) { return queue_.job(id)[name]; }
  bool is_dead(const std::string& id) {
    for (const auto& e : redis_.command({"LRANGE", "dlaaw:dead", "0", "-1"}).elements)
      if (e.text == id) return true;
    return false;
  }

  testing::RedisServer server_;
  RedisClient redis_;
  JobQueue queue_;
};

TEST_F(JobHashTest, FailWithoutMaxAttemptsBuriesTheJob) {
  const auto id = submit();
  const auto job = queue_.take("ex1", "cpu", milliseconds(5000));
  ASSERT_TRUE(job);
  redis_.command({"HDEL", "dlaaw:job:" + id, "max_attempts"});
  // Used to raise a Lua error after releasing the lease: executing forever, in no list.
  EXPECT_EQ(queue_.fail(*job, "ex1", "boom", true), FailOutcome::Dead);
  EXPECT_EQ(field(id, "state"), "error");
  EXPECT_TRUE(is_dead(id));
}

TEST_F(JobHashTest, ReapWithoutExecutorOrAttemptsBuriesOrRequeues) {
  const auto id = submit();
  ASSERT_TRUE(queue_.take("ex1", "cpu", milliseconds(100)));
  redis_.command({"HDEL", "dlaaw:job:" + id, "executor", "max_attempts"});
  redis_.command({"DEL", "dlaaw:lease:" + id});
  const auto report = queue_.reap();  // used to raise a Lua error (nil concatenated)
  EXPECT_EQ(report.dead, 1);
  EXPECT_EQ(field(id, "state"), "error");
  EXPECT_TRUE(is_dead(id));
}

TEST_F(JobHashTest, TakeBuriesAQueuedJobWithoutADocument) {
  const auto id = submit();
  redis_.command({"HDEL", "dlaaw:job:" + id, "document"});
  EXPECT_FALSE(queue_.take("ex1", "cpu", milliseconds(5000)));
  EXPECT_EQ(field(id, "state"), "error");
  EXPECT_NE(field(id, "error").find("document"), std::string::npos) << field(id, "error");
  EXPECT_TRUE(is_dead(id));
  EXPECT_EQ(redis_.command({"SCARD", "dlaaw:running"}).integer, 0);
}

TEST_F(JobHashTest, TakeBuriesAJobWhoseAttemptsIsNotACount) {
  // Lua's tonumber took "1.5", "1e3" and 20 digits; HINCRBY then raised after the job had left
  // its queue, and the job stayed "queued" outside every list.
  for (const std::string bad : {"1.5", "1e3", "-1", "99999999999999999999", " 1"}) {
    const auto id = submit();
    redis_.command({"HSET", "dlaaw:job:" + id, "attempts", bad});
    EXPECT_FALSE(queue_.take("ex1", "cpu", milliseconds(100))) << bad;
    EXPECT_EQ(field(id, "state"), "error") << bad;
    EXPECT_NE(field(id, "error").find("attempts"), std::string::npos) << field(id, "error");
    EXPECT_TRUE(is_dead(id)) << bad;
  }
}

TEST_F(JobHashTest, AHeartbeatWithoutACancelFieldStillHoldsTheLease) {
  const auto id = submit();
  const auto job = queue_.take("ex1", "cpu", milliseconds(5000));
  ASSERT_TRUE(job);
  redis_.command({"HDEL", "dlaaw:job:" + id, "cancel"});
  // tonumber(nil) ended the reply early: every attempt lost its lease and died "lease expired".
  const auto status = queue_.heartbeat(*job, "ex1", milliseconds(5000));
  EXPECT_TRUE(status.held);
  EXPECT_FALSE(status.cancel_requested);
}

TEST_F(JobHashTest, CancelAndRequeueWithoutResourceDoNotRaise) {
  const auto queued = submit();
  redis_.command({"HDEL", "dlaaw:job:" + queued, "resource"});
  EXPECT_EQ(queue_.cancel(queued), CancelOutcome::Cancelled);

  const auto id = submit();
  const auto job = queue_.take("ex1", "cpu", milliseconds(5000));
  ASSERT_TRUE(job);
  redis_.command({"HDEL", "dlaaw:job:" + id, "resource"});
  EXPECT_TRUE(queue_.requeue(*job, "ex1", "stopping"));
  EXPECT_EQ(field(id, "state"), "error");
  EXPECT_TRUE(is_dead(id));
}

}  // namespace
}  // namespace dlaaw::queue
