// demo_test.cpp - `dlaaw demo --quick` end to end, checked through the report's JSON API:
// every member finished, and the compare page has both dlaaw and PyTorch runs.
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../common/child_process.h"
#include "../common/redis_server.h"
#include "../common/time_scale.h"

namespace {

using namespace std::chrono_literals;
using nlohmann::json;

TEST(DemoTest, QuickDemoRunsTheSweepAndThePeerIntoTheReport) {
  const bool torch = std::system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") == 0;
  if (!torch)
    GTEST_SKIP()
        << "python3-torch is not installed (bench/setup.sh installs it); the demo needs its peer";
  dlaaw::testing::TempDir dir;
  const int port = dlaaw::testing::free_loopback_port();
  dlaaw::testing::ChildProcess demo(
      {DLAAW_BINARY, "demo", "--quick", "--port", std::to_string(port), "--workdir",
       (dir.path() / "work").string()},
      (dir.path() / "demo.log").string());
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(1);
  const auto log = [&] {
    std::ifstream in(dir.path() / "demo.log");
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  json experiment;
  const auto deadline = std::chrono::steady_clock::now() + dlaaw::testing::scaled(240s);
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1s);
    auto list = client.Get("/api/experiments");
    if (!list || list->status != 200) continue;
    const json experiments = json::parse(list->body);
    if (experiments.empty()) continue;
    auto res =
        client.Get(("/api/experiments/" + experiments[0]["name"].get<std::string>()).c_str());
    if (!res || res->status != 200) continue;
    experiment = json::parse(res->body);
    int dlaaw_finished = 0, pytorch = 0;
    for (const auto& r : experiment["comparison"]["runs"]) {
      dlaaw_finished += r["backend"] != "pytorch" && r["state"] == "finished";
      pytorch += r["backend"] == "pytorch";
    }
    if (dlaaw_finished == 10 && pytorch == 10) break;
  }
  ASSERT_FALSE(experiment.is_null()) << log();
  int dlaaw_runs = 0, pytorch_runs = 0;
  for (const auto& r : experiment["comparison"]["runs"]) {
    EXPECT_EQ(r["state"], "finished") << r.dump();
    (r["backend"] == "pytorch" ? pytorch_runs : dlaaw_runs)++;
  }
  EXPECT_EQ(dlaaw_runs, 10) << "5 networks x 2 seeds" << log();
  EXPECT_EQ(pytorch_runs, 10) << log();
  const auto series = experiment["comparison"]["series"];
  EXPECT_NE(std::find(series.begin(), series.end(), "local/pytorch"), series.end())
      << series.dump();
  EXPECT_NE(std::find(series.begin(), series.end(), "cpu/cpu"), series.end()) << series.dump();
  auto page = client.Get(
      ("/compare?experiment=" + experiment["experiment"]["name"].get<std::string>()).c_str());
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("data-series=\"local/pytorch\""), std::string::npos);
  demo.signal(SIGINT);
  EXPECT_EQ(demo.wait(60s), 0) << log();
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "work" / "dlaaw.db")) << "the database is kept";
  EXPECT_NE(log().find("report: http://127.0.0.1:" + std::to_string(port)), std::string::npos)
      << log();
}

}  // namespace
