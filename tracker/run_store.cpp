// run_store.cpp - idempotent writes of runs, metrics, losses, timings and artifacts.
#include "tracker/run_store.h"

#include <unistd.h>

#include <chrono>
#include <cmath>

#include "common/errors.h"
#include "datasets/sha256.h"
#include "nnworkflow/workflow_json.h"
#include "queue/job_state.h"
#include "results/device_json.h"
#include "tracker/schema.h"

namespace dlaaw::tracker {
namespace {

using nlohmann::json;
using queue::JobState;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string this_host() {
  char host[256] = "";
  gethostname(host, sizeof host - 1);
  return host;
}

std::string state_name(JobState s) { return std::string(queue::job_state_name(s)); }

// "'finished','error','cancelled','lost'": the states that end an attempt, from queue/job_state.h.
std::string attempt_end_states_sql() {
  std::string out;
  for (const auto s : queue::attempt_end_states())
    out += (out.empty() ? "'" : ",'") + state_name(s) + "'";
  return out;
}

void put_metrics(SqliteDb& db, std::int64_t run, int fold, const results::MetricSummary& m) {
  auto st =
      db.prepare("INSERT OR REPLACE INTO metrics (run_id, fold, name, value) VALUES (?, ?, ?, ?)");
  const std::pair<const char*, const std::optional<double>*> values[] = {
      {"accuracy", &m.accuracy},
      {"precision", &m.precision},
      {"recall", &m.recall},
      {"f1", &m.f1},
      {"auc", &m.auc}};
  for (const auto& [name, value] : values)
    st.bind(1, run).bind(2, fold).bind(3, name).bind(4, *value).run();
}

}  // namespace

RunStore::RunStore(SqliteDb& db) : db_(db) { migrate(db_); }

std::int64_t RunStore::experiment_id(const std::string& name) {
  db_.prepare("INSERT OR IGNORE INTO experiments (name, created_at) VALUES (?, ?)")
      .bind(1, name)
      .bind(2, now_ms())
      .run();
  auto st = db_.prepare("SELECT id FROM experiments WHERE name = ?");
  st.bind(1, name);
  st.step();
  return st.integer(0);
}

std::int64_t RunStore::ensure_run(const std::string& job_id, int attempt) {
  db_.prepare("INSERT OR IGNORE INTO runs (job_id, attempt, state) VALUES (?, ?, ?)")
      .bind(1, job_id)
      .bind(2, attempt)
      .bind(3, state_name(JobState::Executing))
      .run();
  auto st = db_.prepare("SELECT id FROM runs WHERE job_id = ? AND attempt = ?");
  st.bind(1, job_id).bind(2, attempt);
  st.step();
  return st.integer(0);
}

bool RunStore::apply_event(const queue::JobEvent& event, const ArtifactReader& read_artifact,
                           std::string* warning) {
  const queue::EventHeader& h = queue::header_of(event);
  if (!h.run) return false;  // a pipeline task's output: the pipeline store has it, no run does
  // A result is decoded (its predictions fetched) before anything is written, so that a bad one
  // changes nothing.
  std::optional<results::RunResult> result;
  if (const auto* r = std::get_if<queue::ResultEvent>(&event)) {
    result = results::run_result_from_text(r->result);
    if (const auto& artifact = result->predictions_artifact) {
      try {
        if (!read_artifact)
          throw InvalidInput("result.predictions_artifact: no artifact store to read it from");
        results::attach_predictions(*result, read_artifact(artifact->sha256));
      } catch (const ServiceUnavailable&) {
        throw;  // Redis is away: the event comes again
      } catch (const std::exception& e) {
        // The metrics and the model are sound: losing them with the predictions would leave the
        // run executing forever.
        if (warning) *warning = std::string("run stored without its predictions: ") + e.what();
        result->predictions_artifact.reset();
      }
    }
  }
  db_.prepare("INSERT OR IGNORE INTO ingested_events (job_id, attempt, seq) VALUES (?, ?, ?)")
      .bind(1, h.job)
      .bind(2, h.attempt)
      .bind(3, h.seq)
      .run();
  if (db_.changes() == 0) return false;

  const std::int64_t run = ensure_run(h.job, h.attempt);
  if (const auto* p = std::get_if<queue::ProgressEvent>(&event)) {
    apply_progress(run, *p);
  } else if (const auto* s = std::get_if<queue::StateEvent>(&event)) {
    apply_state(run, *s);
  } else {
    write_result(run, *result);
    db_.prepare("UPDATE runs SET state = ?, finished_at = ?, executor = ? WHERE id = ?")
        .bind(1, state_name(JobState::Finished))
        .bind(2, h.time_ms)
        .bind(3, h.executor)
        .bind(4, run)
        .run();
  }
  return true;
}

void RunStore::apply_progress(std::int64_t run, const queue::ProgressEvent& e) {
  if (!std::isfinite(e.loss)) return;  // a diverged epoch has no loss to draw
  db_.prepare("INSERT OR IGNORE INTO losses (run_id, fold, epoch, loss) VALUES (?, ?, ?, ?)")
      .bind(1, run)
      .bind(2, e.fold)
      .bind(3, e.epoch)
      .bind(4, e.loss)
      .run();
}

void RunStore::apply_state(std::int64_t run, const queue::StateEvent& e) {
  const queue::EventHeader& h = e.header;
  if (!e.experiment.empty()) {
    db_.prepare("UPDATE runs SET experiment_id = ? WHERE id = ?")
        .bind(1, experiment_id(e.experiment))
        .bind(2, run)
        .run();
  }
  if (e.state == JobState::Executing) {
    // An attempt that has ended (its events may arrive out of order) stays ended.
    db_.prepare("UPDATE runs SET state = CASE WHEN state IN (" + attempt_end_states_sql() +
                ") THEN state ELSE ? END, started_at = ?, executor = ?, backend = ?, "
                "queued_at = ? WHERE id = ?")
        .bind(1, state_name(JobState::Executing))
        .bind(2, h.time_ms)
        .bind(3, h.executor)
        .bind(4, e.backend)
        .bind(5, e.queued_at_ms)
        .bind(6, run)
        .run();
    // A new attempt means the earlier ones will never report again.
    db_.prepare(
           "UPDATE runs SET state = ?, finished_at = ? WHERE job_id = ? AND attempt < ? AND "
           "state = ?")
        .bind(1, state_name(JobState::Lost))
        .bind(2, h.time_ms)
        .bind(3, h.job)
        .bind(4, h.attempt)
        .bind(5, state_name(JobState::Executing))
        .run();
  } else if (queue::ends_attempt(e.state)) {
    db_.prepare("UPDATE runs SET state = ?, finished_at = ?, error = ? WHERE id = ? AND state <> ?")
        .bind(1, state_name(e.state))
        .bind(2, h.time_ms)
        .bind(3, e.error)
        .bind(4, run)
        .bind(5, state_name(JobState::Finished))
        .run();
  }
}

void RunStore::write_result(std::int64_t run, const results::RunResult& r) {
  const std::string document = nnworkflow::workflow_to_json(r.workflow).dump();
  const bool kfold = r.workflow.plan.type == nnworkflow::PlanType::KFold;
  const json plan = {{"type", kfold ? "kfold" : "train_test"}, {"folds", r.folds.size()}};
  db_.prepare(
         "UPDATE runs SET workflow_name = ?, document = ?, document_sha256 = ?, dataset = ?, "
         "dataset_file = ?, dataset_sha256 = ?, rows_read = ?, rows_dropped = ?, resource = ?, "
         "backend = ?, device = ?, host = ?, code_version = ?, seed = ?, plan = ?, accuracy = ?, "
         "train_ms = ?, energy_j = ?, energy_source = ?, power_mode = ? WHERE id = ?")
      .bind(1, r.workflow.name)
      .bind(2, document)
      .bind(3, datasets::sha256_hex(document))
      .bind(4, r.dataset.name)
      .bind(5, r.dataset.file)
      .bind(6, r.dataset.sha256)
      .bind(7, static_cast<std::int64_t>(r.dataset.rows_read))
      .bind(8, static_cast<std::int64_t>(r.dataset.rows_dropped))
      .bind(9, r.executor ? r.executor->resource : std::string("local"))  // in-process: dlaaw run
      .bind(10, r.backend)
      .bind(11, results::device_to_json(r.device).dump())
      .bind(12, r.executor ? r.executor->host : this_host())
      .bind(13, r.code_version)
      .bind(14, static_cast<std::int64_t>(r.workflow.training.effective_seed()))
      .bind(15, plan.dump())
      .bind(16, r.metrics.accuracy)
      .bind(17, r.timings.train)
      .bind(18, r.energy ? std::optional(r.energy->joules) : std::nullopt)
      .bind(19, r.energy ? std::optional(r.energy->source) : std::nullopt)
      .bind(20, r.energy && !r.energy->power_mode.empty() ? std::optional(r.energy->power_mode)
                                                          : std::nullopt)
      .bind(21, run)
      .run();
  write_folds(run, r);
  put_metrics(db_, run, -1, r.metrics);
  if (r.metrics_std) put_metrics(db_, run, -2, *r.metrics_std);
  auto timing = db_.prepare("INSERT OR REPLACE INTO timings (run_id, name, ms) VALUES (?, ?, ?)");
  const json timings = results::timings_to_json(r.timings);
  for (const auto& [name, ms] : timings.items())
    timing.bind(1, run).bind(2, name).bind(3, ms.get<double>()).run();
}

void RunStore::write_folds(std::int64_t run, const results::RunResult& r) {
  auto loss =
      db_.prepare("INSERT OR REPLACE INTO losses (run_id, fold, epoch, loss) VALUES (?, ?, ?, ?)");
  json models = json::array(), predictions = json::array();
  for (const auto& f : r.folds) {
    put_metrics(db_, run, f.fold, results::summary_of(f.metrics));
    for (std::size_t epoch = 0; epoch < f.loss.size(); ++epoch) {
      if (std::isfinite(f.loss[epoch]))
        loss.bind(1, run)
            .bind(2, f.fold)
            .bind(3, static_cast<std::int64_t>(epoch + 1))
            .bind(4, f.loss[epoch])
            .run();
    }
    models.push_back(results::trained_model_to_json(f.model));
    predictions.push_back(results::predictions_to_json(f.predictions));
  }
  auto artifact =
      db_.prepare("INSERT OR REPLACE INTO artifacts (run_id, name, content) VALUES (?, ?, ?)");
  artifact.bind(1, run).bind(2, "model").bind(3, models.dump()).run();
  artifact.bind(1, run).bind(2, "predictions").bind(3, predictions.dump()).run();
}

std::int64_t RunStore::record_result(const std::string& job_id, int attempt,
                                     const results::RunResult& result,
                                     const std::optional<std::string>& experiment) {
  Transaction t(db_);
  const std::int64_t run = ensure_run(job_id, attempt);
  write_result(run, result);
  const std::int64_t now = now_ms();
  db_.prepare(
         "UPDATE runs SET state = ?, started_at = ?, finished_at = ?, executor = 'local' "
         "WHERE id = ?")
      .bind(1, state_name(JobState::Finished))
      .bind(2, now - static_cast<std::int64_t>(result.timings.total))
      .bind(3, now)
      .bind(4, run)
      .run();
  if (experiment)
    db_.prepare("UPDATE runs SET experiment_id = ? WHERE id = ?")
        .bind(1, experiment_id(*experiment))
        .bind(2, run)
        .run();
  t.commit();
  return run;
}

}  // namespace dlaaw::tracker
