// report_bench.cpp - the runs page of `dlaaw serve` with 100,000 runs in the database: median
// response time per query shape, next to its peer measured in the same run (the same
// list_runs + count_runs called in-process, without HTTP and HTML).
//
//   build/bench/report_bench [--runs 100000]
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include "reports/report_server.h"
#include "tracker/run_queries.h"
#include "tracker/run_store.h"

namespace {
using Clock = std::chrono::steady_clock;

double median_ms(const std::function<void()>& f, int repeats = 21) {
  std::vector<double> ms;
  for (int i = 0; i < repeats; ++i) {
    const auto t = Clock::now();
    f();
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}
}  // namespace

int main(int argc, char** argv) {
  int runs = 100000;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--runs") runs = std::stoi(argv[i + 1]);
  }
  const auto dir =
      std::filesystem::temp_directory_path() / ("dlaaw-report-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string db_path = (dir / "runs.db").string();
  {
    dlaaw::tracker::SqliteDb db(db_path);
    dlaaw::tracker::RunStore store(db);  // creates the schema
    for (int e = 0; e < 10; ++e) store.experiment_id("exp" + std::to_string(e));
    const char* datasets[] = {"breast_cancer", "pima", "banknote", "grid_stability",
                              "bank_marketing"};
    const char* resources[] = {"cpu", "local-gpu", "nano"};
    const char* states[] = {"finished", "finished", "finished", "error", "lost"};
    dlaaw::tracker::Transaction t(db);
    auto run = db.prepare(
        "INSERT INTO runs (job_id, attempt, experiment_id, workflow_name, dataset, resource, "
        "backend, state, "
        "accuracy, train_ms, started_at, finished_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    auto metric =
        db.prepare("INSERT INTO metrics (run_id, fold, name, value) VALUES (?, -1, 'auc', ?)");
    for (int i = 0; i < runs; ++i) {
      const char* ds = datasets[i % 5];
      run.bind(1, std::string("j").append(std::to_string(i)))
          .bind(2, i % 10 + 1)
          .bind(3, std::string("net-") + ds)
          .bind(4, ds)
          .bind(5, resources[i % 3])
          .bind(6, i % 3 == 0 ? "cpu" : "cuda")
          .bind(7, states[i % 5])
          .bind(8, 0.7 + (i * 7919 % 3000) / 10000.0)
          .bind(9, 5.0 + i % 997)
          .bind(10, std::int64_t{1700000000000} + i)
          .bind(11, std::int64_t{1700000001000} + i)
          .run();
      metric.bind(1, db.last_insert_id()).bind(2, 0.8).run();
    }
    t.commit();
  }
  dlaaw::reports::ServeOptions options;
  options.db_path = db_path;
  options.port = 0;
  dlaaw::reports::ReportServer server(options);
  const int port = server.bind();
  std::thread thread([&] { server.run(); });
  httplib::Client client("127.0.0.1", port);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  std::printf("runs page with %d runs (median of 21 requests):\n", runs);
  double first_page_ms = 0;  // "/runs", compared with its peer below
  for (const char* path : {"/runs", "/runs?sort=accuracy", "/runs?sort=accuracy&order=asc&page=500",
                           "/runs?dataset=pima&sort=train_ms&order=asc&page=200",
                           "/runs?experiment=exp3&state=finished", "/api/runs?limit=100"}) {
    int status = 0;
    const double ms = median_ms([&] { status = client.Get(path)->status; });
    if (std::string(path) == "/runs") first_page_ms = ms;
    std::printf("  %-52s %7.2f ms  (HTTP %d)%s\n", path, ms, status,
                ms < 200 ? "" : "  over the 200 ms target");
  }
  dlaaw::tracker::SqliteDb db(db_path, dlaaw::tracker::SqliteDb::Mode::ReadOnly);
  dlaaw::tracker::RunFilter page;
  page.limit = 50;
  const double peer = median_ms([&] {
    dlaaw::tracker::list_runs(db, page);
    dlaaw::tracker::count_runs(db, page);
  });
  std::printf(
      "/runs %.2f ms against its peer, the same queries in-process without HTTP and HTML, "
      "%.2f ms: ratio %.2f\n",
      first_page_ms, peer, first_page_ms / peer);
  server.stop();
  thread.join();
  std::filesystem::remove_all(dir);
  return 0;
}
