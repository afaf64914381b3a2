// job_submission_test.cpp - preparing jobs against the registry, and the unserved-queue warning.
#include "client/job_submission.h"

#include <chrono>
#include <filesystem>

#include <gtest/gtest.h>

#include "../common/redis_server.h"
#include "common/errors.h"
#include "datasets/sha256.h"
#include "queue/executor_registry.h"

namespace dlaaw::client {
namespace {

nnworkflow::ValidWorkflow file_workflow(std::optional<std::string> resource) {
  nnworkflow::WorkflowDocument d;
  d.name = "points";
  d.dataset.path = "points.csv";
  d.dataset.label = "y";
  d.network = {nnworkflow::Linear(2, 1), nnworkflow::Sigmoid()};
  d.training.epochs = 3;
  d.resource = std::move(resource);
  return nnworkflow::ValidWorkflow(d);
}

TEST(JobSubmissionTest, RefusesADatasetOverTheBlobLimit) {
  // Used to be sent whole: past Redis' proto-max-bulk-len the connection reset (exit 3).
  testing::TempDir dir;
  dir.write("points.csv", "a,b,y\n" + std::string(3 << 20, '1'));
  SubmitSettings settings;
  settings.data_dir = dir.path();
  EXPECT_EQ(settings.max_blob_bytes, std::size_t{256} << 20);
  settings.max_blob_bytes = std::size_t{2} << 20;
  try {
    prepare_job(file_workflow("cpu"), settings, resources::ResourceRegistry());
    FAIL() << "a dataset over the limit was prepared";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("is 3 MB, over the blob limit of 2 MB"), std::string::npos)
        << e.what();
  }
}

TEST(JobSubmissionTest, ASparseHugeDatasetIsRefusedFromItsSizeBeforeItIsRead) {
  // Used to be read whole (and hashed) before the size was checked: 10 GB filled the memory.
  testing::TempDir dir;
  dir.write("points.csv", "a,b,y\n");
  std::filesystem::resize_file(dir.path() / "points.csv", std::uintmax_t{3} << 30);  // sparse
  SubmitSettings settings;
  settings.data_dir = dir.path();
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(prepare_job(file_workflow("cpu"), settings, resources::ResourceRegistry()),
               InvalidInput);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500))
      << "the file was read before it was refused";
}

TEST(JobSubmissionTest, ChecksTheResourceAndReadsTheDatasetOnce) {
  testing::TempDir dir;
  const std::string csv = "a,b,y\n1,2,1\n3,4,0\n5,6,1\n7,8,0\n";
  dir.write("points.csv", csv);
  const resources::ResourceRegistry registry;
  SubmitSettings settings;
  settings.data_dir = dir.path();
  const PreparedJob job = prepare_job(file_workflow("cpu"), settings, registry);
  EXPECT_EQ(job.request.resource, "cpu");
  EXPECT_EQ(job.request.dataset_file, "points.csv");
  EXPECT_EQ(job.request.dataset_sha256, datasets::sha256_hex(csv));
  EXPECT_EQ(job.dataset_bytes, csv);
  EXPECT_EQ(prepare_job(file_workflow(std::nullopt), settings, registry).request.resource, "any");
  try {
    prepare_job(file_workflow("tpu"), settings, registry);
    FAIL() << "an unknown resource was queued";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(std::string(e.what()).rfind("resource: unknown resource \"tpu\" (known: ", 0), 0u)
        << e.what();
  }
  settings.resource = "tpu";
  try {
    prepare_job(file_workflow("cpu"), settings, registry);
    FAIL() << "an unknown --resource was queued";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(std::string(e.what()).rfind("--resource: unknown resource \"tpu\" (known: ", 0), 0u)
        << e.what();
  }
  settings.resource.clear();
  settings.data_dir = dir.path() / "empty";
  EXPECT_THROW(prepare_job(file_workflow("cpu"), settings, registry), InvalidInput)
      << "a dataset file that is not there";
}

TEST(JobSubmissionTest, NamesTheQueuesNoExecutorHasServed) {
  testing::RedisServer server;
  queue::RedisClient redis(server.endpoint());
  const resources::ResourceRegistry registry;
  SubmitSettings settings;
  nnworkflow::WorkflowDocument d = file_workflow("cpu").document();
  d.dataset = {};
  d.dataset.synthetic = datasets::SyntheticSpec{100, 2, 1};
  const nnworkflow::ValidWorkflow synthetic(d);
  const auto job = [&] { return prepare_job(synthetic, settings, registry); };
  EXPECT_EQ(submit_jobs(redis, {job(), job()}), (std::set<std::string>{"cpu"}));
  queue::ExecutorInfo executor;
  executor.id = "ex-1";
  executor.resource = "cpu";
  queue::register_executor(redis, executor, std::chrono::seconds(30));
  EXPECT_TRUE(submit_jobs(redis, {job()}).empty()) << "cpu has been served";
  settings.resource = "any";
  EXPECT_TRUE(submit_jobs(redis, {job()}).empty()) << "every executor serves any";
  EXPECT_THROW(wait_for_result(redis, "j0-unknown"), NotFound);
}

}  // namespace
}  // namespace dlaaw::client
