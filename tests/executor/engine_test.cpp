// engine_test.cpp - whole runs on synthetic data: result layout, k-fold, cancellation, errors.
#include "executor/engine.h"

#include <cmath>
#include <set>

#include <gtest/gtest.h>

#include "../common/scoped_env.h"
#include "../common/temp_dir.h"
#include "client/nn_trainer.h"
#include "common/errors.h"
#include "executor/memory_budget.h"
#include "executor/model_mapping.h"
#include "kernels/model_spec.h"
#include "kernels/platform/energy_meter.h"
#include "nnworkflow/nn_workflow.h"

namespace dlaaw::executor {
namespace {

namespace nn = nnworkflow;

nn::ValidWorkflow synthetic_document(nn::PlanSpec plan, int epochs = 30) {
  nn::WorkflowDocument d;
  d.name = "blobs";
  d.dataset.synthetic = datasets::SyntheticSpec{1200, 4, 5};
  d.network = {nn::Linear(4, 3), nn::ReLU(), nn::Linear(3, 1), nn::Sigmoid()};
  d.plan = plan;
  d.training.epochs = epochs;
  d.training.batches = 6;
  return nn::ValidWorkflow(d);
}

TEST(EngineTest, TrainTestResultHasModelPredictionsMetricsAndTimings) {
  const auto r =
      run_workflow(synthetic_document({nn::PlanType::TrainTest, 0.25, std::nullopt}), {});
  const auto j = results::run_result_to_json(r);
  EXPECT_EQ(j["schema"], results::kResultSchema);
  EXPECT_EQ(r.backend, "cpu");
  ASSERT_EQ(r.folds.size(), 1u);
  const auto& fold = r.folds[0];
  EXPECT_EQ(fold.train_rows, 900u);
  EXPECT_EQ(fold.test_rows, 300u);
  EXPECT_EQ(fold.loss.size(), 30u);
  EXPECT_EQ(fold.model.parameters.size(), 4u * 3 + 3 + 3 + 1);
  EXPECT_EQ(fold.model.scaler_min.size(), 4u);
  EXPECT_EQ(fold.predictions.scores.size(), 300u);
  EXPECT_GT(*r.metrics.accuracy, 0.85) << j["metrics"].dump();
  EXPECT_EQ(r.metrics, results::summary_of(fold.metrics)) << "one fold: its metrics";
  for (const char* t : {"load", "preprocess", "train", "evaluate", "total"}) {
    EXPECT_GE(j["timings_ms"][t].get<double>(), 0.0) << t;
  }
  EXPECT_EQ(r.dataset.rows, 1200u);
  EXPECT_FALSE(r.kernel) << "the CPU backend reports no GPU kernel";
}

TEST(EngineTest, ACpuRunRecordsNoGpuSlotsAndEnergyOnlyWhereTheCpuHasASensor) {
  const bool sensor =
      kernels::platform::EnergyMeter(kernels::platform::EnergyTarget::cpu()).available();
  const auto r =
      run_workflow(synthetic_document({nn::PlanType::TrainTest, 0.25, std::nullopt}, 5), {});
  const auto j = results::run_result_to_json(r);
  EXPECT_EQ(r.device.kind, "cpu");
  EXPECT_FALSE(r.kernel) << j.dump();
  EXPECT_FALSE(r.memory) << "the CPU reads its rows where they are: " << j.dump();
  EXPECT_FALSE(r.blocks_per_model);
  EXPECT_FALSE(r.timings.gpu_kernel);
  EXPECT_FALSE(r.timings.gpu_context);
  EXPECT_FALSE(r.timings.gpu_library);
  for (const char* key : {"kernel", "memory", "blocks_per_model"}) {
    EXPECT_FALSE(j.contains(key)) << key << ": " << j.dump();
  }
  ASSERT_EQ(r.energy.has_value(), sensor)
      << "energy is recorded exactly where this machine's CPU exposes it (RAPL or a Jetson rail)";
  if (r.energy) {
    EXPECT_GE(r.energy->joules, 0.0);
    EXPECT_TRUE(r.energy->source.rfind("rapl", 0) == 0 || r.energy->source.rfind("ina3221", 0) == 0)
        << r.energy->source;
    EXPECT_EQ(j["energy"]["joules"], r.energy->joules);
  } else {
    EXPECT_FALSE(j.contains("energy")) << j.dump();
  }
}

// The stand-in's pretend device has 256 MiB; a network of 33.6 M parameters needs about 513 MB
// of it (four copies of the model) while the host has plenty: refused before anything trains.
TEST(EngineTest, AGpuRunOverTheDevicesMemoryIsRefusedNamingTheEstimateAndTheLimit) {
  testing::ScopedEnv library("DLAAW_GPU_LIB", DLAAW_STANDIN_LIBRARY);
  EngineOptions options;
  options.backend = "cuda";
  options.threads = 1;
  nn::WorkflowDocument d =
      synthetic_document({nn::PlanType::TrainTest, 0.25, std::nullopt}, 1).document();
  d.network = {nn::Linear(4, 4096), nn::ReLU(),          nn::Linear(4096, 8192),
               nn::ReLU(),          nn::Linear(8192, 1), nn::Sigmoid()};
  try {
    run_workflow(nn::ValidWorkflow(d), options);
    ADD_FAILURE() << "trained a model four times the device's memory";
  } catch (const InvalidInput& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("needs about 513 MB of device memory"), std::string::npos) << message;
    EXPECT_NE(message.find("over its 256 MB"), std::string::npos) << message;
  }
  options.backend = "cpu";
  d.network = {nn::Linear(4, 3), nn::ReLU(), nn::Linear(3, 1), nn::Sigmoid()};
  EXPECT_NO_THROW(run_workflow(nn::ValidWorkflow(d), options)) << "a small network fits";
}

TEST(EngineTest, DeviceMemoryIsCheckedForCudaDevicesWithKnownMemoryOnly) {
  kernels::DeviceInfo gpu;
  gpu.kind = "cuda";
  gpu.name = "T4";
  gpu.memory_bytes = 1ULL << 30;
  EXPECT_NO_THROW(check_device_memory(1ULL << 30, gpu));
  EXPECT_THROW(check_device_memory((1ULL << 30) + 1, gpu), InvalidInput);
  kernels::DeviceInfo unknown = gpu;
  unknown.memory_bytes = 0;
  EXPECT_NO_THROW(check_device_memory(1ULL << 40, unknown));
  kernels::DeviceInfo cpu = gpu;
  cpu.kind = "cpu";
  EXPECT_NO_THROW(check_device_memory(1ULL << 40, cpu)) << "the host budget covers the cpu";
  const std::vector<nn::NNTask> network = {nn::Linear(4, 3), nn::ReLU(), nn::Linear(3, 1)};
  // 19 parameters x 4 copies x 4 bytes x 2 folds + 100 rows x 5 floats x 4 bytes x 2 folds.
  EXPECT_EQ(estimate_device_bytes(network, 100, 4, 2), 19u * 4 * 4 * 2 + 100u * 5 * 4 * 2);
}

// The CUDA backend behind the CPU stand-in of libdlaaw_gpu.so (a pretend Nano that runs the block
// kernel): what crosses the C interface ends up in the result.
TEST(EngineTest, AGpuRunRecordsItsKernelMemoryPathAndSetupTimes) {
  testing::ScopedEnv library("DLAAW_GPU_LIB", DLAAW_STANDIN_LIBRARY);
  EngineOptions options;
  options.backend = "cuda";
  options.memory = kernels::MemoryPath::Managed;  // the resource's default; the document says auto
  nn::WorkflowDocument d = synthetic_document({nn::PlanType::KFold, std::nullopt, 3}, 5).document();
  d.memory = "auto";
  const auto r = run_workflow(nn::ValidWorkflow(d), options);
  EXPECT_EQ(r.backend, "cuda");
  EXPECT_EQ(r.device.kind, "cuda");
  EXPECT_NE(r.device.name.find("stand-in"), std::string::npos) << r.device.name;
  EXPECT_EQ(r.kernel, kernels::KernelChoice::Block) << "a 5.3 device has no grid barrier";
  EXPECT_EQ(r.memory, kernels::MemoryPath::Managed) << "the resource's default reached the kernels";
  EXPECT_EQ(r.blocks_per_model, 1);
  ASSERT_TRUE(r.timings.gpu_kernel);
  EXPECT_GT(*r.timings.gpu_kernel, 0.0);
  ASSERT_TRUE(r.timings.gpu_library) << "loading the library is timed apart from training";
  EXPECT_GT(*r.timings.gpu_library, 0.0);
  ASSERT_EQ(r.folds.size(), 3u);
  for (const auto& f : r.folds) EXPECT_EQ(f.loss.size(), 5u);
  const auto back = results::run_result_from_json(results::run_result_to_json(r));
  EXPECT_EQ(back.kernel, r.kernel);
  EXPECT_EQ(back.memory, r.memory);
  EXPECT_EQ(back.blocks_per_model, r.blocks_per_model);
  EXPECT_EQ(back.timings, r.timings);
}

TEST(EngineTest, KFoldTestsEveryRowOnceAndSummarizes) {
  const auto r = run_workflow(synthetic_document({nn::PlanType::KFold, std::nullopt, 4}, 10), {});
  ASSERT_EQ(r.folds.size(), 4u);
  std::multiset<std::size_t> tested;
  for (const auto& f : r.folds) tested.insert(f.predictions.rows.begin(), f.predictions.rows.end());
  EXPECT_EQ(tested.size(), 1200u);
  EXPECT_EQ(std::set<std::size_t>(tested.begin(), tested.end()).size(), 1200u);
  EXPECT_TRUE(r.metrics.accuracy);
  ASSERT_TRUE(r.metrics_std);
  EXPECT_TRUE(r.metrics_std->accuracy);
}

TEST(EngineTest, SameSeedSameResult) {
  const auto d = synthetic_document({nn::PlanType::TrainTest, 0.2, std::nullopt}, 5);
  const auto a = run_workflow(d, {});
  const auto b = run_workflow(d, {});
  EXPECT_EQ(a.folds[0].model, b.folds[0].model);
  EXPECT_EQ(a.folds[0].predictions, b.folds[0].predictions);
}

TEST(EngineTest, GivenInitialParametersReplaceTheDocumentsInit) {
  const auto d = synthetic_document({nn::PlanType::TrainTest, 0.2, std::nullopt}, 5);
  const auto base = run_workflow(d, {});
  EngineOptions same;  // the document's own init, given explicitly: the very same run
  same.initial_parameters = kernels::xavier_uniform_parameters(
      model_spec_from_network(d.document().network), d.document().training.effective_seed());
  EXPECT_EQ(run_workflow(d, same).folds[0].model, base.folds[0].model);
  EngineOptions moved = same;
  moved.initial_parameters[0] += 0.25f;
  EXPECT_NE(run_workflow(d, moved).folds[0].model, base.folds[0].model);
}

TEST(EngineTest, InitialParametersOfTheWrongSizeOrNotFiniteAreBadInput) {
  const auto d = synthetic_document({nn::PlanType::TrainTest, 0.2, std::nullopt}, 5);
  EngineOptions options;
  options.initial_parameters = {0.1f, 0.2f};
  EXPECT_THROW(run_workflow(d, options), InvalidInput);
  options.initial_parameters.assign(19, 0.1f);  // 4*3+3 + 3*1+1 = 19 parameters
  options.initial_parameters[7] = std::nanf("");
  EXPECT_THROW(run_workflow(d, options), InvalidInput);
}

TEST(EngineTest, ProgressCanCancel) {
  EngineOptions options;
  int last_epoch = 0;
  options.on_progress = [&](const Progress& p) {
    last_epoch = p.epoch;
    return p.epoch < 3;
  };
  EXPECT_THROW(
      run_workflow(synthetic_document({nn::PlanType::TrainTest, 0.2, std::nullopt}), options),
      JobCancelled);
  EXPECT_EQ(last_epoch, 3);
}

TEST(EngineTest, FileDatasetWithWrongWidthIsBadInput) {
  testing::TempDir dir;
  dir.write("f.csv", "a,b,y\n1,2,1\n3,4,0\n5,6,1\n7,8,0\n9,1,1\n2,2,0\n3,3,1\n4,4,0\n");
  nn::WorkflowDocument d =
      synthetic_document({nn::PlanType::TrainTest, 0.25, std::nullopt}).document();
  d.dataset = {};
  d.dataset.path = "f.csv";
  d.dataset.label = "y";
  d.training.batches = 2;
  EngineOptions options;
  options.data_dir = dir.path();
  try {
    run_workflow(nn::ValidWorkflow(d), options);
    FAIL();
  } catch (const InvalidInput& e) {
    EXPECT_EQ(std::string(e.what()), "network[0]: Linear.in is 4 but dataset f.csv has 2 features");
  }
}

TEST(NNTrainerTest, ListingTwoTrainsADesignedWorkflow) {
  class Blobs : public nn::NNWorkflow {
   public:
    Blobs() : NNWorkflow("listing") {
      datasets::DatasetSpec blobs;
      blobs.synthetic = datasets::SyntheticSpec{600, 2, 1};
      use_dataset(blobs);
    }
    void design() override {
      Sequential(nn::Linear(2, 3), nn::ReLU(), nn::Linear(3, 1), nn::Sigmoid());
    }
  } net;
  client::NNTrainer trainer(net, /*batches=*/6, /*epochs=*/20);
  const auto result = trainer.train();
  EXPECT_EQ(result.workflow.training.epochs, 20);
  EXPECT_EQ(result.folds[0].loss.size(), 20u);
  EXPECT_GT(*result.metrics.accuracy, 0.8);
}

}  // namespace
}  // namespace dlaaw::executor
