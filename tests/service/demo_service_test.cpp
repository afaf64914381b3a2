// demo_service_test.cpp - the demo's parts: the process group, the paper sweep it composes, and
// which executors it starts on which machine.
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "../common/temp_dir.h"
#include "../common/time_scale.h"
#include "common/errors.h"
#include "service/paper_sweep.h"
#include "service/process_group.h"

namespace dlaaw::service {
namespace {

bool alive(pid_t pid) { return kill(pid, 0) == 0; }

TEST(ProcessGroupTest, StopsEveryProcessItStartedNewestFirst) {
  testing::TempDir dir;
  std::vector<pid_t> pids;
  {
    ProcessGroup group;
    group.start("first", {"sleep", "30"}, dir.path() / "first.log");
    group.start("second", {"sh", "-c", "echo started; exec sleep 30"}, dir.path() / "second.log");
    for (const auto& [name, pid] : group.processes()) pids.push_back(pid);
    ASSERT_EQ(pids.size(), 2u);
    for (pid_t pid : pids) EXPECT_TRUE(alive(pid));
    for (int i = 0; i < 250 && std::filesystem::file_size(dir.path() / "second.log") == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const auto start = std::chrono::steady_clock::now();
    group.stop_all();
    EXPECT_LT(std::chrono::steady_clock::now() - start, testing::scaled(std::chrono::seconds(5)))
        << "SIGTERM was enough";
    EXPECT_TRUE(group.processes().empty());
  }
  for (pid_t pid : pids) EXPECT_FALSE(alive(pid)) << pid << " was reaped";
  std::string line;
  std::getline(std::ifstream(dir.path() / "second.log") >> std::ws, line);
  EXPECT_EQ(line, "started") << "output goes to its log";
}

TEST(ProcessGroupTest, AProgramThatCannotStartIsServiceUnavailable) {
  testing::TempDir dir;
  ProcessGroup group;
  EXPECT_THROW(group.start("ghost", {"/no/such/program"}, dir.path() / "ghost.log"),
               ServiceUnavailable);
  EXPECT_TRUE(group.processes().empty());
}

TEST(PaperSweepTest, QuickAndFullSweepsOfTheFivePaperWorkflows) {
  const auto quick = paper_sweep({false, true, DLAAW_SOURCE_DIR "/examples/paper"});
  EXPECT_EQ(quick.name, "paper-quick");
  ASSERT_EQ(quick.workflows.size(), 5u);
  EXPECT_EQ(quick.workflows[1]["dataset"]["catalog"], "pima");
  ASSERT_EQ(quick.axes.size(), 3u);
  EXPECT_EQ(quick.axes[0].first, "resource");
  EXPECT_EQ(quick.axes[0].second.front(), "live");
  EXPECT_EQ(quick.axes[1].second.size(), 1u) << "train/test only";
  EXPECT_EQ(quick.axes[2].second.size(), 2u) << "seeds 1 and 2";
  const auto full = paper_sweep({true, false, DLAAW_SOURCE_DIR "/examples/paper"});
  EXPECT_EQ(full.name, "paper-table1-synthetic");
  EXPECT_EQ(full.axes[1].second.size(), 2u) << "train/test and 6-fold";
  EXPECT_EQ(full.axes[2].second.size(), 5u);
  EXPECT_EQ(full.workflows[4]["dataset"]["synthetic"]["rows"], 45211) << "bank_marketing's shape";
  EXPECT_EQ(full.workflows[4]["name"], "nn5-bank-marketing-synthetic");
  EXPECT_THROW(paper_sweep({false, true, "/no/such/dir"}), InvalidInput);
}

kernels::DeviceInfo gpu(const std::string& name, const std::string& cc, bool integrated) {
  kernels::DeviceInfo d;
  d.kind = "cuda";
  d.name = name;
  d.compute_capability = cc;
  d.integrated = integrated;
  d.kernels = {"block"};  // a device that can train (one that cannot serves no GPU resource)
  return d;
}

TEST(PaperSweepTest, TheDemoStartsTheCpuAndTheGpuResourceTheMachineIs) {
  const resources::ResourceRegistry registry;
  executor::Machine machine;
  machine.host_memory_bytes = 8ULL << 30;
  EXPECT_EQ(demo_resources(registry, machine), (std::vector<std::string>{"cpu"}));
  machine.gpus = {gpu("H100", "9.0", false)};
  EXPECT_EQ(demo_resources(registry, machine), (std::vector<std::string>{"cpu", "local-gpu"}));
  machine.gpus = {gpu("Xavier", "7.2", true)};
  EXPECT_EQ(demo_resources(registry, machine), (std::vector<std::string>{"cpu", "xavier"}));
  machine.gpus = {gpu("Nano", "5.3", true)};
  EXPECT_EQ(demo_resources(registry, machine), (std::vector<std::string>{"cpu", "nano"}));
}

}  // namespace
}  // namespace dlaaw::service
