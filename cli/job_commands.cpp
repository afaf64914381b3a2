// job_commands.cpp - status, watch, cancel, retry, queue and resources.
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/exit_codes.h"
#include "cli/progress_bar.h"
#include "cli/queue_commands.h"
#include "cli/redis_option.h"
#include "common/errors.h"
#include "common/json_parse.h"
#include "queue/event_stream.h"
#include "queue/job_queue.h"
#include "queue/resource_store.h"

namespace dlaaw::cli {
namespace {

using nlohmann::json;

void add_connection_options(CLI::App* cmd, Connection& c, bool with_json) {
  add_redis_option(cmd, c.redis);
  if (with_json) cmd->add_flag("--json", c.json, "Print JSON");
}

std::map<std::string, std::string> require_job(queue::JobQueue& q, const std::string& id) {
  auto job = q.job(id);
  if (job.empty()) throw NotFound("job " + id + ": unknown id");
  return job;
}

int status(const Connection& c, const std::string& id) {
  auto redis = connect(c);
  queue::JobQueue q(redis);
  if (!id.empty()) {
    auto job = require_job(q, id);
    const auto history = q.history(id);
    if (c.json) {
      json j(job);
      // What Redis holds is untrusted: a document that is not JSON shows as its text.
      const json document = parse_json_or_discarded(job["document"]);
      j["document"] = document.is_discarded() ? json(job["document"]) : document;
      j["history"] = json::array();
      for (const auto& h : history) j["history"].push_back(h);
      std::printf("%s\n", j.dump(2).c_str());
      return kSuccess;
    }
    std::printf("job %s (%s)\n  state %s, attempts %s of %s, resource %s, executor %s\n",
                id.c_str(), job["name"].c_str(), job["state"].c_str(), job["attempts"].c_str(),
                job["max_attempts"].c_str(), job["resource"].c_str(),
                job["executor"].empty() ? "-" : job["executor"].c_str());
    if (!job["error"].empty()) std::printf("  last error: %s\n", job["error"].c_str());
    std::printf("  history (state, ms since epoch, executor, attempt):\n");
    for (const auto& h : history) std::printf("    %s\n", h.c_str());
    return kSuccess;
  }
  json rows = json::array();
  for (const auto& jid : q.recent_jobs(20)) {
    auto job = q.job(jid);
    rows.push_back({{"id", jid},
                    {"name", job["name"]},
                    {"resource", job["resource"]},
                    {"state", job["state"]},
                    {"attempts", job["attempts"]},
                    {"executor", job["executor"]}});
  }
  if (c.json) {
    std::printf("%s\n", rows.dump(2).c_str());
    return kSuccess;
  }
  std::printf("%-30s %-22s %-10s %-10s %4s  %s\n", "job", "name", "resource", "state", "try",
              "executor");
  for (const auto& r : rows) {
    std::printf("%-30s %-22s %-10s %-10s %4s  %s\n", r["id"].get<std::string>().c_str(),
                r["name"].get<std::string>().c_str(), r["resource"].get<std::string>().c_str(),
                r["state"].get<std::string>().c_str(), r["attempts"].get<std::string>().c_str(),
                r["executor"].get<std::string>().c_str());
  }
  return kSuccess;
}

// Shows one event of the watched job: progress on the bar, other events as a line.
void show_event(const queue::JobEvent& event, ProgressBar& bar, bool json_output) {
  if (const auto* p = std::get_if<queue::ProgressEvent>(&event)) {
    bar.update(p->fold, p->folds, p->epoch, p->epochs, p->loss);
    return;
  }
  if (json_output) return;
  bar.finish();
  const auto& h = queue::header_of(event);
  const auto* s = std::get_if<queue::StateEvent>(&event);
  const std::string state =
      s ? std::string(queue::job_state_name(s->state)) : std::string("finished");
  const std::string error = s && !s->error.empty() ? " (" + s->error + ")" : "";
  std::printf("attempt %d on %s: %s%s\n", h.attempt, h.executor.c_str(), state.c_str(),
              error.c_str());
}

// Follows the job's events on dlaaw:events until it ends.
int watch(const Connection& c, const std::string& id) {
  auto redis = connect(c);
  queue::JobQueue q(redis);
  auto job = require_job(q, id);
  ProgressBar bar(job["name"]);
  std::string last_id = "0-0";
  while (true) {
    for (const auto& entry : queue::read_events(redis, last_id, std::chrono::milliseconds(500))) {
      const auto j = entry.fields.find("job");
      if (j == entry.fields.end() || j->second != id) continue;
      try {
        show_event(queue::decode_event(entry.fields), bar, c.json);
      } catch (const queue::BadEvent& e) {
        bar.finish();
        std::fprintf(stderr, "dlaaw: event %s skipped: %s\n", entry.id.c_str(), e.what());
      }
    }
    const auto state = q.state(id);
    if (state && queue::ends_job(*state)) {
      bar.finish();
      std::printf("job %s: %s\n", id.c_str(), std::string(queue::job_state_name(*state)).c_str());
      return *state == queue::JobState::Finished ? kSuccess : kJobFailed;
    }
  }
}

int cancel(const Connection& c, const std::string& id) {
  auto redis = connect(c);
  queue::JobQueue q(redis);
  switch (q.cancel(id)) {
    case queue::CancelOutcome::Unknown:
      throw NotFound("job " + id + ": unknown id");
    case queue::CancelOutcome::AlreadyEnded:
      std::printf("job %s has already ended (%s)\n", id.c_str(), q.job(id)["state"].c_str());
      return kSuccess;
    case queue::CancelOutcome::Cancelled:
      std::printf("job %s cancelled\n", id.c_str());
      return kSuccess;
    case queue::CancelOutcome::Requested:
      std::printf("job %s is executing: its executor stops it after the current epoch\n",
                  id.c_str());
      return kSuccess;
  }
  return kSuccess;
}

int retry(const Connection& c, const std::string& id) {
  auto redis = connect(c);
  queue::JobQueue q(redis);
  require_job(q, id);
  if (!q.retry(id))
    throw InvalidInput("job " + id + ": not in dlaaw:dead (only dead jobs are retried)");
  std::printf("job %s queued again\n", id.c_str());
  return kSuccess;
}

int show_queue(const Connection& c, bool reap) {
  auto redis = connect(c);
  queue::JobQueue q(redis);
  if (reap) {
    const auto r = q.reap();
    std::printf("reaped: %d requeued, %d dead, %d cancelled\n", r.requeued, r.dead, r.cancelled);
    return kSuccess;
  }
  const auto depths = q.depths(queue::load_registry(redis, c.resources).queue_names());
  if (c.json) {
    std::printf("%s\n", json(depths).dump(2).c_str());
    return kSuccess;
  }
  for (const auto& [k, v] : depths) std::printf("%-16s %lld\n", k.c_str(), v);
  return kSuccess;
}

}  // namespace

void add_job_commands(CLI::App& app, int& exit_code) {
  struct Args {
    Connection c;
    std::string id;
    bool reap = false;
  };
  const auto add = [&](const char* name, const char* help, bool needs_id, bool with_json,
                       auto run) {
    auto a = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand(name, help);
    if (needs_id) {
      cmd->add_option("job", a->id, "Job id")->required();
    } else if (std::string(name) == "status") {
      cmd->add_option("job", a->id, "Job id (default: the 20 newest jobs)");
    }
    add_connection_options(cmd, a->c, with_json);
    if (std::string(name) == "queue") {
      cmd->add_option("--resources", a->c.resources,
                      "Resources file (default: $DLAAW_RESOURCES) besides those in redis");
      cmd->add_subcommand("reap", "Requeue jobs whose lease expired, once")->callback([a] {
        a->reap = true;
      });
    }
    cmd->final_callback([a, &exit_code, run] { exit_code = run_guarded([&] { return run(*a); }); });
  };
  add("status", "Show a job, or the newest jobs", false, true,
      [](Args& a) { return status(a.c, a.id); });
  add("watch", "Follow a job's progress until it ends", true, true,
      [](Args& a) { return watch(a.c, a.id); });
  add("cancel", "Cancel a queued or executing job", true, false,
      [](Args& a) { return cancel(a.c, a.id); });
  add("retry", "Queue a dead job again", true, false, [](Args& a) { return retry(a.c, a.id); });
  add("queue", "Queue depth per resource, executing and dead jobs", false, true,
      [](Args& a) { return show_queue(a.c, a.reap); });
  add_resources_command(app, exit_code);
}

}  // namespace dlaaw::cli
