// gpu_api.cpp - the exported C functions of libdlaaw_gpu.so (dlaaw_gpu.h), C++14.
//
// Each function checks its arguments, runs its body under guard_abi_call (no exception leaves the
// library) and touches a context only under its mutex.
#include <stdint.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "kernels/cuda/abi_boundary.h"
#include "kernels/cuda/dlaaw_gpu.h"
#include "kernels/cuda/gpu_context.h"
#include "kernels/cuda/model_layout.h"
#include "kernels/cuda/training_run.h"

namespace {

using dlaaw::kernels::cuda::GpuError;
using dlaaw::kernels::cuda::guard_abi_call;

void copy_text(const std::string& text, char* out, size_t capacity) {
  const size_t n = text.size() < capacity - 1 ? text.size() : capacity - 1;
  text.copy(out, n);
  out[n] = '\0';
}

// Throws unless `context` is usable: not poisoned by an earlier hung kernel. Call under its mutex.
void check_context(const dlaaw_gpu_context& context) {
  if (!context.poisoned.empty()) {
    throw GpuError(DLAAW_GPU_DEVICE_FAILURE,
                   "the GPU context is unusable after an earlier failure: " + context.poisoned);
  }
}

void check_device_index(int32_t index) {
  std::string why_none;
  const int count = dlaaw::kernels::cuda::device_count(&why_none);
  if (count == 0) throw GpuError(DLAAW_GPU_UNAVAILABLE, "no CUDA device: " + why_none);
  if (index < 0 || index >= count) {
    throw GpuError(DLAAW_GPU_UNAVAILABLE, "CUDA device " + std::to_string(index) +
                                              " does not exist (this machine has " +
                                              std::to_string(count) + ")");
  }
}

dlaaw::kernels::cuda::TrainRequest make_request(const dlaaw_gpu_model* model, const float* initial,
                                                int64_t parameter_count, const dlaaw_gpu_rows* sets,
                                                int32_t models, const dlaaw_gpu_config* config) {
  if (config == nullptr || initial == nullptr || sets == nullptr || models < 1) {
    throw GpuError(DLAAW_GPU_INVALID_INPUT, "train: missing config, parameters or training sets");
  }
  dlaaw::kernels::cuda::TrainRequest r;
  r.model = dlaaw::kernels::cuda::layout_model(model, parameter_count);
  r.initial = initial;
  for (int32_t m = 0; m < models; ++m) r.sets.push_back({sets[m].x, sets[m].y, sets[m].rows});
  r.epochs = config->epochs;
  r.batches = config->batches;
  r.learning_rate = config->learning_rate;
  r.momentum = config->momentum;
  r.seed = config->seed;
  r.kernel = config->kernel;
  r.memory = config->memory;
  r.watchdog_seconds = config->watchdog_seconds;
  return r;
}

}  // namespace

extern "C" {

DLAAW_GPU_EXPORT int32_t dlaaw_gpu_abi_version(void) { return DLAAW_GPU_ABI_VERSION; }

DLAAW_GPU_EXPORT int32_t dlaaw_gpu_get_library_info(dlaaw_gpu_library_info* info) {
  if (info == nullptr) return DLAAW_GPU_INVALID_INPUT;
  return guard_abi_call(nullptr, [&] { dlaaw::kernels::cuda::describe_library(info); });
}

DLAAW_GPU_EXPORT int32_t dlaaw_gpu_device_count(int32_t* count, dlaaw_gpu_error* why_none) {
  std::string why;
  const int32_t status = guard_abi_call(why_none, [&] {
    if (count == nullptr) throw GpuError(DLAAW_GPU_INVALID_INPUT, "device_count: no output");
    *count = dlaaw::kernels::cuda::device_count(&why);
  });
  // OK either way: the message answers "why no device" ("" when there is one).
  if (status == DLAAW_GPU_OK) dlaaw::kernels::cuda::set_error(why_none, DLAAW_GPU_OK, why);
  return status;
}

DLAAW_GPU_EXPORT int32_t dlaaw_gpu_describe_device(int32_t index, dlaaw_gpu_device* device,
                                                   dlaaw_gpu_error* error) {
  return guard_abi_call(error, [&] {
    if (device == nullptr) throw GpuError(DLAAW_GPU_INVALID_INPUT, "describe_device: no output");
    check_device_index(index);
    const dlaaw::kernels::cuda::DeviceProbe d = dlaaw::kernels::cuda::probe_device(index);
    *device = dlaaw_gpu_device{};
    copy_text(d.name, device->name, sizeof(device->name));
    device->index = index;
    device->major = d.major;
    device->minor = d.minor;
    device->multiprocessors = d.multiprocessors;
    device->integrated = d.integrated ? 1 : 0;
    device->memory_bytes = d.memory_bytes;
    device->kernels =
        (d.kernels.block ? DLAAW_GPU_KERNEL_BIT(DLAAW_GPU_KERNEL_BLOCK) : 0) |
        (d.kernels.cooperative ? DLAAW_GPU_KERNEL_BIT(DLAAW_GPU_KERNEL_COOPERATIVE) : 0);
    copy_text(d.kernels.note, device->kernels_note, sizeof(device->kernels_note));
  });
}

DLAAW_GPU_EXPORT int32_t dlaaw_gpu_open(int32_t index, dlaaw_gpu_context** context,
                                        double* setup_ms, dlaaw_gpu_error* error) {
  if (context != nullptr) *context = nullptr;
  return guard_abi_call(error, [&] {
    if (context == nullptr) throw GpuError(DLAAW_GPU_INVALID_INPUT, "open: no output");
    const auto start = std::chrono::steady_clock::now();
    check_device_index(index);
    std::unique_ptr<dlaaw_gpu_context> opened(new dlaaw_gpu_context());
    opened->device = index;
    opened->probe = dlaaw::kernels::cuda::probe_device(index);
    dlaaw::kernels::cuda::warm_up_kernels(*opened);
    if (setup_ms != nullptr) {
      *setup_ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
    }
    *context = opened.release();
  });
}

DLAAW_GPU_EXPORT void dlaaw_gpu_close(dlaaw_gpu_context* context) { delete context; }

DLAAW_GPU_EXPORT int32_t dlaaw_gpu_train(dlaaw_gpu_context* context, const dlaaw_gpu_model* model,
                                         const float* initial, int64_t parameter_count,
                                         const dlaaw_gpu_rows* sets, int32_t models,
                                         const dlaaw_gpu_config* config,
                                         dlaaw_gpu_progress_fn progress, void* progress_user,
                                         dlaaw_gpu_train_result* result, dlaaw_gpu_error* error) {
  return guard_abi_call(error, [&] {
    if (context == nullptr) throw GpuError(DLAAW_GPU_INVALID_INPUT, "train: no GPU context");
    if (result == nullptr || result->parameters == nullptr || result->epochs_done == nullptr ||
        (result->epoch_loss == nullptr && config != nullptr && config->epochs > 0)) {
      throw GpuError(DLAAW_GPU_INVALID_INPUT, "train: the result arrays are missing");
    }
    dlaaw::kernels::cuda::TrainRequest request =
        make_request(model, initial, parameter_count, sets, models, config);
    request.progress = progress;
    request.progress_user = progress_user;
    std::lock_guard<std::mutex> lock(context->mutex);
    check_context(*context);
    dlaaw::kernels::cuda::run_training(*context, request, *result);
  });
}

DLAAW_GPU_EXPORT int32_t dlaaw_gpu_predict(dlaaw_gpu_context* context, const dlaaw_gpu_model* model,
                                           const float* parameters, int64_t parameter_count,
                                           const float* x, int64_t rows, float* scores,
                                           dlaaw_gpu_error* error) {
  return guard_abi_call(error, [&] {
    if (context == nullptr) throw GpuError(DLAAW_GPU_INVALID_INPUT, "predict: no GPU context");
    if (parameters == nullptr || (rows > 0 && (x == nullptr || scores == nullptr)) || rows < 0) {
      throw GpuError(DLAAW_GPU_INVALID_INPUT, "predict: missing parameters, rows or scores");
    }
    const dlaaw::kernels::cuda::ModelLayout layout =
        dlaaw::kernels::cuda::layout_model(model, parameter_count);
    std::lock_guard<std::mutex> lock(context->mutex);
    check_context(*context);
    dlaaw::kernels::cuda::run_prediction(*context, layout, parameters, x, rows, scores);
  });
}

}  // extern "C"
