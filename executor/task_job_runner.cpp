// task_job_runner.cpp - dataset, train, evaluate, predict and compare tasks as queue jobs.
#include "executor/task_job_runner.h"

#include <nlohmann/json.hpp>

#include "common/errors.h"
#include "common/json_parse.h"
#include "executor/failure_policy.h"
#include "executor/lease_keeper.h"
#include "executor/predictions_offload.h"
#include "executor/prepared_training.h"
#include "executor/task_outputs.h"
#include "pipeline/prepare_dataset.h"
#include "pipeline/task_job.h"
#include "pipeline/task_workflow.h"
#include "queue/artifact_store.h"
#include "queue/blob_store.h"

namespace dlaaw::executor {
namespace {

using nlohmann::json;
using pipeline::TaskInput;
using pipeline::TaskJob;
using pipeline::TaskKind;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool is_run_kind(const std::string& kind) {
  const auto parsed = pipeline::parse_task_kind(kind);
  return parsed && pipeline::task_is_run(*parsed);
}

// The events of one attempt, numbered so that the tracker ingests each once.
class TaskEvents {
 public:
  TaskEvents(const TaskJobHost& host, const queue::LeasedJob& job, queue::JobQueue& q)
      : host_(host), job_(job), q_(q), is_run_(is_run_kind(job.kind)) {}

  // The events of a task job that is no run say so, so that the tracker makes no run of them.
  bool is_run() const { return is_run_; }
  queue::EventHeader next() {
    return {job_.id, job_.attempt, std::to_string(++seq_), host_.executor_id, now_ms(), is_run_};
  }
  // Best effort: the outcome travels in the queue transition, not in these events.
  void publish(const queue::JobEvent& e) {
    try {
      q_.publish(e);
    } catch (const std::exception&) {
    }
  }
  void state(queue::JobState s, std::string error = "") {
    queue::StateEvent e;
    e.header = next();
    e.state = s;
    e.error = std::move(error);
    if (s == queue::JobState::Executing) {
      e.backend = host_.engine.backend;
      e.experiment = job_.experiment;
    }
    publish(e);
  }

 private:
  const TaskJobHost& host_;
  const queue::LeasedJob& job_;
  queue::JobQueue& q_;
  bool is_run_;
  int seq_ = 0;
};

TaskJob read_task_job(const queue::LeasedJob& job) {
  const json j = parse_json(job.document, "job " + job.id + ": its document");
  TaskJob task = pipeline::task_job_from_json(j);
  if (pipeline::task_kind_name(task.task.kind()) != job.kind)
    throw InvalidInput("job " + job.id + ": its kind \"" + job.kind.substr(0, 40) +
                       "\" is not its task's kind");
  return task;
}

// The one input of kind `kind`; the document is untrusted, so a count other than one is refused.
TaskInput single_input(const TaskJob& job, TaskKind kind) {
  const auto found = job.inputs_of(kind);
  if (found.size() != 1)
    throw InvalidInput("task " + job.task.name + ": needs exactly one " +
                       std::string(pipeline::task_kind_name(kind)) + " input, got " +
                       std::to_string(found.size()));
  return found.front();
}

pipeline::PreparedDataset fetch_prepared(queue::RedisClient& redis, const std::string& sha256) {
  const std::string manifest = queue::fetch_artifact(redis, sha256);
  const std::string csv = queue::fetch_artifact(redis, pipeline::prepared_csv_sha256(manifest));
  return pipeline::read_prepared(manifest, csv);
}

std::string run_dataset(const TaskJobHost& host, queue::RedisClient& redis, const TaskJob& task,
                        const queue::LeasedJob& job) {
  const auto& settings = std::get<pipeline::DatasetSettings>(task.task.settings);
  const auto file = queue::fetch_blob(redis, job.dataset_sha256, job.dataset_file, host.cache_dir);
  const std::string at = "tasks." + task.task.name;
  const auto table = pipeline::source_table_from_bytes(settings.source, file.bytes,
                                                       file.path.filename().string(), at);
  const auto files = pipeline::write_prepared(pipeline::prepare_dataset(table, settings, at));
  queue::put_artifact(redis, files.csv);
  return files.manifest;
}

std::string run_train(const TaskJobHost& host, queue::RedisClient& redis, const TaskJob& task,
                      const queue::LeasedJob& job, EngineOptions engine) {
  const auto& settings = std::get<pipeline::TrainSettings>(task.task.settings);
  pipeline::validate_task_workflow(settings.workflow);
  const TaskInput input = single_input(task, TaskKind::Dataset);
  const auto fetch_start = std::chrono::steady_clock::now();
  const auto prepared = fetch_prepared(redis, input.output);
  const double fetch_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - fetch_start)
          .count();
  results::RunResult result = train_on_prepared(settings.workflow, prepared, input.output, engine);
  result.executor = results::ExecutorRecord{host.executor_id, host.host, host.resource};
  result.job = results::JobRecord{job.id, job.attempt};
  result.timings.blob_fetch = fetch_ms;
  offload_large_predictions(redis, result);
  return results::run_result_to_json(result).dump();
}

// The model (a train task's result) and the rows it is applied to, checked to fit.
struct ModelAndRows {
  TaskInput model_input, rows_input;
  results::RunResult trained;
  pipeline::PreparedDataset rows;
};

ModelAndRows model_and_rows(queue::RedisClient& redis, const TaskJob& task) {
  ModelAndRows m{
      single_input(task, TaskKind::Train), single_input(task, TaskKind::Dataset), {}, {}};
  m.trained = results::run_result_from_text(queue::fetch_artifact(redis, m.model_input.output));
  m.rows = fetch_prepared(redis, m.rows_input.output);
  const auto trained_on =
      pipeline::read_prepared_manifest(queue::fetch_artifact(redis, m.trained.dataset.sha256));
  pipeline::require_same_features(trained_on, m.rows.schema, "tasks." + task.task.name);
  return m;
}

std::string run_compare(queue::RedisClient& redis, const TaskJob& task) {
  std::vector<ComparedTask> rows;
  for (const auto& input : task.inputs) {
    const std::string output = queue::fetch_artifact(redis, input.output);
    if (input.kind == TaskKind::Train) {
      rows.push_back(compared_train(input.task, results::run_result_from_text(output)));
    } else if (input.kind == TaskKind::Evaluate) {
      rows.push_back(compared_evaluation(input.task, output));
    } else {
      throw InvalidInput("task " + task.task.name + ": compares train and evaluate tasks, not " +
                         std::string(pipeline::task_kind_name(input.kind)));
    }
  }
  if (rows.empty()) throw InvalidInput("task " + task.task.name + ": nothing to compare");
  return comparison_output(rows).dump();
}

// The task's output (what the job's result is and what is stored under its sha256).
std::string run_task(const TaskJobHost& host, queue::RedisClient& redis, const TaskJob& task,
                     const queue::LeasedJob& job, const EngineOptions& engine) {
  switch (task.task.kind()) {
    case TaskKind::Dataset:
      return run_dataset(host, redis, task, job);
    case TaskKind::Train:
      return run_train(host, redis, task, job, engine);
    case TaskKind::Evaluate: {
      const auto m = model_and_rows(redis, task);
      const auto& s = std::get<pipeline::EvaluateSettings>(task.task.settings);
      return evaluation_output(m.trained, m.rows, m.model_input.output, m.rows_input.output,
                               s.threshold.value_or(0.5))
          .dump();
    }
    case TaskKind::Predict: {
      const auto m = model_and_rows(redis, task);
      const auto& s = std::get<pipeline::PredictSettings>(task.task.settings);
      return predictions_csv(m.trained, m.rows, s.threshold.value_or(0.5));
    }
    case TaskKind::Compare:
      return run_compare(redis, task);
    case TaskKind::Sweep:
      break;
  }
  throw InvalidInput("task " + task.task.name + ": a sweep is not run as a job");
}

// Publishes progress at most every 100 ms; says whether to go on.
std::function<bool(const Progress&)> progress_of(const TaskJobHost& host, TaskEvents& events,
                                                 const LeaseKeeper& keeper) {
  auto last = std::make_shared<std::chrono::steady_clock::time_point>();
  return [&host, &events, &keeper, last](const Progress& p) {
    const auto now = std::chrono::steady_clock::now();
    if (p.epoch == p.epochs || now - *last >= std::chrono::milliseconds(100)) {
      *last = now;
      events.publish(
          queue::ProgressEvent{events.next(), p.fold, p.folds, p.epoch, p.epochs, p.loss});
    }
    return !*host.stop && !keeper.cancel_requested() && !keeper.lost();
  };
}

void fail(const TaskJobHost& host, queue::JobQueue& q, const queue::LeasedJob& job,
          TaskEvents& events, bool is_run, const std::string& error, bool retryable) {
  try {
    const auto outcome = q.fail(job, host.executor_id, error, retryable);
    if (is_run) events.state(queue::JobState::Error, error);
    host.log("task job " + job.id + ": error (" +
             std::string(outcome == queue::FailOutcome::Requeued ? "requeued"
                         : outcome == queue::FailOutcome::Dead   ? "dead"
                                                                 : "no longer ours") +
             "): " + error);
  } catch (const std::exception& e) {
    host.log("task job " + job.id + ": could not record its error (" + e.what() + ")");
  }
}

void stop(const TaskJobHost& host, queue::JobQueue& q, const queue::LeasedJob& job,
          TaskEvents& events, const LeaseKeeper& keeper) {
  if (keeper.lost()) {
    host.log("task job " + job.id + ": lease lost, stopped");
  } else if (keeper.cancel_requested()) {
    queue::StateEvent e;
    e.header = events.next();
    e.state = queue::JobState::Cancelled;
    q.end_cancelled(job, host.executor_id, e);
    host.log("task job " + job.id + ": cancelled");
  } else {
    q.requeue(job, host.executor_id, "executor " + host.executor_id + " stopped");
    host.log("task job " + job.id + ": handed back (executor stopping)");
  }
}

}  // namespace

bool is_task_job(const queue::LeasedJob& job) { return !job.kind.empty(); }

void run_task_job(const TaskJobHost& host, queue::RedisClient& redis, queue::JobQueue& q,
                  const queue::LeasedJob& job) {
  LeaseKeeper keeper(host.endpoint, host.executor_id, job, host.lease);
  TaskEvents events(host, job, q);
  const bool is_run = events.is_run();
  if (is_run) events.state(queue::JobState::Executing);
  host.log("task job " + job.id + " (" + job.kind.substr(0, 40) + ") attempt " +
           std::to_string(job.attempt) + ": executing");
  try {
    const TaskJob task = read_task_job(job);
    EngineOptions engine = host.engine;
    engine.on_progress = progress_of(host, events, keeper);
    const std::string output = run_task(host, redis, task, job, engine);
    if (keeper.lost()) throw JobCancelled("lease lost");
    queue::put_artifact(redis, output);
    if (q.finish(job, host.executor_id, queue::ResultEvent{events.next(), output})) {
      host.log("task job " + job.id + ": finished (" + task.pipeline + "/" + task.task.name + ")");
    } else {
      host.log("task job " + job.id + ": finished, but its lease had expired; output dropped");
    }
  } catch (const JobCancelled&) {
    try {
      stop(host, q, job, events, keeper);
    } catch (const std::exception& e) {
      host.log("task job " + job.id + ": could not hand it back (" + e.what() + ")");
    }
  } catch (const std::exception& e) {
    const FailureVerdict verdict = classify_failure(e);
    fail(host, q, job, events, is_run, e.what(), verdict.retryable);
    if (verdict.device_failed && host.device_failed) *host.device_failed = true;
  }
}

}  // namespace dlaaw::executor
