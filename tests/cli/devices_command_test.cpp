// devices_command_test.cpp - `dlaaw devices` as a user runs it, with the CPU stand-in of the GPU
// library and with none: the devices in the one JSON shape, the text for people, exit code 0.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../common/dlaaw_cli.h"
#include "../common/scoped_env.h"
#include "../common/temp_dir.h"

namespace {

using dlaaw::testing::run_dlaaw;
using dlaaw::testing::ScopedEnv;
using dlaaw::testing::TempDir;
using nlohmann::json;

TEST(DevicesCommandTest, ListsTheStandInsDeviceInTheOneDeviceShape) {
  TempDir dir;
  ScopedEnv library("DLAAW_GPU_LIB", DLAAW_STANDIN_LIBRARY);
  const auto listed = run_dlaaw(dir.path(), "devices --json");
  ASSERT_EQ(listed.exit_code, 0) << listed.output;
  const json j = json::parse(listed.output);
  EXPECT_EQ(j["backends"], json({"cpu", "cuda"}));
  EXPECT_EQ(j["gpu_library"]["loaded"], true) << j.dump(2);
  EXPECT_EQ(j["cpu"]["kind"], "cpu") << j.dump(2);
  EXPECT_GT(j["cpu"]["threads"].get<int>(), 0);
  ASSERT_EQ(j["cuda"].size(), 1u) << j.dump(2);
  const json& gpu = j["cuda"][0];
  // The fields of results::device_to_json, as a run's result and an executor record them.
  EXPECT_EQ(gpu["kind"], "cuda");
  EXPECT_EQ(gpu["index"], 0);
  EXPECT_EQ(gpu["compute_capability"], "5.3");
  EXPECT_EQ(gpu["integrated"], true);
  EXPECT_EQ(gpu["kernels"], json({"block"}));
  EXPECT_NE(gpu["kernels_note"].get<std::string>().find("grid-wide barrier"), std::string::npos);
  for (const char* key :
       {"name", "multiprocessors", "memory_bytes", "driver_version", "runtime_version"}) {
    EXPECT_TRUE(gpu.contains(key)) << key << ": " << gpu.dump();
  }

  const auto text = run_dlaaw(dir.path(), "devices");
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_NE(text.output.find("gpu library: " DLAAW_STANDIN_LIBRARY " (ABI "), std::string::npos)
      << text.output;
  EXPECT_NE(text.output.find("cuda:0 dlaaw stand-in (CPU backend, no GPU), compute 5.3, 1 SMs"),
            std::string::npos)
      << text.output;
  EXPECT_NE(text.output.find("integrated, kernels: block - compute capability 5.3 has no "
                             "grid-wide barrier"),
            std::string::npos)
      << text.output;
}

TEST(DevicesCommandTest, SaysWhyThereIsNoGpuLibraryAndStillExitsZero) {
  TempDir dir;
  const std::string missing = (dir.path() / "libdlaaw_gpu.so").string();
  ScopedEnv library("DLAAW_GPU_LIB", missing);
  const auto listed = run_dlaaw(dir.path(), "devices --json");
  ASSERT_EQ(listed.exit_code, 0) << listed.output;
  const json j = json::parse(listed.output);
  EXPECT_EQ(j["backends"], json({"cpu"}));
  EXPECT_EQ(j["gpu_library"]["loaded"], false);
  EXPECT_NE(j["gpu_library"]["error"].get<std::string>().find(missing), std::string::npos)
      << j.dump(2);
  EXPECT_TRUE(j["cuda"].empty());
  const auto text = run_dlaaw(dir.path(), "devices");
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_EQ(text.output.rfind("cpu: ", 0), 0u) << text.output;
  EXPECT_NE(
      text.output.find("gpu library: none (no GPU library: libdlaaw_gpu.so is not at " + missing),
      std::string::npos)
      << text.output;
}

}  // namespace
