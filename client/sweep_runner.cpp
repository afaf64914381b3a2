// sweep_runner.cpp - idempotent sweep submission.
#include "client/sweep_runner.h"

#include <cstdio>
#include <map>

#include "client/job_submission.h"
#include "common/errors.h"
#include "common/stats.h"
#include "datasets/sha256.h"
#include "queue/executor_registry.h"
#include "queue/job_queue.h"
#include "queue/sweep_index.h"

namespace dlaaw::client {
namespace {

using nlohmann::json;

// Every member prepared (and so checked) before anything is queued.
std::vector<PreparedJob> prepare_members(const std::vector<nnworkflow::SweepMember>& members,
                                         const SubmitSettings& settings,
                                         const resources::ResourceRegistry& registry) {
  std::vector<PreparedJob> prepared;
  for (std::size_t i = 0; i < members.size(); ++i) {
    try {
      prepared.push_back(prepare_job(members[i].document, settings, registry));
    } catch (const InvalidInput& e) {
      throw InvalidInput("member " + std::to_string(i + 1) + " (" + members[i].label +
                         "): " + e.what());
    }
  }
  return prepared;
}

}  // namespace

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
      for (const auto& e : queue::live_executors(redis)) live.insert(e.resource);
      if (live.empty())
        throw ServiceUnavailable(
            "axes.resource: \"live\" but no executor is running; start one (dlaaw executor "
            "--resource NAME)");
      for (const auto& r : live) expanded.push_back(r);
    }
    values = expanded;
  }
}

SweepSubmission submit_sweep(queue::RedisClient& redis, const nnworkflow::SweepDocument& sweep,
                             const std::filesystem::path& data_dir,
                             const resources::ResourceRegistry& registry) {
  const auto members = nnworkflow::expand_sweep(sweep);
  SubmitSettings settings;
  settings.data_dir = data_dir;
  settings.experiment = sweep.name;
  const std::vector<PreparedJob> prepared = prepare_members(members, settings, registry);
  std::vector<std::string> member_keys;
  for (const auto& m : members)
    member_keys.push_back(
        datasets::sha256_hex(sweep.name + "\n" + m.parameters.dump()).substr(0, 24));
  queue::SweepIndex index(redis, sweep.name);
  const auto known = index.lookup(member_keys);
  queue::JobQueue jobs(redis);
  SweepSubmission out;
  out.experiment = sweep.name;
  std::vector<PreparedJob> fresh;
  std::vector<std::pair<std::string, std::string>> mappings;
  for (std::size_t i = 0; i < members.size(); ++i) {
    out.labels.push_back(members[i].label);
    if (known[i]) {
      const auto state = jobs.state(*known[i]);
      if (state == queue::JobState::Error && jobs.retry(*known[i])) {
        ++out.retried;
        out.job_ids.push_back(*known[i]);
        continue;
      }
      if (state) {
        ++out.skipped;
        out.job_ids.push_back(*known[i]);
        continue;
      }
    }
    fresh.push_back(prepared[i]);
    out.job_ids.push_back(fresh.back().request.id);
    mappings.emplace_back(member_keys[i], fresh.back().request.id);
  }
  if (!fresh.empty()) {
    out.unserved = submit_jobs(redis, fresh);
    index.record(mappings);
  }
  out.queued = static_cast<int>(fresh.size());
  return out;
}

std::vector<results::RunResult> wait_for_sweep(queue::RedisClient& redis, const SweepSubmission& s,
                                               const std::function<void(int, int)>& progress,
                                               const std::function<bool()>& give_up) {
  const int total = static_cast<int>(s.job_ids.size());
  std::vector<std::string> finished;
  int ended = 0;
  if (progress) progress(0, total);
  queue::JobQueue jobs(redis);
  jobs.wait_until_ended(
      s.job_ids,
      [&](const std::string& id, const std::map<std::string, std::string>& job) {
        if (job.at("state") == queue::job_state_name(queue::JobState::Finished))
          finished.push_back(id);
        if (progress) progress(++ended, total);
      },
      give_up);
  std::vector<results::RunResult> out;
  const auto texts = jobs.results(finished);
  for (std::size_t i = 0; i < finished.size(); ++i) {
    if (!texts[i]) continue;  // expired
    try {
      out.push_back(results::run_result_from_text(*texts[i]));
    } catch (const InvalidInput& e) {
      std::fprintf(stderr, "dlaaw: job %s: its result is left out: %s\n", finished[i].c_str(),
                   e.what());
    }
  }
  return out;
}

std::string comparison_table(const std::vector<results::RunResult>& results) {
  std::map<std::pair<std::string, std::string>, std::pair<std::vector<double>, std::vector<double>>>
      cells;
  for (const auto& r : results) {
    const std::string series =
        (r.executor ? r.executor->resource : std::string("local")) + "/" + r.backend;
    const std::string name = r.workflow.name + " (" + r.dataset.name + ")";
    auto& [accuracy, train_ms] = cells[{name, series}];
    if (r.metrics.accuracy) accuracy.push_back(*r.metrics.accuracy);
    train_ms.push_back(r.timings.train);
  }
  std::string out;
  char buf[256];
  std::snprintf(buf, sizeof buf, "%-40s %-16s %4s %18s %20s\n", "workflow (dataset)",
                "resource/backend", "runs", "accuracy mean±std", "train ms mean±std");
  out += buf;
  for (const auto& [key, values] : cells) {
    const MeanStd accuracy = mean_std(values.first);
    const MeanStd train = mean_std(values.second);
    std::snprintf(buf, sizeof buf, "%-40s %-16s %4zu %10.4f ± %.4f %12.1f ± %.1f\n",
                  key.first.c_str(), key.second.c_str(), values.second.size(), accuracy.mean,
                  accuracy.std, train.mean, train.std);
    out += buf;
  }
  return out;
}

}  // namespace dlaaw::client
