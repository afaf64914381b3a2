// lab_cluster_test.cpp - a user-defined resource end to end (real redis-server, real executors):
// defined in a file or stored in Redis, served on the CPU, a job on it finishes; a machine that
// does not meet a resource's requirements refuses it; a job for a resource nobody serves warns.
#include <chrono>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../common/child_process.h"
#include "../common/dlaaw_cli.h"
#include "../common/redis_server.h"
#include "../common/scoped_env.h"
#include "queue/job_queue.h"

namespace dlaaw::queue {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::run_dlaaw;

constexpr const char* kResources = R"({"schema": "dlaaw/resources@1", "resources": [
  {"name": "lab-cluster", "backend": "cpu", "description": "the lab's CPU nodes",
   "requires": {"min_memory_mib": 64}, "defaults": {"threads": 1}},
  {"name": "lab-bigmem", "backend": "cpu", "requires": {"min_memory_mib": 1073741824}},
  {"name": "lab-gpu", "backend": "cuda", "requires": {"min_compute_capability": "9.0"}}]})";

constexpr const char* kWorkflow = R"({"schema": "dlaaw/workflow@1", "name": "on-the-cluster",
  "dataset": {"synthetic": {"rows": 600, "features": 4, "seed": 1}},
  "network": [{"type": "Linear", "in": 4, "out": 3}, {"type": "ReLU"},
              {"type": "Linear", "in": 3, "out": 1}, {"type": "Sigmoid"}],
  "plan": {"type": "train_test"}, "training": {"epochs": 30}, "resource": "lab-cluster"})";

class LabClusterTest : public ::testing::Test {
 protected:
  LabClusterTest() {
    dir_.write("lab.json", kResources);
    dir_.write("wf.json", kWorkflow);
  }
  std::unique_ptr<testing::ChildProcess> executor(const std::string& resource,
                                                  const std::string& extra) {
    std::vector<std::string> argv{
        DLAAW_BINARY,  "executor", "--resource", resource,      "--redis",
        server_.url(), "--lease",  "2s",         "--cache-dir", (dir_.path() / "cache").string()};
    if (!extra.empty()) argv.push_back(extra);
    return std::make_unique<testing::ChildProcess>(argv, (dir_.path() / "executor.log").string());
  }
  std::string log() {
    std::ifstream in(dir_.path() / "executor.log");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  std::string redis() const { return " --redis " + server_.url(); }

  testing::RedisServer server_;
  testing::TempDir dir_;
};

TEST_F(LabClusterTest, AJobOnAUserDefinedResourceFinishesOnItsExecutor) {
  auto cluster = executor("lab-cluster", "--resources=" + (dir_.path() / "lab.json").string());
  const auto r = run_dlaaw(dir_.path(), "submit wf.json --wait --resources lab.json" + redis());
  ASSERT_EQ(r.exit_code, 0) << r.output << log();
  const std::string id = r.output.substr(0, r.output.find('\n'));
  RedisClient client(server_.endpoint());
  JobQueue jobs(client);
  EXPECT_EQ(jobs.job(id)["resource"], "lab-cluster");
  const auto result = jobs.results({id}).front();
  ASSERT_TRUE(result);
  const json j = json::parse(*result);
  EXPECT_EQ(j["executor"]["resource"], "lab-cluster");
  EXPECT_EQ(j["device"]["threads"], 1) << "the resource's default threads";

  const auto listing = run_dlaaw(dir_.path(), "resources --json --resources lab.json" + redis());
  ASSERT_EQ(listing.exit_code, 0) << listing.output;
  bool seen = false;
  for (const auto& row : json::parse(listing.output)) {
    if (row["name"] != "lab-cluster") continue;
    seen = true;
    EXPECT_EQ(row["executors"].size(), 1u) << row.dump();
    EXPECT_EQ(row["executors"][0]["device"]["kind"], "cpu") << row.dump();
    EXPECT_TRUE(row["ever_served"]);
  }
  EXPECT_TRUE(seen) << listing.output;
  cluster->signal(SIGTERM);
  EXPECT_EQ(cluster->wait(10s), 0) << log();
}

// The CPU stand-in of libdlaaw_gpu.so is a pretend integrated GPU: the executor serves lab-jetson
// on it through the CUDA backend, and the resource's defaults reach the kernels (the document
// names neither kernel nor memory), as the result that came back through Redis records.
TEST_F(LabClusterTest, AGpuResourcesDefaultsReachTheKernelsOfItsExecutor) {
  dir_.write("jetson.json", R"({"schema": "dlaaw/resources@1", "resources": [
    {"name": "lab-jetson", "backend": "cuda", "requires": {"integrated": true},
     "defaults": {"kernel": "block", "memory": "managed"}}]})");
  testing::ScopedEnv library("DLAAW_GPU_LIB", DLAAW_STANDIN_LIBRARY);
  auto jetson = executor("lab-jetson", "--resources=" + (dir_.path() / "jetson.json").string());
  const auto r = run_dlaaw(
      dir_.path(), "submit wf.json --resource lab-jetson --wait --resources jetson.json" + redis());
  ASSERT_EQ(r.exit_code, 0) << r.output << log();
  const std::string id = r.output.substr(0, r.output.find('\n'));
  RedisClient client(server_.endpoint());
  const auto result = JobQueue(client).results({id}).front();
  ASSERT_TRUE(result) << log();
  const json j = json::parse(*result);
  EXPECT_EQ(j["executor"]["resource"], "lab-jetson");
  EXPECT_EQ(j["backend"], "cuda") << j.dump();
  EXPECT_EQ(j["device"]["kind"], "cuda");
  EXPECT_EQ(j["device"]["kernels"], json({"block"}));
  EXPECT_EQ(j["kernel"], "block") << "the resource's default kernel";
  EXPECT_EQ(j["memory"], "managed") << "the resource's default memory path";
  EXPECT_EQ(j["blocks_per_model"], 1);
  EXPECT_TRUE(j["timings_ms"].contains("gpu_library")) << j["timings_ms"].dump();
  jetson->signal(SIGTERM);
  EXPECT_EQ(jetson->wait(10s), 0) << log();
}

TEST_F(LabClusterTest, AMachineThatDoesNotMeetTheRequirementsRefusesTheResource) {
  const auto r =
      run_dlaaw(dir_.path(), "executor --resource lab-bigmem --resources lab.json" + redis());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--resource lab-bigmem: this machine does not meet its requirements: "
                          "lab-bigmem needs 1073741824 MiB of memory, but this machine has "),
            std::string::npos)
      << r.output;
  const auto gpu =
      run_dlaaw(dir_.path(), "executor --resource lab-gpu --resources lab.json" + redis());
  EXPECT_EQ(gpu.exit_code, 2) << gpu.output;
  EXPECT_NE(gpu.output.find("lab-gpu needs "), std::string::npos) << gpu.output;
}

TEST_F(LabClusterTest, ResourcesStoredInRedisNeedNoFile) {
  const auto added = run_dlaaw(dir_.path(), "resources add lab.json" + redis());
  ASSERT_EQ(added.exit_code, 0) << added.output;
  EXPECT_NE(added.output.find("stored 3 resource(s)"), std::string::npos) << added.output;
  auto cluster = executor("lab-cluster", "");
  const auto r = run_dlaaw(dir_.path(), "submit wf.json --wait" + redis());
  EXPECT_EQ(r.exit_code, 0) << r.output << log();
  const auto removed = run_dlaaw(dir_.path(), "resources remove lab-gpu" + redis());
  EXPECT_EQ(removed.exit_code, 0) << removed.output;
  const auto again = run_dlaaw(dir_.path(), "resources remove lab-gpu" + redis());
  EXPECT_EQ(again.exit_code, 2) << again.output;
}

TEST_F(LabClusterTest, AJobForAResourceNobodyServedWarnsButIsQueued) {
  const auto r =
      run_dlaaw(dir_.path(), "submit wf.json --resource lab-gpu --resources lab.json" + redis());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.rfind("j", 0), 0u) << "the id comes first: " << r.output;
  EXPECT_NE(r.output.find("warning: no executor has ever served lab-gpu"), std::string::npos)
      << r.output;
  const auto unknown = run_dlaaw(dir_.path(), "submit wf.json" + redis());
  EXPECT_EQ(unknown.exit_code, 2) << "lab-cluster is unknown without the file: " << unknown.output;
  EXPECT_NE(unknown.output.find("resource: unknown resource \"lab-cluster\""), std::string::npos)
      << unknown.output;
}

TEST_F(LabClusterTest, ABadResourcesFileIsBadInput) {
  dir_.write("bad.json", R"({"schema": "dlaaw/resources@1", "resources": [
    {"name": "lab", "backend": "cuda", "requires": {"min_compute_capability": "eight"}}]})");
  const auto r = run_dlaaw(dir_.path(), "resources add bad.json" + redis());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("bad.json: resources[0].requires.min_compute_capability: \"eight\" is "
                          "not a compute capability"),
            std::string::npos)
      << r.output;
  const auto run = run_dlaaw(dir_.path(), "run wf.json --resources bad.json --no-track");
  EXPECT_EQ(run.exit_code, 2) << run.output;
}

}  // namespace
}  // namespace dlaaw::queue
