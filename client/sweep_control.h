// sweep_control.h - a sweep as an object after it was queued: its members by state, progress and
// best run so far (`dlaaw sweep status`), cancelling it (`dlaaw sweep cancel`), and the command a
// user asked to run when it ends (`--on-done`).
#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "queue/redis_client.h"

namespace dlaaw::client {

struct SweepStatus {
  std::string name;
  int total = 0;
  std::map<std::string, int> by_state;  // state name -> members in it
  int ended = 0;                        // finished, error or cancelled
  std::optional<std::string> best_job;  // the finished member with the highest test accuracy
  std::optional<double> best_accuracy;
  std::string best_dataset;
};

// Reads sweep `name` from Redis. Throws NotFound "sweep NAME: no such sweep" for a sweep never
// submitted, ServiceUnavailable on a Redis error.
SweepStatus sweep_status(queue::RedisClient& redis, const std::string& name);

// {"sweep", "total", "ended", "by_state", "best": {job, accuracy, dataset} or null}: the summary
// `status` prints with --format json and --on-done gets on its standard input.
nlohmann::json sweep_summary(const SweepStatus& status);

struct SweepCancellation {
  int cancelled = 0;      // queued members taken off their queue
  int requested = 0;      // executing members asked to stop (their executor ends them)
  int already_ended = 0;  // finished, error or cancelled before
};

// Cancels every member of sweep `name` that has not ended. Throws NotFound as sweep_status does.
SweepCancellation cancel_sweep(queue::RedisClient& redis, const std::string& name);

// Runs `command` with /bin/sh -c, `summary` (JSON text and a newline) on its standard input, and
// returns its exit status (127 when the shell could not run it). Never throws for the command's
// failure: the sweep has ended either way.
int run_on_done(const std::string& command, const nlohmann::json& summary);

}  // namespace dlaaw::client
