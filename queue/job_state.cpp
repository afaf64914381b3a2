// job_state.cpp - job state names and the transition table.
#include "queue/job_state.h"

#include <array>
#include <utility>

namespace dlaaw::queue {
namespace {

constexpr std::array<std::pair<JobState, std::string_view>, 7> kNames{{
    {JobState::Initialized, "initialized"},
    {JobState::Queued, "queued"},
    {JobState::Executing, "executing"},
    {JobState::Finished, "finished"},
    {JobState::Error, "error"},
    {JobState::Cancelled, "cancelled"},
    {JobState::Lost, "lost"},
}};

}  // namespace

std::string_view job_state_name(JobState state) {
  for (const auto& [s, name] : kNames) {
    if (s == state) return name;
  }
  return "?";
}

std::optional<JobState> parse_job_state(std::string_view name) {
  for (const auto& [s, text] : kNames) {
    if (text == name) return s;
  }
  return std::nullopt;
}

bool can_transition(JobState from, JobState to) {
  using S = JobState;
  switch (from) {
    case S::Initialized:
      return to == S::Queued;
    case S::Queued:  // taken by an executor, or cancelled while waiting
      return to == S::Executing || to == S::Cancelled;
    case S::Executing:  // ended, failed, lost its lease, or handed back by a stopping executor
      return to == S::Finished || to == S::Error || to == S::Cancelled || to == S::Lost ||
             to == S::Queued;
    case S::Error:  // another attempt, or `dlaaw retry` of a dead job
      return to == S::Queued;
    case S::Lost:  // the reaper requeues, buries (error) or honours a cancel request
      return to == S::Queued || to == S::Error || to == S::Cancelled;
    case S::Finished:
    case S::Cancelled:
      return false;
  }
  return false;
}

bool ends_job(JobState state) {
  return state == JobState::Finished || state == JobState::Error || state == JobState::Cancelled;
}

bool ends_attempt(JobState state) { return ends_job(state) || state == JobState::Lost; }

std::vector<JobState> attempt_end_states() {
  std::vector<JobState> out;
  for (const auto& [s, name] : kNames) {
    if (ends_attempt(s)) out.push_back(s);
  }
  return out;
}

}  // namespace dlaaw::queue
