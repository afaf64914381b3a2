// pipeline_store.h - the tracker's record of pipelines: each pipeline's latest submission, its
// tasks (keys, states, timings, jobs, outputs), the outputs by task key that a resubmission
// reuses, and the PROV edges between tasks and artifacts. Written by the pipeline runner.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tracker/sqlite_db.h"

namespace dlaaw::tracker {

// A task as recorded.
struct PipelineTaskRecord {
  std::string name;
  std::string kind;
  std::string resource;
  std::vector<std::string> needs;
  std::string key;
  std::string state;  // pipeline::TaskState names
  std::string job_id;
  std::string output_sha256;
  std::string error;
  std::optional<std::int64_t> queued_at, started_at, finished_at;  // ms since the epoch
  std::optional<std::int64_t> run_id;  // the tracker's run of its job (train tasks), when known
  // A reused (cached) task: the job that produced the output it reuses, and that job's run (train
  // tasks), when known. Read by pipeline_view; the writers ignore them.
  std::string source_job_id;
  std::optional<std::int64_t> source_run_id;
};

// An artifact a task used (role: the needed task's name, or "source") or generated.
struct ArtifactUse {
  std::string sha256;
  std::string role;
};

class PipelineStore {
 public:
  // Uses `db`, migrated to the current schema.
  explicit PipelineStore(SqliteDb& db) : db_(db) {}

  // Records a (re)submission of pipeline `name`: its document, state "running", no cancel
  // request, and exactly `tasks` (replacing an earlier submission's, and its edges).
  void begin_pipeline(const std::string& name, const std::string& document,
                      const std::vector<PipelineTaskRecord>& tasks, std::int64_t now_ms);
  // Sets a task's state, and each given field. Throws NotFound for an unknown pipeline or task.
  void update_task(const std::string& pipeline, const PipelineTaskRecord& task);
  // Records the task's output: the outputs-by-key entry (keeping the job that produced it when
  // `task` was reused and names none) and its used/wasGeneratedBy edges.
  void record_output(const std::string& pipeline, const PipelineTaskRecord& task,
                     const std::vector<ArtifactUse>& used, std::int64_t now_ms);
  // The stored output of each of `keys` that has one, by key.
  std::map<std::string, std::string> stored_outputs(const std::vector<std::string>& keys);
  // Forgets the stored output of `key` (its artifact has gone).
  void forget_output(const std::string& key);
  // Ends the pipeline in `state` (finished, failed or cancelled).
  void end_pipeline(const std::string& name, const std::string& state, std::int64_t now_ms);
  // Ends pipeline `name` as failed because its driver stopped with `error` (recorded, with
  // `document` when the pipeline was never begun). Its tasks keep their states.
  void fail_driver(const std::string& name, const std::string& document, const std::string& error,
                   std::int64_t now_ms);
  // Asks the runner of `name` to cancel it; returns false for an unknown pipeline.
  bool request_cancel(const std::string& name);
  bool cancel_requested(const std::string& name);

 private:
  std::int64_t pipeline_id(const std::string& name);

  SqliteDb& db_;
};

// The pipeline as recorded, for status and the report.
struct PipelineView {
  std::string name;
  std::string document;
  std::string state;
  std::string error;  // why its driver stopped early (fail_driver); "" for none
  std::int64_t submitted_at = 0;
  std::optional<std::int64_t> finished_at;
  std::vector<PipelineTaskRecord> tasks;                       // in document order
  std::vector<std::pair<std::string, ArtifactUse>> used;       // task, artifact
  std::vector<std::pair<std::string, ArtifactUse>> generated;  // task, artifact
};

// Reads pipeline `name`. Throws NotFound when it was never run.
PipelineView pipeline_view(SqliteDb& db, const std::string& name);

// The names of every recorded pipeline with their state, newest first.
std::vector<std::pair<std::string, std::string>> list_pipelines(SqliteDb& db);

// A pipeline as the dashboard lists it.
struct PipelineSummary {
  std::string name;
  std::string state;
  std::int64_t submitted_at = 0;  // ms since the epoch
  std::optional<std::int64_t> finished_at;
  std::map<std::string, int> tasks_by_state;  // only states some task is in
};

// The `limit` most recently submitted pipelines, newest first, with their tasks counted by state.
// Throws ServiceUnavailable when the database cannot be read.
std::vector<PipelineSummary> pipeline_summaries(SqliteDb& db, int limit);

}  // namespace dlaaw::tracker
