// report_server_test.cpp - every page and API of `dlaaw serve` over a database of real runs,
// bad parameters, escaping, and a real browser (headless Chromium) rendering two pages.
#include "reports/report_server.h"

#include <httplib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "../common/dlaaw_cli.h"
#include "../common/redis_server.h"
#include "../tracker/tracker_fixture.h"
#include "queue/executor_registry.h"
#include "queue/job_queue.h"
#include "report_test_support.h"
#include "reports/html.h"
#include "reports/report_data.h"
#include "tracker/run_queries.h"

namespace dlaaw::reports {
namespace {

using nlohmann::json;

class ReportServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    db_path_ = (dir_->path() / "report.db").string();
    tracker::SqliteDb db(db_path_);
    tracker::RunStore store(db);
    for (int seed = 1; seed <= 3; ++seed) {
      const std::string n = std::to_string(seed);
      store.record_result("a" + n, 1, tracker::synthetic_result(2, false, seed, 40),
                          std::string("fig2"));
      store.record_result("b" + n, 1, tracker::synthetic_result(3, true, seed, 40),
                          std::string("fig2"));
    }
    auto evil = tracker::synthetic_result(2, false, 9, 5);
    evil.workflow.name = "<script>alert(1)</script>";
    store.record_result("evil", 1, evil, std::nullopt);
    ServeOptions options;
    options.db_path = db_path_;
    options.port = 0;
    server_ = new ReportServer(options);
    port_ = server_->bind();
    thread_ = new std::thread([] { server_->run(); });
  }
  static void TearDownTestSuite() {
    server_->stop();
    thread_->join();
    delete thread_;
    delete server_;
    delete dir_;
  }

  httplib::Result get(const std::string& path) {
    httplib::Client client("127.0.0.1", port_);
    return client.Get(path.c_str());
  }
  json get_json(const std::string& path) {
    auto res = get(path);
    EXPECT_TRUE(res) << path;
    EXPECT_EQ(res->status, 200) << path << " " << res->body;
    return json::parse(res->body);
  }
  json run(std::int64_t id) {
    tracker::SqliteDb db(db_path_, tracker::SqliteDb::Mode::ReadOnly);
    return tracker::run_details(db, id);
  }

  static inline testing::TempDir* dir_ = nullptr;
  static inline std::string db_path_;
  static inline ReportServer* server_ = nullptr;
  static inline std::thread* thread_ = nullptr;
  static inline int port_ = 0;
};

TEST_F(ReportServerTest, EveryPageAnswersWithItsContent) {
  struct Page {
    std::string path, must_contain;
  };
  for (const auto& p :
       std::vector<Page>{{"/", "Latest runs"},
                         {"/runs", "7 runs"},
                         {"/runs?experiment=fig2&sort=accuracy&order=asc&page=1", "6 runs"},
                         {"/runs/4", "class=\"loss\""},
                         {"/experiments", "fig2"},
                         {"/compare?experiment=fig2", "class=\"bar\""},
                         {"/compare?experiment=fig2&scale=log", "training time (log scale)"},
                         {"/compare?runs=1,2,3", "class=\"scatter\""}}) {
    auto res = get(p.path);
    ASSERT_TRUE(res) << p.path;
    EXPECT_EQ(res->status, 200) << p.path << res->body.substr(0, 400);
    EXPECT_NE(res->body.find(p.must_contain), std::string::npos) << p.path;
    EXPECT_EQ(res->body.find("<script"), std::string::npos) << p.path << ": pages carry no scripts";
  }
  const auto run_page = get("/runs/2")->body;
  const json details = run(2);
  EXPECT_NE(run_page.find(number(details["metrics"]["mean"]["accuracy"].get<double>(), 4)),
            std::string::npos);
  EXPECT_NE(run_page.find("class=\"task\""), std::string::npos)
      << "the network drawn as a workflow";
  EXPECT_NE(run_page.find("class=\"timing\""), std::string::npos);
  EXPECT_NE(run_page.find("/api/runs/2/provenance"), std::string::npos);
}

TEST_F(ReportServerTest, TheJsonApiMatchesTheDatabase) {
  const json runs = get_json("/api/runs?limit=3");
  EXPECT_EQ(runs["total"], 7);
  EXPECT_EQ(runs["runs"].size(), 3u);
  const json one = get_json("/api/runs/3");
  EXPECT_EQ(one, run(3));
  const json prov = get_json("/api/runs/3/provenance");
  EXPECT_TRUE(prov["activity"].contains("dlaaw:run/3"));
  EXPECT_EQ(get_json("/api/runs/3/model").size(), 1u);
  EXPECT_EQ(get_json("/api/runs/2/model").size(), 3u) << "k-fold: one model per fold";
  const json experiment = get_json("/api/experiments/fig2");
  EXPECT_EQ(experiment["comparison"]["runs"].size(), 6u);
  EXPECT_EQ(get_json("/api/experiments/1")["experiment"]["name"], "fig2");
  const json cmp = get_json("/api/compare?runs=1,3");
  EXPECT_TRUE(cmp["parameters_that_differ"].contains("training.seed"));
  const auto metrics = get("/metrics");
  EXPECT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->body.find("dlaaw_runs{state=\"finished\"} 7"), std::string::npos)
      << metrics->body;
}

TEST_F(ReportServerTest, BadIdsAndParametersAre400Or404NeverA500) {
  struct Case {
    std::string path;
    int status;
  };
  for (const auto& c : std::vector<Case>{{"/runs/999", 404},
                                         {"/runs/abc", 404},
                                         {"/runs/0", 404},
                                         {"/runs/99999999999999999999999", 404},
                                         {"/api/runs/999", 404},
                                         {"/api/runs/-1", 404},
                                         {"/api/runs/999/provenance", 404},
                                         {"/api/runs/999/model", 404},
                                         {"/api/experiments/nope", 404},
                                         {"/compare?experiment=nope", 404},
                                         {"/compare?runs=1,x", 400},
                                         {"/compare?runs=1,999", 404},
                                         {"/compare?runs=1&scale=cubic", 400},
                                         {"/runs?page=0", 400},
                                         {"/runs?page=abc", 400},
                                         {"/runs?sort=name;DROP%20TABLE%20runs", 400},
                                         {"/runs?order=sideways", 400},
                                         {"/api/runs?limit=100000", 400},
                                         {"/api/compare", 400},
                                         {"/no/such/page", 404}}) {
    auto res = get(c.path);
    ASSERT_TRUE(res) << c.path;
    EXPECT_EQ(res->status, c.status) << c.path << " " << res->body.substr(0, 300);
    EXPECT_FALSE(res->body.empty()) << c.path << ": errors carry a message";
  }
  EXPECT_EQ(get_json("/api/runs")["total"], 7) << "nothing was dropped";
}

TEST_F(ReportServerTest, ValuesFromDocumentsAreEscaped) {
  const std::string body = get("/runs")->body;
  EXPECT_NE(body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(body.find("<script>alert(1)"), std::string::npos);
  EXPECT_EQ(get("/runs/7")->body.find("<script>alert(1)"), std::string::npos);
}

TEST_F(ReportServerTest, TheServerIsReadOnly) {
  httplib::Client client("127.0.0.1", port_);
  for (const char* path : {"/runs/1", "/api/runs/1", "/api/runs"}) {
    auto post = client.Post(path, "{}", "application/json");
    ASSERT_TRUE(post);
    EXPECT_NE(post->status, 200) << path;
    auto del = client.Delete(path);
    ASSERT_TRUE(del);
    EXPECT_NE(del->status, 200) << path;
  }
  EXPECT_EQ(get_json("/api/runs")["total"], 7);
}

TEST_F(ReportServerTest, ARealBrowserRendersTheComparisonAndARun) {
  if (std::system("command -v chromium >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "chromium is not installed (scripts/install-deps.sh installs it)";
  }
  const std::string artifacts = DLAAW_ARTIFACT_DIR;
  std::filesystem::create_directories(artifacts);
  const std::string base = "http://127.0.0.1:" + std::to_string(port_);
  const std::string compare = browse(base + "/compare?experiment=fig2", artifacts + "/compare.png");
  ASSERT_FALSE(compare.empty()) << "chromium rendered nothing";
  // One dataset (synthetic) x one series (local/cpu): an accuracy bar and a time bar.
  EXPECT_EQ(count(compare, "class=\"bar\""), 2u) << compare.substr(0, 2000);
  tracker::SqliteDb db(db_path_, tracker::SqliteDb::Mode::ReadOnly);
  const json cmp = comparison(db, tracker::experiment_runs(db, "fig2").second);
  const std::string mean = number(cmp["table"][0]["accuracy_mean"].get<double>(), 4);
  EXPECT_NE(compare.find("data-accuracy=\"" + mean + "\""), std::string::npos)
      << "table value from the database";
  EXPECT_NE(compare.find("data-value=\"" + mean + "\""), std::string::npos)
      << "bar height from the database";
  EXPECT_TRUE(std::filesystem::file_size(artifacts + "/compare.png") > 1000);

  const std::string run_dom = browse(base + "/runs/1", artifacts + "/run.png");
  EXPECT_EQ(count(run_dom, "class=\"loss\""), 1u) << "one loss curve";
  EXPECT_NE(run_dom.find(number(run(1)["metrics"]["mean"]["accuracy"].get<double>(), 4)),
            std::string::npos);
  EXPECT_TRUE(std::filesystem::file_size(artifacts + "/run.png") > 1000);
}

TEST(ReportLiveStateTest, DashboardShowsQueuesExecutorsAndRunningJobsFromRedis) {
  testing::RedisServer redis_server;
  testing::TempDir dir;
  const std::string db_path = (dir.path() / "live.db").string();
  {
    tracker::SqliteDb db(db_path);
    tracker::RunStore store(db);
  }
  queue::RedisClient redis(redis_server.endpoint());
  queue::JobQueue jobs(redis);
  queue::ExecutorInfo executor;
  executor.id = "gpu-box-1";
  executor.resource = "cpu";
  executor.backend = "cpu";
  executor.host = "lab";
  executor.device = R"({"kind": "cpu", "name": "Test CPU", "threads": 4})";
  queue::register_executor(redis, executor, std::chrono::seconds(60));
  queue::SubmitRequest waiting, running;
  waiting.id = "j1-waiting", waiting.name = "queued-one", waiting.document = "{}",
  waiting.resource = "nano";
  running.id = "j2-running", running.name = "<b>busy</b>", running.document = "{}",
  running.resource = "cpu";
  jobs.submit({waiting, running});
  const auto job = jobs.take("gpu-box-1", "cpu", std::chrono::seconds(60));
  ASSERT_TRUE(job);
  jobs.publish(
      queue::ProgressEvent{{"j2-running", 1, "1", "gpu-box-1", 1000}, 0, 1, 250, 1000, 0.42});

  ServeOptions options;
  options.db_path = db_path;
  options.redis_url = redis_server.url();
  options.port = 0;
  ReportServer server(options);
  const int port = server.bind();
  std::thread thread([&] { server.run(); });
  httplib::Client client("127.0.0.1", port);
  const auto api = client.Get("/api/dashboard");
  const auto page = client.Get("/");
  const auto metrics = client.Get("/metrics");
  server.stop();
  thread.join();

  ASSERT_TRUE(api && page && metrics);
  const json live = json::parse(api->body);
  EXPECT_EQ(live["depths"]["queued:nano"], 1);
  EXPECT_EQ(live["executors"][0]["id"], "gpu-box-1");
  EXPECT_EQ(live["executors"][0]["device"]["name"], "Test CPU");
  EXPECT_EQ(live["running"][0]["id"], "j2-running");
  EXPECT_EQ(live["running"][0]["progress"]["epoch"], 250);
  EXPECT_NE(page->body.find("gpu-box-1"), std::string::npos);
  EXPECT_NE(page->body.find("Test CPU"), std::string::npos) << "the executor's device";
  EXPECT_NE(page->body.find("<progress max=\"100\" value=\"25\">"), std::string::npos)
      << page->body;
  EXPECT_NE(page->body.find("&lt;b&gt;busy&lt;/b&gt;"), std::string::npos)
      << "job names are escaped";
  EXPECT_NE(page->body.find("http-equiv=\"refresh\""), std::string::npos)
      << "the dashboard refreshes itself";
  EXPECT_NE(metrics->body.find("dlaaw_queue_depth{resource=\"nano\"} 1"), std::string::npos)
      << metrics->body;
  EXPECT_NE(metrics->body.find("dlaaw_executors 1"), std::string::npos) << metrics->body;
}

}  // namespace
}  // namespace dlaaw::reports
