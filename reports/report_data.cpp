// report_data.cpp - gathering report data; SQL through the tracker's bound-parameter queries.
#include "reports/report_data.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "common/errors.h"
#include "queue/event_stream.h"
#include "queue/executor_registry.h"
#include "queue/job_keys.h"
#include "queue/job_queue.h"

namespace dlaaw::reports {
namespace {

using nlohmann::json;

std::pair<double, double> mean_std(const std::vector<double>& v) {
  if (v.empty()) return {NAN, NAN};
  double m = 0;
  for (double x : v) m += x;
  m /= v.size();
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  return {m, v.size() > 1 ? std::sqrt(ss / (v.size() - 1)) : 0.0};
}

json nan_to_null(double v) { return std::isnan(v) ? json(nullptr) : json(v); }

}  // namespace

json live_state(queue::RedisClient* redis) {
  if (!redis) return {{"redis", false}};
  queue::JobQueue jobs(*redis);
  json state = {{"redis", true},
                {"depths", jobs.depths()},
                {"executors", json::array()},
                {"running", json::array()}};
  for (const auto& e : queue::live_executors(*redis)) {
    json row(e);
    if (e.count("device")) row["device"] = json::parse(e.at("device"));
    state["executors"].push_back(row);
  }
  // Latest progress per executing job, from the newest events.
  std::map<std::string, json> progress;
  for (auto& event : queue::stream_events(
           redis->command({"XREVRANGE", queue::keys::kEvents, "+", "-", "COUNT", "2000"}))) {
    auto& f = event.fields;
    if (f["type"] == "progress" && !progress.count(f["job"])) {
      progress[f["job"]] = {{"epoch", std::stoi(f["epoch"])},
                            {"epochs", std::stoi(f["epochs"])},
                            {"fold", std::stoi(f["fold"])},
                            {"folds", std::stoi(f["folds"])},
                            {"loss", std::stod(f["loss"])}};
    }
  }
  for (const auto& id : redis->command({"SMEMBERS", queue::keys::kRunningJobs}).elements) {
    auto job = jobs.job(id.text);
    json row = {{"id", id.text},
                {"name", job["name"]},
                {"executor", job["executor"]},
                {"attempt", job["attempts"]},
                {"resource", job["resource"]}};
    if (progress.count(id.text)) row["progress"] = progress[id.text];
    state["running"].push_back(row);
  }
  return state;
}

std::pair<json, std::vector<std::int64_t>> experiment_runs(tracker::SqliteDb& db,
                                                           const std::string& name_or_id) {
  auto st = db.prepare(
      "SELECT id, name, created_at FROM experiments WHERE name = ? OR CAST(id AS TEXT) = ?");
  st.bind(1, name_or_id).bind(2, name_or_id);
  if (!st.step()) throw InvalidInput("experiment " + name_or_id + ": no such experiment");
  const json experiment = {
      {"id", st.integer(0)}, {"name", st.text(1)}, {"created_at", st.integer(2)}};
  std::vector<std::int64_t> ids;
  auto runs = db.prepare("SELECT id FROM runs WHERE experiment_id = ? ORDER BY id");
  runs.bind(1, st.integer(0));
  while (runs.step()) ids.push_back(runs.integer(0));
  return {experiment, ids};
}

json comparison(tracker::SqliteDb& db, const std::vector<std::int64_t>& ids) {
  std::vector<json> runs;
  for (auto id : ids) runs.push_back(tracker::run_record(db, id));
  std::vector<std::string> datasets, series;
  std::map<std::pair<std::string, std::string>, std::vector<double>> accuracy, time;
  for (const auto& r : runs) {
    if (r["state"] != "finished") continue;
    const std::string ds = r["dataset"]["name"].get<std::string>();
    const std::string se = r["resource"].get<std::string>() + "/" + r["backend"].get<std::string>();
    if (std::find(datasets.begin(), datasets.end(), ds) == datasets.end()) datasets.push_back(ds);
    if (std::find(series.begin(), series.end(), se) == series.end()) series.push_back(se);
    if (r["metrics"]["mean"].contains("accuracy") && r["metrics"]["mean"]["accuracy"].is_number()) {
      accuracy[{ds, se}].push_back(r["metrics"]["mean"]["accuracy"].get<double>());
    }
    if (r["timings_ms"].contains("train"))
      time[{ds, se}].push_back(r["timings_ms"]["train"].get<double>());
  }
  json table = json::array();
  for (const auto& ds : datasets) {
    for (const auto& se : series) {
      const auto [am, as] = mean_std(accuracy[{ds, se}]);
      const auto [tm, ts] = mean_std(time[{ds, se}]);
      if (accuracy[{ds, se}].empty() && time[{ds, se}].empty()) continue;
      table.push_back({{"dataset", ds},
                       {"series", se},
                       {"runs", time[{ds, se}].size()},
                       {"accuracy_mean", nan_to_null(am)},
                       {"accuracy_std", nan_to_null(as)},
                       {"train_ms_mean", nan_to_null(tm)},
                       {"train_ms_std", nan_to_null(ts)}});
    }
  }
  // The parameter that varies, for the scatter view.
  std::string parameter = "seed";
  for (const char* p : {"learning_rate", "momentum", "epochs", "batches", "batch_size", "seed"}) {
    std::set<std::string> values;
    for (const auto& r : runs) {
      if (r["document"].is_object())
        values.insert(r["document"]["training"].value(p, json(nullptr)).dump());
    }
    if (values.size() > 1) {
      parameter = p;
      break;
    }
  }
  json points = json::array();
  for (const auto& r : runs) {
    if (!r["document"].is_object()) continue;
    const json x = r["document"]["training"].value(parameter, json(nullptr));
    const json y = r["metrics"]["mean"].value("accuracy", json(nullptr));
    if (x.is_number() && y.is_number()) {
      points.push_back({{"run", r["id"]}, {"x", x}, {"y", y}, {"dataset", r["dataset"]["name"]}});
    }
  }
  // Training time against rows, per series, for scaling studies.
  std::map<std::string, std::map<std::int64_t, std::vector<double>>> by_rows;
  for (const auto& r : runs) {
    if (r["state"] != "finished" || !r["dataset"]["rows_read"].is_number() ||
        !r["timings_ms"].contains("train"))
      continue;
    by_rows[r["resource"].get<std::string>() + "/" + r["backend"].get<std::string>()]
           [r["dataset"]["rows_read"].get<std::int64_t>()]
               .push_back(r["timings_ms"]["train"].get<double>());
  }
  json scaling = json::object();
  for (const auto& [series_name, points] : by_rows) {
    if (points.size() < 2) continue;
    for (const auto& [rows, times] : points)
      scaling[series_name].push_back({rows, mean_std(times).first});
  }
  json summary = json::array();
  for (const auto& r : runs) {
    summary.push_back({{"id", r["id"]},
                       {"workflow", r["workflow"]},
                       {"dataset", r["dataset"]["name"]},
                       {"resource", r["resource"]},
                       {"backend", r["backend"]},
                       {"state", r["state"]},
                       {"accuracy", r["metrics"]["mean"].value("accuracy", json(nullptr))},
                       {"train_ms", r["timings_ms"].value("train", json(nullptr))}});
  }
  return {{"datasets", datasets},           {"series", series},  {"table", table},
          {"scatter_parameter", parameter}, {"scatter", points}, {"runs", summary}};
}

std::string prometheus_metrics(tracker::SqliteDb& db, queue::RedisClient* redis) {
  std::string out = "# HELP dlaaw_runs Runs in the tracker by state.\n# TYPE dlaaw_runs gauge\n";
  auto st = db.prepare("SELECT state, COUNT(*) FROM runs GROUP BY state ORDER BY state");
  while (st.step())
    out += "dlaaw_runs{state=\"" + st.text(0) + "\"} " + std::to_string(st.integer(1)) + "\n";
  if (redis) {
    queue::JobQueue jobs(*redis);
    const auto depths = jobs.depths();
    out +=
        "# HELP dlaaw_queue_depth Jobs waiting per resource queue.\n# TYPE dlaaw_queue_depth "
        "gauge\n";
    for (const auto& [k, v] : depths) {
      if (k.rfind("queued:", 0) == 0)
        out += "dlaaw_queue_depth{resource=\"" + k.substr(7) + "\"} " + std::to_string(v) + "\n";
    }
    out +=
        "# HELP dlaaw_jobs_executing Jobs held by executors.\n# TYPE dlaaw_jobs_executing gauge\n";
    out += "dlaaw_jobs_executing " + std::to_string(depths.at("executing")) + "\n";
    out += "# HELP dlaaw_jobs_dead Jobs out of attempts.\n# TYPE dlaaw_jobs_dead gauge\n";
    out += "dlaaw_jobs_dead " + std::to_string(depths.at("dead")) + "\n";
    out += "# HELP dlaaw_executors Live executors.\n# TYPE dlaaw_executors gauge\n";
    out += "dlaaw_executors " + std::to_string(queue::live_executors(*redis).size()) + "\n";
  }
  return out;
}

}  // namespace dlaaw::reports
