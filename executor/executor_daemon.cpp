// executor_daemon.cpp - workers, the reaper, registration and graceful shutdown.
#include "executor/executor_daemon.h"

#include <hiredis/hiredis.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/errors.h"
#include "common/json_parse.h"
#include "executor/engine.h"
#include "executor/failure_policy.h"
#include "executor/lease_keeper.h"
#include "executor/predictions_offload.h"
#include "executor/resource_check.h"
#include "executor/task_job_runner.h"
#include "nnworkflow/workflow_json.h"
#include "queue/blob_store.h"
#include "queue/executor_registry.h"
#include "queue/job_id.h"
#include "queue/job_queue.h"
#include "queue/persistence_check.h"
#include "queue/resource_store.h"
#include "results/device_json.h"

namespace dlaaw::executor {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using nlohmann::json;
using queue::LeasedJob;

struct ExecutorState {
  ExecutorState(const ExecutorOptions& o, const std::atomic<bool>& s)
      : options(o), stop(s), endpoint(queue::parse_redis_url(o.redis_url)) {}

  const ExecutorOptions& options;
  const std::atomic<bool>& stop;
  const queue::RedisEndpoint endpoint;
  resources::Resource resource;
  std::string id;
  std::string host;
  std::string backend;
  int threads = 0;
  fs::path cache_dir;
  std::atomic<bool> device_failed{false};
  std::mutex log_mutex;

  void log(const std::string& line) {
    std::lock_guard lock(log_mutex);
    std::printf("[executor %s] %s\n", id.c_str(), line.c_str());
    std::fflush(stdout);
  }
};

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A job's queued_at (ms, from the server's clock); nullopt when the job hash holds no number.
std::optional<std::int64_t> queued_at_ms(const LeasedJob& job) {
  std::int64_t ms = 0;
  const auto [end, ec] =
      std::from_chars(job.queued_at.data(), job.queued_at.data() + job.queued_at.size(), ms);
  if (job.queued_at.empty() || ec != std::errc() ||
      end != job.queued_at.data() + job.queued_at.size())
    return std::nullopt;
  return ms;
}

// The events of one attempt, numbered so that the tracker ingests each once.
class AttemptEvents {
 public:
  AttemptEvents(const ExecutorState& state, const LeasedJob& job) : state_(state), job_(job) {}

  queue::EventHeader next() {
    return {job_.id, job_.attempt, std::to_string(++seq_), state_.id, now_ms()};
  }
  queue::StateEvent state(queue::JobState s, std::string error = "") {
    queue::StateEvent e;
    e.header = next();
    e.state = s;
    e.error = std::move(error);
    return e;
  }
  // Progress is best effort; the result travels inside the finish transition.
  void publish_quietly(queue::JobQueue& q, const queue::JobEvent& e) {
    try {
      q.publish(e);
    } catch (const std::exception&) {
    }
  }

 private:
  const ExecutorState& state_;
  const LeasedJob& job_;
  int seq_ = 0;
};

// The document of a job, validated once here: what Redis holds is untrusted.
nnworkflow::ValidWorkflow job_workflow(const LeasedJob& job) {
  return nnworkflow::ValidWorkflow(
      nnworkflow::workflow_from_json(parse_json(job.document, "job " + job.id + " document")));
}

// How this executor trains any job: its backend and threads, the resource's kernel and memory
// defaults, the watchdog it was started with.
EngineOptions executor_engine_options(const ExecutorState& state) {
  EngineOptions engine;
  engine.backend = state.backend;
  engine.threads = state.threads;
  engine.kernel = state.resource.defaults.kernel;
  engine.memory = state.resource.defaults.memory;
  engine.watchdog_seconds = state.options.watchdog_seconds;
  return engine;
}

EngineOptions engine_options(ExecutorState& state, queue::RedisClient& redis, const LeasedJob& job,
                             const nnworkflow::ValidWorkflow& workflow, double& fetch_ms) {
  EngineOptions engine = executor_engine_options(state);
  engine.data_dir = state.cache_dir;
  const auto fetch_start = Clock::now();
  if (!workflow->dataset.synthetic) {
    if (job.dataset_sha256.empty()) throw InvalidInput("job " + job.id + ": no dataset blob");
    engine.dataset_file =
        queue::fetch_blob(redis, job.dataset_sha256, job.dataset_file, state.cache_dir);
  }
  fetch_ms = std::chrono::duration<double, std::milli>(Clock::now() - fetch_start).count();
  return engine;
}

// Publishes progress at most every 100 ms (and after the last epoch); says whether to go on.
std::function<bool(const Progress&)> progress_publisher(ExecutorState& state, queue::JobQueue& q,
                                                        AttemptEvents& events,
                                                        const LeaseKeeper& keeper) {
  auto last = std::make_shared<Clock::time_point>(Clock::now() - std::chrono::seconds(1));
  return [&state, &q, &events, &keeper, last](const Progress& p) {
    if (p.epoch == p.epochs || Clock::now() - *last >= std::chrono::milliseconds(100)) {
      *last = Clock::now();
      events.publish_quietly(
          q, queue::ProgressEvent{events.next(), p.fold, p.folds, p.epoch, p.epochs, p.loss});
    }
    return !state.stop && !keeper.cancel_requested() && !keeper.lost();
  };
}

void train_and_finish(ExecutorState& state, queue::RedisClient& redis, queue::JobQueue& q,
                      const LeasedJob& job, AttemptEvents& events, const LeaseKeeper& keeper) {
  const nnworkflow::ValidWorkflow workflow = job_workflow(job);
  double fetch_ms = 0;
  EngineOptions engine = engine_options(state, redis, job, workflow, fetch_ms);
  engine.on_progress = progress_publisher(state, q, events, keeper);
  results::RunResult result = run_workflow(workflow, engine);
  result.executor = results::ExecutorRecord{state.id, state.host, state.resource.name};
  result.job = results::JobRecord{job.id, job.attempt};
  result.timings.blob_fetch = fetch_ms;
  if (const auto queued_at = queued_at_ms(job)) {
    const double waited =
        static_cast<double>(now_ms() - *queued_at) - result.timings.total - fetch_ms;
    result.timings.queue_wait = std::max(0.0, waited);
  }
  const std::string accuracy =
      result.metrics.accuracy ? std::to_string(*result.metrics.accuracy) : "-";
  offload_large_predictions(redis, result);
  if (q.finish(job, state.id,
               queue::ResultEvent{events.next(), results::run_result_to_json(result).dump()})) {
    state.log("job " + job.id + ": finished, accuracy " + accuracy);
  } else {
    state.log("job " + job.id +
              ": finished, but its lease had expired and it moved on; result "
              "dropped");
  }
}

void record_failure(ExecutorState& state, queue::JobQueue& q, const LeasedJob& job,
                    AttemptEvents& events, const std::string& error, bool retryable) {
  const auto outcome = q.fail(job, state.id, error, retryable);
  events.publish_quietly(q, events.state(queue::JobState::Error, error));
  state.log("job " + job.id + ": error (" +
            std::string(outcome == queue::FailOutcome::Requeued ? "requeued"
                        : outcome == queue::FailOutcome::Dead   ? "dead"
                                                                : "no longer ours") +
            "): " + error);
}

void stop_job(ExecutorState& state, queue::JobQueue& q, const LeasedJob& job, AttemptEvents& events,
              const LeaseKeeper& keeper) {
  if (keeper.lost()) {
    state.log("job " + job.id + ": lease lost, stopped");
  } else if (keeper.cancel_requested()) {
    q.end_cancelled(job, state.id, events.state(queue::JobState::Cancelled));
    state.log("job " + job.id + ": cancelled");
  } else {
    q.requeue(job, state.id, "executor " + state.id + " stopped");
    state.log("job " + job.id + ": handed back (executor stopping)");
  }
}

// What a pipeline task job needs of this executor (see task_job_runner.h).
TaskJobHost task_job_host(ExecutorState& state) {
  const EngineOptions engine = executor_engine_options(state);
  return {state.id,
          state.host,
          state.resource.name,
          state.endpoint,
          state.options.lease,
          engine,
          state.cache_dir,
          &state.stop,
          &state.device_failed,
          [&state](const std::string& line) { state.log(line); }};
}

void run_job(ExecutorState& state, queue::RedisClient& redis, queue::JobQueue& q,
             const LeasedJob& job) {
  if (is_task_job(job)) return run_task_job(task_job_host(state), redis, q, job);
  LeaseKeeper keeper(state.endpoint, state.id, job, state.options.lease);
  AttemptEvents events(state, job);
  auto started = events.state(queue::JobState::Executing);
  started.backend = state.backend;
  started.queued_at_ms = queued_at_ms(job);
  started.experiment = job.experiment;
  events.publish_quietly(q, started);
  state.log("job " + job.id + " attempt " + std::to_string(job.attempt) + ": executing");
  try {
    train_and_finish(state, redis, q, job, events, keeper);
  } catch (const JobCancelled&) {
    stop_job(state, q, job, events, keeper);
  } catch (const std::exception& e) {
    const FailureVerdict verdict = classify_failure(e);
    record_failure(state, q, job, events, e.what(), verdict.retryable);
    if (verdict.device_failed) state.device_failed = true;
  }
}

void run_worker(ExecutorState& state) {
  std::optional<queue::RedisClient> redis;
  while (!state.stop && !state.device_failed) {
    try {
      if (!redis) {
        redis.emplace(state.endpoint);
        redis->give_up_retrying_when(&state.stop);
      }
      queue::JobQueue q(*redis);
      const auto job = q.take(state.id, state.resource.name, state.options.lease);
      if (!job) {
        q.wait_for_work(state.resource.name, std::chrono::milliseconds(1000));
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
void run_housekeeping(ExecutorState& state, Sleeper& sleeper, const queue::ExecutorInfo& info) {
  const auto ttl = state.options.lease * 3;
  const auto period = std::max(std::chrono::milliseconds(50),
                               std::min(state.options.lease / 3, std::chrono::milliseconds(1000)));
  std::optional<queue::RedisClient> redis;
  auto next_reap = Clock::now();
  while (!state.stop && !state.device_failed) {
    try {
      if (!redis) {
        redis.emplace(state.endpoint);
        redis->give_up_retrying_when(&state.stop);
        queue::register_executor(*redis, info, ttl);
      }
      queue::heartbeat_executor(*redis, state.id, ttl);
      if (Clock::now() >= next_reap) {
        const auto report = queue::JobQueue(*redis).reap();
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

// What this executor advertises: its device, backend, memory and library versions.
queue::ExecutorInfo advertisement(const ExecutorState& state, const kernels::DeviceInfo& device,
                                  const Machine& machine) {
  json versions = {{"dlaaw", DLAAW_CODE_VERSION},
                   {"hiredis", std::to_string(HIREDIS_MAJOR) + "." + std::to_string(HIREDIS_MINOR) +
                                   "." + std::to_string(HIREDIS_PATCH)},
                   {"compiler", __VERSION__}};
  if (device.kind == "cuda") {
    versions["cuda_driver"] = device.driver_version;
    versions["cuda_runtime"] = device.runtime_version;
  }
  queue::ExecutorInfo info;
  info.id = state.id;
  info.host = state.host;
  info.pid = getpid();
  info.resource = state.resource.name;
  info.backend = state.backend;
  info.concurrency = state.options.concurrency;
  info.device = results::device_to_json(device).dump();
  info.versions = versions.dump();
  info.host_memory_bytes = machine.host_memory_bytes;
  info.started_ms = now_ms();
  return info;
}

void run_threads(ExecutorState& state, const queue::ExecutorInfo& info) {
  Sleeper housekeeping_sleeper;
  std::thread housekeeping([&] { run_housekeeping(state, housekeeping_sleeper, info); });
  std::vector<std::thread> workers;
  for (int i = 0; i < state.options.concurrency; ++i)
    workers.emplace_back([&] { run_worker(state); });
  for (auto& w : workers) w.join();
  housekeeping_sleeper.wake();
  housekeeping.join();
}

}  // namespace

int run_executor(const ExecutorOptions& options, const std::atomic<bool>& stop) {
  if (options.concurrency < 1) throw InvalidInput("--concurrency: must be at least 1");
  if (options.lease < std::chrono::milliseconds(100))
    throw InvalidInput("--lease: must be at least 100ms");
  ExecutorState state(options, stop);
  queue::RedisClient redis(state.endpoint);  // fails fast (exit 3) when Redis is unreachable
  redis.give_up_retrying_when(&stop);
  const auto registry = queue::load_registry(redis, options.resources_file);
  state.resource = registry.require(options.resource, "--resource");
  const Machine machine = this_machine();
  state.backend =
      choose_backend(state.resource, options.backend, options.allow_mismatch, registry, machine);
  state.threads = options.threads > 0 ? options.threads : state.resource.defaults.threads;
  state.id = queue::new_executor_id();
  char host[256] = "";
  gethostname(host, sizeof host - 1);
  state.host = host;
  state.cache_dir = options.cache_dir.empty() ? default_cache_dir() : options.cache_dir;
  fs::create_directories(state.cache_dir);

  const auto device = kernels::make_backend(state.backend, state.threads)->device();
  const queue::ExecutorInfo info = advertisement(state, device, machine);
  queue::register_executor(redis, info, options.lease * 3);
  if (const auto warning = queue::persistence_warning(redis)) state.log(*warning);
  state.log("serving " + state.resource.name + " and " + resources::kAnyQueue + " on " +
            state.endpoint.describe() + " with " + std::to_string(options.concurrency) +
            " worker(s), backend " + state.backend + " (" + device.name + ")");
  run_threads(state, info);
  try {
    queue::deregister_executor(redis, state.id);
  } catch (const std::exception& e) {
    state.log(std::string("could not deregister: ") + e.what());
  }
  state.log(state.device_failed ? "stopped after a device failure" : "stopped");
  return state.device_failed ? 1 : 0;
}

}  // namespace dlaaw::executor
