// executor_daemon.cpp - workers, lease heartbeats, the reaper and graceful shutdown.
#include "executor/executor_daemon.h"

#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/errors.h"
#include "executor/engine.h"
#include "executor/resource_profile.h"
#include "kernels/backend.h"
#include "nnworkflow/workflow_json.h"
#include "nnworkflow/workflow_validation.h"
#include "queue/blob_store.h"
#include "queue/executor_registry.h"
#include "queue/job_id.h"
#include "queue/job_queue.h"

namespace dlaaw::executor {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using nlohmann::json;
using queue::EventFields;
using queue::LeasedJob;

struct ExecutorState {
  const ExecutorOptions& options;
  const std::atomic<bool>& stop;
  queue::RedisEndpoint endpoint;
  std::string id;
  std::string host;
  std::string backend;
  fs::path cache_dir;
  std::atomic<bool> device_failed{false};
  std::mutex log_mutex;

  void log(const std::string& line) {
    std::lock_guard lock(log_mutex);
    std::printf("[executor %s] %s\n", id.c_str(), line.c_str());
    std::fflush(stdout);
  }
};

// Waits up to `duration`, waking early when `done` turns true.
class Sleeper {
 public:
  void sleep(std::chrono::milliseconds duration) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, duration, [&] { return done_; });
  }
  void wake() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
  }
  bool woken() {
    std::lock_guard lock(mutex_);
    return done_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
};

// Renews one job's lease on its own connection every lease / 3, and learns whether the job was
// cancelled or taken away meanwhile.
class LeaseKeeper {
 public:
  LeaseKeeper(ExecutorState& state, const LeasedJob& job) : state_(state), job_(job) {
    thread_ = std::thread([this] { loop(); });
  }
  ~LeaseKeeper() {
    sleeper_.wake();
    thread_.join();
  }
  bool cancel_requested() const { return cancel_; }
  bool lost() const { return lost_; }

 private:
  void loop() {
    const auto period = std::max(std::chrono::milliseconds(50), state_.options.lease / 3);
    std::optional<queue::RedisClient> redis;
    while (true) {
      sleeper_.sleep(period);
      if (sleeper_.woken()) return;
      try {
        if (!redis) redis.emplace(state_.endpoint);
        queue::JobQueue q(*redis);
        const auto status = q.heartbeat(job_, state_.id, state_.options.lease);
        lost_ = !status.held;
        cancel_ = status.cancel_requested;
        if (lost_) return;
      } catch (const std::exception&) {
        redis.reset();  // Redis away: the lease may run out, and the job then moves on
      }
    }
  }
  ExecutorState& state_;
  const LeasedJob job_;
  Sleeper sleeper_;
  std::atomic<bool> cancel_{false};
  std::atomic<bool> lost_{false};
  std::thread thread_;
};

EventFields event(ExecutorState& state, const LeasedJob& job, int& seq, const std::string& type) {
  return {{"type", type},
          {"job", job.id},
          {"attempt", std::to_string(job.attempt)},
          {"seq", std::to_string(++seq)},
          {"executor", state.id},
          {"time", queue::now_ms_text()}};
}

void publish_quietly(queue::JobQueue& q, const EventFields& e) {
  try {
    q.publish(e);
  } catch (const std::exception&) {
    // Progress is best effort; the result travels inside the finish transition.
  }
}

void run_job(ExecutorState& state, queue::RedisClient& redis, queue::JobQueue& q,
             const LeasedJob& job) {
  LeaseKeeper keeper(state, job);
  int seq = 0;
  auto started = event(state, job, seq, "state");
  started.push_back({"state", "executing"});
  started.push_back({"backend", state.backend});
  started.push_back({"queued_at", job.queued_at});
  if (!job.experiment.empty()) started.push_back({"experiment", job.experiment});
  publish_quietly(q, started);
  state.log("job " + job.id + " attempt " + std::to_string(job.attempt) + ": executing");
  const auto fail = [&](const std::string& error, bool retryable) {
    const auto outcome = q.fail(job, state.id, error, retryable);
    auto e = event(state, job, seq, "state");
    e.push_back({"state", "error"});
    e.push_back({"error", error});
    publish_quietly(q, e);
    state.log("job " + job.id + ": error (" +
              std::string(outcome == queue::FailOutcome::Requeued ? "requeued"
                          : outcome == queue::FailOutcome::Dead   ? "dead"
                                                                  : "no longer ours") +
              "): " + error);
  };
  try {
    const auto document = nnworkflow::workflow_from_json(json::parse(job.document));
    nnworkflow::validate_workflow(document);
    EngineOptions engine;
    engine.backend = state.backend;
    engine.threads = state.options.threads;
    const auto fetch_start = Clock::now();
    engine.data_dir =
        job.dataset_sha256.empty()
            ? state.cache_dir
            : queue::fetch_blob(redis, job.dataset_sha256, job.dataset_file, state.cache_dir);
    const double fetch_ms =
        std::chrono::duration<double, std::milli>(Clock::now() - fetch_start).count();
    auto last = Clock::now() - std::chrono::seconds(1);
    engine.on_progress = [&](const Progress& p) {
      if (p.epoch == p.epochs || Clock::now() - last >= std::chrono::milliseconds(100)) {
        last = Clock::now();
        auto e = event(state, job, seq, "progress");
        e.insert(e.end(), {{"fold", std::to_string(p.fold)},
                           {"folds", std::to_string(p.folds)},
                           {"epoch", std::to_string(p.epoch)},
                           {"epochs", std::to_string(p.epochs)},
                           {"loss", std::to_string(p.loss)}});
        publish_quietly(q, e);
      }
      return !state.stop && !keeper.cancel_requested() && !keeper.lost();
    };
    json result = run_workflow(document, engine);
    result["executor"] = {
        {"id", state.id}, {"host", state.host}, {"resource", state.options.resource}};
    result["job"] = {{"id", job.id}, {"attempt", job.attempt}};
    result["timings_ms"]["blob_fetch"] = fetch_ms;
    if (!job.queued_at.empty()) {
      const double waited = std::stod(queue::now_ms_text()) - std::stod(job.queued_at) -
                            result["timings_ms"]["total"].get<double>() - fetch_ms;
      result["timings_ms"]["queue_wait"] = std::max(0.0, waited);
    }
    auto e = event(state, job, seq, "result");
    e.push_back({"state", "finished"});
    e.push_back({"result", result.dump()});
    if (q.finish(job, state.id, "finished", e)) {
      state.log("job " + job.id + ": finished, accuracy " +
                std::to_string(result["metrics"]["accuracy"].get<double>()));
    } else {
      state.log("job " + job.id +
                ": finished, but its lease had expired and it moved on; result dropped");
    }
  } catch (const JobCancelled&) {
    if (keeper.lost()) {
      state.log("job " + job.id + ": lease lost, stopped");
    } else if (keeper.cancel_requested()) {
      auto e = event(state, job, seq, "state");
      e.push_back({"state", "cancelled"});
      q.finish(job, state.id, "cancelled", e);
      state.log("job " + job.id + ": cancelled");
    } else {
      q.requeue(job, state.id, "executor " + state.id + " stopped");
      state.log("job " + job.id + ": handed back (executor stopping)");
    }
  } catch (const InvalidInput& e) {
    fail(e.what(), false);  // the same input fails every time: no retry
  } catch (const DeviceFailure& e) {
    fail(e.what(), true);
    state.device_failed = true;
  } catch (const std::exception& e) {
    fail(e.what(), true);
  }
}

void run_worker(ExecutorState& state) {
  std::optional<queue::RedisClient> redis;
  while (!state.stop && !state.device_failed) {
    try {
      if (!redis) redis.emplace(state.endpoint);
      queue::JobQueue q(*redis);
      const auto job = q.take(state.id, state.options.resource, state.options.lease);
      if (!job) {
        q.wait_for_work(state.options.resource, std::chrono::milliseconds(1000));
        continue;
      }
      run_job(state, *redis, q, *job);
    } catch (const std::exception& e) {
      state.log(std::string("redis: ") + e.what() + "; retrying");
      redis.reset();
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
}

// Registration heartbeat and the reaper, on their own connection.
void run_housekeeping(ExecutorState& state, Sleeper& sleeper, const queue::ExecutorFields& fields) {
  const auto ttl = state.options.lease * 3;
  const auto period = std::max(std::chrono::milliseconds(50),
                               std::min(state.options.lease / 3, std::chrono::milliseconds(1000)));
  std::optional<queue::RedisClient> redis;
  auto next_reap = Clock::now();
  while (!state.stop && !state.device_failed) {
    try {
      if (!redis) {
        redis.emplace(state.endpoint);
        queue::register_executor(*redis, state.id, fields, ttl);
      }
      queue::heartbeat_executor(*redis, state.id, ttl);
      if (Clock::now() >= next_reap) {
        queue::JobQueue q(*redis);
        const auto report = q.reap();
        if (report.requeued + report.dead + report.cancelled > 0) {
          state.log("reaper: " + std::to_string(report.requeued) + " requeued, " +
                    std::to_string(report.dead) + " dead, " + std::to_string(report.cancelled) +
                    " cancelled");
        }
        next_reap = Clock::now() + state.options.lease / 2;
      }
    } catch (const std::exception&) {
      redis.reset();
    }
    sleeper.sleep(period);
  }
}

fs::path default_cache_dir() {
  if (const char* d = std::getenv("DLAAW_CACHE_DIR"); d && *d) return d;
  if (const char* d = std::getenv("XDG_CACHE_HOME"); d && *d) return fs::path(d) / "dlaaw";
  if (const char* d = std::getenv("HOME"); d && *d) return fs::path(d) / ".cache" / "dlaaw";
  return fs::temp_directory_path() / "dlaaw-cache";
}

}  // namespace

int run_executor(const ExecutorOptions& options, const std::atomic<bool>& stop) {
  if (options.concurrency < 1) throw InvalidInput("--concurrency: must be at least 1");
  if (options.lease < std::chrono::milliseconds(100))
    throw InvalidInput("--lease: must be at least 100ms");
  ExecutorState state{options, stop, queue::parse_redis_url(options.redis_url)};
  state.backend = choose_backend(options.resource, options.backend, options.allow_mismatch);
  state.id = queue::new_executor_id();
  char host[256] = "";
  gethostname(host, sizeof host - 1);
  state.host = host;
  state.cache_dir = options.cache_dir.empty() ? default_cache_dir() : options.cache_dir;
  fs::create_directories(state.cache_dir);

  const auto device = kernels::make_backend(state.backend, options.threads)->device();
  const json device_json = {{"kind", device.kind},
                            {"name", device.name},
                            {"integrated", device.integrated},
                            {"compute_capability", device.compute_capability},
                            {"memory_bytes", device.memory_bytes},
                            {"threads", device.threads}};
  const queue::ExecutorFields fields{{"host", state.host},
                                     {"pid", std::to_string(getpid())},
                                     {"resource", options.resource},
                                     {"backend", state.backend},
                                     {"device", device_json.dump()},
                                     {"concurrency", std::to_string(options.concurrency)},
                                     {"started", queue::now_ms_text()}};
  {
    queue::RedisClient redis(state.endpoint);  // fails fast (exit 3) when Redis is unreachable
    queue::register_executor(redis, state.id, fields, options.lease * 3);
  }
  state.log("serving " + options.resource + " and any on " + state.endpoint.describe() + " with " +
            std::to_string(options.concurrency) + " worker(s), backend " + state.backend + " (" +
            device.name + ")");

  Sleeper housekeeping_sleeper;
  std::thread housekeeping([&] { run_housekeeping(state, housekeeping_sleeper, fields); });
  std::vector<std::thread> workers;
  for (int i = 0; i < options.concurrency; ++i) workers.emplace_back([&] { run_worker(state); });
  for (auto& w : workers) w.join();
  housekeeping_sleeper.wake();
  housekeeping.join();
  try {
    queue::RedisClient redis(state.endpoint);
    queue::deregister_executor(redis, state.id);
  } catch (const std::exception& e) {
    state.log(std::string("could not deregister: ") + e.what());
  }
  state.log(state.device_failed ? "stopped after a device failure" : "stopped");
  return state.device_failed ? 1 : 0;
}

}  // namespace dlaaw::executor
