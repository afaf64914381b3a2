// pipeline_scheduler_test.cpp - readiness, failure, cancel and resume of the pipeline state
// machine.
#include "pipeline/pipeline_scheduler.h"

#include <set>

#include <gtest/gtest.h>

#include "common/errors.h"

namespace dlaaw::pipeline {
namespace {

using Names = std::vector<std::string>;

// a feeds b and c, both feed d; e needs d; f needs a only.
TaskGraph diamond() {
  return TaskGraph(
      {{"a", {}}, {"b", {"a"}}, {"c", {"a"}}, {"d", {"b", "c"}}, {"e", {"d"}}, {"f", {"a"}}});
}

void run(PipelineScheduler& s, const std::string& task) {
  s.mark_queued(task);
  s.mark_running(task);
  s.mark_finished(task);
}

TEST(PipelineSchedulerTest, ReleasesTasksInDependencyOrder) {
  PipelineScheduler s(diamond());
  EXPECT_EQ(s.ready(), Names{"a"});
  run(s, "a");
  EXPECT_EQ(s.ready(), (Names{"b", "c", "f"}));
  run(s, "b");
  EXPECT_EQ(s.ready(), (Names{"c", "f"})) << "d still waits for c";
  s.mark_queued("c");
  EXPECT_EQ(s.ready(), Names{"f"}) << "a queued task is not ready again";
  s.mark_running("c");
  s.mark_finished("c");
  EXPECT_EQ(s.ready(), (Names{"d", "f"}));
  run(s, "d");
  run(s, "e");
  run(s, "f");
  EXPECT_TRUE(s.ready().empty());
  EXPECT_TRUE(s.ended());
}

TEST(PipelineSchedulerTest, AFailedTaskSkipsExactlyItsDependents) {
  PipelineScheduler s(diamond());
  run(s, "a");
  run(s, "c");
  s.mark_queued("b");
  s.mark_running("b");
  const auto changes = s.mark_failed("b");
  EXPECT_EQ(changes,
            (std::vector<StateChange>{
                {"b", TaskState::Failed}, {"d", TaskState::Skipped}, {"e", TaskState::Skipped}}));
  EXPECT_EQ(s.state("f"), TaskState::Pending) << "f does not depend on b";
  EXPECT_EQ(s.state("c"), TaskState::Finished);
  EXPECT_EQ(s.ready(), Names{"f"});
  EXPECT_FALSE(s.ended());
  run(s, "f");
  EXPECT_TRUE(s.ended());
}

TEST(PipelineSchedulerTest, CancelEndsEverythingNotEnded) {
  PipelineScheduler s(diamond());
  run(s, "a");
  s.mark_queued("b");
  s.mark_running("b");
  s.mark_queued("c");
  const auto changes = s.cancel();
  std::set<std::string> cancelled;
  for (const auto& [name, state] : changes) {
    EXPECT_EQ(state, TaskState::Cancelled);
    cancelled.insert(name);
  }
  EXPECT_EQ(cancelled, (std::set<std::string>{"b", "c", "d", "e", "f"}));
  EXPECT_EQ(s.state("a"), TaskState::Finished) << "an ended task keeps its state";
  EXPECT_TRUE(s.ended());
  EXPECT_TRUE(s.cancel().empty()) << "cancelling twice changes nothing";
  EXPECT_THROW(s.mark_finished("b"), InvalidInput)
      << "a late result of a cancelled task is refused";
}

TEST(PipelineSchedulerTest, RepeatedReportsChangeNothingAndWrongOnesAreRefused) {
  PipelineScheduler s(diamond());
  EXPECT_THROW(s.mark_queued("b"), InvalidInput) << "b needs a";
  EXPECT_THROW(s.mark_running("a"), InvalidInput) << "a task is queued before it runs";
  EXPECT_THROW(s.mark_finished("a"), InvalidInput);
  EXPECT_EQ(s.mark_queued("a").size(), 1u);
  EXPECT_TRUE(s.mark_queued("a").empty());
  s.mark_running("a");
  EXPECT_EQ(s.mark_requeued("a"), (std::vector<StateChange>{{"a", TaskState::Queued}}))
      << "its executor was lost";
  s.mark_running("a");
  s.mark_finished("a");
  EXPECT_TRUE(s.mark_finished("a").empty());
  try {
    s.mark_failed("a");
    FAIL() << "a finished task cannot fail";
  } catch (const InvalidInput& e) {
    EXPECT_STREQ(e.what(), "task \"a\" is finished; it cannot become failed");
  }
  EXPECT_THROW(s.state("zz"), InvalidInput);
}

TEST(PipelineSchedulerTest, ReusesReadyTasksWithStoredOutputTransitively) {
  PipelineScheduler s(diamond());
  const std::set<std::string> stored = {"a", "b", "d", "f"};
  const auto changes = s.reuse_ready([&](const std::string& t) { return stored.count(t) > 0; });
  EXPECT_EQ(changes,
            (std::vector<StateChange>{
                {"a", TaskState::Cached}, {"b", TaskState::Cached}, {"f", TaskState::Cached}}))
      << "d waits for c, which must run";
  EXPECT_EQ(s.ready(), Names{"c"});
  run(s, "c");
  EXPECT_EQ(s.reuse_ready([&](const std::string& t) { return stored.count(t) > 0; }),
            (std::vector<StateChange>{{"d", TaskState::Cached}}));
  EXPECT_EQ(s.ready(), Names{"e"});
}

TEST(PipelineSchedulerTest, ResumesFromStoredStates) {
  PipelineScheduler s(
      diamond(), {{"a", TaskState::Finished}, {"b", TaskState::Running}, {"c", TaskState::Cached}});
  EXPECT_EQ(s.ready(), Names{"f"});
  EXPECT_EQ(s.state("d"), TaskState::Pending);
  s.mark_finished("b");
  EXPECT_EQ(s.ready(), (Names{"d", "f"}));

  EXPECT_THROW(PipelineScheduler(diamond(), {{"b", TaskState::Running}}), InvalidInput)
      << "b cannot have started while a has no output";
  EXPECT_THROW(PipelineScheduler(diamond(), {{"zz", TaskState::Finished}}), InvalidInput);
}

TEST(PipelineSchedulerTest, StateNamesRoundTrip) {
  for (TaskState s :
       {TaskState::Pending, TaskState::Queued, TaskState::Running, TaskState::Finished,
        TaskState::Failed, TaskState::Skipped, TaskState::Cancelled, TaskState::Cached}) {
    EXPECT_EQ(parse_task_state(task_state_name(s)), s) << task_state_name(s);
  }
  EXPECT_FALSE(parse_task_state("executing"));
}

}  // namespace
}  // namespace dlaaw::pipeline
