// resource_registry_test.cpp - the built-ins, user-defined resources and the names a job may use.
#include "resources/resource_registry.h"

#include <functional>

#include <gtest/gtest.h>

#include "common/errors.h"

namespace dlaaw::resources {
namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InvalidInput& e) {
    return e.what();
  }
  return "(no error)";
}

Resource lab_cluster() {
  Resource r;
  r.name = "lab-cluster";
  r.backend = Backend::Cpu;
  r.requirements.min_memory_bytes = 1ULL << 30;
  r.defaults.threads = 4;
  r.description = "the lab's CPU nodes";
  return r;
}

TEST(ResourceRegistryTest, HoldsTheBuiltInsWithTheirRequirements) {
  const ResourceRegistry registry;
  ASSERT_EQ(registry.resources().size(), 4u);
  const Resource& gpu = registry.require("local-gpu", "--resource");
  EXPECT_EQ(gpu.backend, Backend::Cuda);
  EXPECT_EQ(gpu.requirements.integrated, false);
  const Resource& xavier = registry.require("xavier", "--resource");
  EXPECT_EQ(xavier.requirements.integrated, true);
  EXPECT_EQ(xavier.requirements.min_compute_capability, (ComputeCapability{7, 2}));
  EXPECT_EQ(registry.require("nano", "--resource").requirements.min_compute_capability,
            (ComputeCapability{5, 3}));
  EXPECT_EQ(registry.require("cpu", "--resource").backend, Backend::Cpu);
  for (const auto& r : registry.resources()) {
    EXPECT_TRUE(r.built_in) << r.name;
    EXPECT_EQ(r.defaults.memory, kernels::MemoryPath::Auto)
        << r.name << ": device memory by default";
  }
  EXPECT_EQ(registry.queue_names().back(), kAnyQueue);
}

TEST(ResourceRegistryTest, NamesTheKnownResourcesForAnUnknownOne) {
  ResourceRegistry registry;
  EXPECT_EQ(error_of([&] { registry.require("tpu", "--resource"); }),
            "--resource: unknown resource \"tpu\" (known: local-gpu, xavier, nano or cpu; define "
            "others in a resources file, see --resources)");
  EXPECT_EQ(error_of([&] { registry.require_queue("tpu", "resource"); }),
            "resource: unknown resource \"tpu\" (known: local-gpu, xavier, nano, cpu or any; "
            "define others in a resources file, see --resources)");
  EXPECT_EQ(error_of([&] { registry.require_queue("any", "resource"); }), "(no error)");
  EXPECT_EQ(error_of([&] {
              registry.require("any", "--resource");
            }).rfind("--resource: unknown resource \"any\" (known: ", 0),
            0u)
      << "any is a queue, not a resource an executor can be";
}

TEST(ResourceRegistryTest, AddsUserDefinedResourcesOnceAndRefusesClashes) {
  ResourceRegistry registry;
  registry.add(lab_cluster(), "lab.json");
  EXPECT_EQ(registry.require("lab-cluster", "resource").defaults.threads, 4);
  EXPECT_FALSE(registry.require("lab-cluster", "resource").built_in);
  registry.add(lab_cluster(), "redis");  // the same definition from elsewhere: no change
  EXPECT_EQ(registry.resources().size(), 5u);
  auto other = lab_cluster();
  other.defaults.threads = 8;
  EXPECT_EQ(error_of([&] { registry.add(other, "redis"); }),
            "redis: resource \"lab-cluster\" is defined differently in lab.json; give it one "
            "definition");
  auto clash = lab_cluster();
  clash.name = "nano";
  EXPECT_EQ(error_of([&] { registry.add(clash, "lab.json"); }),
            "lab.json: resource \"nano\" is a built-in resource; choose another name");
  clash.name = "any";
  EXPECT_NE(error_of([&] { registry.add(clash, "lab.json"); }).find("the queue every executor"),
            std::string::npos);
  EXPECT_EQ(registry.known_names(true), "local-gpu, xavier, nano, cpu, lab-cluster or any");
}

TEST(ResourceRegistryTest, ChecksTheFormOfANameAndACapability) {
  EXPECT_EQ(error_of([] { check_resource_name("lab-cluster.2", "x"); }), "(no error)");
  for (const char* bad : {"", "-lab", "Lab", "a b", "dlaaw:queue", "lab/1"}) {
    EXPECT_NE(error_of([&] { check_resource_name(bad, "x"); }), "(no error)") << bad;
  }
  EXPECT_EQ(parse_compute_capability("8.6"), (ComputeCapability{8, 6}));
  EXPECT_LT(*parse_compute_capability("7.2"), *parse_compute_capability("8.0"));
  EXPECT_LT(*parse_compute_capability("5.3"), *parse_compute_capability("5.10"));
  for (const char* bad : {"8", "8.", ".6", "8.x", "-1.0", "8.6.1"})
    EXPECT_FALSE(parse_compute_capability(bad)) << bad;
}

}  // namespace
}  // namespace dlaaw::resources
