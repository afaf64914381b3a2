// gpu_train_bench.cpp - dlaaw's CUDA training time per kernel on the paper's protocol, with the
// CUDA context already created; and the very rows it trains on, exported for the GPU peers.
//
//   gpu_train_bench WORKFLOW --data-dir DIR [--kfold K] [--replicate N] [--repeat R]
//                   [--kernel auto|cooperative|block]... [--export DIR]
//
// Prepares the data as the engine does (drop empty rows, encode, seeded split, min-max scaling on
// the training rows), optionally with the dataset's rows replicated N times before the split, or
// a K-fold plan instead of the document's. With --export it writes each fold's scaled rows as
// float32 files plus meta.json (bench/gpu_peers.py reads them), before touching the GPU. Then it
// makes the CUDA backend (context creation timed apart), and per kernel runs one untimed epoch
// and R timed trainings of all folds side by side: the wall time of train_many (host clock:
// upload, kernel, final copy) and the kernel's own time (CUDA events). One JSON line per kernel.
// Exit codes: 0 done, 2 bad arguments or input, 3 no usable GPU (after any export).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/errors.h"
#include "datasets/dataset_loader.h"
#include "datasets/min_max_scaler.h"
#include "datasets/splits.h"
#include "executor/model_mapping.h"
#include "kernels/backend.h"
#include "nnworkflow/workflow_json.h"

namespace {

using dlaaw::kernels::Matrix;
using nlohmann::json;

struct Options {
  std::string workflow;
  std::string data_dir;
  std::string export_dir;
  int kfold = 0;
  int replicate = 1;
  int repeat = 3;
  std::vector<std::string> kernels;
};

struct Fold {
  Matrix x_train, x_test;
  std::vector<float> y_train, y_test;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw dlaaw::InvalidInput(a + " needs a value");
      return argv[++i];
    };
    if (a == "--data-dir")
      o.data_dir = value();
    else if (a == "--export")
      o.export_dir = value();
    else if (a == "--kfold")
      o.kfold = std::stoi(value());
    else if (a == "--replicate")
      o.replicate = std::stoi(value());
    else if (a == "--repeat")
      o.repeat = std::stoi(value());
    else if (a == "--kernel")
      o.kernels.push_back(value());
    else if (o.workflow.empty() && a.rfind("--", 0) != 0)
      o.workflow = a;
    else
      throw dlaaw::InvalidInput("unknown argument " + a);
  }
  if (o.workflow.empty()) throw dlaaw::InvalidInput("usage: gpu_train_bench WORKFLOW [options]");
  if (o.kernels.empty()) o.kernels = {"cooperative", "block"};
  if (o.replicate < 1 || o.repeat < 1) throw dlaaw::InvalidInput("--replicate, --repeat >= 1");
  return o;
}

void replicate(dlaaw::datasets::Dataset& ds, int times) {
  const auto features = ds.features;
  const auto labels = ds.labels;
  for (int t = 1; t < times; ++t) {
    ds.features.insert(ds.features.end(), features.begin(), features.end());
    ds.labels.insert(ds.labels.end(), labels.begin(), labels.end());
  }
}

std::vector<Fold> prepare(const dlaaw::datasets::Dataset& ds,
                          const std::vector<dlaaw::datasets::Split>& splits) {
  std::vector<Fold> folds;
  for (const auto& split : splits) {
    const auto scaler = dlaaw::datasets::MinMaxScaler::fit(ds.features, ds.cols(), split.train);
    Fold f;
    f.x_train = Matrix{split.train.size(), ds.cols(), scaler.transform(ds.features, split.train)};
    f.x_test = Matrix{split.test.size(), ds.cols(), scaler.transform(ds.features, split.test)};
    for (auto r : split.train) f.y_train.push_back(ds.labels[r]);
    for (auto r : split.test) f.y_test.push_back(ds.labels[r]);
    folds.push_back(std::move(f));
  }
  return folds;
}

void write_floats(const std::filesystem::path& path, const std::vector<float>& values) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(values.data()),
            static_cast<std::streamsize>(values.size() * sizeof(float)));
  if (!out) throw dlaaw::InvalidInput("cannot write " + path.string());
}

// fold<f>.{x_train,y_train,x_test,y_test}.f32 and meta.json: what a peer needs to train the very
// same rows with the same network and settings.
void export_folds(const std::string& dir, const std::vector<Fold>& folds,
                  const dlaaw::kernels::ModelSpec& spec, const dlaaw::kernels::TrainConfig& c) {
  std::filesystem::create_directories(dir);
  json meta = {{"folds", folds.size()},
               {"cols", spec.inputs()},
               {"epochs", c.epochs},
               {"batches", c.batches},
               {"learning_rate", c.learning_rate},
               {"momentum", c.momentum},
               {"seed", c.seed},
               {"layers", json::array()},
               {"train_rows", json::array()},
               {"test_rows", json::array()}};
  for (const auto& l : spec.layers) {
    meta["layers"].push_back({l.in, l.out, static_cast<int>(l.activation)});
  }
  for (std::size_t f = 0; f < folds.size(); ++f) {
    const std::string p = dir + "/fold" + std::to_string(f);
    write_floats(p + ".x_train.f32", folds[f].x_train.values);
    write_floats(p + ".y_train.f32", folds[f].y_train);
    write_floats(p + ".x_test.f32", folds[f].x_test.values);
    write_floats(p + ".y_test.f32", folds[f].y_test);
    meta["train_rows"].push_back(folds[f].x_train.rows);
    meta["test_rows"].push_back(folds[f].x_test.rows);
  }
  std::ofstream(dir + "/meta.json") << meta.dump(2) << "\n";
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

double mean_accuracy(dlaaw::kernels::Backend& backend, const dlaaw::kernels::ModelSpec& spec,
                     const std::vector<Fold>& folds,
                     const std::vector<dlaaw::kernels::TrainOutcome>& outcomes) {
  double sum = 0.0;
  for (std::size_t f = 0; f < folds.size(); ++f) {
    const auto scores = backend.predict(spec, outcomes[f].parameters, folds[f].x_test);
    int right = 0;
    for (std::size_t r = 0; r < scores.size(); ++r) {
      right += (scores[r] >= 0.5f) == (folds[f].y_test[r] > 0.5f);
    }
    sum += static_cast<double>(right) / static_cast<double>(scores.size());
  }
  return sum / static_cast<double>(folds.size());
}

// One warm-up epoch, then `repeat` timed trainings of every fold side by side with `kernel`.
json time_kernel(dlaaw::kernels::Backend& backend, const dlaaw::kernels::ModelSpec& spec,
                 const std::vector<Fold>& folds, dlaaw::kernels::TrainConfig config,
                 const std::string& kernel, int repeat) {
  config.kernel = dlaaw::kernels::kernel_choice_from_name(kernel);
  std::vector<dlaaw::kernels::TrainingSet> sets;
  for (const auto& f : folds) sets.push_back({&f.x_train, &f.y_train});
  const auto init = dlaaw::kernels::xavier_uniform_parameters(spec, config.seed);
  json j = {{"kernel", kernel}};
  try {
    dlaaw::kernels::TrainConfig warm = config;
    warm.epochs = 1;
    backend.train_many(spec, init, sets, warm, {});
    std::vector<double> wall, gpu;
    std::vector<dlaaw::kernels::TrainOutcome> last;
    for (int r = 0; r < repeat; ++r) {
      const auto start = std::chrono::steady_clock::now();
      last = backend.train_many(spec, init, sets, config, {});
      wall.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count());
      gpu.push_back(last.front().kernel_ms);
    }
    j["kernel_used"] = last.front().kernel;
    j["memory"] = last.front().memory;
    j["blocks_per_model"] = last.front().blocks_per_model;
    j["train_ms"] = wall;
    j["kernel_ms"] = gpu;
    j["median_train_ms"] = median(wall);
    j["median_kernel_ms"] = median(gpu);
    j["accuracy"] = mean_accuracy(backend, spec, folds, last);
  } catch (const dlaaw::Error& e) {
    j["error"] = e.what();
  }
  return j;
}

int run(const Options& o) {
  const auto valid = dlaaw::nnworkflow::load_workflow_file(o.workflow);
  const dlaaw::nnworkflow::WorkflowDocument& doc = valid.document();
  auto ds = dlaaw::datasets::load_dataset(doc.dataset, o.data_dir);
  replicate(ds, o.replicate);
  const std::uint64_t seed = doc.training.effective_seed();
  std::vector<dlaaw::datasets::Split> splits;
  const int k = o.kfold > 0 ? o.kfold : (doc.plan.k ? *doc.plan.k : 0);
  if (k > 0) {
    splits = dlaaw::datasets::kfold_splits(ds.rows(), k, seed);
  } else {
    splits.push_back(
        dlaaw::datasets::train_test_split(ds.rows(), doc.plan.effective_test_fraction(), seed));
  }
  const auto folds = prepare(ds, splits);
  const auto spec = dlaaw::executor::model_spec_from_network(doc.network);
  dlaaw::kernels::TrainConfig config;
  config.epochs = static_cast<int>(*doc.training.epochs);
  config.batches = doc.training.batches_for(splits.front().train.size());
  config.learning_rate = static_cast<float>(doc.training.effective_learning_rate());
  config.momentum = static_cast<float>(doc.training.effective_momentum());
  config.seed = seed;
  if (!o.export_dir.empty()) export_folds(o.export_dir, folds, spec, config);

  const auto backend = dlaaw::kernels::make_backend("cuda");
  const auto device = backend->device();
  const auto library = dlaaw::kernels::gpu_library_status();
  const json common = {{"workflow", doc.name},
                       {"gpu_library", library.description},
                       {"cuda_runtime", library.runtime_version},
                       {"cuda_driver", library.driver_version},
                       {"dataset", ds.name},
                       {"rows", ds.rows()},
                       {"replicate", o.replicate},
                       {"folds", folds.size()},
                       {"epochs", config.epochs},
                       {"device", device.name},
                       {"compute_capability", device.compute_capability},
                       {"setup_library_ms", backend->setup_timings().library_ms},
                       {"setup_context_ms", backend->setup_timings().context_ms}};
  for (const auto& kernel : o.kernels) {
    json line = common;
    line.update(time_kernel(*backend, spec, folds, config, kernel, o.repeat));
    std::printf("%s\n", line.dump().c_str());
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse(argc, argv));
  } catch (const dlaaw::InvalidInput& e) {
    std::fprintf(stderr, "gpu_train_bench: %s\n", e.what());
    return 2;
  } catch (const dlaaw::ServiceUnavailable& e) {
    std::fprintf(stderr, "gpu_train_bench: %s\n", e.what());
    return 3;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gpu_train_bench: %s\n", e.what());
    return 1;
  }
}
