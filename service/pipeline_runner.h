// pipeline_runner.h - drives a pipeline through the job queue: each task is queued once all it
// needs have finished, failures skip their dependents, unchanged tasks are reused, and every state
// change is recorded in the tracker's database.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "pipeline/pipeline_document.h"
#include "pipeline/pipeline_scheduler.h"
#include "queue/redis_client.h"
#include "resources/resource_registry.h"
#include "tracker/sqlite_db.h"

namespace dlaaw::service {

struct PipelineRunOptions {
  std::filesystem::path data_dir;  // where dataset tasks' sources are read (and hashed)
  std::vector<std::string> force;  // --force: these tasks and their dependents are rerun
  int max_attempts = 3;            // per task job
  std::chrono::milliseconds poll{100};
  // Told each task's state change ("young: finished") as it happens; may be empty.
  std::function<void(const std::string& task, pipeline::TaskState state)> on_change;
  const std::atomic<bool>* stop = nullptr;  // set: stop driving (jobs in flight go on)
};

struct PipelineOutcome {
  std::string state;  // finished, failed, cancelled, or "stopped" (stop was set)
  std::map<std::string, pipeline::TaskState> tasks;
  int queued = 0;  // jobs queued by this run
  int reused = 0;  // tasks whose stored output was reused
};

// Runs `document` (validated, sweeps not yet expanded) to its end. Before anything is queued:
// expands sweeps, hashes the dataset sources under data_dir, computes every task's key, checks
// each task's resource against `registry`, and decides what is reused (a stored output whose key
// is unchanged, whose artifact is still in Redis, and that is not forced). Then queues each ready
// task as a job of its kind, follows the jobs until every task has ended, and records states,
// timings, job ids, outputs and PROV edges in `db` (migrated here). A cancel request
// (cancel_pipeline) cancels the jobs in flight and every task not ended.
// Throws InvalidInput (nothing queued) for an unknown --force task, a missing source file or an
// unknown resource; ServiceUnavailable when Redis or the database fails.
PipelineOutcome run_pipeline(queue::RedisClient& redis, tracker::SqliteDb& db,
                             const resources::ResourceRegistry& registry,
                             const pipeline::PipelineDocument& document,
                             const PipelineRunOptions& options);

// What run_pipeline checks before it records or queues anything, done alone (a detached driver
// is checked before it leaves the terminal): sweeps expand, every dataset source under data_dir
// can be read, every task's resource is in `registry`, every --force task exists. Throws
// InvalidInput naming the field, as run_pipeline would.
void check_pipeline(const resources::ResourceRegistry& registry,
                    const pipeline::PipelineDocument& document, const PipelineRunOptions& options);

// Records that the driver of `document` stopped with `error` before the pipeline ended: the
// pipeline is failed with that error (pipeline status and the report show it), its tasks keep
// their states. Migrates `db`; throws ServiceUnavailable when the database fails.
void record_driver_failure(tracker::SqliteDb& db, const pipeline::PipelineDocument& document,
                           const std::string& error);

// Asks the runner of pipeline `name` to cancel it, and cancels its queued and executing jobs at
// once (so that nothing more runs even when its runner is gone), marking its unended tasks
// cancelled. Throws NotFound for a pipeline never run.
void cancel_pipeline(queue::RedisClient& redis, tracker::SqliteDb& db, const std::string& name);

}  // namespace dlaaw::service
