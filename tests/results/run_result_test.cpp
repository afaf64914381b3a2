// run_result_test.cpp - the result document: a real run round-trips, and a bad document is an
// InvalidInput naming its field, never a crash (results come from Redis, which is untrusted).
#include "results/run_result.h"

#include <gtest/gtest.h>

#include "common/errors.h"
#include "executor/engine.h"
#include "results/device_json.h"

namespace dlaaw::results {
namespace {

using nlohmann::json;

const RunResult& real_result(bool kfold) {
  static const RunResult train_test = [] {
    nnworkflow::WorkflowDocument d;
    d.name = "blobs";
    d.dataset.synthetic = datasets::SyntheticSpec{300, 3, 2};
    d.network = {nnworkflow::Linear(3, 2), nnworkflow::ReLU(), nnworkflow::Linear(2, 1),
                 nnworkflow::Sigmoid()};
    d.training.epochs = 5;
    d.memory = "managed";
    d.training.kernel = "block";
    executor::EngineOptions options;
    options.threads = 1;
    RunResult r = executor::run_workflow(nnworkflow::ValidWorkflow(d), options);
    r.executor = ExecutorRecord{"ex-1", "lab", "cpu"};
    r.job = JobRecord{"j1", 2};
    r.timings.queue_wait = 12.5;
    return r;
  }();
  static const RunResult folds = [] {
    nnworkflow::WorkflowDocument d = train_test.workflow;
    d.plan = {nnworkflow::PlanType::KFold, std::nullopt, 3};
    return executor::run_workflow(nnworkflow::ValidWorkflow(d), {});
  }();
  return kfold ? folds : train_test;
}

std::string error_of(const json& j) {
  try {
    run_result_from_json(j);
  } catch (const InvalidInput& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(RunResultTest, ARealRunRoundTrips) {
  for (const bool kfold : {false, true}) {
    const RunResult& r = real_result(kfold);
    const json j = run_result_to_json(r);
    EXPECT_EQ(j["schema"], kResultSchema);
    EXPECT_EQ(j["plan"]["folds"], kfold ? 3 : 1);
    const RunResult back = run_result_from_json(j);
    EXPECT_EQ(run_result_to_json(back), j) << "to_json(from_json(j)) == j";
    EXPECT_EQ(back.workflow, r.workflow);
    EXPECT_EQ(back.folds, r.folds);
    EXPECT_EQ(back.metrics, r.metrics);
    EXPECT_EQ(back.metrics_std, r.metrics_std);
    EXPECT_EQ(back.timings, r.timings);
    EXPECT_EQ(back.executor, r.executor);
    EXPECT_EQ(back.job, r.job);
    EXPECT_EQ(run_result_from_text(j.dump()).dataset, r.dataset);
  }
  EXPECT_EQ(real_result(false).workflow.memory, "managed") << "the document's choices travel";
  EXPECT_EQ(real_result(false).workflow.training.kernel, "block");
}

TEST(RunResultTest, TheSlotsAGpuBackendFillsRoundTrip) {
  RunResult r = real_result(false);
  r.kernel = kernels::KernelChoice::Cooperative;
  r.memory = kernels::MemoryPath::ZeroCopy;
  r.blocks_per_model = 12;
  r.timings.gpu_kernel = 81.5;
  r.timings.gpu_context = 240.0;
  r.timings.gpu_library = 3.5;
  r.energy = EnergyRecord{3.25, "tegrastats", "MAXN"};
  const json j = run_result_to_json(r);
  EXPECT_EQ(j["kernel"], "cooperative");
  EXPECT_EQ(j["memory"], "zero_copy");
  EXPECT_EQ(j["blocks_per_model"], 12);
  EXPECT_EQ(j["timings_ms"]["gpu_kernel"], 81.5);
  EXPECT_EQ(j["timings_ms"]["gpu_library"], 3.5);
  EXPECT_EQ(j["energy"]["power_mode"], "MAXN");
  const RunResult back = run_result_from_json(j);
  EXPECT_EQ(back.kernel, r.kernel);
  EXPECT_EQ(back.memory, r.memory);
  EXPECT_EQ(back.blocks_per_model, 12);
  EXPECT_EQ(back.timings, r.timings);
  EXPECT_EQ(back.energy, r.energy);
  EXPECT_EQ(run_result_to_json(back), j);
  EXPECT_FALSE(run_result_to_json(real_result(false)).contains("blocks_per_model"))
      << "absent on the CPU";
  EXPECT_FALSE(run_result_to_json(real_result(false)).contains("energy")) << "absent today";
}

TEST(RunResultTest, ADivergedLossIsNullNotAnError) {
  RunResult r = real_result(false);
  r.folds[0].loss[2] = std::nan("");
  const json j = json::parse(run_result_to_json(r).dump());
  EXPECT_TRUE(j["folds"][0]["loss"][2].is_null());
  EXPECT_TRUE(std::isnan(run_result_from_json(j).folds[0].loss[2]));
}

TEST(RunResultTest, EachBadFieldIsNamed) {
  const json good = run_result_to_json(real_result(false));
  const auto with = [&](const json::json_pointer& at, const json& value) {
    json j = good;
    j[at] = value;
    return j;
  };
  const auto without = [&](const json::json_pointer& at) {
    json j = good;
    j[at.parent_pointer()].erase(at.back());
    return j;
  };
  EXPECT_EQ(error_of(json::array()), "result: must be an object, got [] (array)");
  EXPECT_EQ(error_of(with("/schema"_json_pointer, "dlaaw/result@2")),
            "result.schema: expected \"dlaaw/result@1\", got \"dlaaw/result@2\"");
  EXPECT_EQ(error_of(without("/dataset"_json_pointer)), "result.dataset: missing");
  EXPECT_EQ(error_of(with("/dataset/rows_read"_json_pointer, -3)),
            "result.dataset.rows_read: must not be negative, got -3");
  EXPECT_EQ(error_of(with("/folds/0/metrics/accuracy"_json_pointer, "high")),
            "result.folds[0].metrics.accuracy: must be a number, got \"high\" (string)");
  EXPECT_EQ(error_of(without("/folds/0/metrics/confusion"_json_pointer)),
            "result.folds[0].metrics.confusion: missing");
  EXPECT_EQ(error_of(with("/folds/0/loss/1"_json_pointer, "x")),
            "result.folds[0].loss[1]: must be a number, got \"x\" (string)");
  EXPECT_EQ(error_of(with("/folds/0/model/parameters"_json_pointer, 5)),
            "result.folds[0].model.parameters: must be a list, got 5 (number)");
  EXPECT_EQ(error_of(with("/folds/0/model/layers/0/type"_json_pointer, "Conv")).substr(0, 58),
            "result.folds[0].model.network[0].type: unknown layer type ");
  EXPECT_EQ(error_of(with("/folds/0/predictions/rows/0"_json_pointer, -1)),
            "result.folds[0].predictions.rows[0]: must be a non-negative integer, got -1 (number)");
  EXPECT_EQ(error_of(with("/folds"_json_pointer, json::array())), "result.folds: empty");
  EXPECT_EQ(error_of(with("/plan/folds"_json_pointer, 4)),
            "result.plan.folds: does not match the number of folds given");
  EXPECT_EQ(error_of(with("/workflow/training/epochs"_json_pointer, "many")),
            "result.workflow.training.epochs: must be an integer, got \"many\" (string)");
  EXPECT_EQ(error_of(with("/device/memory_bytes"_json_pointer, -1)),
            "result.device.memory_bytes: must not be negative, got -1");
  EXPECT_EQ(error_of(without("/device/kind"_json_pointer)), "result.device.kind: missing");
  EXPECT_EQ(error_of(with("/timings_ms/train"_json_pointer, nullptr)),
            "result.timings_ms.train: must be a number, got null (null)");
  EXPECT_EQ(error_of(with("/executor"_json_pointer, json{{"id", "x"}})),
            "result.executor.host: missing");
  EXPECT_EQ(error_of(with("/memory"_json_pointer, "pinned")),
            "result.memory: unknown memory mode \"pinned\"");
  EXPECT_EQ(error_of(with("/blocks_per_model"_json_pointer, -2)),
            "result.blocks_per_model: must not be negative, got -2");
  EXPECT_EQ(error_of(with("/timings_ms/gpu_library"_json_pointer, "slow")),
            "result.timings_ms.gpu_library: must be a number, got \"slow\" (string)");
  EXPECT_THROW(run_result_from_text("{\"schema\": "), InvalidInput);
  // Found by fuzz/run_result_fuzzer: a number past double's range is nlohmann's out_of_range,
  // which escaped as another exception type (a result from Redis could stop the tracker).
  EXPECT_THROW(run_result_from_text("{\"schema\": 1e3080}"), InvalidInput);
}

TEST(DeviceJsonTest, OneShapeForEveryDevice) {
  kernels::DeviceInfo gpu;
  gpu.kind = "cuda";
  gpu.name = "Orin";
  gpu.integrated = true;
  gpu.index = 0;
  gpu.compute_capability = "8.7";
  gpu.multiprocessors = 16;
  gpu.memory_bytes = 32ULL << 30;
  gpu.driver_version = "12.2";
  gpu.runtime_version = "12.2";
  gpu.kernels = {"block"};
  gpu.kernels_note = "the cooperative kernel has no code for sm_87";
  const kernels::DeviceInfo back = device_from_json(device_to_json(gpu), "device");
  EXPECT_EQ(device_to_json(back), device_to_json(gpu));
  EXPECT_EQ(back.memory_bytes, gpu.memory_bytes);
  EXPECT_EQ(back.compute_capability, "8.7");
  EXPECT_EQ(back.kernels, gpu.kernels);
  EXPECT_EQ(back.kernels_note, gpu.kernels_note);
  EXPECT_THROW(device_from_json(json{{"kind", "cuda"}, {"name", "x"}, {"kernels", "block"}}, "d"),
               InvalidInput)
      << "kernels is a list";
  kernels::DeviceInfo cpu;
  cpu.kind = "cpu";
  cpu.name = "Xeon";
  cpu.threads = 8;
  EXPECT_EQ(device_to_json(cpu),
            json({{"kind", "cpu"}, {"name", "Xeon"}, {"integrated", false}, {"threads", 8}}));
  EXPECT_EQ(device_from_json(device_to_json(cpu), "device").threads, 8);
  EXPECT_THROW(device_from_json(json{{"kind", "cpu"}, {"name", 3}}, "device"), InvalidInput);
}

TEST(RunResultTest, PredictionsInAnArtifactTravelAsAReferenceAndAttachBackIdentical) {
  const RunResult& original = real_result(/*kfold=*/true);
  const std::string bytes = predictions_list_text(original);
  RunResult sent = original;
  std::size_t rows = 0;
  for (auto& fold : sent.folds) {
    rows += fold.predictions.rows.size();
    fold.predictions = {};
  }
  sent.predictions_artifact = PredictionsArtifact{std::string(64, 'a'), bytes.size(), rows};
  const json j = run_result_to_json(sent);
  EXPECT_FALSE(j["folds"][0].contains("predictions")) << j["folds"][0].dump();
  RunResult back = run_result_from_json(j);
  EXPECT_EQ(back.predictions_artifact, sent.predictions_artifact);
  attach_predictions(back, bytes);
  EXPECT_FALSE(back.predictions_artifact);
  for (std::size_t f = 0; f < original.folds.size(); ++f)
    EXPECT_EQ(back.folds[f].predictions, original.folds[f].predictions) << "fold " << f;
}

TEST(RunResultTest, AttachRefusesBytesThatDoNotMatchTheReference) {
  const RunResult& original = real_result(/*kfold=*/true);
  const std::string bytes = predictions_list_text(original);
  std::size_t rows = 0;
  for (const auto& fold : original.folds) rows += fold.predictions.rows.size();
  const auto refused = [&](const std::string& given, std::size_t size, std::size_t total,
                           const std::string& words) {
    RunResult r = original;
    r.predictions_artifact = PredictionsArtifact{std::string(64, 'b'), size, total};
    try {
      attach_predictions(r, given);
      ADD_FAILURE() << "accepted: " << words;
    } catch (const InvalidInput& e) {
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
    EXPECT_TRUE(r.predictions_artifact) << "a refused attach changes nothing";
  };
  refused(bytes, bytes.size() + 1, rows, "bytes, the result says");
  refused(bytes, bytes.size(), rows + 1, "rows, the result says");
  refused("[]", 2, rows, "list of 3 folds");
  refused("[1,2,3]", 7, rows, "must be an object");
  refused("[[[", 3, rows, "predictions artifact");
}

}  // namespace
}  // namespace dlaaw::results
