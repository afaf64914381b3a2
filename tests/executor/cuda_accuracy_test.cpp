// cuda_accuracy_test.cpp - Table I on the GPU: 1000 epochs, test accuracy within 0.5 points of
// the CPU backend on each paper network (skipped without a GPU or the datasets).
#include <cmath>

#include <gtest/gtest.h>

#include "../common/data_required.h"
#include "common/errors.h"
#include "datasets/catalog.h"
#include "executor/engine.h"
#include "kernels/backend.h"
#include "nnworkflow/workflow_json.h"

namespace dlaaw::executor {
namespace {

struct PaperNetwork {
  const char* example;
  const char* catalog;
};

void PrintTo(const PaperNetwork& n, std::ostream* os) { *os << n.example; }

class CudaPaperAccuracyTest : public ::testing::TestWithParam<PaperNetwork> {};

TEST_P(CudaPaperAccuracyTest, MatchesTheCpuBackendWithinHalfAPoint) {
  try {
    kernels::make_backend("cuda");
  } catch (const ServiceUnavailable& e) {
    GTEST_SKIP() << "no CUDA backend here: " << e.what();
  }
  const PaperNetwork net = GetParam();
  const auto entry = datasets::find_in_catalog(net.catalog);
  DLAAW_REQUIRE_PAPER_FILE(entry->file);
  const auto doc = nnworkflow::load_workflow_file(std::string(DLAAW_SOURCE_DIR "/examples/paper/") +
                                                  net.example + ".json");
  EngineOptions options;
  options.data_dir = testing::paper_data_dir(entry->file);
  const auto cpu = run_workflow(doc, options);
  options.backend = "cuda";
  const auto gpu = run_workflow(doc, options);
  const double a_cpu = cpu.metrics.accuracy.value();
  const double a_gpu = gpu.metrics.accuracy.value();
  std::printf("%s: accuracy cpu %.4f gpu %.4f; train ms cpu %.1f gpu %.1f\n", net.catalog, a_cpu,
              a_gpu, cpu.timings.train, gpu.timings.train);
  EXPECT_NEAR(a_gpu, a_cpu, 0.005) << net.catalog;
}

INSTANTIATE_TEST_SUITE_P(TableOne, CudaPaperAccuracyTest,
                         ::testing::Values(PaperNetwork{"nn1", "breast_cancer"},
                                           PaperNetwork{"nn2", "pima"},
                                           PaperNetwork{"nn3", "banknote"},
                                           PaperNetwork{"nn4", "grid_stability"},
                                           PaperNetwork{"nn5", "bank_marketing"}),
                         [](const auto& info) { return std::string(info.param.catalog); });

}  // namespace
}  // namespace dlaaw::executor
