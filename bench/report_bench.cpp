// report_bench.cpp - the runs page of `dlaaw serve` with 100,000 runs in the database, tagged
// (two tags each, a rare one on 1 in 100), noted (1 in 50) and 20% archived: median response time
// per query shape, next to its peer measured in the same run (the same list_runs + count_runs
// called in-process, without HTTP and HTML).
//
//   build/bench/report_bench [--runs 100000]
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
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
    auto tag = db.prepare("INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?)");
    auto annotate = db.prepare("UPDATE runs SET note = ?, archived_at = ? WHERE id = ?");
    const char* stages[] = {"baseline", "tuned", "final"};
    const char* owners[] = {"ana", "ben", "chen", "dara", "eli", "fay", "gus", "hana", "ivo", "jo"};
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
      const std::int64_t id = db.last_insert_id();
      metric.bind(1, id).bind(2, 0.8).run();
      tag.bind(1, id).bind(2, "stage").bind(3, stages[i % 3]).run();
      tag.bind(1, id).bind(2, "owner").bind(3, owners[i / 7 % 10]).run();
      if (i % 100 == 42) tag.bind(1, id).bind(2, "flag").bind(3, "review").run();
      const std::optional<std::string> note =
          i % 50 == 0 ? std::optional<std::string>("rerun with a smaller learning rate")
                      : std::nullopt;
      const std::optional<std::int64_t> archived =
          i % 5 == 4 ? std::optional<std::int64_t>(std::int64_t{1700000002000} + i) : std::nullopt;
      if (note || archived) annotate.bind(1, note).bind(2, archived).bind(3, id).run();
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
  for (const char* path :
       {"/runs", "/runs?sort=accuracy", "/runs?sort=accuracy&order=asc&page=500",
        "/runs?dataset=pima&sort=train_ms&order=asc&page=200",
        "/runs?experiment=exp3&state=finished", "/runs?tag=flag%3Dreview",
        "/runs?tag=stage%3Dtuned&sort=accuracy", "/runs?tag=owner%3Dana&tag=stage%3Dfinal",
        "/runs?archived=include", "/runs?archived=only&sort=train_ms&page=100",
        "/api/runs?limit=100", "/api/runs?limit=100&tag=stage"}) {
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
