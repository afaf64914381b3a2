// pipeline_page_test.cpp - the pipeline page: where a reused task's output came from, links to
// runs, the progress of running tasks, and a driver's error.
#include "reports/pipeline_page.h"

#include <gtest/gtest.h>

namespace dlaaw::reports {
namespace {

tracker::PipelineTaskRecord task(const std::string& name, const std::string& kind,
                                 const std::string& state) {
  tracker::PipelineTaskRecord t;
  t.name = name;
  t.kind = kind;
  t.state = state;
  return t;
}

tracker::PipelineView view() {
  tracker::PipelineView v;
  // Moved in, not assigned from literals: GCC 12 reports a false -Wrestrict on the latter here.
  v.name = std::string("p");
  v.state = std::string("running");
  auto data = task("data", "dataset", "cached");
  data.source_job_id = "j-old-data";
  auto model = task("model", "train", "cached");
  model.needs = {"data"};
  model.source_job_id = "j-old-model";
  model.source_run_id = 7;
  auto other = task("other", "train", "running");
  other.needs = {"data"};
  other.job_id = "j-now";
  other.run_id = 9;
  v.tasks = {data, model, other};
  return v;
}

// The table row of `name` (from its data-task attribute to the end of the row).
std::string row_of(const std::string& html, const std::string& name) {
  const auto start = html.find("<tr data-task=\"" + name + "\"");
  if (start == std::string::npos) return "";
  return html.substr(start, html.find("</tr>", start) - start);
}

TEST(PipelinePageTest, AReusedTaskNamesTheJobAndRunThatProducedItsOutput) {
  const std::string html = pipeline_page(view());
  const std::string model = row_of(html, "model");
  EXPECT_NE(model.find("reused from job <code>j-old-model</code> (run <a href=\"/runs/7\">7</a>)"),
            std::string::npos)
      << model;
  const std::string data = row_of(html, "data");
  EXPECT_NE(data.find("reused from job <code>j-old-data</code>"), std::string::npos) << data;
  EXPECT_EQ(data.find("/runs/"), std::string::npos) << data;  // a dataset task has no run
  // A train task's box links to its run; a reused one's to the run that trained its model.
  EXPECT_NE(html.find("<a href=\"/runs/9\"><g class=\"task state-running\" data-task=\"other\""),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<a href=\"/runs/7\"><g class=\"task state-cached\" data-task=\"model\""),
            std::string::npos)
      << html;
  EXPECT_EQ(row_of(html, "other").find("reused"), std::string::npos);
}

TEST(PipelinePageTest, ARunningTaskShowsItsLatestProgress) {
  queue::ProgressEvent e;
  e.header.job = "j-now";
  e.fold = 1;
  e.folds = 2;
  e.epoch = 50;
  e.epochs = 100;
  e.loss = 0.25;
  const std::string html = pipeline_page(view(), {{"j-now", e}});
  const std::string other = row_of(html, "other");
  EXPECT_NE(other.find("fold 2/2, epoch 50/100"), std::string::npos) << other;
  EXPECT_NE(other.find("<progress max=\"100\" value=\"75\"></progress> 75%"), std::string::npos)
      << other;
  EXPECT_NE(other.find("loss 0.2500"), std::string::npos) << other;
  EXPECT_NE(html.find("train · running 75%"), std::string::npos) << html;
  // Progress of a job that is not a running task's is not shown.
  EXPECT_EQ(pipeline_page(view(), {{"j-old-model", e}}).find("75%"), std::string::npos);
}

TEST(PipelinePageTest, ADriversErrorIsShownEscaped) {
  auto v = view();
  v.state = "failed";
  v.error = "redis at <127.0.0.1>: connection lost";
  const std::string html = pipeline_page(v);
  EXPECT_NE(html.find("its driver stopped: redis at &lt;127.0.0.1&gt;: connection lost"),
            std::string::npos)
      << html;
}

}  // namespace
}  // namespace dlaaw::reports
