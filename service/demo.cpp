// demo.cpp - the demo's supervisor: services up, the sweep and its peer, then wait for a stop.
#include "service/demo.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <set>
#include <thread>

#include "client/sweep_runner.h"
#include "common/errors.h"
#include "datasets/catalog_files.h"
#ifdef DLAAW_HAVE_FETCH
#include "datasets/catalog_fetch.h"
#endif
#include "datasets/data_dir.h"
#include "datasets/sha256.h"
#include "executor/resource_check.h"
#include "nnworkflow/workflow_json.h"
#include "queue/executor_registry.h"
#include "queue/resource_store.h"
#include "service/paper_sweep.h"
#include "service/process_group.h"

namespace dlaaw::service {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Where everything the demo runs lives, and how to reach it.
struct Layout {
  fs::path work;
  fs::path data_dir;
  std::string db;
  std::string redis_url;
  int report_port = 0;
  bool real = false;       // the paper's files are in data_dir
  std::string fetch_note;  // what fetching them did, or why it failed ("" when not tried)
};

// Downloads the paper's files into `l.data_dir` when they are missing: the demo runs unattended,
// so a failure (no network, a mismatch) is noted and the demo goes on with synthetic data.
void fetch_missing(Layout& l, const DemoOptions& o) {
#ifdef DLAAW_HAVE_FETCH
  if (l.real || !o.fetch) return;
  datasets::FetchOptions options;
  options.mirror = o.mirror;
  options.timeout_seconds = 20;
  try {
    datasets::fetch_catalog_files(l.data_dir, options);
    l.real = datasets::catalog_complete(l.data_dir);
    l.fetch_note = "fetched the missing files from " +
                   (o.mirror.empty() ? std::string("their public addresses") : o.mirror);
  } catch (const std::exception& e) {
    l.fetch_note = std::string("fetching them failed: ") + e.what();
  }
#else
  (void)l, (void)o;
#endif
}

Layout make_layout(const DemoOptions& o) {
  Layout l;
  l.work = fs::absolute(o.workdir);
  fs::create_directories(l.work / "redis");
  l.data_dir = fs::absolute(
      datasets::resolve_data_dir(o.data_dir.empty() ? std::nullopt : std::optional(o.data_dir)));
  l.real = datasets::catalog_complete(l.data_dir);
  fetch_missing(l, o);
  l.db = (l.work / "dlaaw.db").string();
  l.redis_url = "redis://127.0.0.1:" + std::to_string(free_loopback_port());
  l.report_port = o.port == 0 ? free_loopback_port() : o.port;
  return l;
}

std::string datasets_note(const Layout& l) {
  const std::string fetched = l.fetch_note.empty() ? "" : "\n  (" + l.fetch_note + ")";
  if (l.real)
    return "datasets: the paper's five files in " + l.data_dir.string() + " (sha256 checked)" +
           fetched;
  return "datasets: the paper's files are not in " + l.data_dir.string() + fetched +
         "\n  so this demo trains on synthetic data of the same shapes.\n"
         "  To use the real ones: dlaaw datasets fetch [--mirror URL], copy them there (dlaaw "
         "datasets import DIR), or point "
         "--data-dir or\n"
         "  DLAAW_DATA_DIR at a folder that has them (dlaaw datasets lists what is expected).";
}

// Starts redis-server and waits until it answers.
std::unique_ptr<queue::RedisClient> start_redis(ProcessGroup& group, const Layout& l) {
  const std::string port = l.redis_url.substr(l.redis_url.rfind(':') + 1);
  group.start("redis-server",
              {"redis-server", "--port", port, "--bind", "127.0.0.1", "--dir",
               (l.work / "redis").string(), "--appendonly", "yes", "--save", ""},
              l.work / "redis.log");
  for (int i = 0; i < 100; ++i) {
    try {
      return std::make_unique<queue::RedisClient>(queue::parse_redis_url(l.redis_url));
    } catch (const ServiceUnavailable&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  throw ServiceUnavailable("demo: redis-server did not start (see " +
                           (l.work / "redis.log").string() + ")");
}

// The tracker, one executor per resource this machine is, then (once one serves) the report.
void start_services(ProcessGroup& group, queue::RedisClient& redis, const Layout& l,
                    const DemoOptions& o, const std::atomic<bool>& stop) {
  const std::string self = o.self.string();
  group.start("tracker", {self, "tracker", "--redis", l.redis_url, "--db", l.db},
              l.work / "tracker.log");
  const auto resources = demo_resources(queue::load_registry(redis, ""), executor::this_machine());
  for (const auto& r : resources) {
    group.start(r + " executor",
                {self, "executor", "--resource", r, "--redis", l.redis_url, "--cache-dir",
                 (l.work / "cache").string()},
                l.work / ("executor-" + r + ".log"));
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (queue::live_executors(redis).empty()) {
    if (stop || std::chrono::steady_clock::now() > deadline)
      throw ServiceUnavailable("demo: no executor came up (see " +
                               (l.work / "executor-*.log").string() + ")");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  group.start("report",
              {self, "serve", "--db", l.db, "--redis", l.redis_url, "--port",
               std::to_string(l.report_port)},
              l.work / "report.log");
}

bool torch_available() {
  return std::system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") == 0;
}

// Trains the sweep's train/test members with the PyTorch peer on the CPU, into the same
// experiment, so that the compare page puts both side by side. Stops between runs on `stop`.
void run_peers(const nnworkflow::SweepDocument& sweep, const Layout& l, const DemoOptions& o,
               const std::atomic<bool>& stop) {
  fs::create_directories(l.work / "peer");
  std::set<std::string> done;
  for (const auto& m : nnworkflow::expand_sweep(sweep)) {
    if (stop) return;
    if (m.document->plan.type != nnworkflow::PlanType::TrainTest) continue;
    json doc = nnworkflow::workflow_to_json(m.document);
    doc.erase("resource");
    const std::string key = doc.dump();
    if (!done.insert(key).second) continue;  // one peer run per workflow and seed
    const auto file = l.work / "peer" / (datasets::sha256_hex(key).substr(0, 12) + ".json");
    std::ofstream(file) << doc.dump();
    const std::string cmd = "/usr/bin/python3 '" + (o.source_dir / "bench/torch_peer.py").string() +
                            "' '" + file.string() + "' --threads 1 --data-dir '" +
                            l.data_dir.string() + "' --db '" + l.db + "' --experiment '" +
                            sweep.name + "' >> '" + (l.work / "peer.log").string() + "' 2>&1";
    if (std::system(cmd.c_str()) != 0) continue;  // peer.log says why; the demo goes on
  }
  std::ofstream(l.work / ("peers-done-" + sweep.name)) << "done\n";
}

std::thread start_peers(const nnworkflow::SweepDocument& sweep, const Layout& l,
                        const DemoOptions& o, const std::atomic<bool>& stop,
                        const DemoHooks& hooks) {
  if (!o.peers || !torch_available()) {
    hooks.say(
        std::string("PyTorch peer: skipped (") +
        (o.peers ? "python3-torch is not installed: bench/setup.sh installs it" : "--no-peer") +
        ")");
    return {};
  }
  if (fs::exists(l.work / ("peers-done-" + sweep.name))) return {};
  return std::thread([&sweep, &l, &o, &stop] { run_peers(sweep, l, o, stop); });
}

}  // namespace

int run_demo(const DemoOptions& o, const std::atomic<bool>& stop, const DemoHooks& hooks) {
  const Layout l = make_layout(o);
  hooks.say(datasets_note(l));
  ProcessGroup group;
  auto redis = start_redis(group, l);
  start_services(group, *redis, l, o, stop);

  auto sweep = paper_sweep({o.full, l.real, o.source_dir / "examples/paper"});
  client::expand_live_resources(*redis, sweep);
  const auto submitted =
      client::submit_sweep(*redis, sweep, l.data_dir, queue::load_registry(*redis, ""));
  hooks.say("sweep " + sweep.name + ": " + std::to_string(submitted.job_ids.size()) +
            " members on " + std::to_string(sweep.axes[0].second.size()) + " resource(s); " +
            std::to_string(submitted.queued + submitted.retried) + " queued, " +
            std::to_string(submitted.skipped) + " already done");
  std::thread peers = start_peers(sweep, l, o, stop, hooks);
  const auto results =
      client::wait_for_sweep(*redis, submitted, hooks.progress, [&] { return stop.load(); });
  if (!stop) {
    if (peers.joinable()) peers.join();
    hooks.say(std::string("\n").append(client::comparison_table(results)));
    hooks.say("report: http://127.0.0.1:" + std::to_string(l.report_port) + "/compare?experiment=" +
              sweep.name + "  (runs: http://127.0.0.1:" + std::to_string(l.report_port) + "/runs)");
    hooks.say("database: " + l.db +
              " (kept). Ctrl-C stops redis, the tracker, the executors and the report.");
    while (!stop) stop.wait(false);
  }
  hooks.say("stopping...");
  group.stop_all();
  if (peers.joinable()) peers.join();  // the peer run in progress finishes first
  return 0;
}

}  // namespace dlaaw::service
