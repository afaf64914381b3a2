// report_daily_use_test.cpp - what a researcher uses the report for after a sweep: tags, notes
// and archived runs in the runs table and API, downloads, the compare page's overlays, parameter
// table and parallel coordinates, and energy beside training time.
#include <gtest/gtest.h>

#include "../common/redis_server.h"
#include "../tracker/tracker_fixture.h"
#include "queue/job_queue.h"
#include "queue/sweep_index.h"
#include "report_test_support.h"
#include "tracker/run_annotations.h"
#include "tracker/run_lifecycle.h"
#include "tracker/run_store.h"

namespace dlaaw::reports {
namespace {

using nlohmann::json;

// Runs 1-4: a learning-rate sweep "lr-sweep" (run 4 carries energy); run 5 archived; run 6 in
// "other" with a note.
class ReportDailyUseTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    const std::string db_path = (dir_->path() / "daily.db").string();
    {
      tracker::SqliteDb db(db_path);
      tracker::RunStore store(db);
      const double rates[] = {0.01, 0.05, 0.1, 0.5};
      for (int i = 0; i < 4; ++i) {
        auto d = tracker::synthetic_result(2, false, 1, 5).workflow;
        d.training.learning_rate = rates[i];
        executor::EngineOptions options;
        options.threads = 1;
        auto r = executor::run_workflow(nnworkflow::ValidWorkflow(d), options);
        if (i == 3) r.energy = results::EnergyRecord{42.5, "rapl", ""};
        store.record_result(std::to_string(i), 1, r, std::string("lr-sweep"));
      }
      store.record_result("5", 1, tracker::synthetic_result(2, false, 5, 5), std::string("old"));
      store.record_result("6", 1, tracker::synthetic_result(2, false, 6, 5), std::string("other"));
      tracker::tag_run(db, 1, {{"stage", "baseline"}});
      tracker::tag_run(db, 2, {{"stage", "tuned"}, {"owner", "ana"}});
      tracker::note_run(db, 6, "<b>check</b> the scaler");
      tracker::archive_runs(db, {5});
    }
    report_ = new ServedReport(db_path);
  }
  static void TearDownTestSuite() {
    delete report_;
    delete dir_;
  }
  json get_json(const std::string& path) {
    auto res = report_->get(path);
    EXPECT_TRUE(res) << path;
    EXPECT_EQ(res->status, 200) << path << " " << res->body.substr(0, 300);
    return json::parse(res->body);
  }
  std::string body(const std::string& path) {
    auto res = report_->get(path);
    EXPECT_TRUE(res) << path;
    EXPECT_EQ(res->status, 200) << path << " " << res->body.substr(0, 300);
    return res ? res->body : "";
  }

  static inline testing::TempDir* dir_ = nullptr;
  static inline ServedReport* report_ = nullptr;
};

TEST_F(ReportDailyUseTest, TagsAndNotesShowAndFilterInTheRunsTableAndApi) {
  const json tagged = get_json("/api/runs?tag=stage");
  EXPECT_EQ(tagged["total"], 2);
  const json tuned = get_json("/api/runs?tag=stage%3Dtuned&tag=owner");
  ASSERT_EQ(tuned["runs"].size(), 1u);
  EXPECT_EQ(tuned["runs"][0]["id"], 2);
  EXPECT_EQ(tuned["runs"][0]["tags"], json({{"owner", "ana"}, {"stage", "tuned"}}));
  const std::string page = body("/runs?tag=stage%3Dbaseline");
  EXPECT_NE(page.find("<p id=\"total\">1 runs"), std::string::npos);
  EXPECT_NE(page.find("class=\"tag\" href=\"/runs?tag=stage%3Dbaseline\">stage=baseline</a>"),
            std::string::npos);
  const std::string all = body("/runs");
  EXPECT_NE(all.find("&lt;b&gt;check&lt;/b&gt; the scaler"), std::string::npos) << "escaped note";
  EXPECT_NE(body("/runs/6").find("<blockquote id=\"note\">&lt;b&gt;check"), std::string::npos);
  EXPECT_EQ(report_->get("/api/runs?tag=bad%20key")->status, 400);
  EXPECT_EQ(report_->get("/runs?archived=sometimes")->status, 400);
  // The experiments API takes the runs table's tag rule: a thousand tag filters made a query
  // SQLite refused (a 500); more than eight are refused up front, as on /api/runs.
  std::string many = "/api/experiments?tag=stage";
  for (int i = 0; i < 300; ++i) many += "&tag=k" + std::to_string(i);
  EXPECT_EQ(report_->get(many)->status, 400);
  std::string nine = "/api/runs?tag=stage";
  for (int i = 0; i < 8; ++i) nine += "&tag=k" + std::to_string(i);
  EXPECT_EQ(report_->get(nine)->status, 400);
  EXPECT_EQ(report_->get("/api/experiments?tag=stage")->status, 200);
  // A repeated parameter is read as its first value everywhere.
  EXPECT_EQ(get_json("/api/runs?archived=only&archived=include")["total"], 1);
}

TEST_F(ReportDailyUseTest, ArchivedRunsAreHiddenUnlessAskedFor) {
  EXPECT_EQ(get_json("/api/runs")["total"], 5);
  EXPECT_EQ(get_json("/api/runs?archived=include")["total"], 6);
  const json only = get_json("/api/runs?archived=only");
  ASSERT_EQ(only["runs"].size(), 1u);
  EXPECT_EQ(only["runs"][0]["id"], 5);
  EXPECT_TRUE(only["runs"][0]["archived"].get<bool>());
  EXPECT_NE(body("/runs?archived=only").find("<tr class=\"archived\">"), std::string::npos);
  EXPECT_NE(body("/runs/5").find("id=\"archived\""), std::string::npos);
}

TEST_F(ReportDailyUseTest, DownloadsAreAttachmentsInCsvAndJson) {
  auto csv = report_->get("/runs.csv?tag=stage&sort=id&order=asc");
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->status, 200);
  EXPECT_EQ(csv->get_header_value("Content-Disposition"), "attachment; filename=\"runs.csv\"");
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(std::count(csv->body.begin(), csv->body.end(), '\n'), 3) << csv->body;
  EXPECT_EQ(csv->body.rfind("id,experiment,", 0), 0u) << csv->body;
  EXPECT_NE(csv->body.find("\n1,lr-sweep,"), std::string::npos) << csv->body;
  const json runs = json::parse(report_->get("/runs.json?archived=include")->body);
  EXPECT_EQ(runs.size(), 6u);

  auto cmp = report_->get("/compare.csv?experiment=lr-sweep");
  ASSERT_TRUE(cmp);
  EXPECT_EQ(cmp->get_header_value("Content-Disposition"),
            "attachment; filename=\"compare-lr-sweep.csv\"");
  EXPECT_EQ(std::count(cmp->body.begin(), cmp->body.end(), '\n'), 5) << cmp->body;
  const json cj = json::parse(report_->get("/compare.json?runs=1,2")->body);
  EXPECT_EQ(cj["runs"].size(), 2u);

  auto pred = report_->get("/runs/1/predictions.csv");
  ASSERT_TRUE(pred);
  EXPECT_EQ(pred->get_header_value("Content-Disposition"),
            "attachment; filename=\"run-1-predictions.csv\"");
  EXPECT_EQ(pred->body.rfind("fold,row,label,score\n", 0), 0u);
  const json pj = json::parse(report_->get("/runs/1/predictions.json")->body);
  EXPECT_EQ(std::count(pred->body.begin(), pred->body.end(), '\n'),
            1 + static_cast<long>(pj[0]["rows"].size()));
  EXPECT_EQ(report_->get("/runs/99/predictions.csv")->status, 404);
  EXPECT_EQ(report_->get("/runs.xml")->status, 404);
  EXPECT_EQ(report_->get("/compare.csv")->status, 400);
  EXPECT_NE(body("/runs").find("href=\"/runs.csv?sort=id&amp;order=desc\""), std::string::npos);
}

TEST_F(ReportDailyUseTest, CompareOverlaysLossesHighlightsDifferencesAndDrawsTheSweep) {
  const std::string page = body("/compare?runs=1,2,3");
  EXPECT_EQ(count(page, "class=\"loss\""), 3u) << "one curve per compared run";
  const auto params = page.find("id=\"parameters\"");
  ASSERT_NE(params, std::string::npos);
  const std::string table = page.substr(params, page.find("</table>", params) - params);
  EXPECT_NE(table.find("<tr class=\"differs\"><th>training.learning_rate</th><td>0.01</td>"
                       "<td>0.05</td><td>0.1</td></tr>"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("<tr class=\"same\"><th>training.epochs</th>"), std::string::npos);
  EXPECT_EQ(count(table, "class=\"differs\""), 1u) << table;
  const std::string sweep = body("/compare?experiment=lr-sweep");
  EXPECT_EQ(count(sweep, "class=\"pc-line\""), 4u) << "a line per sweep member";
  EXPECT_NE(sweep.find("learning rate"), std::string::npos);
}

TEST_F(ReportDailyUseTest, EnergyShowsBesideTrainingTimeWhereMeasured) {
  const std::string page = body("/compare?experiment=lr-sweep");
  EXPECT_NE(page.find("<th>energy J mean ± std</th>"), std::string::npos);
  EXPECT_NE(page.find("<td class=\"num energy\">42.50"), std::string::npos) << page;
  EXPECT_NE(page.find("<h2>Energy per dataset</h2>"), std::string::npos);
  EXPECT_EQ(body("/compare?runs=1,2").find("<th>energy J mean"), std::string::npos)
      << "no energy column when no run measured it";
  EXPECT_NE(body("/runs/4").find("<b>42.50 J</b>, measured by rapl"), std::string::npos);
  EXPECT_NE(body("/runs/1").find("not measured"), std::string::npos);
  EXPECT_EQ(get_json("/api/runs/4")["energy"]["joules"], 42.5);
  if (!have_chromium()) GTEST_SKIP() << "chromium is not installed";
  const std::string shot = artifact_path("compare-sweep.png");
  const std::string dom = browse(report_->url("/compare?experiment=lr-sweep"), shot);
  EXPECT_EQ(count(dom, "class=\"pc-line\""), 4u);
  EXPECT_EQ(png_size(shot).first, 1280);
}

TEST_F(ReportDailyUseTest, ASweepPageShowsProgressStatesAndTheBestRun) {
  const std::string page = body("/sweeps/lr-sweep");
  EXPECT_NE(page.find("4 of 4 members ended (100%)"), std::string::npos) << page;
  const json sweep = get_json("/api/sweeps/lr-sweep");
  EXPECT_EQ(sweep["runs_by_state"]["finished"], 4);
  double best = 0;
  for (const auto& r : sweep["runs"]) best = std::max(best, r["accuracy"].get<double>());
  EXPECT_EQ(sweep["best"]["accuracy"].get<double>(), best);
  EXPECT_NE(page.find("best so far: <a href=\"/runs/" + sweep["best"]["id"].dump() + "\">"),
            std::string::npos);
  EXPECT_EQ(report_->get("/sweeps/nope")->status, 404);
}

TEST_F(ReportDailyUseTest, WithRedisTheSweepCountsQueuedMembersAndMetricsExportThem) {
  testing::RedisServer redis_server;
  queue::RedisClient redis(redis_server.endpoint());
  queue::JobQueue jobs(redis);
  std::vector<queue::SubmitRequest> requests(3);
  for (int i = 0; i < 3; ++i) {
    requests[i].id = "m" + std::to_string(i);
    requests[i].name = "member";
    requests[i].document = "{}";
    requests[i].resource = "cpu";
  }
  jobs.submit(requests);
  queue::SweepIndex(redis, "lr-sweep").record({{"k0", "m0"}, {"k1", "m1"}, {"k2", "m2"}});
  ASSERT_TRUE(jobs.take("ex", "cpu", std::chrono::seconds(5)));
  const ServedReport live(dir_->path() / "daily.db", redis_server.url());
  const auto page = live.get("/sweeps/lr-sweep");
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find("0 of 3 members ended"), std::string::npos) << page->body;
  const auto metrics = live.get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("dlaaw_sweep_members{sweep=\"lr-sweep\",state=\"queued\"} 2"),
            std::string::npos)
      << metrics->body;
  EXPECT_NE(metrics->body.find("dlaaw_sweep_members{sweep=\"lr-sweep\",state=\"executing\"} 1"),
            std::string::npos);
}

}  // namespace
}  // namespace dlaaw::reports
