// cuda_accuracy_test.cpp - Table I on the GPU: 1000 epochs, test accuracy within max(0.5 points,
// 2 test rows) of an accuracy the CPU backend reaches from the same start up to rounding
// (skipped without a GPU or the datasets).
//
// Why not the CPU's one accuracy: 1000 epochs amplify rounding. Scaling every initial weight by
// 1 +- 1e-7 (about one float ulp) moved the CPU backend's pima accuracy over 0.7468-0.7727 in 25
// runs (15 at 0.7727, 1 at 0.7468), 4 of its 154 test rows; the GPU sums in another order, which
// is the same kind of change, and its 0.7468 (H200, 2026-11-27) is one of those outcomes. So the
// test accepts the range of the CPU's unperturbed run and kRoundingRuns perturbed ones, widened
// by the tolerance; a GPU that trains a different function lands far outside it.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "../common/data_required.h"
#include "../kernels/cuda_test_support.h"
#include "common/errors.h"
#include "datasets/catalog.h"
#include "executor/engine.h"
#include "executor/model_mapping.h"
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

constexpr int kRoundingRuns = 24;

// The document's initial weights, each scaled by 1 + 1e-7 or 1 - 1e-7 (signs drawn from `seed`).
std::vector<float> nudged_init(const nnworkflow::WorkflowDocument& d, std::uint32_t seed) {
  auto w = kernels::xavier_uniform_parameters(model_spec_from_network(d.network),
                                              d.training.effective_seed());
  std::uint32_t s = seed * 2654435761U + 1U;
  for (float& v : w) {
    s = s * 1664525U + 1013904223U;
    v *= (s >> 31) != 0U ? 1.0f + 1e-7f : 1.0f - 1e-7f;
  }
  return w;
}

struct Range {
  double low;
  double high;
};

// The CPU backend's test accuracy from the document's init and from kRoundingRuns nudged ones.
Range cpu_rounding_range(const nnworkflow::ValidWorkflow& doc, EngineOptions options) {
  options.backend = "cpu";
  const double base = run_workflow(doc, options).metrics.accuracy.value();
  Range r{base, base};
  for (int run = 1; run <= kRoundingRuns; ++run) {
    options.initial_parameters = nudged_init(doc.document(), static_cast<std::uint32_t>(run));
    const double a = run_workflow(doc, options).metrics.accuracy.value();
    r.low = std::min(r.low, a);
    r.high = std::max(r.high, a);
  }
  return r;
}

TEST_P(CudaPaperAccuracyTest, MatchesTheCpuBackendUpToRounding) {
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
  if (std::abs(a_gpu - a_cpu) <= tolerance) return;
  const Range cpu_range = cpu_rounding_range(doc, options);
  std::printf("%s: cpu accuracy over %d rounding-level starts %.4f-%.4f\n", net.catalog,
              kRoundingRuns + 1, cpu_range.low, cpu_range.high);
  EXPECT_GE(a_gpu, cpu_range.low - tolerance)
      << net.catalog << " with " << test_rows << " test rows";
  EXPECT_LE(a_gpu, cpu_range.high + tolerance)
      << net.catalog << " with " << test_rows << " test rows";
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
