// sweep_control.cpp - sweep status from the sweep index and job states, cancelling members, and
// the on-done command.
#include "client/sweep_control.h"

#include <sys/wait.h>

#include <csignal>
#include <cstdio>

#include "common/errors.h"
#include "queue/job_queue.h"
#include "queue/job_state.h"
#include "queue/sweep_index.h"
#include "results/run_result.h"

namespace dlaaw::client {
namespace {

bool has_ended(const std::string& state) {
  const auto s = queue::parse_job_state(state);
  return s && queue::ends_job(*s);
}

std::vector<std::pair<std::string, std::string>> members_of(queue::RedisClient& redis,
                                                            const std::string& name) {
  auto members = queue::SweepIndex(redis, name).members();
  if (members.empty())
    throw NotFound("sweep " + name + ": no such sweep (dlaaw sweep FILE queues one)");
  return members;
}

}  // namespace

SweepStatus sweep_status(queue::RedisClient& redis, const std::string& name) {
  SweepStatus s;
  s.name = name;
  std::vector<std::string> finished;
  for (const auto& [job, state] : members_of(redis, name)) {
    ++s.total;
    ++s.by_state[state];
    if (has_ended(state)) ++s.ended;
    if (state == queue::job_state_name(queue::JobState::Finished)) finished.push_back(job);
  }
  const auto texts = queue::JobQueue(redis).results(finished);
  for (std::size_t i = 0; i < finished.size(); ++i) {
    if (!texts[i]) continue;  // expired
    try {
      const auto r = results::run_result_from_text(*texts[i]);
      if (r.metrics.accuracy && (!s.best_accuracy || *r.metrics.accuracy > *s.best_accuracy)) {
        s.best_accuracy = r.metrics.accuracy;
        s.best_job = finished[i];
        s.best_dataset = r.dataset.name;
      }
    } catch (const InvalidInput&) {
      // A result this build cannot read does not stop the status of the others.
    }
  }
  return s;
}

nlohmann::json sweep_summary(const SweepStatus& s) {
  nlohmann::json best = nullptr;
  if (s.best_job)
    best = {{"job", *s.best_job}, {"accuracy", *s.best_accuracy}, {"dataset", s.best_dataset}};
  return {{"sweep", s.name},
          {"total", s.total},
          {"ended", s.ended},
          {"by_state", s.by_state},
          {"best", best}};
}

SweepCancellation cancel_sweep(queue::RedisClient& redis, const std::string& name) {
  SweepCancellation out;
  queue::JobQueue jobs(redis);
  for (const auto& [job, state] : members_of(redis, name)) {
    switch (jobs.cancel(job)) {
      case queue::CancelOutcome::Cancelled:
        ++out.cancelled;
        break;
      case queue::CancelOutcome::Requested:
        ++out.requested;
        break;
      default:
        ++out.already_ended;
    }
  }
  return out;
}

int run_on_done(const std::string& command, const nlohmann::json& summary) {
  // A command that exits without reading its input must not kill us with SIGPIPE.
  struct sigaction ignore {
  }, previous{};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &previous);
  FILE* pipe = popen(command.c_str(), "w");
  int status = 127 << 8;
  if (pipe) {
    const std::string text = summary.dump() + "\n";
    std::fwrite(text.data(), 1, text.size(), pipe);
    status = pclose(pipe);
  }
  sigaction(SIGPIPE, &previous, nullptr);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace dlaaw::client
