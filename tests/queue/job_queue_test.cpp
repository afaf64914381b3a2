// job_queue_test.cpp - the job transitions against a real redis-server, without executors.
#include "queue/job_queue.h"

#include <map>
#include <thread>

#include <gtest/gtest.h>

#include "../common/redis_server.h"
#include "../common/time_scale.h"
#include "queue/event_stream.h"
#include "queue/job_id.h"

namespace dlaaw::queue {
namespace {

using std::chrono::milliseconds;

class JobQueueTest : public ::testing::Test {
 protected:
  JobQueueTest() : redis_(server_.endpoint()), queue_(redis_) {}

  std::string submit(const std::string& resource = "cpu", bool high = false, int max_attempts = 3) {
    SubmitRequest r;
    r.id = new_job_id();
    r.name = "job";
    r.document = "{}";
    r.resource = resource;
    r.high_priority = high;
    r.max_attempts = max_attempts;
    EXPECT_EQ(queue_.submit({r}), 1);
    return r.id;
  }
  std::string state(const std::string& id) { return queue_.job(id)["state"]; }
  static ResultEvent result_of(const std::string& id, const std::string& result = "{}") {
    return {{id, 1, "9", "ex", std::nullopt}, result};
  }
  int count_in_history(const std::string& id, const std::string& s) {
    int n = 0;
    for (const auto& h : queue_.history(id)) n += h.rfind(s + "|", 0) == 0;
    return n;
  }

  testing::RedisServer server_;
  RedisClient redis_;
  JobQueue queue_;
};

TEST_F(JobQueueTest, SubmitTakeFinishOnce) {
  const auto id = submit();
  EXPECT_EQ(state(id), "queued");
  const auto job = queue_.take("ex1", "cpu", milliseconds(5000));
  ASSERT_TRUE(job);
  EXPECT_EQ(job->id, id);
  EXPECT_EQ(job->attempt, 1);
  EXPECT_EQ(state(id), "executing");
  EXPECT_FALSE(queue_.take("ex2", "cpu", milliseconds(5000))) << "a job is handed out once";
  EXPECT_TRUE(queue_.finish(*job, "ex1", result_of(id, R"({"the": "result"})")));
  EXPECT_FALSE(queue_.finish(*job, "ex1", result_of(id, R"({"another": "result"})")));
  EXPECT_EQ(state(id), "finished");
  EXPECT_EQ(queue_.state(id), JobState::Finished);
  EXPECT_EQ(count_in_history(id, "finished"), 1);
  EXPECT_EQ(redis_.command({"XLEN", "dlaaw:events"}).integer, 1) << "the result is published once";
  EXPECT_EQ(queue_.results({id, "j0-unknown"}),
            (std::vector<std::optional<std::string>>{R"({"the": "result"})", std::nullopt}))
      << "the result is kept per job, for whoever waits on it";
  EXPECT_GT(redis_.command({"PTTL", "dlaaw:job:" + id + ":result"}).integer, 0) << "and expires";
  EXPECT_EQ(queue_.depths()["executing"], 0);
}

TEST_F(JobQueueTest, RepeatedSubmitOfAnIdChangesNothing) {
  SubmitRequest r;
  r.id = new_job_id();
  r.document = "{}";
  r.resource = "cpu";
  EXPECT_EQ(queue_.submit({r, r}), 1);
  EXPECT_EQ(queue_.depths()["queued:cpu"], 1);
}

TEST_F(JobQueueTest, ServesItsResourceThenAnyInOrderAndHighPriorityFirst) {
  const auto gpu = submit("local-gpu");
  const auto any = submit("any");
  const auto first = submit("cpu");
  const auto second = submit("cpu");
  const auto urgent = submit("cpu", true);
  std::vector<std::string> order;
  while (auto job = queue_.take("ex", "cpu", milliseconds(5000))) order.push_back(job->id);
  EXPECT_EQ(order, (std::vector<std::string>{urgent, first, second, any}));
  EXPECT_EQ(state(gpu), "queued") << "a cpu executor never takes local-gpu work";
}

TEST_F(JobQueueTest, FailuresRetryThenGoToDead) {
  const auto id = submit("cpu", false, 2);
  auto job = queue_.take("ex", "cpu", milliseconds(5000));
  EXPECT_EQ(queue_.fail(*job, "ex", "boom", true), FailOutcome::Requeued);
  job = queue_.take("ex", "cpu", milliseconds(5000));
  ASSERT_TRUE(job);
  EXPECT_EQ(job->attempt, 2);
  EXPECT_EQ(queue_.fail(*job, "ex", "boom again", true), FailOutcome::Dead);
  EXPECT_EQ(state(id), "error");
  EXPECT_EQ(queue_.job(id)["error"], "boom again");
  EXPECT_EQ(queue_.depths()["dead"], 1);
  EXPECT_TRUE(queue_.retry(id));
  EXPECT_EQ(state(id), "queued");
  EXPECT_EQ(queue_.depths()["dead"], 0);
  EXPECT_FALSE(queue_.retry(id)) << "only dead jobs are retried";
}

TEST_F(JobQueueTest, BadInputFailsWithoutRetry) {
  const auto id = submit();
  const auto job = queue_.take("ex", "cpu", milliseconds(5000));
  EXPECT_EQ(queue_.fail(*job, "ex", "network[2]: ...", false), FailOutcome::Dead);
  EXPECT_EQ(queue_.job(id)["attempts"], "1");
}

TEST_F(JobQueueTest, ExpiredLeaseIsReapedAndTheOldAttemptCannotFinish) {
  const auto id = submit();
  const auto first = queue_.take("dead-executor", "cpu", testing::scaled(milliseconds(100)));
  EXPECT_EQ(queue_.reap().requeued, 0) << "the lease still runs";
  std::this_thread::sleep_for(testing::scaled(milliseconds(200)));
  EXPECT_EQ(queue_.reap().requeued, 1);
  EXPECT_EQ(state(id), "queued");
  EXPECT_EQ(redis_.command({"LLEN", "dlaaw:running:dead-executor"}).integer, 0);
  const auto second = queue_.take("ex2", "cpu", milliseconds(5000));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->attempt, 2);
  EXPECT_FALSE(queue_.heartbeat(*first, "dead-executor", milliseconds(5000)).held);
  EXPECT_FALSE(queue_.finish(*first, "dead-executor", result_of(id)));
  EXPECT_TRUE(queue_.finish(*second, "ex2", result_of(id)));
  EXPECT_EQ(count_in_history(id, "finished"), 1);
}

// The reaper's `lost` event of a pipeline task that is no run says so (run=0): the tracker would
// otherwise make a lost run of a dataset or split task.
TEST_F(JobQueueTest, TheLostEventOfAJobThatIsNoRunSaysSo) {
  SubmitRequest task;
  task.id = new_job_id();
  task.document = "{}";
  task.resource = "cpu";
  task.kind = "dataset";
  task.run = false;
  queue_.submit({task});
  const auto workflow = submit();
  for (int i = 0; i < 2; ++i) queue_.take("gone", "cpu", testing::scaled(milliseconds(50)));
  std::this_thread::sleep_for(testing::scaled(milliseconds(150)));
  EXPECT_EQ(queue_.reap().requeued, 2);
  std::map<std::string, bool> run_of;
  for (auto& e : stream_events(redis_.command({"XRANGE", "dlaaw:events", "-", "+"}))) {
    const auto event = decode_event(e.fields);
    const auto& state = std::get<StateEvent>(event);
    EXPECT_EQ(state.state, JobState::Lost);
    run_of[state.header.job] = state.header.run;
  }
  ASSERT_EQ(run_of.size(), 2U);
  EXPECT_FALSE(run_of.at(task.id));
  EXPECT_TRUE(run_of.at(workflow));
}

TEST_F(JobQueueTest, HeartbeatKeepsTheLease) {
  submit();
  const auto lease = testing::scaled(milliseconds(150));
  const auto job = queue_.take("ex", "cpu", lease);
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(testing::scaled(milliseconds(60)));
    EXPECT_TRUE(queue_.heartbeat(*job, "ex", lease).held);
  }
  EXPECT_EQ(queue_.reap().requeued, 0);
}

TEST_F(JobQueueTest, CancelQueuedAndExecutingJobs) {
  const auto queued = submit();
  const auto running = submit();
  EXPECT_EQ(queue_.cancel(queued), CancelOutcome::Cancelled);
  EXPECT_EQ(state(queued), "cancelled");
  const auto job = queue_.take("ex", "cpu", milliseconds(5000));
  ASSERT_TRUE(job);
  EXPECT_EQ(job->id, running) << "the cancelled job is never handed out";
  EXPECT_EQ(queue_.cancel(running), CancelOutcome::Requested);
  EXPECT_TRUE(queue_.heartbeat(*job, "ex", milliseconds(5000)).cancel_requested);
  StateEvent cancelled;
  cancelled.header = {running, 1, "2", "ex", std::nullopt};
  cancelled.state = JobState::Cancelled;
  EXPECT_TRUE(queue_.end_cancelled(*job, "ex", cancelled));
  EXPECT_FALSE(queue_.results({running}).front()) << "a cancelled job has no result";
  EXPECT_EQ(state(running), "cancelled");
  EXPECT_EQ(queue_.cancel(running), CancelOutcome::AlreadyEnded);
  EXPECT_EQ(queue_.cancel("j0-nothing"), CancelOutcome::Unknown);
}

TEST_F(JobQueueTest, RequeueOnShutdownDoesNotCountTheAttempt) {
  const auto id = submit();
  const auto job = queue_.take("ex", "cpu", milliseconds(5000));
  EXPECT_TRUE(queue_.requeue(*job, "ex", "stopping"));
  EXPECT_EQ(state(id), "queued");
  EXPECT_EQ(queue_.job(id)["attempts"], "0");
}

TEST_F(JobQueueTest, QueuedJobsSurviveARedisRestart) {
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) ids.push_back(submit());
  server_.restart();
  EXPECT_EQ(queue_.depths()["queued:cpu"], 20);
  for (const auto& id : ids) EXPECT_EQ(state(id), "queued");
}

TEST_F(JobQueueTest, WaitForWorkWakesOnSubmit) {
  std::thread submitter([&] {
    std::this_thread::sleep_for(milliseconds(100));
    RedisClient other(server_.endpoint());
    JobQueue q(other);
    SubmitRequest r;
    r.id = new_job_id();
    r.document = "{}";
    r.resource = "any";
    q.submit({r});
  });
  const auto start = std::chrono::steady_clock::now();
  queue_.wait_for_work("cpu", milliseconds(5000));
  const auto waited = std::chrono::steady_clock::now() - start;
  submitter.join();
  EXPECT_LT(waited, testing::scaled(milliseconds(2000)));
  EXPECT_TRUE(queue_.take("ex", "cpu", milliseconds(5000)));
}

}  // namespace
}  // namespace dlaaw::queue
