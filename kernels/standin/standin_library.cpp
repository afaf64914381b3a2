// standin_library.cpp - the C interface of libdlaaw_gpu.so served by the CPU backend, for tests.
//
// CI has no GPU, yet the loader, the ABI check and everything that crosses the C interface
// (networks, rows, configs, results, errors, progress callbacks, cancel) must be tested. This
// library implements dlaaw_gpu.h exactly as the CUDA one does, but trains with the CPU backend on
// a pretend device: a Nano-like GPU of compute capability 5.3 that runs only the block kernel, so
// that the kernel choice and its refusal cross the boundary too. Its library info reports CUDA
// runtime 0, by which tests that need a real GPU recognise it. Variants for the loader's
// refusals are built from this file: DLAAW_STANDIN_ABI_VERSION reports another ABI version,
// DLAAW_STANDIN_WITHOUT_TRAIN leaves dlaaw_gpu_train out, DLAAW_STANDIN_WITHOUT_KERNELS makes the
// pretend device one that can run no training kernel (what an executor must refuse at start).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "common/errors.h"
#include "kernels/cpu/cpu_backend.h"
#include "kernels/cuda/abi_boundary.h"
#include "kernels/cuda/dlaaw_gpu.h"
#include "kernels/cuda/kernel_plan.h"

#ifndef DLAAW_STANDIN_ABI_VERSION
#define DLAAW_STANDIN_ABI_VERSION DLAAW_GPU_ABI_VERSION
#endif

struct dlaaw_gpu_context {
  dlaaw::kernels::cpu::CpuBackend backend{2};
};

namespace {

using dlaaw::kernels::cuda::GpuError;
using dlaaw::kernels::cuda::guard_abi_call;
namespace k = dlaaw::kernels;

constexpr const char* kDeviceName = "dlaaw stand-in (CPU backend, no GPU)";
#ifndef DLAAW_STANDIN_WITHOUT_KERNELS
constexpr bool kRunsBlock = true;
constexpr const char* kKernelsNote =
    "compute capability 5.3 has no grid-wide barrier (the cooperative kernel needs 6.0 or later)";
#else
constexpr bool kRunsBlock = false;
constexpr const char* kKernelsNote =
    "the library has no code for sm_53 (a stand-in without kernels)";
#endif

// The pretend device runs the block kernel only, like a Jetson Nano (or none at all).
k::cuda::KernelSupport pretend_support() {
  k::cuda::KernelSupport support;
  support.block = kRunsBlock;
  support.note = kKernelsNote;
  return support;
}

// dlaaw's own error types become statuses here; the rest is guard_abi_call's job.
template <typename Body>
std::int32_t guarded(dlaaw_gpu_error* error, Body&& body) {
  return guard_abi_call(error, [&] {
    try {
      body();
    } catch (const dlaaw::InvalidInput& e) {
      throw GpuError(DLAAW_GPU_INVALID_INPUT, e.what());
    }
  });
}

k::ModelSpec spec_of(const dlaaw_gpu_model* model) {
  if (model == nullptr || model->layers == nullptr || model->layer_count <= 0) {
    throw GpuError(DLAAW_GPU_INVALID_INPUT, "network: model has no layers");
  }
  k::ModelSpec spec;
  for (int l = 0; l < model->layer_count; ++l) {
    const dlaaw_gpu_layer& layer = model->layers[l];
    spec.layers.push_back({layer.in, layer.out, static_cast<k::Activation>(layer.activation)});
  }
  k::check_model_spec(spec);  // std::invalid_argument -> INVALID_INPUT with the rule's message
  return spec;
}

k::TrainConfig config_of(const dlaaw_gpu_config& c) {
  k::TrainConfig config;
  config.epochs = c.epochs;
  config.batches = c.batches;
  config.learning_rate = c.learning_rate;
  config.momentum = c.momentum;
  config.seed = c.seed;
  return config;
}

// Copies the C rows into the CPU backend's matrices.
void copy_sets(const dlaaw_gpu_rows* sets, int32_t models, int inputs, std::vector<k::Matrix>& xs,
               std::vector<std::vector<float>>& ys) {
  for (int32_t m = 0; m < models; ++m) {
    const dlaaw_gpu_rows& s = sets[m];
    if (s.rows < 0 || (s.rows > 0 && (s.x == nullptr || s.y == nullptr))) {
      throw GpuError(DLAAW_GPU_INVALID_INPUT, "training set " + std::to_string(m) + " has no data");
    }
    const auto rows = static_cast<std::size_t>(s.rows);
    xs.push_back(k::Matrix{rows, static_cast<std::size_t>(inputs),
                           std::vector<float>(s.x, s.x + rows * inputs)});
    ys.emplace_back(s.y, s.y + rows);
  }
}

[[maybe_unused]] void train(dlaaw_gpu_context& context, const dlaaw_gpu_model* model,
                            const float* initial, int64_t parameter_count,
                            const dlaaw_gpu_rows* sets, int32_t models, const dlaaw_gpu_config* c,
                            dlaaw_gpu_progress_fn progress, void* user,
                            dlaaw_gpu_train_result& result) {
  const k::ModelSpec spec = spec_of(model);
  if (c == nullptr || sets == nullptr || models < 1 || initial == nullptr) {
    throw GpuError(DLAAW_GPU_INVALID_INPUT, "train: missing config, parameters or training sets");
  }
  if (c->memory < DLAAW_GPU_MEMORY_AUTO || c->memory > DLAAW_GPU_MEMORY_MANAGED) {
    throw GpuError(DLAAW_GPU_INVALID_INPUT,
                   "memory code " + std::to_string(c->memory) + " is unknown");
  }
  std::vector<k::Matrix> xs;
  std::vector<std::vector<float>> ys;
  copy_sets(sets, models, spec.inputs(), xs, ys);
  std::vector<k::TrainingSet> training;
  int64_t largest = 0;
  for (int32_t m = 0; m < models; ++m) {
    training.push_back({&xs[m], &ys[m]});
    largest = std::max<int64_t>(largest, sets[m].rows);
  }
  const k::cuda::KernelPlan plan =
      k::cuda::plan_kernel(c->kernel, pretend_support(), models, largest, c->batches);
  const std::vector<float> start(initial, initial + parameter_count);
  bool stopped = false;
  const k::ModelEpochCallback on_epoch = [&](int m, int epoch, double loss) {
    if (progress && !progress(user, m, epoch, loss)) stopped = true;
    return !stopped;
  };
  const auto began = std::chrono::steady_clock::now();
  const auto outcomes = context.backend.train_many(spec, start, training, config_of(*c), on_epoch);
  result.kernel_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - began).count();
  for (int32_t m = 0; m < models; ++m) {
    const bool trained = static_cast<std::size_t>(m) < outcomes.size();  // the CPU stops early
    const auto& params = trained ? outcomes[m].parameters : start;
    std::copy(params.begin(), params.end(), result.parameters + m * parameter_count);
    const std::size_t done = trained ? outcomes[m].epoch_loss.size() : 0;
    for (std::size_t e = 0; e < done; ++e) {
      result.epoch_loss[m * static_cast<int64_t>(c->epochs) + e] = outcomes[m].epoch_loss[e];
    }
    result.epochs_done[m] = static_cast<int32_t>(done);
  }
  result.kernel = plan.kernel;
  result.memory = c->memory == DLAAW_GPU_MEMORY_AUTO ? DLAAW_GPU_MEMORY_DEVICE : c->memory;
  result.blocks_per_model = plan.blocks_per_model;
  result.stopped = stopped ? 1 : 0;
}

}  // namespace

extern "C" {

DLAAW_GPU_EXPORT int32_t dlaaw_gpu_abi_version(void) { return DLAAW_STANDIN_ABI_VERSION; }

DLAAW_GPU_EXPORT int32_t dlaaw_gpu_get_library_info(dlaaw_gpu_library_info* info) {
  if (info == nullptr) return DLAAW_GPU_INVALID_INPUT;
  *info = dlaaw_gpu_library_info{};
  info->abi_version = DLAAW_STANDIN_ABI_VERSION;
  std::strncpy(info->description, "dlaaw CPU stand-in of libdlaaw_gpu (tests only)",
               sizeof(info->description) - 1);
  return DLAAW_GPU_OK;
}

DLAAW_GPU_EXPORT int32_t dlaaw_gpu_device_count(int32_t* count, dlaaw_gpu_error* why_none) {
  if (count == nullptr) return DLAAW_GPU_INVALID_INPUT;
  *count = 1;
  dlaaw::kernels::cuda::set_error(why_none, DLAAW_GPU_OK, "");
  return DLAAW_GPU_OK;
}

DLAAW_GPU_EXPORT int32_t dlaaw_gpu_describe_device(int32_t index, dlaaw_gpu_device* device,
                                                   dlaaw_gpu_error* error) {
  return guarded(error, [&] {
    if (index != 0 || device == nullptr) {
      throw GpuError(DLAAW_GPU_UNAVAILABLE, "the stand-in has one device, number 0");
    }
    *device = dlaaw_gpu_device{};
    std::strncpy(device->name, kDeviceName, sizeof(device->name) - 1);
    device->major = 5;
    device->minor = 3;
    device->multiprocessors = 1;
    device->integrated = 1;
    // Small enough that a test can reach the engine's device-memory refusal with a wide network.
    device->memory_bytes = 256ULL << 20;
    device->kernels = kRunsBlock ? DLAAW_GPU_KERNEL_BIT(DLAAW_GPU_KERNEL_BLOCK) : 0;
    std::strncpy(device->kernels_note, kKernelsNote, sizeof(device->kernels_note) - 1);
  });
}

DLAAW_GPU_EXPORT int32_t dlaaw_gpu_open(int32_t index, dlaaw_gpu_context** context,
                                        double* setup_ms, dlaaw_gpu_error* error) {
  if (context != nullptr) *context = nullptr;
  return guarded(error, [&] {
    if (index != 0 || context == nullptr) {
      throw GpuError(DLAAW_GPU_UNAVAILABLE, "the stand-in has one device, number 0");
    }
    const auto start = std::chrono::steady_clock::now();
    *context = new dlaaw_gpu_context();
    if (setup_ms) {
      *setup_ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
    }
  });
}

DLAAW_GPU_EXPORT void dlaaw_gpu_close(dlaaw_gpu_context* context) { delete context; }

#ifndef DLAAW_STANDIN_WITHOUT_TRAIN
DLAAW_GPU_EXPORT int32_t dlaaw_gpu_train(dlaaw_gpu_context* context, const dlaaw_gpu_model* model,
                                         const float* initial, int64_t parameter_count,
                                         const dlaaw_gpu_rows* sets, int32_t models,
                                         const dlaaw_gpu_config* config,
                                         dlaaw_gpu_progress_fn progress, void* progress_user,
                                         dlaaw_gpu_train_result* result, dlaaw_gpu_error* error) {
  return guarded(error, [&] {
    if (context == nullptr || result == nullptr) {
      throw GpuError(DLAAW_GPU_INVALID_INPUT, "train: no context or result");
    }
    train(*context, model, initial, parameter_count, sets, models, config, progress, progress_user,
          *result);
  });
}
#endif

DLAAW_GPU_EXPORT int32_t dlaaw_gpu_predict(dlaaw_gpu_context* context, const dlaaw_gpu_model* model,
                                           const float* parameters, int64_t parameter_count,
                                           const float* x, int64_t rows, float* scores,
                                           dlaaw_gpu_error* error) {
  return guarded(error, [&] {
    if (context == nullptr || parameters == nullptr || rows < 0 ||
        (rows > 0 && (x == nullptr || scores == nullptr))) {
      throw GpuError(DLAAW_GPU_INVALID_INPUT, "predict: missing context, parameters or rows");
    }
    const k::ModelSpec spec = spec_of(model);
    const auto n = static_cast<std::size_t>(rows);
    const k::Matrix matrix{n, static_cast<std::size_t>(spec.inputs()),
                           std::vector<float>(x, x + n * spec.inputs())};
    const auto out = context->backend.predict(
        spec, std::vector<float>(parameters, parameters + parameter_count), matrix);
    std::copy(out.begin(), out.end(), scores);
  });
}

}  // extern "C"
