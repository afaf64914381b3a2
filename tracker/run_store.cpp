// run_store.cpp - idempotent writes of runs, metrics, losses, timings and artifacts.
#include "tracker/run_store.h"

#include <unistd.h>

#include <chrono>

#include "common/errors.h"
#include "datasets/sha256.h"
#include "tracker/schema.h"

namespace dlaaw::tracker {
namespace {

using nlohmann::json;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string field(const EventFields& e, const std::string& key) {
  auto it = e.find(key);
  return it == e.end() ? "" : it->second;
}

std::optional<std::int64_t> number_field(const EventFields& e, const std::string& key) {
  const std::string v = field(e, key);
  if (v.empty()) return std::nullopt;
  try {
    return std::stoll(v);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string this_host() {
  char host[256] = "";
  gethostname(host, sizeof host - 1);
  return host;
}

bool is_terminal(const std::string& state) {
  return state == "finished" || state == "error" || state == "cancelled" || state == "lost";
}

void put_metrics(SqliteDb& db, std::int64_t run, int fold, const json& metrics) {
  auto st =
      db.prepare("INSERT OR REPLACE INTO metrics (run_id, fold, name, value) VALUES (?, ?, ?, ?)");
  for (const char* name : {"accuracy", "precision", "recall", "f1", "auc"}) {
    if (!metrics.contains(name)) continue;
    st.bind(1, run).bind(2, fold).bind(3, name);
    if (metrics[name].is_number()) {
      st.bind(4, metrics[name].get<double>());
    } else {
      st.bind_null(4);
    }
    st.run();
  }
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
  db_.prepare("INSERT OR IGNORE INTO runs (job_id, attempt, state) VALUES (?, ?, 'executing')")
      .bind(1, job_id)
      .bind(2, attempt)
      .run();
  auto st = db_.prepare("SELECT id FROM runs WHERE job_id = ? AND attempt = ?");
  st.bind(1, job_id).bind(2, attempt);
  st.step();
  return st.integer(0);
}

bool RunStore::apply_event(const EventFields& e) {
  const std::string job = field(e, "job");
  const auto attempt = number_field(e, "attempt");
  if (job.empty() || !attempt) throw InvalidInput("event without job or attempt");
  const std::string seq = field(e, "seq");
  db_.prepare("INSERT OR IGNORE INTO ingested_events (job_id, attempt, seq) VALUES (?, ?, ?)")
      .bind(1, job)
      .bind(2, *attempt)
      .bind(3, seq)
      .run();
  if (db_.changes() == 0) return false;

  const std::int64_t run = ensure_run(job, static_cast<int>(*attempt));
  const std::string type = field(e, "type");
  const auto time = number_field(e, "time");
  if (!field(e, "experiment").empty()) {
    db_.prepare("UPDATE runs SET experiment_id = ? WHERE id = ?")
        .bind(1, experiment_id(field(e, "experiment")))
        .bind(2, run)
        .run();
  }
  if (type == "progress") {
    db_.prepare("INSERT OR IGNORE INTO losses (run_id, fold, epoch, loss) VALUES (?, ?, ?, ?)")
        .bind(1, run)
        .bind(2, number_field(e, "fold").value_or(0))
        .bind(3, number_field(e, "epoch").value_or(0))
        .bind(4, std::stod(field(e, "loss").empty() ? "0" : field(e, "loss")))
        .run();
    return true;
  }
  const std::string state = field(e, "state");
  if (state == "executing") {
    db_.prepare(
           "UPDATE runs SET state = CASE WHEN state IN ('finished','error','cancelled','lost') "
           "THEN state "
           "ELSE 'executing' END, started_at = ?, executor = ?, backend = ?, queued_at = ? WHERE "
           "id = ?")
        .bind(1, time)
        .bind(2, field(e, "executor"))
        .bind(3, field(e, "backend"))
        .bind(4, number_field(e, "queued_at"))
        .bind(5, run)
        .run();
    // A new attempt means the earlier ones will never report again.
    db_.prepare(
           "UPDATE runs SET state = 'lost', finished_at = ? WHERE job_id = ? AND attempt < ? AND "
           "state = 'executing'")
        .bind(1, time)
        .bind(2, job)
        .bind(3, *attempt)
        .run();
  } else if (type == "result") {
    write_result(run, json::parse(field(e, "result")));
    db_.prepare("UPDATE runs SET state = 'finished', finished_at = ?, executor = ? WHERE id = ?")
        .bind(1, time)
        .bind(2, field(e, "executor"))
        .bind(3, run)
        .run();
  } else if (is_terminal(state)) {
    db_.prepare(
           "UPDATE runs SET state = ?, finished_at = ?, error = ? WHERE id = ? AND state <> "
           "'finished'")
        .bind(1, state)
        .bind(2, time)
        .bind(3, field(e, "error"))
        .bind(4, run)
        .run();
  }
  return true;
}

void RunStore::write_result(std::int64_t run, const json& r) {
  const json& ds = r["dataset"];
  const std::string document = r["workflow"].dump();
  const json& training = r["workflow"]["training"];
  db_.prepare(
         "UPDATE runs SET workflow_name = ?, document = ?, document_sha256 = ?, dataset = ?, "
         "dataset_file = ?, dataset_sha256 = ?, rows_read = ?, rows_dropped = ?, resource = ?, "
         "backend = ?, device = ?, host = ?, code_version = ?, seed = ?, plan = ? WHERE id = ?")
      .bind(1, r["workflow"]["name"].get<std::string>())
      .bind(2, document)
      .bind(3, datasets::sha256_hex(document))
      .bind(4, ds["name"].get<std::string>())
      .bind(5, ds["file"].get<std::string>())
      .bind(6, ds["sha256"].get<std::string>())
      .bind(7, ds["rows_read"].get<std::int64_t>())
      .bind(8, ds["rows_dropped"].get<std::int64_t>())
      .bind(9, r.contains("executor") ? r["executor"]["resource"].get<std::string>()
                                      : std::string("local"))  // in-process (`dlaaw run`)
      .bind(10, r["backend"].get<std::string>())
      .bind(11, r["device"].dump())
      .bind(12, r.contains("executor") ? r["executor"]["host"].get<std::string>() : this_host())
      .bind(13, r.value("code_version", std::string()))
      .bind(14, static_cast<std::int64_t>(training.value("seed", std::uint64_t{1})))
      .bind(15, r["plan"].dump())
      .bind(16, run)
      .run();
  const json& folds = r["folds"];
  for (const auto& f : folds) {
    const int fold = f["fold"].get<int>();
    put_metrics(db_, run, fold, f["metrics"]);
    auto loss = db_.prepare(
        "INSERT OR REPLACE INTO losses (run_id, fold, epoch, loss) VALUES (?, ?, ?, ?)");
    int epoch = 0;
    for (const auto& l : f["loss"])
      loss.bind(1, run).bind(2, fold).bind(3, ++epoch).bind(4, l.get<double>()).run();
  }
  put_metrics(db_, run, -1, r["metrics"]);
  db_.prepare("UPDATE runs SET accuracy = ?, train_ms = ? WHERE id = ?")
      .bind(1, r["metrics"]["accuracy"].is_number() ? std::optional(r["metrics"]["accuracy"].get<double>()) : std::nullopt)
      .bind(2, r["timings_ms"]["train"].get<double>())
      .bind(3, run)
      .run();
  if (r.contains("metrics_std")) put_metrics(db_, run, -2, r["metrics_std"]);
  auto timing = db_.prepare("INSERT OR REPLACE INTO timings (run_id, name, ms) VALUES (?, ?, ?)");
  for (const auto& [name, ms] : r["timings_ms"].items())
    timing.bind(1, run).bind(2, name).bind(3, ms.get<double>()).run();
  json models = json::array(), predictions = json::array();
  for (const auto& f : folds) {
    models.push_back(f["model"]);
    predictions.push_back(f["predictions"]);
  }
  auto artifact =
      db_.prepare("INSERT OR REPLACE INTO artifacts (run_id, name, content) VALUES (?, ?, ?)");
  artifact.bind(1, run).bind(2, "model").bind(3, models.dump()).run();
  artifact.bind(1, run).bind(2, "predictions").bind(3, predictions.dump()).run();
}

std::int64_t RunStore::record_result(const std::string& job_id, int attempt, const json& result,
                                     const std::optional<std::string>& experiment) {
  Transaction t(db_);
  const std::int64_t run = ensure_run(job_id, attempt);
  write_result(run, result);
  const std::int64_t now = now_ms();
  db_.prepare(
         "UPDATE runs SET state = 'finished', started_at = ?, finished_at = ?, executor = 'local' "
         "WHERE id = ?")
      .bind(1, now - static_cast<std::int64_t>(result["timings_ms"]["total"].get<double>()))
      .bind(2, now)
      .bind(3, run)
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
