// report_data.cpp - gathering report data: SQL through the tracker's queries, live state through
// the queue's API.
#include "reports/report_data.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "common/errors.h"
#include "common/json_parse.h"
#include "common/stats.h"
#include "queue/event_stream.h"
#include "queue/executor_registry.h"
#include "queue/job_queue.h"
#include "queue/job_state.h"
#include "queue/resource_store.h"
#include "queue/sweep_index.h"
#include "results/device_json.h"
#include "tracker/pipeline_store.h"

namespace dlaaw::reports {
namespace {

using nlohmann::json;

json nan_to_null(double v) { return std::isnan(v) ? json(nullptr) : json(v); }

// Every queue a job can be put on; a registry Redis cannot give (a bad stored resource) falls
// back to the built-ins, so that the dashboard still shows the queue.
std::vector<std::string> queue_names(queue::RedisClient& redis) {
  try {
    return queue::load_registry(redis, "").queue_names();
  } catch (const InvalidInput&) {
    return resources::ResourceRegistry().queue_names();
  }
}

json executor_row(const queue::ExecutorInfo& e) {
  json row = {{"id", e.id},
              {"host", e.host},
              {"resource", e.resource},
              {"backend", e.backend},
              {"pid", e.pid},
              {"concurrency", e.concurrency},
              {"last_heartbeat", e.last_heartbeat_ms}};
  try {
    row["device"] = results::device_to_json(
        results::device_from_json(parse_json(e.device, "device"), "device"));
  } catch (const std::exception&) {
    row["device"] = nullptr;  // what Redis holds is untrusted: an odd device shows as unknown
  }
  return row;
}

// The train/test and k-fold runs of one comparison, grouped by (dataset, series).
struct Groups {
  std::vector<std::string> datasets, series;
  std::map<std::pair<std::string, std::string>, std::vector<double>> accuracy, time, energy;
};

std::string series_of(const json& r) {
  return r["resource"].get<std::string>() + "/" + r["backend"].get<std::string>();
}

double energy_of(const json& r) {
  return r["energy"].is_object() ? r["energy"]["joules"].get<double>() : NAN;
}

Groups group_runs(const std::vector<json>& runs) {
  Groups g;
  for (const auto& r : runs) {
    if (r["state"] != "finished") continue;
    const std::string ds = r["dataset"]["name"].get<std::string>();
    const std::string se = series_of(r);
    if (std::find(g.datasets.begin(), g.datasets.end(), ds) == g.datasets.end())
      g.datasets.push_back(ds);
    if (std::find(g.series.begin(), g.series.end(), se) == g.series.end()) g.series.push_back(se);
    const json& accuracy = r["metrics"]["mean"].value("accuracy", json(nullptr));
    if (accuracy.is_number()) g.accuracy[{ds, se}].push_back(accuracy.get<double>());
    if (r["timings_ms"].contains("train"))
      g.time[{ds, se}].push_back(r["timings_ms"]["train"].get<double>());
    if (const double j = energy_of(r); !std::isnan(j)) g.energy[{ds, se}].push_back(j);
  }
  return g;
}

json summary_table(Groups& g) {
  json table = json::array();
  for (const auto& ds : g.datasets) {
    for (const auto& se : g.series) {
      if (g.accuracy[{ds, se}].empty() && g.time[{ds, se}].empty()) continue;
      const MeanStd a = mean_std(g.accuracy[{ds, se}]);
      const MeanStd t = mean_std(g.time[{ds, se}]);
      const MeanStd e = mean_std(g.energy[{ds, se}]);
      table.push_back({{"dataset", ds},
                       {"series", se},
                       {"runs", g.time[{ds, se}].size()},
                       {"accuracy_mean", nan_to_null(a.mean)},
                       {"accuracy_std", nan_to_null(a.std)},
                       {"train_ms_mean", nan_to_null(t.mean)},
                       {"train_ms_std", nan_to_null(t.std)},
                       {"energy_runs", g.energy[{ds, se}].size()},
                       {"energy_j_mean", nan_to_null(e.mean)},
                       {"energy_j_std", nan_to_null(e.std)}});
    }
  }
  return table;
}

// Every run_quantities() value of run `r` that it has.
json quantities_of(const json& r) {
  json v = json::object();
  const auto put = [&](const char* name, const json& value) {
    if (value.is_number()) v[name] = value;
  };
  put("train_ms", r["timings_ms"].value("train", json(nullptr)));
  put("energy_j", nan_to_null(energy_of(r)));
  for (const char* m : {"accuracy", "auc", "f1", "precision", "recall"})
    put(m, r["metrics"]["mean"].value(m, json(nullptr)));
  if (r["document"].is_object() && r["document"]["training"].is_object()) {
    for (const char* p : {"learning_rate", "momentum", "epochs", "batches"})
      put(p, r["document"]["training"].value(p, json(nullptr)));
  }
  put("seed", r["seed"]);
  put("rows", r["dataset"]["rows_read"]);
  return v;
}

json run_points(const std::vector<json>& runs) {
  json points = json::array();
  for (const auto& r : runs) {
    points.push_back({{"run", r["id"]},
                      {"series", series_of(r)},
                      {"dataset", r["dataset"]["name"]},
                      {"state", r["state"]},
                      {"values", quantities_of(r)}});
  }
  return points;
}

// Training time against rows, per series, for scaling studies.
json scaling_lines(const std::vector<json>& runs) {
  std::map<std::string, std::map<std::int64_t, std::vector<double>>> by_rows;
  for (const auto& r : runs) {
    if (r["state"] != "finished" || !r["dataset"]["rows_read"].is_number() ||
        !r["timings_ms"].contains("train"))
      continue;
    by_rows[series_of(r)][r["dataset"]["rows_read"].get<std::int64_t>()].push_back(
        r["timings_ms"]["train"].get<double>());
  }
  json scaling = json::object();
  for (const auto& [series_name, points] : by_rows) {
    if (points.size() < 2) continue;
    for (const auto& [rows, times] : points)
      scaling[series_name].push_back({rows, mean_std(times).mean});
  }
  return scaling;
}

json run_summaries(const std::vector<json>& runs) {
  json summary = json::array();
  for (const auto& r : runs) {
    summary.push_back({{"id", r["id"]},
                       {"experiment", r["experiment"]},
                       {"workflow", r["workflow"]},
                       {"dataset", r["dataset"]["name"]},
                       {"resource", r["resource"]},
                       {"backend", r["backend"]},
                       {"state", r["state"]},
                       {"accuracy", r["metrics"]["mean"].value("accuracy", json(nullptr))},
                       {"train_ms", r["timings_ms"].value("train", json(nullptr))},
                       {"energy_j", nan_to_null(energy_of(r))},
                       {"tags", r["tags"]},
                       {"note", r["note"]}});
  }
  return summary;
}

// The mean loss curves of the first kMaxLossCurves runs, thinned to at most 300 points each.
json loss_curves(tracker::SqliteDb& db, const std::vector<json>& runs) {
  json curves = json::array();
  for (std::size_t i = 0; i < runs.size() && i < kMaxLossCurves; ++i) {
    const json curve = tracker::mean_loss_curve(db, runs[i]["id"].get<std::int64_t>());
    if (curve.empty()) continue;
    json thinned = json::array();
    const std::size_t step = std::max<std::size_t>(1, curve.size() / 300);
    for (std::size_t k = 0; k < curve.size(); k += step) thinned.push_back(curve[k]);
    if ((curve.size() - 1) % step != 0) thinned.push_back(curve.back());  // keep the last epoch
    curves.push_back(
        {{"run", runs[i]["id"]},
         {"label", "run " + runs[i]["id"].dump() + " " +
                       runs[i]["dataset"]["name"].get<std::string>() + " " + series_of(runs[i])},
         {"points", thinned}});
  }
  return curves;
}

// A Prometheus label value: backslash, quote and newline escaped (sweep names are the user's).
std::string label_value(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    out += c == '\n' ? std::string("\\n") : std::string(1, c);
  }
  return out;
}

}  // namespace

json live_state(queue::RedisClient* redis) {
  if (!redis) return {{"redis", false}};
  queue::JobQueue jobs(*redis);
  json state = {{"redis", true},
                {"depths", jobs.depths(queue_names(*redis))},
                {"executors", json::array()},
                {"running", json::array()}};
  for (const auto& e : queue::live_executors(*redis)) state["executors"].push_back(executor_row(e));
  const auto progress = queue::latest_progress(*redis);
  for (const auto& job : jobs.running_jobs()) {
    json row = {{"id", job.id},
                {"name", job.name},
                {"executor", job.executor},
                {"attempt", job.attempt},
                {"resource", job.resource}};
    if (const auto p = progress.find(job.id); p != progress.end()) {
      row["progress"] = {{"epoch", p->second.epoch},
                         {"epochs", p->second.epochs},
                         {"fold", p->second.fold},
                         {"folds", p->second.folds},
                         {"loss", p->second.loss}};
    }
    state["running"].push_back(row);
  }
  return state;
}

json recent_pipelines(tracker::SqliteDb& db) {
  constexpr int kShown = 20;
  json out = json::array();
  for (const auto& p : tracker::pipeline_summaries(db, kShown)) {
    out.push_back({{"name", p.name},
                   {"state", p.state},
                   {"submitted_at", p.submitted_at},
                   {"finished_at", p.finished_at ? json(*p.finished_at) : json(nullptr)},
                   {"tasks", p.tasks_by_state},
                   {"url", "/pipelines/" + p.name}});
  }
  return out;
}

const std::vector<RunQuantity>& run_quantities() {
  static const std::vector<RunQuantity> kQuantities{
      {"train_ms", "training time", Unit::Milliseconds},
      {"energy_j", "energy", Unit::Joules},
      {"accuracy", "test accuracy", Unit::Rate},
      {"auc", "ROC AUC", Unit::Rate},
      {"f1", "F1", Unit::Rate},
      {"precision", "precision", Unit::Rate},
      {"recall", "recall", Unit::Rate},
      {"learning_rate", "learning rate", Unit::None},
      {"momentum", "momentum", Unit::None},
      {"epochs", "epochs", Unit::Count},
      {"batches", "batches", Unit::Count},
      {"seed", "seed", Unit::Count},
      {"rows", "rows", Unit::Count}};
  return kQuantities;
}

std::optional<RunQuantity> find_run_quantity(const std::string& name) {
  for (const auto& q : run_quantities()) {
    if (q.name == name) return q;
  }
  return std::nullopt;
}

json comparison(tracker::SqliteDb& db, const std::vector<std::int64_t>& ids) {
  std::vector<json> runs;
  for (auto id : ids) runs.push_back(tracker::run_record(db, id));
  Groups groups = group_runs(runs);
  bool energy = false;
  for (const auto& r : runs) energy = energy || r["energy"].is_object();
  return {{"datasets", groups.datasets},    {"series", groups.series},
          {"table", summary_table(groups)}, {"energy", energy},
          {"points", run_points(runs)},     {"losses", loss_curves(db, runs)},
          {"scaling", scaling_lines(runs)}, {"runs", run_summaries(runs)}};
}

json sweep_overview(tracker::SqliteDb& db, queue::RedisClient* redis, const std::string& name) {
  tracker::RunFilter f;
  f.experiment = name;
  f.archived = tracker::ArchivedRuns::Included;
  f.limit = 100000;
  const json runs = tracker::list_runs(db, f);
  json by_state = json::object(), best = nullptr;
  for (const auto& r : runs) {
    by_state[r["state"].get<std::string>()] = by_state.value(r["state"].get<std::string>(), 0) + 1;
    if (r["state"] == "finished" && r["accuracy"].is_number() &&
        (best.is_null() || r["accuracy"].get<double>() > best["accuracy"].get<double>()))
      best = {{"id", r["id"]}, {"accuracy", r["accuracy"]}, {"dataset", r["dataset"]}};
  }
  json members = nullptr;
  if (redis) {
    const auto jobs = queue::SweepIndex(*redis, name).members();
    if (!jobs.empty()) {
      members = {{"total", jobs.size()}, {"ended", 0}, {"by_state", json::object()}};
      for (const auto& [job, state] : jobs) {
        members["by_state"][state] = members["by_state"].value(state, 0) + 1;
        const auto s = queue::parse_job_state(state);
        if (s && queue::ends_job(*s)) members["ended"] = members["ended"].get<int>() + 1;
      }
    }
  }
  if (runs.empty() && members.is_null()) throw NotFound("sweep " + name + ": no such sweep");
  return {{"name", name},
          {"runs_by_state", by_state},
          {"runs", runs},
          {"best", best},
          {"members", members}};
}

std::string prometheus_metrics(tracker::SqliteDb& db, queue::RedisClient* redis) {
  std::string out = "# HELP dlaaw_runs Runs in the tracker by state.\n# TYPE dlaaw_runs gauge\n";
  for (const auto& [state, count] : tracker::runs_by_state(db))
    out += "dlaaw_runs{state=\"" + state + "\"} " + std::to_string(count) + "\n";
  if (!redis) return out;
  const auto depths = queue::JobQueue(*redis).depths(queue_names(*redis));
  out +=
      "# HELP dlaaw_queue_depth Jobs waiting per resource queue.\n"
      "# TYPE dlaaw_queue_depth gauge\n";
  for (const auto& [k, v] : depths) {
    if (k.rfind("queued:", 0) == 0)
      out += "dlaaw_queue_depth{resource=\"" + k.substr(7) + "\"} " + std::to_string(v) + "\n";
  }
  out += "# HELP dlaaw_jobs_executing Jobs held by executors.\n# TYPE dlaaw_jobs_executing gauge\n";
  out += "dlaaw_jobs_executing " + std::to_string(depths.at("executing")) + "\n";
  out += "# HELP dlaaw_jobs_dead Jobs out of attempts.\n# TYPE dlaaw_jobs_dead gauge\n";
  out += "dlaaw_jobs_dead " + std::to_string(depths.at("dead")) + "\n";
  out += "# HELP dlaaw_executors Live executors.\n# TYPE dlaaw_executors gauge\n";
  out += "dlaaw_executors " + std::to_string(queue::live_executors(*redis).size()) + "\n";
  out +=
      "# HELP dlaaw_sweep_members Members of each sweep by job state.\n"
      "# TYPE dlaaw_sweep_members gauge\n";
  for (const auto& sweep : queue::sweep_names(*redis)) {
    std::map<std::string, int> states;
    for (const auto& [job, state] : queue::SweepIndex(*redis, sweep).members()) ++states[state];
    for (const auto& [state, n] : states) {
      out += "dlaaw_sweep_members{sweep=\"" + label_value(sweep) + "\",state=\"" +
             label_value(state) + "\"} " + std::to_string(n) + "\n";
    }
  }
  return out;
}

}  // namespace dlaaw::reports
