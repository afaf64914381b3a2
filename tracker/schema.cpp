// schema.cpp - forward migrations of the tracker database.
#include "tracker/schema.h"

#include <string>

#include "common/errors.h"

namespace dlaaw::tracker {
namespace {

// Migration N takes the schema from version N - 1 to N. Never edit one that has shipped.
const char* const kMigrations[] = {
    // 1: experiments, runs (one per job attempt), their metrics, losses, timings, artifacts, and
    // the events already ingested (so that ingesting one twice changes nothing).
    R"sql(
CREATE TABLE experiments (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL);
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  job_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  experiment_id INTEGER REFERENCES experiments(id),
  workflow_name TEXT,
  document TEXT,
  document_sha256 TEXT,
  dataset TEXT,
  dataset_file TEXT,
  dataset_sha256 TEXT,
  rows_read INTEGER,
  rows_dropped INTEGER,
  resource TEXT,
  backend TEXT,
  device TEXT,
  executor TEXT,
  host TEXT,
  code_version TEXT,
  seed INTEGER,
  plan TEXT,
  state TEXT NOT NULL,
  queued_at INTEGER,
  started_at INTEGER,
  finished_at INTEGER,
  error TEXT,
  UNIQUE (job_id, attempt));
CREATE TABLE metrics (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  fold INTEGER NOT NULL,  -- 0.. per fold; -1 mean over folds; -2 their standard deviation
  name TEXT NOT NULL,
  value REAL,
  PRIMARY KEY (run_id, fold, name));
CREATE TABLE losses (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  fold INTEGER NOT NULL,
  epoch INTEGER NOT NULL,
  loss REAL NOT NULL,
  PRIMARY KEY (run_id, fold, epoch));
CREATE TABLE timings (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  name TEXT NOT NULL,
  ms REAL NOT NULL,
  PRIMARY KEY (run_id, name));
CREATE TABLE artifacts (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  name TEXT NOT NULL,  -- model, predictions
  content TEXT NOT NULL,
  PRIMARY KEY (run_id, name));
CREATE TABLE ingested_events (
  job_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  seq TEXT NOT NULL,
  PRIMARY KEY (job_id, attempt, seq)) WITHOUT ROWID;
)sql",
    // 2: indexes for the filters of `dlaaw runs` and the report's runs page (100,000 runs).
    R"sql(
CREATE INDEX runs_by_experiment ON runs(experiment_id, id);
CREATE INDEX runs_by_dataset ON runs(dataset, id);
CREATE INDEX runs_by_state ON runs(state, id);
CREATE INDEX runs_by_resource ON runs(resource, id);
)sql",
    // 3: test accuracy and training time on the run row itself, so that sorting 100,000 runs by
    // them uses an index instead of a subquery per row; backfilled from metrics and timings.
    R"sql(
ALTER TABLE runs ADD COLUMN accuracy REAL;
ALTER TABLE runs ADD COLUMN train_ms REAL;
UPDATE runs SET
  accuracy = (SELECT value FROM metrics WHERE run_id = runs.id AND fold = -1 AND name = 'accuracy'),
  train_ms = (SELECT ms FROM timings WHERE run_id = runs.id AND name = 'train');
CREATE INDEX runs_by_accuracy ON runs(accuracy, id);
CREATE INDEX runs_by_train_ms ON runs(train_ms, id);
)sql",
    // 4: daily use (issue 16): energy where a meter measured it; notes; archiving (archived runs
    // are hidden unless asked for: partial indexes over the live runs keep the default list's
    // sorts and filters on an index); tags on runs and experiments, indexed by key and value for
    // the runs table's filter.
    R"sql(
ALTER TABLE runs ADD COLUMN energy_j REAL;
ALTER TABLE runs ADD COLUMN energy_source TEXT;
ALTER TABLE runs ADD COLUMN power_mode TEXT;
ALTER TABLE runs ADD COLUMN note TEXT;
ALTER TABLE runs ADD COLUMN archived_at INTEGER;
ALTER TABLE experiments ADD COLUMN note TEXT;
CREATE INDEX runs_live ON runs(id) WHERE archived_at IS NULL;
CREATE INDEX runs_live_by_accuracy ON runs(accuracy, id) WHERE archived_at IS NULL;
CREATE INDEX runs_live_by_train_ms ON runs(train_ms, id) WHERE archived_at IS NULL;
CREATE INDEX runs_live_by_experiment ON runs(experiment_id, id) WHERE archived_at IS NULL;
CREATE INDEX runs_live_by_dataset ON runs(dataset, id) WHERE archived_at IS NULL;
CREATE INDEX runs_live_by_state ON runs(state, id) WHERE archived_at IS NULL;
CREATE INDEX runs_archived ON runs(archived_at, id) WHERE archived_at IS NOT NULL;
CREATE TABLE run_tags (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_id, key)) WITHOUT ROWID;
CREATE INDEX run_tags_by_value ON run_tags(key, value, run_id);
CREATE TABLE experiment_tags (
  experiment_id INTEGER NOT NULL REFERENCES experiments(id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (experiment_id, key)) WITHOUT ROWID;
)sql",
    // 5: pipelines (issue 15): each pipeline's latest submission and its tasks (keys, states,
    // timings, jobs, outputs), the outputs by task key (what a resubmission reuses), and the PROV
    // edges between tasks and the artifacts they used and generated.
    R"sql(
CREATE TABLE pipelines (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  document TEXT NOT NULL,
  state TEXT NOT NULL,  -- running, finished, failed, cancelled
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  submitted_at INTEGER NOT NULL,
  finished_at INTEGER);
CREATE TABLE pipeline_tasks (
  pipeline_id INTEGER NOT NULL REFERENCES pipelines(id),
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  resource TEXT NOT NULL,
  needs TEXT NOT NULL,  -- JSON list of task names
  key TEXT NOT NULL,
  state TEXT NOT NULL,  -- pipeline::TaskState names
  job_id TEXT,
  output_sha256 TEXT,
  error TEXT,
  queued_at INTEGER,
  started_at INTEGER,
  finished_at INTEGER,
  PRIMARY KEY (pipeline_id, name));
CREATE TABLE task_outputs (
  key TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  output_sha256 TEXT NOT NULL,
  job_id TEXT,
  created_at INTEGER NOT NULL);
CREATE TABLE pipeline_edges (
  pipeline_id INTEGER NOT NULL REFERENCES pipelines(id),
  task TEXT NOT NULL,
  relation TEXT NOT NULL,  -- used, wasGeneratedBy
  artifact_sha256 TEXT NOT NULL,
  role TEXT NOT NULL,      -- the needed task's name, "source", or "output"
  PRIMARY KEY (pipeline_id, task, relation, artifact_sha256, role)) WITHOUT ROWID;
CREATE INDEX pipeline_tasks_by_job ON pipeline_tasks(job_id);
)sql",
    // 6: events the tracker could not apply (malformed, or a result that does not decode), kept
    // with the reason so that they are acknowledged once instead of stopping ingestion.
    R"sql(
CREATE TABLE rejected_events (
  stream_id TEXT PRIMARY KEY,
  job_id TEXT,
  reason TEXT NOT NULL,
  fields TEXT NOT NULL,
  rejected_at INTEGER NOT NULL);
)sql",
    // 7: why a pipeline's driver stopped before the pipeline ended (a detached driver has no
    // terminal to say it on).
    R"sql(
ALTER TABLE pipelines ADD COLUMN error TEXT;
)sql",
};

static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kSchemaVersion);

}  // namespace

int schema_version(SqliteDb& db) {
  auto st = db.prepare("PRAGMA user_version");
  st.step();
  return static_cast<int>(st.integer(0));
}

namespace {

void refuse_newer(SqliteDb& db, int current) {
  if (current > kSchemaVersion) {
    throw ServiceUnavailable("database " + db.path() + " has schema version " +
                             std::to_string(current) + ", newer than this dlaaw (" +
                             std::to_string(kSchemaVersion) + "); upgrade dlaaw");
  }
}

}  // namespace

void migrate_to(SqliteDb& db, int version) {
  refuse_newer(db, schema_version(db));
  if (schema_version(db) >= version) return;  // the common case takes no write lock
  // One BEGIN IMMEDIATE for all steps, and the version read again under it: several processes
  // opening a new file at once take turns, and the later ones find the work done.
  Transaction t(db);
  const int current = schema_version(db);
  refuse_newer(db, current);
  for (int v = current + 1; v <= version; ++v) {
    db.execute(kMigrations[v - 1]);
    db.execute("PRAGMA user_version = " + std::to_string(v));
  }
  t.commit();
}

void migrate(SqliteDb& db) { migrate_to(db, kSchemaVersion); }

}  // namespace dlaaw::tracker
