// cuda_accuracy_test.cpp - Table I on the GPU: 1000 epochs, test accuracy within max(0.5 points,
// 2 test rows) of the CPU backend on each paper network (skipped without a GPU or the datasets).
//
// Why two rows: with 114 (breast_cancer) and 154 (pima) test rows one flipped prediction is 0.6
// to 0.9 points, and a change of summation order alone (the GPU's) flips that many on pima, as
// perturbing the initial weights by 1e-7 on the CPU shows.
#include <algorithm>
#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "../common/data_required.h"
#include "../kernels/cuda_test_support.h"
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

TEST_P(CudaPaperAccuracyTest, MatchesTheCpuBackendWithinHalfAPointOrTwoTestRows) {
  std::string why_not;
  if (!testing::real_cuda_backend(why_not)) GTEST_SKIP() << why_not;
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
  const double test_rows = static_cast<double>(gpu.folds.at(0).test_rows);
  const double tolerance = std::max(0.005, 2.0 / test_rows);
  std::printf("%s: accuracy cpu %.4f gpu %.4f (tolerance %.4f); train ms cpu %.1f gpu %.1f\n",
              net.catalog, a_cpu, a_gpu, tolerance, cpu.timings.train, gpu.timings.train);
  EXPECT_NEAR(a_gpu, a_cpu, tolerance) << net.catalog << " with " << test_rows << " test rows";
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
