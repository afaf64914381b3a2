// job_state_test.cpp - the job states and their moves.
#include "queue/job_state.h"

#include <gtest/gtest.h>

namespace dlaaw::queue {
namespace {

const JobState kAll[] = {JobState::Initialized, JobState::Queued, JobState::Executing,
                         JobState::Finished,    JobState::Error,  JobState::Cancelled,
                         JobState::Lost};

TEST(JobStateTest, NamesRoundTripAndUnknownNamesAreNone) {
  for (const JobState s : kAll) EXPECT_EQ(parse_job_state(job_state_name(s)), s);
  EXPECT_FALSE(parse_job_state("done"));
  EXPECT_FALSE(parse_job_state("Finished"));
}

TEST(JobStateTest, TerminalStatesAreDefinedOnce) {
  EXPECT_TRUE(ends_job(JobState::Finished));
  EXPECT_TRUE(ends_job(JobState::Error));
  EXPECT_TRUE(ends_job(JobState::Cancelled));
  EXPECT_FALSE(ends_job(JobState::Lost)) << "a lost attempt's job moves on";
  EXPECT_TRUE(ends_attempt(JobState::Lost));
  EXPECT_FALSE(ends_attempt(JobState::Executing));
  EXPECT_EQ(attempt_end_states(), (std::vector<JobState>{JobState::Finished, JobState::Error,
                                                         JobState::Cancelled, JobState::Lost}));
  for (const JobState s : kAll) {
    if (s == JobState::Finished || s == JobState::Cancelled) {
      for (const JobState to : kAll) EXPECT_FALSE(can_transition(s, to)) << job_state_name(to);
    }
  }
}

TEST(JobStateTest, OnlyThePapersMovesAreAllowed) {
  EXPECT_TRUE(can_transition(JobState::Initialized, JobState::Queued));
  EXPECT_TRUE(can_transition(JobState::Queued, JobState::Executing));
  EXPECT_TRUE(can_transition(JobState::Executing, JobState::Finished));
  EXPECT_TRUE(can_transition(JobState::Executing, JobState::Lost));
  EXPECT_TRUE(can_transition(JobState::Lost, JobState::Queued));
  EXPECT_TRUE(can_transition(JobState::Error, JobState::Queued)) << "retry";
  EXPECT_FALSE(can_transition(JobState::Queued, JobState::Finished)) << "never without running";
  EXPECT_FALSE(can_transition(JobState::Initialized, JobState::Executing));
  EXPECT_FALSE(can_transition(JobState::Finished, JobState::Queued));
}

}  // namespace
}  // namespace dlaaw::queue
