// gpu_backend.cpp - ModelSpec, rows and callbacks translated to the GPU library's C interface.
#include "kernels/gpu/gpu_backend.h"

#include <algorithm>
#include <exception>
#include <stdexcept>

namespace dlaaw::kernels::gpu {
namespace {

std::int32_t activation_code(Activation a) {
  switch (a) {
    case Activation::ReLU:
      return DLAAW_GPU_ACTIVATION_RELU;
    case Activation::Sigmoid:
      return DLAAW_GPU_ACTIVATION_SIGMOID;
    case Activation::Tanh:
      return DLAAW_GPU_ACTIVATION_TANH;
    case Activation::Identity:
    default:
      return DLAAW_GPU_ACTIVATION_IDENTITY;
  }
}

std::int32_t kernel_code(KernelChoice k) {
  switch (k) {
    case KernelChoice::Cooperative:
      return DLAAW_GPU_KERNEL_COOPERATIVE;
    case KernelChoice::Block:
      return DLAAW_GPU_KERNEL_BLOCK;
    case KernelChoice::Auto:
    default:
      return DLAAW_GPU_KERNEL_AUTO;
  }
}

std::int32_t memory_code(MemoryPath m) {
  switch (m) {
    case MemoryPath::Device:
      return DLAAW_GPU_MEMORY_DEVICE;
    case MemoryPath::ZeroCopy:
      return DLAAW_GPU_MEMORY_ZERO_COPY;
    case MemoryPath::Managed:
      return DLAAW_GPU_MEMORY_MANAGED;
    case MemoryPath::Auto:
    default:
      return DLAAW_GPU_MEMORY_AUTO;
  }
}

std::string kernel_name(std::int32_t code) {
  return code == DLAAW_GPU_KERNEL_COOPERATIVE ? name_of(KernelChoice::Cooperative)
         : code == DLAAW_GPU_KERNEL_BLOCK     ? name_of(KernelChoice::Block)
                                              : "unknown";
}

std::string memory_name(std::int32_t code) {
  return code == DLAAW_GPU_MEMORY_DEVICE      ? name_of(MemoryPath::Device)
         : code == DLAAW_GPU_MEMORY_ZERO_COPY ? name_of(MemoryPath::ZeroCopy)
         : code == DLAAW_GPU_MEMORY_MANAGED   ? name_of(MemoryPath::Managed)
                                              : "unknown";
}

std::vector<dlaaw_gpu_layer> layers_of(const ModelSpec& spec) {
  std::vector<dlaaw_gpu_layer> layers;
  for (const auto& l : spec.layers) layers.push_back({l.in, l.out, activation_code(l.activation)});
  return layers;
}

// Carries the C++ callback through the C interface. An exception from it must not unwind
// through the library: it is kept, training is told to stop, and train_many rethrows it.
struct ProgressBridge {
  const ModelEpochCallback* on_epoch;
  std::exception_ptr error;

  static std::int32_t forward(void* user, std::int32_t model, std::int32_t epoch,
                              double loss) noexcept {
    auto* bridge = static_cast<ProgressBridge*>(user);
    if (bridge->error) return 0;
    try {
      return !*bridge->on_epoch || (*bridge->on_epoch)(model, epoch, loss) ? 1 : 0;
    } catch (...) {
      bridge->error = std::current_exception();
      return 0;
    }
  }
};

void check_sets(const ModelSpec& spec, const std::vector<TrainingSet>& sets) {
  if (sets.empty()) throw std::invalid_argument("no training set was given");
  for (const auto& set : sets) {
    if (!set.x || !set.y || set.x->cols != static_cast<std::size_t>(spec.inputs()) ||
        set.x->values.size() != set.x->rows * set.x->cols || set.y->size() != set.x->rows) {
      throw std::invalid_argument("data shape does not match the model");
    }
  }
}

}  // namespace

GpuBackend::GpuBackend(std::shared_ptr<const GpuLibrary> library, int index)
    : library_(std::move(library)),
      device_(library_->describe(index)),
      context_(nullptr, ContextCloser{library_}) {
  setup_.library_ms = library_->load_ms();
  context_.reset(library_->open(index, &setup_.context_ms));
}

TrainOutcome GpuBackend::train(const ModelSpec& spec, const std::vector<float>& initial,
                               const Matrix& x, const std::vector<float>& y,
                               const TrainConfig& config, const EpochCallback& on_epoch) {
  const ModelEpochCallback each = [&](int, int epoch, double loss) {
    return !on_epoch || on_epoch(epoch, loss);
  };
  return train_many(spec, initial, {TrainingSet{&x, &y}}, config, each).front();
}

std::vector<TrainOutcome> GpuBackend::train_many(const ModelSpec& spec,
                                                 const std::vector<float>& initial,
                                                 const std::vector<TrainingSet>& sets,
                                                 const TrainConfig& config,
                                                 const ModelEpochCallback& on_epoch) {
  check_sets(spec, sets);
  const auto layers = layers_of(spec);
  const dlaaw_gpu_model model{layers.data(), static_cast<std::int32_t>(layers.size())};
  std::vector<dlaaw_gpu_rows> rows;
  for (const auto& set : sets) {
    rows.push_back({set.x->values.data(), set.y->data(), static_cast<std::int64_t>(set.x->rows)});
  }
  const dlaaw_gpu_config c{config.epochs,
                           config.batches,
                           config.learning_rate,
                           config.momentum,
                           config.seed,
                           kernel_code(config.kernel),
                           memory_code(config.memory),
                           config.watchdog_seconds};
  const std::size_t models = sets.size();
  const std::size_t p = initial.size();
  const std::size_t epochs = static_cast<std::size_t>(std::max(config.epochs, 0));
  std::vector<float> parameters(models * p);
  std::vector<double> losses(std::max<std::size_t>(1, models * epochs));
  std::vector<std::int32_t> epochs_done(models, 0);
  dlaaw_gpu_train_result result{
      parameters.data(), losses.data(), epochs_done.data(), 0, 0, 0, 0, 0.0};
  ProgressBridge bridge{&on_epoch, nullptr};
  try {
    library_->train(context_.get(), model, initial.data(), static_cast<std::int64_t>(p), rows, c,
                    &ProgressBridge::forward, &bridge, result);
  } catch (...) {
    if (bridge.error) std::rethrow_exception(bridge.error);  // the cause, not its consequence
    throw;
  }
  if (bridge.error) std::rethrow_exception(bridge.error);

  std::vector<TrainOutcome> outcomes(models);
  for (std::size_t m = 0; m < models; ++m) {
    TrainOutcome& o = outcomes[m];
    o.parameters.assign(parameters.begin() + static_cast<std::ptrdiff_t>(m * p),
                        parameters.begin() + static_cast<std::ptrdiff_t>((m + 1) * p));
    const auto done = static_cast<std::size_t>(
        std::clamp<std::int32_t>(epochs_done[m], 0, static_cast<std::int32_t>(epochs)));
    o.epoch_loss.assign(losses.begin() + static_cast<std::ptrdiff_t>(m * epochs),
                        losses.begin() + static_cast<std::ptrdiff_t>(m * epochs + done));
    o.stopped = result.stopped != 0 && done < epochs;
    o.kernel = kernel_name(result.kernel);
    o.memory = memory_name(result.memory);
    o.blocks_per_model = result.blocks_per_model;
    o.kernel_ms = result.kernel_ms;
  }
  return outcomes;
}

std::vector<float> GpuBackend::predict(const ModelSpec& spec, const std::vector<float>& parameters,
                                       const Matrix& x) {
  if (x.cols != static_cast<std::size_t>(spec.inputs()) || x.values.size() != x.rows * x.cols) {
    throw std::invalid_argument("parameters or data do not match the model");
  }
  const auto layers = layers_of(spec);
  const dlaaw_gpu_model model{layers.data(), static_cast<std::int32_t>(layers.size())};
  std::vector<float> scores(x.rows);
  library_->predict(context_.get(), model, parameters.data(),
                    static_cast<std::int64_t>(parameters.size()), x.values.data(),
                    static_cast<std::int64_t>(x.rows), scores.data());
  return scores;
}

}  // namespace dlaaw::kernels::gpu
