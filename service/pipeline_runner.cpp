// pipeline_runner.cpp - PipelineScheduler over the job queue, recorded in the tracker.
#include "service/pipeline_runner.h"

#include <charconv>
#include <map>
#include <set>
#include <thread>

#include "common/errors.h"
#include "datasets/catalog.h"
#include "datasets/csv_reader.h"
#include "datasets/data_dir.h"
#include "datasets/sha256.h"
#include "pipeline/pipeline_json.h"
#include "pipeline/prepared_dataset.h"
#include "pipeline/sweep_expansion.h"
#include "pipeline/task_job.h"
#include "pipeline/task_keys.h"
#include "queue/artifact_store.h"
#include "queue/blob_store.h"
#include "queue/job_id.h"
#include "queue/job_queue.h"
#include "tracker/pipeline_store.h"
#include "tracker/schema.h"

namespace dlaaw::service {
namespace {

namespace fs = std::filesystem;
using pipeline::TaskKind;
using pipeline::TaskState;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<std::int64_t> ms_field(const std::map<std::string, std::string>& job,
                                     const std::string& field) {
  const auto it = job.find(field);
  if (it == job.end() || it->second.empty()) return std::nullopt;
  std::int64_t ms = 0;
  const auto [end, ec] =
      std::from_chars(it->second.data(), it->second.data() + it->second.size(), ms);
  if (ec != std::errc() || end != it->second.data() + it->second.size()) return std::nullopt;
  return ms;
}

std::string field_of(const std::map<std::string, std::string>& job, const std::string& field) {
  const auto it = job.find(field);
  return it == job.end() ? "" : it->second;
}

// A dataset task's source file as it travels to the executor: its name and bytes.
struct SourceFile {
  std::string name;
  std::string bytes;
};

SourceFile read_source(const pipeline::DatasetSource& source, const fs::path& data_dir,
                       const std::string& task) {
  const std::string field = "tasks." + task + ".source";
  if (source.path) {
    const auto file = datasets::resolve_data_file(data_dir, *source.path, field + ".path");
    return {file.filename().string(), datasets::read_file(file.string())};
  }
  const auto entry = datasets::find_in_catalog(source.catalog.value_or(""));
  if (!entry) throw InvalidInput(field + ".catalog: unknown dataset");
  const auto file = datasets::resolve_data_file(data_dir, entry->file, field + ".catalog");
  return {file.filename().string(), datasets::read_file(file.string())};
}

void require_resources(const pipeline::PipelineDocument& expanded,
                       const resources::ResourceRegistry& registry) {
  for (const auto& t : expanded.tasks) {
    registry.require_queue(pipeline::effective_resource(expanded, t),
                           "tasks." + t.name + ".resource");
  }
}

// One run of one pipeline: the scheduler, the jobs in flight and the records.
class Run {
 public:
  Run(queue::RedisClient& redis, tracker::SqliteDb& db, pipeline::PipelineDocument expanded,
      const PipelineRunOptions& options)
      : redis_(redis),
        q_(redis),
        store_(db),
        doc_(std::move(expanded)),
        options_(options),
        scheduler_(pipeline::task_graph(doc_)) {}

  void prepare(const pipeline::PipelineDocument& original,
               const resources::ResourceRegistry& registry);
  PipelineOutcome drive();

 private:
  const pipeline::TaskSpec& task(const std::string& name) const { return *doc_.find(name); }
  void record(const std::vector<pipeline::StateChange>& changes, const std::string& error = "");
  std::set<std::string> reusable_outputs(const std::set<std::string>& forced);
  bool prepared_rows_exist(const std::string& manifest_sha256);
  void reuse_stored(const std::set<std::string>& reusable);
  void queue_task(const std::string& name);
  void follow(const std::string& name);
  void finish(const std::string& name, const std::map<std::string, std::string>& job);
  void cancel_all();
  std::vector<tracker::ArtifactUse> used_by(const std::string& name) const;

  queue::RedisClient& redis_;
  queue::JobQueue q_;
  tracker::PipelineStore store_;
  pipeline::PipelineDocument doc_;
  const PipelineRunOptions& options_;
  pipeline::PipelineScheduler scheduler_;
  std::map<std::string, std::string> sources_, keys_, outputs_, jobs_;
  std::map<std::string, std::string> stored_;
  PipelineOutcome outcome_;
};

void Run::prepare(const pipeline::PipelineDocument& original,
                  const resources::ResourceRegistry& registry) {
  sources_ = pipeline::source_hashes(doc_, options_.data_dir);
  keys_ = pipeline::task_keys(doc_, sources_);
  require_resources(doc_, registry);
  std::vector<tracker::PipelineTaskRecord> records;
  for (const auto& t : doc_.tasks) {
    tracker::PipelineTaskRecord r;
    r.name = t.name;
    r.kind = std::string(pipeline::task_kind_name(t.kind()));
    r.resource = pipeline::effective_resource(doc_, t);
    r.needs = t.needs;
    r.key = keys_.at(t.name);
    r.state = std::string(pipeline::task_state_name(TaskState::Pending));
    records.push_back(std::move(r));
  }
  const auto forced = pipeline::forced_tasks(scheduler_.graph(), options_.force);
  const auto reusable = reusable_outputs(forced);
  store_.begin_pipeline(doc_.name, pipeline::pipeline_to_json(original).dump(), records, now_ms());
  reuse_stored(reusable);
}

// A dataset task's output is a manifest naming the artifact of its rows: reusing the manifest
// without them would fail every task that needs it, at every resubmission.
bool Run::prepared_rows_exist(const std::string& manifest_sha256) {
  try {
    const std::string manifest = queue::fetch_artifact(redis_, manifest_sha256);
    return queue::artifacts_exist(redis_, {pipeline::prepared_csv_sha256(manifest)}).front();
  } catch (const ServiceUnavailable&) {
    throw;
  } catch (const std::exception&) {
    return false;  // gone or corrupt since artifacts_exist looked: made again
  }
}

// The tasks whose key has a stored output still in Redis (all of it), not forced.
std::set<std::string> Run::reusable_outputs(const std::set<std::string>& forced) {
  std::vector<std::string> keys;
  for (const auto& [name, key] : keys_) keys.push_back(key);
  stored_ = store_.stored_outputs(keys);
  std::vector<std::string> keys_found, shas;
  for (const auto& [key, sha] : stored_) {
    keys_found.push_back(key);
    shas.push_back(sha);
  }
  const auto exist = queue::artifacts_exist(redis_, shas);
  std::map<std::string, TaskKind> kind_of_key;
  for (const auto& [name, key] : keys_) kind_of_key[key] = task(name).kind();
  for (std::size_t i = 0; i < keys_found.size(); ++i) {
    const bool whole = exist[i] && (kind_of_key[keys_found[i]] != TaskKind::Dataset ||
                                    prepared_rows_exist(shas[i]));
    if (!whole) {
      store_.forget_output(keys_found[i]);
      stored_.erase(keys_found[i]);
    }
  }
  std::set<std::string> reusable;
  for (const auto& [name, key] : keys_) {
    if (stored_.count(key) && !forced.count(name)) reusable.insert(name);
  }
  return reusable;
}

void Run::reuse_stored(const std::set<std::string>& reusable) {
  const auto cached =
      scheduler_.reuse_ready([&](const std::string& name) { return reusable.count(name) > 0; });
  for (const auto& [name, state] : cached) {
    outputs_[name] = stored_.at(keys_.at(name));
    ++outcome_.reused;
    tracker::PipelineTaskRecord r;
    r.name = name;
    r.key = keys_.at(name);
    r.kind = std::string(pipeline::task_kind_name(task(name).kind()));
    r.state = std::string(pipeline::task_state_name(state));
    r.output_sha256 = outputs_[name];
    store_.update_task(doc_.name, r);
    store_.record_output(doc_.name, r, used_by(name), now_ms());
    if (options_.on_change) options_.on_change(name, state);
  }
}

std::vector<tracker::ArtifactUse> Run::used_by(const std::string& name) const {
  std::vector<tracker::ArtifactUse> used;
  const auto& t = task(name);
  if (t.kind() == TaskKind::Dataset) used.push_back({sources_.at(name), "source"});
  for (const auto& need : t.needs) used.push_back({outputs_.at(need), need});
  return used;
}

void Run::record(const std::vector<pipeline::StateChange>& changes, const std::string& error) {
  for (const auto& [name, state] : changes) {
    tracker::PipelineTaskRecord r;
    r.name = name;
    r.state = std::string(pipeline::task_state_name(state));
    if (state == TaskState::Failed) r.error = error;
    if (state == TaskState::Skipped || state == TaskState::Cancelled) r.finished_at = now_ms();
    store_.update_task(doc_.name, r);
    if (options_.on_change) options_.on_change(name, state);
  }
}

void Run::queue_task(const std::string& name) {
  const auto& t = task(name);
  pipeline::TaskJob job{doc_.name, t, keys_.at(name), {}};
  job.task.needs.clear();
  for (const auto& need : t.needs)
    job.inputs.push_back({need, task(need).kind(), outputs_.at(need)});
  queue::SubmitRequest request;
  request.id = queue::new_job_id();
  request.name = doc_.name + "/" + name;
  request.document = pipeline::task_job_to_json(job).dump();
  request.resource = pipeline::effective_resource(doc_, t);
  request.max_attempts = options_.max_attempts;
  request.experiment = doc_.name;
  request.kind = std::string(pipeline::task_kind_name(t.kind()));
  request.run = pipeline::task_is_run(t.kind());
  if (const auto* d = std::get_if<pipeline::DatasetSettings>(&t.settings)) {
    const SourceFile source = read_source(d->source, options_.data_dir, name);
    if (datasets::sha256_hex(source.bytes) != sources_.at(name))
      throw InvalidInput("tasks." + name + ".source: " + source.name +
                         " changed while the pipeline was being prepared");
    queue::put_blob(redis_, sources_.at(name), source.bytes);
    request.dataset_sha256 = sources_.at(name);
    request.dataset_file = source.name;
  }
  q_.submit({request});
  jobs_[name] = request.id;
  ++outcome_.queued;
  const auto changes = scheduler_.mark_queued(name);
  tracker::PipelineTaskRecord r;
  r.name = name;
  r.state = std::string(pipeline::task_state_name(TaskState::Queued));
  r.job_id = request.id;
  r.queued_at = now_ms();
  store_.update_task(doc_.name, r);
  if (options_.on_change) options_.on_change(name, TaskState::Queued);
}

void Run::finish(const std::string& name, const std::map<std::string, std::string>& job) {
  const auto result = q_.results({jobs_.at(name)}).at(0);
  if (!result) {
    record(scheduler_.mark_failed(name), "its job finished without a result (expired?)");
    return;
  }
  // The executor stored the output; storing it again is a no-op, and makes the record true even
  // when that store was lost.
  const std::string sha = queue::put_artifact(redis_, *result);
  outputs_[name] = sha;
  scheduler_.mark_finished(name);
  tracker::PipelineTaskRecord r;
  r.name = name;
  r.key = keys_.at(name);
  r.kind = std::string(pipeline::task_kind_name(task(name).kind()));
  r.state = std::string(pipeline::task_state_name(TaskState::Finished));
  r.job_id = jobs_.at(name);
  r.output_sha256 = sha;
  r.started_at = ms_field(job, "started_at");
  r.finished_at = ms_field(job, "finished_at");
  store_.update_task(doc_.name, r);
  store_.record_output(doc_.name, r, used_by(name), now_ms());
  if (options_.on_change) options_.on_change(name, TaskState::Finished);
}

// Follows a queued or running task's job one step.
void Run::follow(const std::string& name) {
  const auto job = q_.job(jobs_.at(name));
  const std::string state = field_of(job, "state");
  const TaskState now = scheduler_.state(name);
  if (state == "executing" && now == TaskState::Queued) {
    scheduler_.mark_running(name);
    tracker::PipelineTaskRecord r;
    r.name = name;
    r.state = std::string(pipeline::task_state_name(TaskState::Running));
    r.started_at = ms_field(job, "started_at");
    store_.update_task(doc_.name, r);
    if (options_.on_change) options_.on_change(name, TaskState::Running);
  } else if (state == "queued" && now == TaskState::Running) {
    record(scheduler_.mark_requeued(name));  // its executor was lost; the job is retried
  } else if (state == "finished") {
    finish(name, job);
  } else if (state == "error" || state == "cancelled" || job.empty()) {
    const std::string error = job.empty()            ? "its job disappeared from redis"
                              : state == "cancelled" ? "its job was cancelled"
                                                     : field_of(job, "error");
    auto changes = scheduler_.mark_failed(name);
    tracker::PipelineTaskRecord r;
    r.name = name;
    r.state = std::string(pipeline::task_state_name(TaskState::Failed));
    r.error = error.empty() ? "failed" : error;
    r.started_at = ms_field(job, "started_at");
    r.finished_at = ms_field(job, "finished_at");
    store_.update_task(doc_.name, r);
    if (options_.on_change) options_.on_change(name, TaskState::Failed);
    if (!changes.empty()) changes.erase(changes.begin());  // the failed task, recorded above
    record(changes);
  }
}

void Run::cancel_all() {
  for (const auto& [name, id] : jobs_) {
    if (!pipeline::is_ended(scheduler_.state(name))) q_.cancel(id);
  }
  record(scheduler_.cancel());
}

PipelineOutcome Run::drive() {
  bool cancelled = false;
  while (!scheduler_.ended()) {
    if (options_.stop && *options_.stop) {
      outcome_.state = "stopped";
      // Without a driver nothing moves the pipeline on: it must not look running forever.
      store_.fail_driver(doc_.name, pipeline::pipeline_to_json(doc_).dump(),
                         "stopped by a signal before the pipeline ended (its queued jobs go on; "
                         "run the pipeline again to go on from what has been kept)",
                         now_ms());
      break;
    }
    if (store_.cancel_requested(doc_.name)) {
      cancel_all();
      cancelled = true;
      break;
    }
    for (const auto& name : scheduler_.ready()) queue_task(name);
    for (const auto& [name, id] : std::map<std::string, std::string>(jobs_)) {
      const TaskState s = scheduler_.state(name);
      if (s == TaskState::Queued || s == TaskState::Running) follow(name);
    }
    if (!scheduler_.ended() && scheduler_.ready().empty())
      std::this_thread::sleep_for(options_.poll);
  }
  bool failed = false;
  for (const auto& [name, state] : scheduler_.states()) {
    outcome_.tasks[name] = state;
    failed = failed || state == TaskState::Failed || state == TaskState::Skipped;
  }
  if (outcome_.state != "stopped") {
    outcome_.state = cancelled ? "cancelled" : failed ? "failed" : "finished";
    store_.end_pipeline(doc_.name, outcome_.state, now_ms());
  }
  return outcome_;
}

}  // namespace

PipelineOutcome run_pipeline(queue::RedisClient& redis, tracker::SqliteDb& db,
                             const resources::ResourceRegistry& registry,
                             const pipeline::PipelineDocument& document,
                             const PipelineRunOptions& options) {
  tracker::migrate(db);
  Run run(redis, db, pipeline::expand_sweeps(document), options);
  run.prepare(document, registry);
  return run.drive();
}

void check_pipeline(const resources::ResourceRegistry& registry,
                    const pipeline::PipelineDocument& document, const PipelineRunOptions& options) {
  const auto expanded = pipeline::expand_sweeps(document);
  pipeline::source_hashes(expanded, options.data_dir);
  require_resources(expanded, registry);
  pipeline::forced_tasks(pipeline::task_graph(expanded), options.force);
}

void record_driver_failure(tracker::SqliteDb& db, const pipeline::PipelineDocument& document,
                           const std::string& error) {
  tracker::migrate(db);
  tracker::PipelineStore(db).fail_driver(document.name, pipeline::pipeline_to_json(document).dump(),
                                         error, now_ms());
}

void cancel_pipeline(queue::RedisClient& redis, tracker::SqliteDb& db, const std::string& name) {
  tracker::migrate(db);
  tracker::PipelineStore store(db);
  if (!store.request_cancel(name)) throw NotFound("pipeline \"" + name + "\" has not been run");
  queue::JobQueue q(redis);
  for (const auto& t : tracker::pipeline_view(db, name).tasks) {
    const auto state = pipeline::parse_task_state(t.state);
    if (!state || pipeline::is_ended(*state)) continue;
    if (!t.job_id.empty()) q.cancel(t.job_id);
    tracker::PipelineTaskRecord r;
    r.name = t.name;
    r.state = std::string(pipeline::task_state_name(TaskState::Cancelled));
    r.finished_at = now_ms();
    store.update_task(name, r);
  }
  store.end_pipeline(name, "cancelled", now_ms());
}

}  // namespace dlaaw::service
