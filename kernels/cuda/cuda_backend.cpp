// cuda_backend.cpp - adapts the C++14 launch functions to the C++20 Backend interface.
#include "kernels/cuda/cuda_backend.h"

#include <exception>
#include <stdexcept>
#include <string>

#include "common/errors.h"
#include "kernels/cuda/cuda_training.h"
#include "kernels/shared/epoch_permutation.h"

namespace dlaaw::kernels::cuda {
namespace {

std::string version_text(int v) {
  return std::to_string(v / 1000) + "." + std::to_string(v % 1000 / 10);
}

CudaModelDesc describe_model(const ModelSpec& spec) {
  check_model_spec(spec);
  if (static_cast<int>(spec.layers.size()) > kMaxLayers || spec.max_width() > kMaxWidth ||
      spec.parameter_count() > static_cast<std::size_t>(kMaxParameters)) {
    throw InvalidInput("network: too large for the CUDA kernels (at most " +
                       std::to_string(kMaxLayers) + " layers, " + std::to_string(kMaxWidth) +
                       " units wide, " + std::to_string(kMaxParameters) +
                       " parameters); use the cpu backend");
  }
  CudaModelDesc m{};
  m.layers = static_cast<int>(spec.layers.size());
  m.inputs = spec.inputs();
  m.parameters = static_cast<int>(spec.parameter_count());
  for (int l = 0; l < m.layers; ++l) {
    m.in[l] = spec.layers[l].in;
    m.out[l] = spec.layers[l].out;
    m.activation[l] = static_cast<int>(spec.layers[l].activation);
    m.weight_offset[l] = static_cast<int>(spec.weight_offset(l));
  }
  return m;
}

// Runs a CUDA call, turning its std::runtime_error into ServiceUnavailable (exit code 3).
template <typename F>
auto guarded(F&& f) {
  try {
    return f();
  } catch (const Error&) {
    throw;
  } catch (const std::runtime_error& e) {
    throw DeviceFailure(std::string("CUDA: ") + e.what());
  }
}

struct ProgressBridge {
  const ModelEpochCallback* on_epoch;
  std::exception_ptr error;
};

int forward_progress(void* context, int model, int epoch, double loss) {
  auto* bridge = static_cast<ProgressBridge*>(context);
  if (!*bridge->on_epoch || bridge->error) return bridge->error ? 0 : 1;
  try {
    return (*bridge->on_epoch)(model, epoch, loss) ? 1 : 0;
  } catch (...) {
    bridge->error = std::current_exception();
    return 0;
  }
}

}  // namespace

DeviceInfo describe_cuda_device(int index) {
  return guarded([&] {
    const CudaDeviceInfo d = cuda_device_info(index);
    DeviceInfo info;
    info.kind = "cuda";
    info.name = d.name;
    info.integrated = d.integrated;
    info.index = index;
    info.compute_capability = std::to_string(d.major) + "." + std::to_string(d.minor);
    info.multiprocessors = d.multiprocessors;
    info.memory_bytes = d.total_memory;
    info.driver_version = version_text(d.driver_version);
    info.runtime_version = version_text(d.runtime_version);
    return info;
  });
}

CudaBackend::CudaBackend(int device) {
  const int count = cuda_device_count();
  if (device < 0 || device >= count) {
    throw ServiceUnavailable(
        count == 0 ? "backend cuda: no CUDA device is present (or no driver); use --backend cpu"
                   : "backend cuda: device " + std::to_string(device) +
                         " does not exist (this machine has " + std::to_string(count) + ")");
  }
  device_ = describe_cuda_device(device);
}

TrainOutcome CudaBackend::train(const ModelSpec& spec, const std::vector<float>& initial,
                                const Matrix& x, const std::vector<float>& y,
                                const TrainConfig& config, const EpochCallback& on_epoch) {
  const ModelEpochCallback each = [&](int, int epoch, double loss) {
    return !on_epoch || on_epoch(epoch, loss);
  };
  return train_many(spec, initial, {TrainingSet{&x, &y}}, config, each).front();
}

std::vector<TrainOutcome> CudaBackend::train_many(const ModelSpec& spec,
                                                  const std::vector<float>& initial,
                                                  const std::vector<TrainingSet>& sets,
                                                  const TrainConfig& config,
                                                  const ModelEpochCallback& on_epoch) {
  const CudaModelDesc model = describe_model(spec);
  if (initial.size() != spec.parameter_count())
    throw std::invalid_argument("initial parameters have the wrong size");
  std::vector<float> x_all, y_all;
  std::vector<std::int64_t> row_begin{0};
  for (const auto& set : sets) {
    if (set.x->cols != static_cast<std::size_t>(spec.inputs()) || set.y->size() != set.x->rows) {
      throw std::invalid_argument("data shape does not match the model");
    }
    if (set.x->rows < static_cast<std::size_t>(config.batches) || set.x->rows > kMaxPermutedRows) {
      throw std::invalid_argument(
          "training rows must be between the number of mini-batches and 2^32");
    }
    x_all.insert(x_all.end(), set.x->values.begin(), set.x->values.end());
    y_all.insert(y_all.end(), set.y->begin(), set.y->end());
    row_begin.push_back(row_begin.back() + static_cast<std::int64_t>(set.x->rows));
  }

  const int models = static_cast<int>(sets.size());
  std::vector<float> parameters(static_cast<std::size_t>(models) * model.parameters);
  std::vector<int> epochs_done(models, 0);
  std::vector<std::vector<double>> losses(models);
  const ModelEpochCallback record = [&](int m, int epoch, double loss) {
    losses[m].push_back(loss);
    return !on_epoch || on_epoch(m, epoch, loss);
  };
  ProgressBridge bridge{&record, nullptr};

  CudaTrainRequest request{};
  request.model = model;
  request.models = models;
  request.x = x_all.data();
  request.y = y_all.data();
  request.row_begin = row_begin.data();
  request.initial = initial.data();
  request.epochs = config.epochs;
  request.batches = config.batches;
  request.learning_rate = config.learning_rate;
  request.momentum = config.momentum;
  request.seed = config.seed;
  request.zero_copy = config.memory == MemoryPath::ZeroCopy ||
                      (config.memory == MemoryPath::Auto && device_.integrated);
  request.device = device_.index;
  request.progress = forward_progress;
  request.progress_context = &bridge;
  request.out_parameters = parameters.data();
  request.out_epochs = epochs_done.data();
  const bool stopped = guarded([&] { return cuda_train(request); });
  if (bridge.error) std::rethrow_exception(bridge.error);

  std::vector<TrainOutcome> outcomes(models);
  for (int m = 0; m < models; ++m) {
    outcomes[m].parameters.assign(
        parameters.begin() + static_cast<std::ptrdiff_t>(m) * model.parameters,
        parameters.begin() + static_cast<std::ptrdiff_t>(m + 1) * model.parameters);
    outcomes[m].epoch_loss = losses[m];
    outcomes[m].stopped = stopped && epochs_done[m] < config.epochs;
  }
  return outcomes;
}

std::vector<float> CudaBackend::predict(const ModelSpec& spec, const std::vector<float>& parameters,
                                        const Matrix& x) {
  const CudaModelDesc model = describe_model(spec);
  if (parameters.size() != spec.parameter_count() ||
      x.cols != static_cast<std::size_t>(spec.inputs())) {
    throw std::invalid_argument("parameters or data do not match the model");
  }
  std::vector<float> scores(x.rows);
  guarded([&] {
    cuda_predict(model, parameters.data(), x.values.data(), static_cast<std::int64_t>(x.rows),
                 device_.index, scores.data());
    return 0;
  });
  return scores;
}

}  // namespace dlaaw::kernels::cuda
