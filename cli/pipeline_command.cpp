// pipeline_command.cpp - running, following and cancelling pipelines (dlaaw/pipeline@1).
#include "cli/pipeline_command.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <map>
#include <memory>

#include "cli/exit_codes.h"
#include "cli/queue_commands.h"
#include "cli/redis_option.h"
#include "cli/stop_signal.h"
#include "common/errors.h"
#include "datasets/data_dir.h"
#include "pipeline/pipeline_json.h"
#include "queue/resource_store.h"
#include "service/pipeline_runner.h"
#include "tracker/database.h"
#include "tracker/db_path.h"
#include "tracker/pipeline_provenance.h"
#include "tracker/pipeline_store.h"
#include "tracker/schema.h"

namespace dlaaw::cli {
namespace {

struct PipelineArgs {
  std::string file;
  std::string name;
  bool wait = false;
  std::vector<std::string> force;
  Connection c;
  std::string db;
  std::string data_dir;
  int max_attempts = 3;
  std::string format = "tree";
};

// Detaches the driver from the terminal: the parent returns (true), the child goes on in its own
// session with its output discarded (false). Throws ServiceUnavailable when fork fails.
bool detach() {
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw ServiceUnavailable("cannot start the pipeline's driver (fork failed)");
  if (pid > 0) {
    std::printf("driver pid %d; follow it with: dlaaw pipeline status NAME\n",
                static_cast<int>(pid));
    return true;
  }
  setsid();
  const int null = open("/dev/null", O_RDWR);
  if (null >= 0) {
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    close(null);
  }
  return false;
}

// Drives `document` here until it ends; exit 1 unless every task finished.
int drive(const PipelineArgs& a, const pipeline::PipelineDocument& document,
          const resources::ResourceRegistry& registry, service::PipelineRunOptions options,
          const std::string& db_path) {
  auto redis = connect(a.c);
  tracker::SqliteDb db(db_path);
  const StopSignal stop;
  options.stop = &stop.stopped();
  options.on_change = [](const std::string& task, pipeline::TaskState state) {
    std::fprintf(stderr, "%s: %s\n", task.c_str(),
                 std::string(pipeline::task_state_name(state)).c_str());
  };
  const auto outcome = service::run_pipeline(redis, db, registry, document, options);
  std::printf("%s: %s (%d queued, %d reused)\n", document.name.c_str(), outcome.state.c_str(),
              outcome.queued, outcome.reused);
  return outcome.state == "finished" ? kSuccess : kJobFailed;
}

int run(const PipelineArgs& a) {
  if (a.max_attempts < 1) throw InvalidInput("--max-attempts: must be at least 1");
  const pipeline::PipelineDocument document = pipeline::load_pipeline_file(a.file);
  service::PipelineRunOptions options;
  options.data_dir =
      datasets::resolve_data_dir(a.data_dir.empty() ? std::nullopt : std::optional(a.data_dir));
  options.force = a.force;
  options.max_attempts = a.max_attempts;
  const std::string db_path = tracker::resolve_db_path(a.db);
  // What can fail before anything runs fails here, on the terminal (exit 2 or 3), not in a
  // detached driver: Redis, the resources, the sources, --force, the database. Connections are
  // closed before the fork: neither a SQLite handle nor a Redis socket may cross one.
  const auto registry = [&] {
    auto redis = connect(a.c);
    return queue::load_registry(redis, a.c.resources);
  }();
  service::check_pipeline(registry, document, options);
  {
    tracker::SqliteDb db(db_path);
    tracker::migrate(db);
  }
  std::printf("pipeline %s\n", document.name.c_str());
  if (a.wait) return drive(a, document, registry, options, db_path);
  if (detach()) return kSuccess;
  try {
    return drive(a, document, registry, options, db_path);
  } catch (const std::exception& e) {
    // Nobody reads a detached driver's output: the tracker keeps why it stopped.
    tracker::SqliteDb db(db_path);
    service::record_driver_failure(db, document, e.what());
    throw;
  }
}

std::string seconds_between(const std::optional<std::int64_t>& from,
                            const std::optional<std::int64_t>& to) {
  if (!from || !to) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fs", static_cast<double>(*to - *from) / 1000.0);
  return buf;
}

// Each task under the first task it needs (a spanning tree of the DAG); other needs are named.
void print_tree(const tracker::PipelineView& v) {
  std::printf("pipeline %s: %s%s\n", v.name.c_str(), v.state.c_str(),
              v.error.empty() ? "" : (" (its driver stopped: " + v.error + ")").c_str());
  std::map<std::string, std::vector<const tracker::PipelineTaskRecord*>> children;
  for (const auto& t : v.tasks) children[t.needs.empty() ? "" : t.needs.front()].push_back(&t);
  std::function<void(const std::string&, const std::string&)> print =
      [&](const std::string& parent, const std::string& indent) {
        const auto& list = children[parent];
        for (std::size_t i = 0; i < list.size(); ++i) {
          const auto& t = *list[i];
          const bool last = i + 1 == list.size();
          std::string line =
              indent + (last ? "└─ " : "├─ ") + t.name + " (" + t.kind + ") " + t.state;
          const auto took = seconds_between(t.started_at, t.finished_at);
          if (!took.empty()) line += " " + took;
          if (t.run_id) line += " run " + std::to_string(*t.run_id);
          if (t.needs.size() > 1) {
            line += " [also needs";
            for (std::size_t n = 1; n < t.needs.size(); ++n) line += " " + t.needs[n];
            line += "]";
          }
          if (!t.error.empty()) line += ": " + t.error;
          std::printf("%s\n", line.c_str());
          print(t.name, indent + (last ? "   " : "│  "));
        }
      };
  print("", "");
}

nlohmann::json view_json(const tracker::PipelineView& v) {
  nlohmann::json tasks = nlohmann::json::array();
  for (const auto& t : v.tasks) {
    tasks.push_back({{"name", t.name},
                     {"kind", t.kind},
                     {"state", t.state},
                     {"needs", t.needs},
                     {"key", t.key},
                     {"resource", t.resource},
                     {"job", t.job_id},
                     {"output", t.output_sha256},
                     {"error", t.error},
                     {"queued_at", t.queued_at ? nlohmann::json(*t.queued_at) : nullptr},
                     {"started_at", t.started_at ? nlohmann::json(*t.started_at) : nullptr},
                     {"finished_at", t.finished_at ? nlohmann::json(*t.finished_at) : nullptr},
                     {"run", t.run_id ? nlohmann::json(*t.run_id) : nullptr}});
  }
  return {{"name", v.name}, {"state", v.state}, {"error", v.error}, {"tasks", tasks}};
}

int status(const PipelineArgs& a) {
  auto db = tracker::open_for_reading(tracker::resolve_db_path(a.db));
  const auto view = tracker::pipeline_view(*db, a.name);
  if (a.format == "json") {
    std::printf("%s\n", view_json(view).dump(2).c_str());
  } else {
    print_tree(view);
  }
  return kSuccess;
}

int cancel(const PipelineArgs& a) {
  auto redis = connect(a.c);
  tracker::SqliteDb db(tracker::resolve_db_path(a.db));
  service::cancel_pipeline(redis, db, a.name);
  std::printf("pipeline %s: cancelled\n", a.name.c_str());
  return kSuccess;
}

int provenance(const PipelineArgs& a) {
  auto db = tracker::open_for_reading(tracker::resolve_db_path(a.db));
  std::printf("%s\n", tracker::pipeline_provenance(*db, a.name).dump(2).c_str());
  return kSuccess;
}

void add_db(CLI::App* cmd, PipelineArgs& a) {
  cmd->add_option("--db", a.db, "Tracker database (default: $DLAAW_DB, else ./dlaaw.db)");
}

void add_redis(CLI::App* cmd, PipelineArgs& a) { add_redis_option(cmd, a.c.redis); }

}  // namespace

void add_pipeline_command(CLI::App& app, int& exit_code) {
  CLI::App* pipeline = app.add_subcommand("pipeline", "Pipelines of tasks (dlaaw/pipeline@1)");
  pipeline->require_subcommand(1);
  const auto add = [&](const char* name, const char* help, auto setup, auto body) {
    auto a = std::make_shared<PipelineArgs>();
    CLI::App* cmd = pipeline->add_subcommand(name, help);
    add_db(cmd, *a);
    setup(cmd, *a);
    cmd->callback([a, &exit_code, body] { exit_code = run_guarded([&] { return body(*a); }); });
  };
  add(
      "run", "Run a pipeline: queue each task once what it needs has finished",
      [](CLI::App* c, PipelineArgs& a) {
        c->add_option("file", a.file, "Pipeline document")->required();
        c->add_flag("--wait", a.wait,
                    "Drive it here until it ends (exit 1 unless every task finished); without "
                    "it a detached driver does");
        c->add_option("--force", a.force, "Rerun this task and its dependents (repeatable)");
        add_redis(c, a);
        c->add_option("--resources", a.c.resources,
                      "Resources file (default: $DLAAW_RESOURCES) besides those in redis");
        c->add_option("--data-dir", a.data_dir,
                      "Folder of dataset files (default: $DLAAW_DATA_DIR, else ./data)");
        c->add_option("--max-attempts", a.max_attempts, "Attempts per task job (default 3)");
      },
      run);
  add(
      "status", "A pipeline's tasks as a tree with their states",
      [](CLI::App* c, PipelineArgs& a) {
        c->add_option("name", a.name, "Pipeline name")->required();
        c->add_option("--format", a.format, "tree or json")->check(CLI::IsMember({"tree", "json"}));
      },
      status);
  add(
      "cancel", "Cancel a pipeline: its jobs in flight and every task not ended",
      [](CLI::App* c, PipelineArgs& a) {
        c->add_option("name", a.name, "Pipeline name")->required();
        add_redis(c, a);
      },
      cancel);
  add(
      "provenance", "W3C PROV-JSON of a pipeline: tasks, artifacts, used/wasGeneratedBy",
      [](CLI::App* c, PipelineArgs& a) {
        c->add_option("name", a.name, "Pipeline name")->required();
      },
      provenance);
}

}  // namespace dlaaw::cli
