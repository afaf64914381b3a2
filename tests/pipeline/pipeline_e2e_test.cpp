// pipeline_e2e_test.cpp - pipelines run for real: a redis-server, executor and tracker processes,
// and `dlaaw pipeline run`, checked against the tracker database.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../common/child_process.h"
#include "../common/chromium.h"
#include "../common/dlaaw_cli.h"
#include "../common/redis_server.h"
#include "../common/temp_dir.h"
#include "../common/time_scale.h"
#include "pipeline/prepared_dataset.h"
#include "queue/event_stream.h"
#include "queue/redis_client.h"
#include "tracker/pipeline_store.h"
#include "tracker/sqlite_db.h"

namespace dlaaw::pipeline {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::ChildProcess;

// 120 rows of three features, the label a noisy function of the first two.
std::string small_csv() {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(0, 10);
  std::string csv = "a,b,c,y\n";
  for (int i = 0; i < 120; ++i) {
    const double a = u(rng), b = u(rng), c = u(rng);
    csv += std::to_string(a) + "," + std::to_string(b) + "," + std::to_string(c) + "," +
           (a + b + u(rng) * 0.3 > 10 ? "1" : "0") + "\n";
  }
  return csv;
}

json dataset(const std::string& name, json steps) {
  return {{"name", name},
          {"kind", "dataset"},
          {"source", {{"path", "small.csv"}, {"label", "y"}}},
          {"steps", steps}};
}

json split_steps() {
  return json::array(
      {{{"op", "drop_empty"}},
       {{"op", "split"}, {"type", "train_test"}, {"test_fraction", 0.25}, {"seed", 1}},
       {{"op", "min_max_scale"}}});
}

json train(const std::string& name, const std::string& data, int seed, int epochs = 30) {
  json workflow = {
      {"network", json::array({{{"type", "Linear"}, {"in", 3}, {"out", 2}},
                               {{"type", "ReLU"}},
                               {{"type", "Linear"}, {"in", 2}, {"out", 1}},
                               {{"type", "Sigmoid"}}})},
      {"plan", {{"type", "train_test"}, {"test_fraction", 0.25}}},
      {"training", {{"epochs", epochs}, {"batches", 2}, {"learning_rate", 0.1}, {"seed", seed}}}};
  return {{"name", name}, {"kind", "train"}, {"needs", {data}}, {"workflow", workflow}};
}

json task(const std::string& name, const std::string& kind, json needs) {
  return {{"name", name}, {"kind", kind}, {"needs", needs}};
}

// Six tasks, two diamonds: src -> left, right -> table; other + left -> eval -> table.
json diamond(json other_steps = json::array({{{"op", "drop_empty"}}}), int epochs = 30) {
  return {{"schema", "dlaaw/pipeline@1"},
          {"name", "diamond"},
          {"resource", "cpu"},
          {"tasks", json::array({dataset("src", split_steps()), dataset("other", other_steps),
                                 train("left", "src", 1, epochs), train("right", "src", 2, epochs),
                                 task("eval", "evaluate", {"left", "other"}),
                                 task("table", "compare", {"left", "right", "eval"})})}};
}

class PipelineE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("data/small.csv", small_csv());
    db_ = (dir_.path() / "t.db").string();
    tracker_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{DLAAW_BINARY, "tracker", "--redis", server_.url(), "--db", db_},
        (dir_.path() / "tracker.log").string());
  }

  std::unique_ptr<ChildProcess> start_executor(const std::string& lease = "30s") {
    return std::make_unique<ChildProcess>(
        std::vector<std::string>{DLAAW_BINARY, "executor", "--resource", "cpu", "--redis",
                                 server_.url(), "--lease", lease, "--threads", "1", "--cache-dir",
                                 (dir_.path() / "cache").string()},
        (dir_.path() / "executor.log").string());
  }

  // Runs `dlaaw pipeline run` on `document` with --wait (and `extra` arguments).
  testing::CliOutcome run_pipeline(const json& document, const std::string& extra = "") {
    dir_.write("pipeline.json", document.dump());
    return testing::run_dlaaw(dir_.path(), "pipeline run pipeline.json --wait --redis " +
                                               server_.url() + " --db '" + db_ + "' --data-dir '" +
                                               (dir_.path() / "data").string() + "' " + extra);
  }

  tracker::PipelineView view(const std::string& name = "diamond") {
    tracker::SqliteDb db(db_, tracker::SqliteDb::Mode::ReadOnly);
    return tracker::pipeline_view(db, name);
  }

  std::map<std::string, std::string> states(const tracker::PipelineView& v) {
    std::map<std::string, std::string> out;
    for (const auto& t : v.tasks) out[t.name] = t.state;
    return out;
  }

  std::int64_t count(const std::string& sql) {
    tracker::SqliteDb db(db_, tracker::SqliteDb::Mode::ReadOnly);
    auto st = db.prepare(sql);
    st.step();
    return st.integer(0);
  }

  // Whether a driver recorded the diamond's task "src" as queued within `timeout` (scaled); the
  // database may not exist or hold the pipeline yet while it starts.
  bool src_queued_within(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + testing::scaled(timeout);
    while (std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(50ms);
      try {
        if (states(view())["src"] == "queued") return true;
      } catch (const std::exception&) {
      }
    }
    return false;
  }

  // Waits until the tracker has read and acknowledged every event on the stream.
  void wait_for_tracker() {
    queue::RedisClient redis(server_.endpoint());
    const auto field = [](const queue::RedisReply& pairs, const std::string& key) {
      for (std::size_t i = 0; i + 1 < pairs.elements.size(); i += 2) {
        if (pairs.elements[i].text == key) {
          const auto& v = pairs.elements[i + 1];
          return v.type == queue::RedisReply::Type::Integer ? std::to_string(v.integer) : v.text;
        }
      }
      return std::string();
    };
    const auto deadline = std::chrono::steady_clock::now() + testing::scaled(30s);
    while (std::chrono::steady_clock::now() < deadline) {
      const auto last =
          field(redis.command({"XINFO", "STREAM", "dlaaw:events"}), "last-generated-id");
      const auto groups = redis.command({"XINFO", "GROUPS", "dlaaw:events"});
      if (!groups.elements.empty() && field(groups.elements[0], "last-delivered-id") == last &&
          field(groups.elements[0], "pending") == "0")
        return;
      std::this_thread::sleep_for(100ms);
    }
    FAIL() << "the tracker did not catch up with the event stream";
  }

  // `dlaaw serve` on the database (no Redis), answering; its base URL.
  std::string start_serve() {
    const int port = testing::free_loopback_port();
    serve_ =
        std::make_unique<ChildProcess>(std::vector<std::string>{DLAAW_BINARY, "serve", "--db", db_,
                                                                "--port", std::to_string(port)},
                                       (dir_.path() / "serve.log").string());
    const std::string base = "http://127.0.0.1:" + std::to_string(port);
    for (int i = 0; i < 100; ++i) {
      if (std::system(("curl -sf -o /dev/null " + base + "/").c_str()) == 0) break;
      std::this_thread::sleep_for(100ms);
    }
    return base;
  }

  std::string log(const testing::CliOutcome& o) {
    std::ifstream in(dir_.path() / "executor.log");
    return o.output + "\n--- executor log ---\n" +
           std::string(std::istreambuf_iterator<char>(in), {});
  }

  testing::RedisServer server_;
  testing::TempDir dir_;
  std::string db_;
  std::unique_ptr<ChildProcess> tracker_;
  std::unique_ptr<ChildProcess> serve_;
};

// What a GET of `url` answers (empty when it fails).
std::string http_get(const std::string& url) {
  FILE* pipe = popen(("curl -sf '" + url + "'").c_str(), "r");
  std::string body;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) body.append(buf, n);
  pclose(pipe);
  return body;
}

// "other" keeps no row: it fails, so eval and table are skipped.
json failing_steps() {
  return json::array(
      {{{"op", "drop_empty"}}, {{"op", "filter"}, {"column", "a"}, {"is", ">"}, {"value", 100}}});
}

std::map<std::string, int> tasks_by_state(const tracker::PipelineView& v) {
  std::map<std::string, int> out;
  for (const auto& t : v.tasks) ++out[t.state];
  return out;
}

TEST_F(PipelineE2eTest, ADiamondRunsInDependencyOrder) {
  auto e1 = start_executor();
  auto e2 = start_executor();
  const auto out = run_pipeline(diamond());
  ASSERT_EQ(out.exit_code, 0) << log(out);
  const auto v = view();
  ASSERT_EQ(v.tasks.size(), 6u);
  EXPECT_EQ(v.state, "finished");
  std::map<std::string, const tracker::PipelineTaskRecord*> by_name;
  for (const auto& t : v.tasks) by_name[t.name] = &t;
  for (const auto& t : v.tasks) {
    ASSERT_EQ(t.state, "finished") << t.name << ": " << t.error;
    ASSERT_TRUE(t.started_at && t.finished_at) << t.name;
    EXPECT_EQ(t.output_sha256.size(), 64u) << t.name;
    for (const auto& need : t.needs) {
      EXPECT_LE(*by_name.at(need)->finished_at, *t.started_at)
          << t.name << " started before " << need << " finished";
    }
  }
  // PROV edges: every task generated its output; eval used left's model and other's rows.
  EXPECT_EQ(v.generated.size(), 6u);
  int eval_used = 0;
  for (const auto& [task, use] : v.used) {
    if (task == "eval") {
      ++eval_used;
      EXPECT_EQ(use.sha256, by_name.at(use.role)->output_sha256) << use.role;
    }
  }
  EXPECT_EQ(eval_used, 2);
  const auto prov =
      testing::run_dlaaw(dir_.path(), "pipeline provenance diamond --db '" + db_ + "'");
  ASSERT_EQ(prov.exit_code, 0) << prov.output;
  const json p = json::parse(prov.output);
  EXPECT_TRUE(p["activity"].contains("dlaaw:pipeline/diamond/eval")) << prov.output;
  EXPECT_EQ(p["wasGeneratedBy"].size(), 6u);
  // `dlaaw provenance --pipeline` is the same document; a run id and --pipeline together, or
  // neither, is bad input.
  const auto plain =
      testing::run_dlaaw(dir_.path(), "provenance --pipeline diamond --db '" + db_ + "'");
  ASSERT_EQ(plain.exit_code, 0) << plain.output;
  EXPECT_EQ(json::parse(plain.output), p);
  EXPECT_EQ(testing::run_dlaaw(dir_.path(), "provenance --db '" + db_ + "'").exit_code, 2);
  EXPECT_EQ(testing::run_dlaaw(dir_.path(), "provenance 1 --pipeline diamond --db '" + db_ + "'")
                .exit_code,
            2);

  // The tracker makes a run of each train task's job and of nothing else: dataset, evaluate and
  // compare jobs are no runs, and none of their events is rejected.
  wait_for_tracker();
  EXPECT_EQ(count("SELECT COUNT(*) FROM runs"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM runs WHERE state = 'finished' AND job_id IN ('" +
                  by_name.at("left")->job_id + "', '" + by_name.at("right")->job_id + "')"),
            2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM rejected_events"), 0);
  for (const auto& t : view().tasks) EXPECT_EQ(t.run_id.has_value(), t.kind == "train") << t.name;
}

// A train task's predictions over the inline limit travel as a blob, as a workflow job's do: the
// result event stays small and the tracker still stores every prediction.
TEST_F(PipelineE2eTest, ALargeTrainTaskKeepsItsPredictionsOutOfTheResultEvent) {
  std::string csv = "a,b,c,y\n";
  for (int i = 0; i < 100000; ++i) {
    const int a = i % 97, b = i % 89, c = i % 83;
    csv += std::to_string(a) + "," + std::to_string(b) + "," + std::to_string(c) + "," +
           (a + b > 90 ? "1" : "0") + "\n";
  }
  dir_.write("data/big.csv", csv);
  json steps =
      json::array({{{"op", "split"}, {"type", "train_test"}, {"test_fraction", 0.5}, {"seed", 1}},
                   {{"op", "min_max_scale"}}});
  json source = dataset("big", steps);
  source["source"]["path"] = "big.csv";
  json model = train("model", "big", 1, 1);
  model["workflow"]["plan"]["test_fraction"] = 0.5;
  const json document = {{"schema", "dlaaw/pipeline@1"},
                         {"name", "large"},
                         {"resource", "cpu"},
                         {"tasks", json::array({source, model})}};
  auto executor = start_executor();
  const auto out = run_pipeline(document);
  ASSERT_EQ(out.exit_code, 0) << log(out);
  std::string job_id;
  for (const auto& t : view("large").tasks)
    if (t.name == "model") job_id = t.job_id;
  queue::RedisClient redis(server_.endpoint());
  std::string result;
  for (auto& e : queue::stream_events(redis.command({"XRANGE", "dlaaw:events", "-", "+"})))
    if (e.fields["type"] == "result" && e.fields["job"] == job_id) result = e.fields["result"];
  ASSERT_FALSE(result.empty()) << log(out);
  EXPECT_LT(result.size(), 64u * 1024) << "the result event carries a reference to the predictions";
  EXPECT_NE(result.find("\"predictions_artifact\""), std::string::npos) << result.substr(0, 500);
  wait_for_tracker();
  EXPECT_EQ(count("SELECT json_array_length(a.content, '$[0].rows') FROM artifacts a JOIN runs r "
                  "ON r.id = a.run_id WHERE r.job_id = '" +
                  job_id + "' AND a.name = 'predictions'"),
            50000);
}

TEST_F(PipelineE2eTest, AFailingTaskSkipsExactlyItsDependents) {
  auto e1 = start_executor();
  // No row has a > 100: the dataset task "other" fails when it runs, so eval and table are
  // skipped, and src, left and right finish.
  const json steps = json::array(
      {{{"op", "drop_empty"}}, {{"op", "filter"}, {"column", "a"}, {"is", ">"}, {"value", 100}}});
  const auto out = run_pipeline(diamond(steps));
  EXPECT_EQ(out.exit_code, 1) << log(out);
  const auto v = view();
  EXPECT_EQ(v.state, "failed");
  const std::map<std::string, std::string> expected{{"src", "finished"},  {"other", "failed"},
                                                    {"left", "finished"}, {"right", "finished"},
                                                    {"eval", "skipped"},  {"table", "skipped"}};
  EXPECT_EQ(states(v), expected) << log(out);
}

TEST_F(PipelineE2eTest, ThePipelinePageShowsEachTaskInItsRecordedState) {
  if (!testing::have_chromium())
    GTEST_SKIP() << "chromium is not installed (scripts/install-deps.sh installs it)";
  auto e1 = start_executor();
  ASSERT_EQ(run_pipeline(diamond(failing_steps())).exit_code, 1);
  const std::string base = start_serve();
  const std::string url = base + "/pipelines/diamond";
  const std::string dom = testing::browse(url, testing::artifact_path("pipeline_page.png"));
  ASSERT_FALSE(dom.empty()) << "chromium rendered nothing";
  const auto v = view();
  for (const auto& t : v.tasks) {
    const std::string box = "data-task=\"" + t.name + "\" data-state=\"" + t.state + "\"";
    EXPECT_NE(dom.find(box), std::string::npos) << box << " not in the page:\n" << dom;
  }
  int edges = 0;
  for (auto p = dom.find("class=\"edge\""); p != std::string::npos;
       p = dom.find("class=\"edge\"", p + 1))
    ++edges;
  EXPECT_EQ(edges, 7);  // left, right <- src; eval <- left, other; table <- left, right, eval

  // The dashboard lists the pipeline with its state and its tasks counted by state.
  const std::string dashboard =
      testing::browse(base + "/", testing::artifact_path("dashboard_pipelines.png"));
  const std::string row = "data-pipeline=\"diamond\" data-state=\"" + v.state + "\"";
  EXPECT_NE(dashboard.find(row), std::string::npos) << row << " not in the dashboard:\n"
                                                    << dashboard;
  for (const auto& [state, n] : tasks_by_state(v)) {
    const std::string cell =
        "data-count=\"" + state + "\">" + state + " " + std::to_string(n) + "</span>";
    EXPECT_NE(dashboard.find(cell), std::string::npos) << cell << " not in:\n" << dashboard;
  }
}

TEST_F(PipelineE2eTest, TheDashboardListsEachPipelineAsRecorded) {
  auto e1 = start_executor();
  ASSERT_EQ(run_pipeline(diamond(failing_steps())).exit_code, 1);
  const std::string base = start_serve();
  const auto v = view();
  const std::string api = http_get(base + "/api/dashboard");
  const json dashboard = json::parse(api, nullptr, false);
  ASSERT_TRUE(dashboard.contains("pipelines")) << api;
  ASSERT_EQ(dashboard["pipelines"].size(), 1u) << api;
  const json& p = dashboard["pipelines"][0];
  EXPECT_EQ(p["name"], "diamond");
  EXPECT_EQ(p["state"], v.state);
  EXPECT_EQ(p["state"], "failed");
  EXPECT_EQ(p["submitted_at"], v.submitted_at);
  EXPECT_EQ(p["finished_at"], *v.finished_at);
  EXPECT_EQ(p["url"], "/pipelines/diamond");
  EXPECT_EQ(p["tasks"], json(tasks_by_state(v))) << api;
  const std::string html = http_get(base + "/");
  EXPECT_NE(html.find("<tr data-pipeline=\"diamond\" data-state=\"failed\"><td><a "
                      "href=\"/pipelines/diamond\">diamond</a>"),
            std::string::npos)
      << html;
  for (const auto& [state, n] : tasks_by_state(v)) {
    const std::string cell =
        "data-count=\"" + state + "\">" + state + " " + std::to_string(n) + "</span>";
    EXPECT_NE(html.find(cell), std::string::npos) << cell << " not in:\n" << html;
  }
}

// Without --wait the driver runs detached, its output discarded: when it stops (here Redis goes
// away under it), the tracker records why, and `pipeline status` says it.
TEST_F(PipelineE2eTest, ADetachedDriverThatStopsSaysWhy) {
  dir_.write("pipeline.json", diamond().dump());
  const auto out = testing::run_dlaaw(
      dir_.path(), "pipeline run pipeline.json --redis " + server_.url() + " --db '" + db_ +
                       "' --data-dir '" + (dir_.path() / "data").string() + "'");
  ASSERT_EQ(out.exit_code, 0) << out.output;
  // No executor: src and other wait in the queue.
  ASSERT_TRUE(src_queued_within(30s)) << "the detached driver queued nothing";
  server_.stop();
  const auto failed_by = std::chrono::steady_clock::now() + testing::scaled(60s);
  while (view().state == "running" && std::chrono::steady_clock::now() < failed_by)
    std::this_thread::sleep_for(200ms);
  const auto v = view();
  EXPECT_EQ(v.state, "failed");
  EXPECT_NE(v.error.find("redis"), std::string::npos) << v.error;
  const auto status = testing::run_dlaaw(dir_.path(), "pipeline status diamond --db '" + db_ + "'");
  EXPECT_NE(status.output.find("pipeline diamond: failed (its driver stopped: " + v.error + ")"),
            std::string::npos)
      << status.output;
}

// Ctrl-C on `pipeline run --wait` (or SIGTERM) ends the driver; the pipeline then says so instead
// of showing "running" forever.
TEST_F(PipelineE2eTest, AStoppedDriverLeavesNoPipelineRunning) {
  dir_.write("pipeline.json", diamond().dump());
  ChildProcess driver(
      {DLAAW_BINARY, "pipeline", "run", (dir_.path() / "pipeline.json").string(), "--wait",
       "--redis", server_.url(), "--db", db_, "--data-dir", (dir_.path() / "data").string()},
      (dir_.path() / "driver.log").string());
  ASSERT_TRUE(src_queued_within(30s)) << "the driver queued nothing";  // no executor: it waits
  driver.signal(SIGTERM);
  EXPECT_EQ(driver.wait(testing::scaled(30s)), 1);
  const auto v = view();
  EXPECT_EQ(v.state, "failed");
  EXPECT_NE(v.error.find("stopped by a signal"), std::string::npos) << v.error;
}

// What fails before the driver leaves the terminal fails there: an unknown --force task is bad
// input (exit 2), and nothing is recorded.
TEST_F(PipelineE2eTest, ADetachedRunChecksItsInputFirst) {
  dir_.write("pipeline.json", diamond().dump());
  const auto out = testing::run_dlaaw(
      dir_.path(), "pipeline run pipeline.json --force nowhere --redis " + server_.url() +
                       " --db '" + db_ + "' --data-dir '" + (dir_.path() / "data").string() + "'");
  EXPECT_EQ(out.exit_code, 2) << out.output;
  EXPECT_NE(out.output.find("--force"), std::string::npos) << out.output;
  // Nothing recorded: no database file yet (the tracker started in SetUp may not have made it:
  // slow under a sanitizer), no pipelines table (not migrated), or an empty one.
  if (!std::filesystem::exists(db_)) return;
  if (count("SELECT COUNT(*) FROM sqlite_master WHERE name = 'pipelines'") == 1) {
    EXPECT_EQ(count("SELECT COUNT(*) FROM pipelines"), 0);
  }
}

TEST_F(PipelineE2eTest, ResubmittingReusesAndAChangedStepRerunsItsDescendantsOnly) {
  auto e1 = start_executor();
  auto e2 = start_executor();
  const auto first = run_pipeline(diamond());
  ASSERT_EQ(first.exit_code, 0) << log(first);
  EXPECT_NE(first.output.find("(6 queued, 0 reused)"), std::string::npos) << first.output;
  std::map<std::string, const tracker::PipelineTaskRecord*> produced;
  const auto first_view = view();
  for (const auto& t : first_view.tasks) produced[t.name] = &t;
  wait_for_tracker();
  queue::RedisClient redis(server_.endpoint());
  const auto jobs_before = redis.command({"ZCARD", "dlaaw:jobs"}).integer;

  const auto again = run_pipeline(diamond());
  ASSERT_EQ(again.exit_code, 0) << log(again);
  EXPECT_NE(again.output.find("(0 queued, 6 reused)"), std::string::npos) << again.output;
  EXPECT_EQ(redis.command({"ZCARD", "dlaaw:jobs"}).integer, jobs_before);
  for (const auto& [name, state] : states(view())) EXPECT_EQ(state, "cached") << name;
  // Each reused task names the job that produced its output, and a train task that job's run.
  for (const auto& t : view().tasks) {
    EXPECT_EQ(t.source_job_id, produced.at(t.name)->job_id) << t.name;
    EXPECT_TRUE(t.job_id.empty()) << t.name;
    if (t.kind == "train") {
      EXPECT_TRUE(t.source_run_id.has_value()) << t.name;
    } else {
      EXPECT_FALSE(t.source_run_id.has_value()) << t.name;
    }
  }

  // One preprocessing step of "other" changes: other, eval and table rerun; the rest is reused.
  const json steps = json::array(
      {{{"op", "drop_empty"}}, {{"op", "filter"}, {"column", "c"}, {"is", "<"}, {"value", 8}}});
  const auto changed = run_pipeline(diamond(steps));
  ASSERT_EQ(changed.exit_code, 0) << log(changed);
  EXPECT_NE(changed.output.find("(3 queued, 3 reused)"), std::string::npos) << changed.output;
  const std::map<std::string, std::string> expected{{"src", "cached"},    {"other", "finished"},
                                                    {"left", "cached"},   {"right", "cached"},
                                                    {"eval", "finished"}, {"table", "finished"}};
  EXPECT_EQ(states(view()), expected);

  const auto forced = run_pipeline(diamond(steps), "--force right");
  ASSERT_EQ(forced.exit_code, 0) << log(forced);
  EXPECT_NE(forced.output.find("(2 queued, 4 reused)"), std::string::npos) << forced.output;

  // src's manifest is still stored but the rows it names are gone (evicted): src runs again
  // instead of being reused, which failed every task that needs it, at every resubmission.
  std::string manifest_sha;
  for (const auto& t : view().tasks)
    if (t.name == "src") manifest_sha = t.output_sha256;
  const std::string manifest = redis.command({"GET", "dlaaw:blob:" + manifest_sha}).text;
  ASSERT_FALSE(manifest.empty());
  redis.command({"DEL", "dlaaw:blob:" + prepared_csv_sha256(manifest)});
  const auto evicted = run_pipeline(diamond(steps));
  ASSERT_EQ(evicted.exit_code, 0) << log(evicted);
  EXPECT_EQ(states(view())["src"], "finished") << evicted.output;
}

TEST_F(PipelineE2eTest, AnExecutorKilledMidPipelineLosesNothing) {
  auto doomed = start_executor("1s");
  dir_.write("pipeline.json", diamond(json::array({{{"op", "drop_empty"}}}), 10000).dump());
  ChildProcess runner(
      {DLAAW_BINARY, "pipeline", "run", (dir_.path() / "pipeline.json").string(), "--wait",
       "--redis", server_.url(), "--db", db_, "--data-dir", (dir_.path() / "data").string()},
      (dir_.path() / "runner.log").string());
  // Kill the executor while it trains one of the train tasks.
  const auto deadline = std::chrono::steady_clock::now() + testing::scaled(60s);
  bool training = false;
  while (!training && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
    try {
      for (const auto& t : view().tasks)
        training = training || (t.kind == "train" && t.state == "running");
    } catch (const std::exception&) {
    }
  }
  ASSERT_TRUE(training) << "no train task started";
  doomed->signal(SIGKILL);
  doomed->wait(5s);
  auto rescuer = start_executor("1s");
  ASSERT_EQ(runner.wait(testing::scaled(180s)), 0);
  const auto v = view();
  EXPECT_EQ(v.state, "finished");
  for (const auto& t : v.tasks) EXPECT_EQ(t.state, "finished") << t.name << ": " << t.error;
}

TEST_F(PipelineE2eTest, BadDocumentsExitTwoWithOneLine) {
  json cycle = diamond();
  cycle["tasks"][0]["needs"] = {"table"};
  json unknown = diamond();
  unknown["tasks"][2]["needs"] = {"nowhere"};
  json width = diamond();
  width["tasks"][2]["workflow"]["network"][0]["in"] = 5;
  for (const auto& [what, doc] :
       std::vector<std::pair<std::string, json>>{{"cycle", cycle}, {"unknown", unknown}}) {
    const auto out = run_pipeline(doc);
    EXPECT_EQ(out.exit_code, 2) << what << ": " << out.output;
    EXPECT_EQ(std::count(out.output.begin(), out.output.end(), '\n'), 1) << out.output;
  }
  // The file's width is known only when it is read: the train task fails, nothing crashes.
  auto e1 = start_executor();
  const auto out = run_pipeline(width);
  EXPECT_EQ(out.exit_code, 1) << log(out);
  EXPECT_EQ(states(view())["left"], "failed");
}

}  // namespace
}  // namespace dlaaw::pipeline
