// job_state.h - the states of a job and of each of its attempts, and every move between them.
//
// The paper's monitoring names: initialized -> queued -> executing -> finished | error |
// cancelled. `lost` ends an attempt whose executor stopped renewing its lease; the job itself
// moves on (queued again, dead, or cancelled). The Lua transitions in job_scripts.cpp make these
// moves in Redis; tests/queue/job_state_test.cpp checks every history they write against
// can_transition().
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dlaaw::queue {

enum class JobState { Initialized, Queued, Executing, Finished, Error, Cancelled, Lost };

// "initialized", "queued", ...
std::string_view job_state_name(JobState state);
// The state named `name` exactly, or nullopt.
std::optional<JobState> parse_job_state(std::string_view name);

// True when a job in `from` may next be in `to` (its history never shows another move). An error
// goes back to queued when attempts remain or when `dlaaw retry` takes it out of dlaaw:dead.
bool can_transition(JobState from, JobState to);

// The states a job does not leave by itself: finished, error (dead: only `dlaaw retry` moves it)
// and cancelled. What `submit --wait`, `watch` and sweeps wait for.
bool ends_job(JobState state);

// The states that end one attempt (a tracker run): those of ends_job() and lost.
bool ends_attempt(JobState state);

// The states of ends_attempt(), in enum order (for SQL `IN (...)` lists built from them).
std::vector<JobState> attempt_end_states();

}  // namespace dlaaw::queue
