// task_job_runner.h - an executor running one pipeline task job (a job whose kind is a task kind):
// its inputs fetched as artifacts, its output stored as an artifact and returned as the job's
// result, under the same lease, cancellation and failure rules as a workflow job.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

#include "executor/engine.h"
#include "queue/job_queue.h"
#include "queue/redis_endpoint.h"

namespace dlaaw::executor {

// What a task job needs from the executor that runs it.
struct TaskJobHost {
  std::string executor_id;
  std::string host;
  std::string resource;
  queue::RedisEndpoint endpoint;
  std::chrono::milliseconds lease{30000};
  EngineOptions engine;             // backend, threads, kernel and memory defaults
  std::filesystem::path cache_dir;  // where source blobs are cached
  const std::atomic<bool>* stop = nullptr;
  std::atomic<bool>* device_failed = nullptr;  // set after a device failure
  std::function<void(const std::string&)> log;
};

// True for a job that carries a pipeline task (its kind is set) rather than a workflow.
bool is_task_job(const queue::LeasedJob& job);

// Runs the task job and ends it through one queue transition: finished with its output (the
// output's bytes are also stored as an artifact under their sha256), or failed (an input error is
// not retried), cancelled on request, or handed back when the executor stops. A train task
// publishes the events of a run (executing, progress, error) so that the tracker records it; the
// other kinds publish only their result. Never throws.
void run_task_job(const TaskJobHost& host, queue::RedisClient& redis, queue::JobQueue& q,
                  const queue::LeasedJob& job);

}  // namespace dlaaw::executor
