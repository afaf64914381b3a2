// resource_file_test.cpp - the resources document: round trip, and a clear message for each
// mistake.
#include "resources/resource_file.h"

#include <cstdlib>

#include <gtest/gtest.h>

#include "../common/scoped_env.h"
#include "../common/temp_dir.h"
#include "common/errors.h"

namespace dlaaw::resources {
namespace {

using nlohmann::json;

std::string error_of(const std::string& resources_list) {
  try {
    resources_from_json(
        json::parse(R"({"schema": "dlaaw/resources@1", "resources": )" + resources_list + "}"));
  } catch (const InvalidInput& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ResourceFileTest, ReadsAndWritesEveryField) {
  const json doc = json::parse(R"({"schema": "dlaaw/resources@1", "resources": [
    {"name": "lab-cluster", "backend": "cpu", "description": "the lab's CPU nodes",
     "requires": {"min_memory_mib": 2048}, "defaults": {"threads": 4}},
    {"name": "cloud-a100", "backend": "cuda",
     "requires": {"integrated": false, "min_compute_capability": "8.0", "min_memory_mib": 40000},
     "defaults": {"kernel": "cooperative", "memory": "managed"}}]})");
  const auto resources = resources_from_json(doc);
  ASSERT_EQ(resources.size(), 2u);
  EXPECT_EQ(resources[0].requirements.min_memory_bytes, 2048ULL << 20);
  EXPECT_EQ(resources[0].defaults.threads, 4);
  EXPECT_EQ(resources[1].backend, Backend::Cuda);
  EXPECT_EQ(resources[1].requirements.integrated, false);
  EXPECT_EQ(resources[1].requirements.min_compute_capability, (ComputeCapability{8, 0}));
  EXPECT_EQ(resources[1].defaults.kernel, kernels::KernelChoice::Cooperative);
  EXPECT_EQ(resources[1].defaults.memory, kernels::MemoryPath::Managed);
  EXPECT_EQ(resources_to_json(resources), doc);
  EXPECT_EQ(resources_from_json(resources_to_json(resources)), resources);
}

TEST(ResourceFileTest, NamesTheFieldOfEachMistake) {
  EXPECT_EQ(error_of(R"([{"name": "lab", "backend": "fpga"}])"),
            "resources[0].backend: \"fpga\" (expected cpu or cuda)");
  EXPECT_EQ(
      error_of(
          R"([{"name": "lab", "backend": "cuda", "requires": {"min_compute_capability": "8"}}])"),
      "resources[0].requires.min_compute_capability: \"8\" is not a compute capability "
      "(expected MAJOR.MINOR, e.g. \"7.2\")");
  EXPECT_EQ(error_of(R"([{"name": "lab", "backend": "cpu", "requires": {"integrated": true}}])"),
            "resources[0].requires.integrated: a cpu resource has no GPU (only min_memory_mib "
            "applies to it)");
  EXPECT_EQ(error_of(R"([{"name": "lab", "backend": "cpu", "defaults": {"memory": "managed"}}])"),
            "resources[0].defaults.memory: a cpu resource has no GPU kernel or memory mode");
  EXPECT_EQ(error_of(R"([{"name": "lab", "backend": "cuda", "defaults": {"kernel": "warp"}}])"),
            "resources[0].defaults.kernel: \"warp\" is not a kernel (expected auto, cooperative "
            "or block)");
  EXPECT_EQ(error_of(R"([{"name": "lab", "backend": "cpu", "defaults": {"threads": -2}}])"),
            "resources[0].defaults.threads: must be from 0 (all) to 4096, got -2");
  EXPECT_EQ(error_of(R"([{"name": "lab", "backend": "cpu", "requires": {"min_memory_mib": 0}}])"),
            "resources[0].requires.min_memory_mib: must be from 1 to 2^40, got 0");
  EXPECT_EQ(error_of(R"([{"name": "lab", "backend": "cpu", "requirs": {}}])"),
            "resources[0].requirs: unknown field");
  EXPECT_EQ(error_of(R"([{"backend": "cpu"}])"), "resources[0].name: missing");
  EXPECT_EQ(error_of(R"([{"name": "Lab Cluster", "backend": "cpu"}])").substr(0, 50),
            "resources[0].name: \"Lab Cluster\" is not a resource");
  EXPECT_EQ(error_of(R"([{"name": "lab", "backend": "cpu"}, {"name": "lab", "backend": "cpu"}])"),
            "resources[1].name: \"lab\" is defined twice");
  EXPECT_EQ(error_of(R"({"name": "lab"})"),
            "resources: must be a list, got {\"name\":\"lab\"} (object)");
  EXPECT_EQ(error_of(R"([{"name": "lab", "backend": "cpu", "description": 3}])"),
            "resources[0].description: must be a string, got 3 (number)");
}

TEST(ResourceFileTest, AFileNamesItselfAndTheEnvironmentNamesTheFile) {
  testing::TempDir dir;
  dir.write("bad.json", R"({"schema": "dlaaw/resources@1", "resources": [{"name": "x"}]})");
  const std::string bad = (dir.path() / "bad.json").string();
  try {
    load_resources_file(bad);
    FAIL() << "a resource without a backend was accepted";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(std::string(e.what()), bad + ": resources[0].backend: missing");
  }
  dir.write("lab.json",
            R"({"schema": "dlaaw/resources@1", "resources": [{"name": "lab", "backend": "cpu"}]})");
  const std::string lab = (dir.path() / "lab.json").string();
  EXPECT_TRUE(load_registry(lab).find("lab"));
  const testing::ScopedEnv env("DLAAW_RESOURCES");
  env.set(lab);
  EXPECT_TRUE(load_registry("").find("lab"));
  env.unset();
  EXPECT_FALSE(load_registry("").find("lab"));
  EXPECT_THROW(load_registry((dir.path() / "missing.json").string()), InvalidInput);
}

TEST(ResourceFileTest, TheExampleFileIsValid) {
  const auto example = load_resources_file(DLAAW_SOURCE_DIR "/examples/resources/lab.json");
  ASSERT_EQ(example.size(), 2u);
  ResourceRegistry registry;
  for (const auto& r : example) registry.add(r, "lab.json");
  EXPECT_EQ(registry.require("cloud-a100", "r").requirements.min_compute_capability,
            (ComputeCapability{8, 0}));
}

}  // namespace
}  // namespace dlaaw::resources
