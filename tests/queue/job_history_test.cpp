// job_history_test.cpp - every history the Lua transitions write is a path of moves JobState
// allows (queue/job_state.h), against a real redis-server.
#include <thread>

#include <gtest/gtest.h>

#include "../common/redis_server.h"
#include "../common/time_scale.h"
#include "queue/job_id.h"
#include "queue/job_queue.h"

namespace dlaaw::queue {
namespace {

using std::chrono::milliseconds;

// Every history the Lua transitions write is a path of allowed moves.
class JobHistoryTest : public ::testing::Test {
 protected:
  JobHistoryTest() : redis_(server_.endpoint()), queue_(redis_) {}

  std::string submit(int max_attempts = 2) {
    SubmitRequest r;
    r.id = new_job_id();
    r.document = "{}";
    r.resource = "cpu";
    r.max_attempts = max_attempts;
    queue_.submit({r});
    return r.id;
  }
  void expect_valid_history(const std::string& id) {
    std::optional<JobState> previous;
    for (const auto& entry : queue_.history(id)) {
      const auto state = parse_job_state(entry.substr(0, entry.find('|')));
      ASSERT_TRUE(state) << entry;
      if (previous) {
        EXPECT_TRUE(can_transition(*previous, *state))
            << id << ": " << job_state_name(*previous) << " -> " << entry;
      }
      previous = state;
    }
    ASSERT_TRUE(previous) << "no history";
  }

  testing::RedisServer server_;
  RedisClient redis_;
  JobQueue queue_;
};

TEST_F(JobHistoryTest, EveryTransitionWritesAnAllowedMove) {
  std::vector<std::string> ids;
  // finished
  ids.push_back(submit());
  auto job = queue_.take("ex", "cpu", milliseconds(5000));
  queue_.finish(*job, "ex", {{job->id, 1, "1", "ex", std::nullopt}, "{}"});
  // failed, retried, dead, then `dlaaw retry`
  ids.push_back(submit());
  job = queue_.take("ex", "cpu", milliseconds(5000));
  queue_.fail(*job, "ex", "boom", true);
  job = queue_.take("ex", "cpu", milliseconds(5000));
  queue_.fail(*job, "ex", "boom", true);
  queue_.retry(ids.back());
  // handed back, then cancelled while queued
  ids.push_back(submit());
  job = queue_.take("ex", "cpu", milliseconds(5000));
  queue_.requeue(*job, "ex", "stopping");
  queue_.cancel(ids.back());
  // lost (lease expired), reaped into the queue, taken again and cancelled on request
  ids.push_back(submit());
  job = queue_.take("ex", "cpu", testing::scaled(milliseconds(50)));
  std::this_thread::sleep_for(testing::scaled(milliseconds(100)));
  queue_.reap();
  job = queue_.take("ex2", "cpu", milliseconds(5000));
  queue_.cancel(ids.back());
  StateEvent cancelled;
  cancelled.header = {job->id, job->attempt, "1", "ex2", std::nullopt};
  cancelled.state = JobState::Cancelled;
  queue_.end_cancelled(*job, "ex2", cancelled);
  for (const auto& id : ids) expect_valid_history(id);
  EXPECT_EQ(queue_.state(ids[0]), JobState::Finished);
  EXPECT_EQ(queue_.state(ids[1]), JobState::Queued);
  EXPECT_EQ(queue_.state(ids[2]), JobState::Cancelled);
  EXPECT_EQ(queue_.state(ids[3]), JobState::Cancelled);
  EXPECT_FALSE(queue_.state("j0-unknown"));
}

}  // namespace
}  // namespace dlaaw::queue
