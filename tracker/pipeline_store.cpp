// pipeline_store.cpp - the SQL of pipelines, their tasks, outputs and PROV edges.
#include "tracker/pipeline_store.h"

#include <nlohmann/json.hpp>

#include "common/errors.h"
#include "common/json_parse.h"

namespace dlaaw::tracker {
namespace {

using nlohmann::json;

std::optional<std::int64_t> optional_integer(const Statement& st, int column) {
  if (st.is_null(column)) return std::nullopt;
  return st.integer(column);
}

std::vector<std::string> needs_of(const std::string& text) {
  std::vector<std::string> needs;
  const json j = parse_json_or_discarded(text);
  if (!j.is_array()) return needs;
  for (const auto& n : j) {
    if (n.is_string()) needs.push_back(n.get<std::string>());
  }
  return needs;
}

void insert_edge(SqliteDb& db, std::int64_t pipeline, const std::string& task,
                 const std::string& relation, const ArtifactUse& use) {
  db.prepare(
        "INSERT OR IGNORE INTO pipeline_edges (pipeline_id, task, relation, artifact_sha256, "
        "role) VALUES (?, ?, ?, ?, ?)")
      .bind(1, pipeline)
      .bind(2, task)
      .bind(3, relation)
      .bind(4, use.sha256)
      .bind(5, use.role)
      .run();
}

}  // namespace

std::int64_t PipelineStore::pipeline_id(const std::string& name) {
  auto st = db_.prepare("SELECT id FROM pipelines WHERE name = ?");
  st.bind(1, name);
  if (!st.step()) throw NotFound("pipeline \"" + name + "\" has not been run");
  return st.integer(0);
}

void PipelineStore::begin_pipeline(const std::string& name, const std::string& document,
                                   const std::vector<PipelineTaskRecord>& tasks,
                                   std::int64_t now_ms) {
  Transaction t(db_);
  db_.prepare(
         "INSERT INTO pipelines (name, document, state, cancel_requested, submitted_at) "
         "VALUES (?, ?, 'running', 0, ?) ON CONFLICT(name) DO UPDATE SET document = "
         "excluded.document, state = 'running', cancel_requested = 0, submitted_at = "
         "excluded.submitted_at, finished_at = NULL, error = NULL")
      .bind(1, name)
      .bind(2, document)
      .bind(3, now_ms)
      .run();
  const std::int64_t id = pipeline_id(name);
  db_.prepare("DELETE FROM pipeline_tasks WHERE pipeline_id = ?").bind(1, id).run();
  db_.prepare("DELETE FROM pipeline_edges WHERE pipeline_id = ?").bind(1, id).run();
  auto insert = db_.prepare(
      "INSERT INTO pipeline_tasks (pipeline_id, position, name, kind, resource, needs, key, "
      "state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    const auto& task = tasks[i];
    insert.bind(1, id)
        .bind(2, static_cast<std::int64_t>(i))
        .bind(3, task.name)
        .bind(4, task.kind)
        .bind(5, task.resource)
        .bind(6, json(task.needs).dump())
        .bind(7, task.key)
        .bind(8, task.state)
        .run();
  }
  t.commit();
}

void PipelineStore::update_task(const std::string& pipeline, const PipelineTaskRecord& task) {
  auto st = db_.prepare(
      "UPDATE pipeline_tasks SET state = ?, job_id = COALESCE(NULLIF(?, ''), job_id), "
      "output_sha256 = COALESCE(NULLIF(?, ''), output_sha256), error = NULLIF(?, ''), "
      "queued_at = COALESCE(?, queued_at), started_at = COALESCE(?, started_at), "
      "finished_at = COALESCE(?, finished_at) WHERE pipeline_id = ? AND name = ?");
  st.bind(1, task.state)
      .bind(2, task.job_id)
      .bind(3, task.output_sha256)
      .bind(4, task.error)
      .bind(5, task.queued_at)
      .bind(6, task.started_at)
      .bind(7, task.finished_at)
      .bind(8, pipeline_id(pipeline))
      .bind(9, task.name)
      .run();
  if (db_.changes() == 0)
    throw NotFound("pipeline \"" + pipeline + "\" has no task \"" + task.name + "\"");
}

void PipelineStore::record_output(const std::string& pipeline, const PipelineTaskRecord& task,
                                  const std::vector<ArtifactUse>& used, std::int64_t now_ms) {
  Transaction t(db_);
  const std::int64_t id = pipeline_id(pipeline);
  db_.prepare(
         "INSERT INTO task_outputs (key, kind, output_sha256, job_id, created_at) VALUES (?, ?, "
         "?, ?, ?) ON CONFLICT(key) DO UPDATE SET output_sha256 = excluded.output_sha256, "
         "job_id = COALESCE(NULLIF(excluded.job_id, ''), task_outputs.job_id), "
         "created_at = excluded.created_at")
      .bind(1, task.key)
      .bind(2, task.kind)
      .bind(3, task.output_sha256)
      .bind(4, task.job_id)
      .bind(5, now_ms)
      .run();
  for (const auto& use : used) insert_edge(db_, id, task.name, "used", use);
  insert_edge(db_, id, task.name, "wasGeneratedBy", {task.output_sha256, "output"});
  t.commit();
}

std::map<std::string, std::string> PipelineStore::stored_outputs(
    const std::vector<std::string>& keys) {
  std::map<std::string, std::string> found;
  auto st = db_.prepare("SELECT output_sha256 FROM task_outputs WHERE key = ?");
  for (const auto& key : keys) {
    st.bind(1, key);
    if (st.step()) found[key] = st.text(0);
    st.reset();
  }
  return found;
}

void PipelineStore::forget_output(const std::string& key) {
  db_.prepare("DELETE FROM task_outputs WHERE key = ?").bind(1, key).run();
}

void PipelineStore::end_pipeline(const std::string& name, const std::string& state,
                                 std::int64_t now_ms) {
  db_.prepare("UPDATE pipelines SET state = ?, finished_at = ? WHERE name = ?")
      .bind(1, state)
      .bind(2, now_ms)
      .bind(3, name)
      .run();
}

void PipelineStore::fail_driver(const std::string& name, const std::string& document,
                                const std::string& error, std::int64_t now_ms) {
  db_.prepare(
         "INSERT INTO pipelines (name, document, state, cancel_requested, submitted_at, "
         "finished_at, error) VALUES (?, ?, 'failed', 0, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
         "state = 'failed', finished_at = excluded.finished_at, error = excluded.error")
      .bind(1, name)
      .bind(2, document)
      .bind(3, now_ms)
      .bind(4, now_ms)
      .bind(5, error)
      .run();
}

bool PipelineStore::request_cancel(const std::string& name) {
  db_.prepare("UPDATE pipelines SET cancel_requested = 1 WHERE name = ?").bind(1, name).run();
  return db_.changes() > 0;
}

bool PipelineStore::cancel_requested(const std::string& name) {
  auto st = db_.prepare("SELECT cancel_requested FROM pipelines WHERE name = ?");
  st.bind(1, name);
  return st.step() && st.integer(0) != 0;
}

PipelineView pipeline_view(SqliteDb& db, const std::string& name) {
  auto p = db.prepare(
      "SELECT id, document, state, submitted_at, finished_at, COALESCE(error, '') FROM pipelines "
      "WHERE name = ?");
  p.bind(1, name);
  if (!p.step()) throw NotFound("pipeline \"" + name + "\" has not been run");
  PipelineView view;
  const std::int64_t id = p.integer(0);
  view.name = name;
  view.document = p.text(1);
  view.state = p.text(2);
  view.submitted_at = p.integer(3);
  view.finished_at = optional_integer(p, 4);
  view.error = p.text(5);
  auto t = db.prepare(
      "SELECT t.name, t.kind, t.resource, t.needs, t.key, t.state, COALESCE(t.job_id, ''), "
      "COALESCE(t.output_sha256, ''), COALESCE(t.error, ''), t.queued_at, t.started_at, "
      "t.finished_at, (SELECT MAX(r.id) FROM runs r WHERE r.job_id = t.job_id), "
      "COALESCE(o.job_id, ''), (SELECT MAX(r.id) FROM runs r WHERE r.job_id = o.job_id) "
      "FROM pipeline_tasks t LEFT JOIN task_outputs o ON t.state = 'cached' AND o.key = t.key "
      "WHERE t.pipeline_id = ? ORDER BY t.position");
  t.bind(1, id);
  while (t.step()) {
    view.tasks.push_back({t.text(0), t.text(1), t.text(2), needs_of(t.text(3)), t.text(4),
                          t.text(5), t.text(6), t.text(7), t.text(8), optional_integer(t, 9),
                          optional_integer(t, 10), optional_integer(t, 11), optional_integer(t, 12),
                          t.text(13), optional_integer(t, 14)});
  }
  auto e = db.prepare(
      "SELECT task, relation, artifact_sha256, role FROM pipeline_edges WHERE pipeline_id = ? "
      "ORDER BY task, relation, role");
  e.bind(1, id);
  while (e.step()) {
    auto& list = e.text(1) == "used" ? view.used : view.generated;
    list.push_back({e.text(0), ArtifactUse{e.text(2), e.text(3)}});
  }
  return view;
}

std::vector<std::pair<std::string, std::string>> list_pipelines(SqliteDb& db) {
  std::vector<std::pair<std::string, std::string>> out;
  auto st = db.prepare("SELECT name, state FROM pipelines ORDER BY submitted_at DESC, id DESC");
  while (st.step()) out.emplace_back(st.text(0), st.text(1));
  return out;
}

std::vector<PipelineSummary> pipeline_summaries(SqliteDb& db, int limit) {
  std::vector<PipelineSummary> out;
  auto p = db.prepare(
      "SELECT id, name, state, submitted_at, finished_at FROM pipelines "
      "ORDER BY submitted_at DESC, id DESC LIMIT ?");
  p.bind(1, static_cast<std::int64_t>(limit));
  auto counts =
      db.prepare("SELECT state, COUNT(*) FROM pipeline_tasks WHERE pipeline_id = ? GROUP BY state");
  while (p.step()) {
    PipelineSummary summary{p.text(1), p.text(2), p.integer(3), optional_integer(p, 4), {}};
    counts.bind(1, p.integer(0));
    while (counts.step())
      summary.tasks_by_state[counts.text(0)] = static_cast<int>(counts.integer(1));
    counts.reset();
    out.push_back(std::move(summary));
  }
  return out;
}

}  // namespace dlaaw::tracker
