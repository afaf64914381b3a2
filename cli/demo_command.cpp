// demo_command.cpp - `dlaaw demo`: the project's main job. Starts a private redis-server, a
// tracker, one executor per resource this machine has and the report server; runs the paper
// sweep (quick by default, --full for Table I with 6-fold plans and 5 seeds) next to the PyTorch
// peer; prints the comparison and the report's URL; on Ctrl-C stops all it started and keeps the
// database.
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include "cli/exit_codes.h"
#include "cli/progress_bar.h"
#include "cli/queue_commands.h"
#include "cli/stop_signal.h"
#include "common/errors.h"
#include "datasets/catalog.h"
#include "datasets/catalog_files.h"
#include "datasets/csv_reader.h"
#include "datasets/data_dir.h"
#include "datasets/sha256.h"
#include "executor/sweep_runner.h"
#include "kernels/backend.h"
#include "nnworkflow/workflow_json.h"
#include "queue/executor_registry.h"
#include "tracker/sqlite_db.h"

extern char** environ;

namespace dlaaw::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

// The processes the demo started; stopped (SIGTERM, then SIGKILL) newest first.
class Children {
 public:
  ~Children() { stop_all(); }
  void start(const std::string& name, const std::vector<std::string>& argv, const fs::path& log) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    // Children start with no blocked signals: this process blocks SIGTERM for its sigwait thread,
    // and a redis-server inheriting that mask would ignore the stop request.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
    pid_t pid = -1;
    const int rc =
        posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);  // PATH lookup
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) throw ServiceUnavailable("demo: cannot start " + name + " (" + argv[0] + ")");
    children_.push_back({name, pid});
  }
  void stop_all() {
    for (auto it = children_.rbegin(); it != children_.rend(); ++it) {
      kill(it->second, SIGTERM);
      for (int i = 0; i < 100; ++i) {
        if (waitpid(it->second, nullptr, WNOHANG) == it->second) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (i == 99) {
          kill(it->second, SIGKILL);
          waitpid(it->second, nullptr, 0);
        }
      }
    }
    children_.clear();
  }

 private:
  std::vector<std::pair<std::string, pid_t>> children_;
};

// The five paper workflows, on the real files or on synthetic data of the same shape.
std::vector<json> paper_workflows(bool real) {
  std::vector<json> docs;
  for (const auto& path : {"nn1", "nn2", "nn3", "nn4", "nn5"}) {
    std::ifstream in(std::string(DLAAW_SOURCE_DIR "/examples/paper/") + path + ".json");
    json doc = json::parse(in);
    if (!real) {
      const auto entry = datasets::find_in_catalog(doc["dataset"]["catalog"].get<std::string>());
      doc["dataset"] = {
          {"synthetic", {{"rows", entry->rows}, {"features", entry->features}, {"seed", 1}}}};
      doc["name"] = doc["name"].get<std::string>() + "-synthetic";
    }
    docs.push_back(doc);
  }
  return docs;
}

bool torch_available() {
  return std::system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") == 0;
}

struct DemoArgs {
  bool full = false;
  int port = 8080;
  std::string workdir = "dlaaw-demo";
  std::string data_dir;
  bool peers = true;
};

int demo(const DemoArgs& a) {
  const fs::path work = fs::absolute(a.workdir);
  fs::create_directories(work / "redis");
  const std::string self = fs::read_symlink("/proc/self/exe").string();
  const auto data_dir = fs::absolute(
      datasets::resolve_data_dir(a.data_dir.empty() ? std::nullopt : std::optional(a.data_dir)));
  const bool real = datasets::catalog_complete(data_dir);
  if (real) {
    std::printf("datasets: the paper's five files in %s (sha256 checked)\n", data_dir.c_str());
  } else {
    std::printf(
        "datasets: the paper's files are not in %s, so this demo trains on synthetic data of the "
        "same shapes.\n"
        "  To use the real ones: copy them there (dlaaw datasets import DIR), or point --data-dir "
        "or\n"
        "  DLAAW_DATA_DIR at a folder that has them (dlaaw datasets lists what is expected).\n",
        data_dir.c_str());
  }
  const std::string db = (work / "dlaaw.db").string();
  const int redis_port = free_port();
  const int report_port = a.port == 0 ? free_port() : a.port;
  const std::string redis_url = "redis://127.0.0.1:" + std::to_string(redis_port);

  // Ctrl-C and SIGTERM are taken by one thread; the demo then stops everything it started.
  const StopSignal stop;
  Children children;
  children.start("redis-server",
                 {"redis-server", "--port", std::to_string(redis_port), "--bind", "127.0.0.1",
                  "--dir", (work / "redis").string(), "--appendonly", "yes", "--save", ""},
                 work / "redis.log");
  std::unique_ptr<queue::RedisClient> redis;
  for (int i = 0; i < 100 && !redis; ++i) {
    try {
      redis = std::make_unique<queue::RedisClient>(queue::parse_redis_url(redis_url));
    } catch (const ServiceUnavailable&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  if (!redis)
    throw ServiceUnavailable("demo: redis-server did not start (see " +
                             (work / "redis.log").string() + ")");
  children.start("tracker", {self, "tracker", "--redis", redis_url, "--db", db},
                 work / "tracker.log");
  const std::string cache = (work / "cache").string();
  children.start(
      "cpu executor",
      {self, "executor", "--resource", "cpu", "--redis", redis_url, "--cache-dir", cache},
      work / "executor-cpu.log");
  if (!kernels::cuda_devices().empty()) {
    children.start(
        "gpu executor",
        {self, "executor", "--resource", "local-gpu", "--redis", redis_url, "--cache-dir", cache},
        work / "executor-gpu.log");
  }
  while (queue::live_executors(*redis).empty())
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  children.start(
      "report",
      {self, "serve", "--db", db, "--redis", redis_url, "--port", std::to_string(report_port)},
      work / "report.log");

  nnworkflow::SweepDocument sweep;
  sweep.name = std::string(a.full ? "paper-table1" : "paper-quick") + (real ? "" : "-synthetic");
  sweep.workflows = paper_workflows(real);
  std::vector<json> plans{{{"type", "train_test"}, {"test_fraction", 0.2}}};
  if (a.full) plans.push_back({{"type", "kfold"}, {"k", 6}});
  std::vector<json> seeds;
  for (int s = 1; s <= (a.full ? 5 : 2); ++s) seeds.push_back(s);
  sweep.axes = {{"resource", {json("live")}}, {"plan", plans}, {"seed", seeds}};
  executor::expand_live_resources(*redis, sweep);
  const auto submitted = executor::submit_sweep(*redis, sweep, data_dir);
  std::printf("sweep %s: %zu members on %zu resource(s); %d queued, %d already done\n",
              sweep.name.c_str(), submitted.job_ids.size(), sweep.axes[0].second.size(),
              submitted.queued + submitted.retried, submitted.skipped);

  // The PyTorch peer trains the same train/test members on the CPU meanwhile, into the same
  // experiment, so the compare page puts both side by side.
  std::thread peers;
  const bool with_peers = a.peers && torch_available();
  if (!with_peers)
    std::printf(
        "PyTorch peer: skipped (%s)\n",
        a.peers ? "python3-torch is not installed: bench/setup.sh installs it" : "--no-peer");
  if (with_peers && !fs::exists(work / ("peers-done-" + sweep.name))) {
    peers = std::thread([&, members = nnworkflow::expand_sweep(sweep)] {
      fs::create_directories(work / "peer");
      std::set<std::string> done;
      for (const auto& m : members) {
        if (stop.stopped()) return;
        if (m.document.plan.type != nnworkflow::PlanType::TrainTest) continue;
        json doc = nnworkflow::workflow_to_json(m.document);
        doc.erase("resource");
        const std::string key = doc.dump();
        if (!done.insert(key).second) continue;  // one peer run per workflow and seed
        const auto file = work / "peer" / (datasets::sha256_hex(key).substr(0, 12) + ".json");
        std::ofstream(file) << doc.dump();
        const std::string cmd = "/usr/bin/python3 '" DLAAW_SOURCE_DIR "/bench/torch_peer.py' '" +
                                file.string() + "' --threads 1 --data-dir '" + data_dir.string() +
                                "' --db '" + db + "' --experiment '" + sweep.name + "' >> '" +
                                (work / "peer.log").string() + "' 2>&1";
        std::system(cmd.c_str());
      }
      std::ofstream(work / ("peers-done-" + sweep.name)) << "done\n";
    });
  }
  ProgressBar bar("sweep " + sweep.name);
  const auto results = executor::wait_for_sweep(
      *redis, submitted, [&](int ended, int total) { bar.update(0, 1, ended, total, 0.0); },
      [&] { return stop.stopped().load(); });
  bar.finish();
  if (stop.stopped()) {
    std::printf("stopping...\n");
    children.stop_all();
    if (peers.joinable()) peers.join();  // the peer run in progress finishes first
    return kSuccess;
  }
  if (peers.joinable()) peers.join();
  std::printf("\n%s", executor::comparison_table(results).c_str());
  std::printf(
      "\nreport: http://127.0.0.1:%d/compare?experiment=%s  (runs: http://127.0.0.1:%d/runs)\n",
      report_port, sweep.name.c_str(), report_port);
  std::printf(
      "database: %s (kept). Ctrl-C stops redis, the tracker, the executors and the report.\n",
      db.c_str());
  std::fflush(stdout);
  stop.wait();
  std::printf("stopping...\n");
  children.stop_all();
  return kSuccess;
}

}  // namespace

void add_demo_command(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<DemoArgs>();
  CLI::App* cmd =
      app.add_subcommand("demo", "Start the whole service privately and run the paper's sweep");
  cmd->add_flag("--full", a->full,
                "Table I in full: train/test and 6-fold, seeds 1..5 (default: a quick variant)");
  cmd->add_flag(
      "--quick", [a](std::int64_t) { a->full = false; }, "The quick variant (default)");
  cmd->add_option("--port", a->port, "Report port (default 8080; 0 picks a free one)");
  cmd->add_option("--workdir", a->workdir,
                  "Where the database, logs and Redis data go (default ./dlaaw-demo)");
  cmd->add_option("--data-dir", a->data_dir,
                  "Folder of the paper's datasets (default: $DLAAW_DATA_DIR, else ./data)");
  cmd->add_flag(
      "--no-peer", [a](std::int64_t) { a->peers = false; }, "Do not train the PyTorch peer");
  cmd->callback([a, &exit_code] { exit_code = run_guarded([&] { return demo(*a); }); });
}

}  // namespace dlaaw::cli
