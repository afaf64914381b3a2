// sweep_runner.cpp - idempotent sweep submission.
#include "executor/sweep_runner.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <thread>

#include "common/errors.h"
#include "datasets/sha256.h"
#include "executor/job_submission.h"
#include "queue/event_stream.h"
#include "queue/executor_registry.h"
#include "queue/job_id.h"
#include "queue/job_keys.h"
#include "queue/job_queue.h"

namespace dlaaw::executor {

using nlohmann::json;

void expand_live_resources(queue::RedisClient& redis, nnworkflow::SweepDocument& sweep) {
  for (auto& [axis, values] : sweep.axes) {
    if (axis != "resource") continue;
    std::vector<json> expanded;
    for (const auto& v : values) {
      if (v != "live") {
        expanded.push_back(v);
        continue;
      }
      std::set<std::string> live;
      for (const auto& e : queue::live_executors(redis)) live.insert(e.at("resource"));
      if (live.empty())
        throw ServiceUnavailable(
            "axes.resource: \"live\" but no executor is running; start one (dlaaw executor "
            "--resource cpu)");
      for (const auto& r : live) expanded.push_back(r);
    }
    values = expanded;
  }
}

SweepSubmission submit_sweep(queue::RedisClient& redis, const nnworkflow::SweepDocument& sweep,
                             const std::filesystem::path& data_dir) {
  const auto members = nnworkflow::expand_sweep(sweep);
  SubmitSettings settings;
  settings.data_dir = data_dir;
  settings.experiment = sweep.name;
  std::vector<PreparedJob> prepared;
  for (std::size_t i = 0; i < members.size(); ++i) {
    try {
      prepared.push_back(prepare_job(members[i].document, settings));
    } catch (const InvalidInput& e) {
      throw InvalidInput("member " + std::to_string(i + 1) + " (" + members[i].label +
                         "): " + e.what());
    }
  }
  const std::string map_key = queue::keys::kPrefix + "sweep:" + sweep.name;
  queue::JobQueue jobs(redis);
  SweepSubmission out;
  out.experiment = sweep.name;
  std::vector<PreparedJob> fresh;
  std::vector<std::vector<std::string>> mappings;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const std::string key =
        datasets::sha256_hex(sweep.name + "\n" + members[i].parameters.dump()).substr(0, 24);
    const auto known = redis.command({"HGET", map_key, key});
    out.labels.push_back(members[i].label);
    if (!known.is_nil()) {
      const auto job = jobs.job(known.text);
      const std::string state = job.count("state") ? job.at("state") : "";
      if (state == "error" && jobs.retry(known.text)) {
        ++out.retried;
        out.job_ids.push_back(known.text);
        continue;
      }
      if (!state.empty()) {
        ++out.skipped;
        out.job_ids.push_back(known.text);
        continue;
      }
    }
    fresh.push_back(prepared[i]);
    out.job_ids.push_back(fresh.back().request.id);
    mappings.push_back({"HSET", map_key, key, fresh.back().request.id});
  }
  if (!fresh.empty()) {
    submit_jobs(redis, fresh);
    redis.pipeline(mappings);
  }
  out.queued = static_cast<int>(fresh.size());
  return out;
}

std::vector<json> wait_for_sweep(queue::RedisClient& redis, const SweepSubmission& s,
                                 const std::function<void(int, int)>& progress,
                                 const std::function<bool()>& give_up) {
  const int total = static_cast<int>(s.job_ids.size());
  std::set<std::string> finished;
  int ended = 0;
  if (progress) progress(0, total);
  queue::JobQueue(redis).wait_until_ended(
      s.job_ids,
      [&](const std::string& id, const std::map<std::string, std::string>& job) {
        if (job.at("state") == "finished") finished.insert(id);
        if (progress) progress(++ended, total);
      },
      give_up);
  // The results travel in the events stream, published with the finish transition.
  std::vector<json> results;
  std::string cursor = "0-0";
  std::set<std::string> seen;
  for (auto events = queue::read_events(redis, cursor, std::chrono::milliseconds(0));
       !events.empty(); events = queue::read_events(redis, cursor, std::chrono::milliseconds(0))) {
    for (auto& event : events) {
      auto& f = event.fields;
      if (f["type"] == "result" && finished.count(f["job"]) && seen.insert(f["job"]).second) {
        results.push_back(json::parse(f["result"]));
      }
    }
  }
  return results;
}

std::string comparison_table(const std::vector<json>& results) {
  std::map<std::pair<std::string, std::string>, std::vector<std::pair<double, double>>> cells;
  for (const auto& r : results) {
    const std::string series =
        r.value("executor", json::object()).value("resource", std::string("local")) + "/" +
        r["backend"].get<std::string>();
    const std::string name = r["workflow"]["name"].get<std::string>() + " (" +
                             r["dataset"]["name"].get<std::string>() + ")";
    cells[{name, series}].emplace_back(r["metrics"]["accuracy"].get<double>(),
                                       r["timings_ms"]["train"].get<double>());
  }
  std::string out;
  char buf[256];
  std::snprintf(buf, sizeof buf, "%-40s %-16s %4s %18s %20s\n", "workflow (dataset)",
                "resource/backend", "runs", "accuracy mean±std", "train ms mean±std");
  out += buf;
  for (const auto& [key, values] : cells) {
    double am = 0, tm = 0;
    for (const auto& [a, t] : values) am += a, tm += t;
    am /= values.size(), tm /= values.size();
    double as = 0, ts = 0;
    for (const auto& [a, t] : values) as += (a - am) * (a - am), ts += (t - tm) * (t - tm);
    as = values.size() > 1 ? std::sqrt(as / (values.size() - 1)) : 0;
    ts = values.size() > 1 ? std::sqrt(ts / (values.size() - 1)) : 0;
    std::snprintf(buf, sizeof buf, "%-40s %-16s %4zu %10.4f ± %.4f %12.1f ± %.1f\n",
                  key.first.c_str(), key.second.c_str(), values.size(), am, as, tm, ts);
    out += buf;
  }
  return out;
}

}  // namespace dlaaw::executor
