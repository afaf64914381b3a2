// training_run.cu - one training launch from the host's side: rows, buffers, launch, watch (C++14).
//
// The rows reach the device once per request (device, mapped or managed memory), the kernel runs
// every epoch, and the host only watches: progress arrives through mapped memory while the
// kernel runs, a stop travels back the same way, and every wait on the stream is bounded by the
// watchdog. Everything is enqueued on the request's own stream, the final copy included.
#include <cuda_runtime.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "kernels/cuda/cuda_check.cuh"
#include "kernels/cuda/device_buffer.cuh"
#include "kernels/cuda/kernel_plan.h"
#include "kernels/cuda/train_kernels.cuh"
#include "kernels/cuda/training_run.h"
#include "kernels/shared/epoch_permutation.h"

namespace dlaaw {
namespace kernels {
namespace cuda {
namespace {

using Clock = std::chrono::steady_clock;

// The progress buffer holds every epoch of every model; beyond this it would not be worth it.
constexpr int64_t kMaxProgressEntries = int64_t(1) << 26;
constexpr auto kPollInterval = std::chrono::microseconds(100);

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void check_request(const TrainRequest& r) {
  const int models = static_cast<int>(r.sets.size());
  if (models < 1) throw GpuError(DLAAW_GPU_INVALID_INPUT, "no training set was given");
  if (r.epochs < 0 || r.batches < 1) {
    throw GpuError(DLAAW_GPU_INVALID_INPUT, "epochs must be >= 0 and batches >= 1");
  }
  if (!(r.watchdog_seconds > 0.0)) {
    throw GpuError(DLAAW_GPU_INVALID_INPUT, "watchdog_seconds must be positive");
  }
  if (static_cast<int64_t>(models) * r.epochs > kMaxProgressEntries) {
    throw GpuError(DLAAW_GPU_INVALID_INPUT, std::to_string(models) + " models x " +
                                                std::to_string(r.epochs) +
                                                " epochs exceed the GPU progress buffer (" +
                                                std::to_string(kMaxProgressEntries) + " entries)");
  }
  for (int m = 0; m < models; ++m) {
    const RowSet& s = r.sets[m];
    if (s.rows < r.batches || static_cast<uint64_t>(s.rows) > kMaxPermutedRows) {
      throw GpuError(DLAAW_GPU_INVALID_INPUT, "training set " + std::to_string(m) + " has " +
                                                  std::to_string(s.rows) +
                                                  " rows; it needs at least one per mini-batch (" +
                                                  std::to_string(r.batches) + ") and at most 2^32");
    }
    if (s.x == nullptr || s.y == nullptr) {
      throw GpuError(DLAAW_GPU_INVALID_INPUT, "training set " + std::to_string(m) + " has no data");
    }
  }
}

// Auto is device memory everywhere (see MemoryPath); the others need the device to offer them.
int32_t resolve_memory(int32_t requested, const DeviceProbe& d) {
  switch (requested) {
    case DLAAW_GPU_MEMORY_AUTO:
    case DLAAW_GPU_MEMORY_DEVICE:
      return DLAAW_GPU_MEMORY_DEVICE;
    case DLAAW_GPU_MEMORY_ZERO_COPY:
      if (!d.can_map_host_memory) {
        throw GpuError(DLAAW_GPU_INVALID_INPUT, "memory zero_copy: device " + d.name +
                                                    " cannot map host memory; use device");
      }
      return requested;
    case DLAAW_GPU_MEMORY_MANAGED:
      if (!d.managed_memory) {
        throw GpuError(DLAAW_GPU_INVALID_INPUT,
                       "memory managed: device " + d.name + " has no managed memory; use device");
      }
      return requested;
    default:
      throw GpuError(DLAAW_GPU_INVALID_INPUT,
                     "memory code " + std::to_string(requested) + " is unknown");
  }
}

int64_t total_rows(const TrainRequest& r) {
  int64_t rows = 0;
  for (const RowSet& s : r.sets) rows += s.rows;
  return rows;
}

// Every model's rows, concatenated in model order, where the kernel reads them: device memory
// (copied on the stream), mapped pinned host memory (written by the host, read over the bus) or
// managed memory (written by the host, migrated on demand or prefetched).
class RowStorage {
 public:
  RowStorage(const TrainRequest& r, int32_t memory, const dlaaw_gpu_context& context,
             cudaStream_t stream)
      : values_(static_cast<size_t>(total_rows(r)) * r.model.inputs),
        rows_(static_cast<size_t>(total_rows(r))),
        x_device_(memory == DLAAW_GPU_MEMORY_DEVICE ? values_ : 0),
        y_device_(memory == DLAAW_GPU_MEMORY_DEVICE ? rows_ : 0),
        x_mapped_(memory == DLAAW_GPU_MEMORY_ZERO_COPY ? values_ : 0),
        y_mapped_(memory == DLAAW_GPU_MEMORY_ZERO_COPY ? rows_ : 0),
        x_managed_(memory == DLAAW_GPU_MEMORY_MANAGED ? values_ : 0),
        y_managed_(memory == DLAAW_GPU_MEMORY_MANAGED ? rows_ : 0) {
    if (memory == DLAAW_GPU_MEMORY_DEVICE) {
      x_ = x_device_.get();
      y_ = y_device_.get();
      copy_to_device(r, stream);
    } else {
      float* x = memory == DLAAW_GPU_MEMORY_ZERO_COPY ? x_mapped_.host() : x_managed_.get();
      float* y = memory == DLAAW_GPU_MEMORY_ZERO_COPY ? y_mapped_.host() : y_managed_.get();
      size_t row = 0;
      for (const RowSet& s : r.sets) {
        std::copy(s.x, s.x + s.rows * r.model.inputs, x + row * r.model.inputs);
        std::copy(s.y, s.y + s.rows, y + row);
        row += static_cast<size_t>(s.rows);
      }
      x_ = memory == DLAAW_GPU_MEMORY_ZERO_COPY ? x_mapped_.device() : x;
      y_ = memory == DLAAW_GPU_MEMORY_ZERO_COPY ? y_mapped_.device() : y;
      if (memory == DLAAW_GPU_MEMORY_MANAGED && context.probe.concurrent_managed_access) {
        prefetch(x, values_, context.device, stream);
        prefetch(y, rows_, context.device, stream);
      }
    }
  }

  const float* x() const { return x_; }
  const float* y() const { return y_; }
  void release() {
    x_device_.release();
    y_device_.release();
    x_mapped_.release();
    y_mapped_.release();
    x_managed_.release();
    y_managed_.release();
  }

 private:
  void copy_to_device(const TrainRequest& r, cudaStream_t stream) {
    size_t row = 0;
    for (const RowSet& s : r.sets) {
      DLAAW_CUDA_CHECK(cudaMemcpyAsync(x_device_.get() + row * r.model.inputs, s.x,
                                       static_cast<size_t>(s.rows) * r.model.inputs * sizeof(float),
                                       cudaMemcpyHostToDevice, stream));
      DLAAW_CUDA_CHECK(cudaMemcpyAsync(y_device_.get() + row, s.y,
                                       static_cast<size_t>(s.rows) * sizeof(float),
                                       cudaMemcpyHostToDevice, stream));
      row += static_cast<size_t>(s.rows);
    }
  }

  // Moves managed pages to the device before the kernel faults them in one by one; only where
  // the host may touch managed memory while the device works (not on Jetson, where migration
  // happens at launch).
  static void prefetch(const float* data, size_t count, int device, cudaStream_t stream) {
    if (count == 0) return;
#if CUDART_VERSION >= 13000
    cudaMemLocation location;
    location.type = cudaMemLocationTypeDevice;
    location.id = device;
    DLAAW_CUDA_CHECK(cudaMemPrefetchAsync(data, count * sizeof(float), location, 0, stream));
#else
    DLAAW_CUDA_CHECK(cudaMemPrefetchAsync(data, count * sizeof(float), device, stream));
#endif
  }

  size_t values_;
  size_t rows_;
  DeviceBuffer<float> x_device_, y_device_;
  MappedHostBuffer<float> x_mapped_, y_mapped_;
  ManagedBuffer<float> x_managed_, y_managed_;
  const float* x_ = nullptr;
  const float* y_ = nullptr;
};

// Everything else one launch needs: device scratch, the mapped control block the host and the
// kernel share while it runs, and the pinned landing place of the trained parameters.
struct LaunchBuffers {
  LaunchBuffers(int models, int parameters, int epochs, int slots, bool cooperative)
      : row_begin_host(),
        row_begin(static_cast<size_t>(models) + 1),
        initial(static_cast<size_t>(parameters)),
        out(static_cast<size_t>(models) * parameters),
        partials(cooperative ? 2 * static_cast<size_t>(slots) * (parameters + 1) : 0),
        barrier(cooperative ? 1 : 0),
        stop(cooperative ? 2 : 0),
        cancel(1),
        status(1),
        progress_epochs(static_cast<size_t>(models)),
        progress_loss(std::max<size_t>(1, static_cast<size_t>(models) * epochs)),
        out_host(static_cast<size_t>(models) * parameters) {
    *cancel.host() = 0;
    *status.host() = 0;
    for (int m = 0; m < models; ++m) progress_epochs.host()[m] = 0;
  }
  void release() {
    row_begin.release();
    initial.release();
    out.release();
    partials.release();
    barrier.release();
    stop.release();
    cancel.release();
    status.release();
    progress_epochs.release();
    progress_loss.release();
    out_host.release();
  }

  std::vector<int64_t> row_begin_host;  // source of an async copy: kept with the launch
  DeviceBuffer<int64_t> row_begin;
  DeviceBuffer<float> initial;
  DeviceBuffer<float> out;
  DeviceBuffer<float> partials;
  DeviceBuffer<unsigned int> barrier;
  DeviceBuffer<int> stop;
  MappedHostBuffer<int> cancel;
  MappedHostBuffer<int> status;
  MappedHostBuffer<int> progress_epochs;
  MappedHostBuffer<double> progress_loss;
  PinnedHostBuffer<float> out_host;
};

// Copies the small inputs and zeroes the cooperative kernel's counters, on the stream.
void upload_controls(const TrainRequest& r, LaunchBuffers& b, bool cooperative,
                     cudaStream_t stream) {
  b.row_begin_host.assign(1, 0);
  for (const RowSet& s : r.sets) b.row_begin_host.push_back(b.row_begin_host.back() + s.rows);
  DLAAW_CUDA_CHECK(cudaMemcpyAsync(b.row_begin.get(), b.row_begin_host.data(),
                                   b.row_begin_host.size() * sizeof(int64_t),
                                   cudaMemcpyHostToDevice, stream));
  DLAAW_CUDA_CHECK(cudaMemcpyAsync(b.initial.get(), r.initial,
                                   static_cast<size_t>(r.model.parameters) * sizeof(float),
                                   cudaMemcpyHostToDevice, stream));
  if (cooperative) {
    DLAAW_CUDA_CHECK(cudaMemsetAsync(b.barrier.get(), 0, sizeof(unsigned int), stream));
    DLAAW_CUDA_CHECK(cudaMemsetAsync(b.stop.get(), 0, 2 * sizeof(int), stream));
  }
}

TrainArgs make_args(const TrainRequest& r, const RowStorage& rows, LaunchBuffers& b,
                    const KernelPlan& plan) {
  TrainArgs a;
  a.model = r.model;
  plan_records(a);
  a.x = rows.x();
  a.y = rows.y();
  a.row_begin = b.row_begin.get();
  a.initial = b.initial.get();
  a.out_parameters = b.out.get();
  a.partials = b.partials.get();
  a.barrier = b.barrier.get();
  a.stop = b.stop.get();
  a.cancel = b.cancel.device();
  a.progress_loss = b.progress_loss.device();
  a.progress_epochs = b.progress_epochs.device();
  a.status = b.status.device();
  a.models = static_cast<int>(r.sets.size());
  a.blocks_per_model = plan.blocks_per_model;
  a.epochs = r.epochs;
  a.batches = r.batches;
  a.learning_rate = r.learning_rate;
  a.momentum = r.momentum;
  a.seed = r.seed;
  return a;
}

// Reports the epochs finished since the last call to the callback and copies their losses into
// the result; returns false once the callback asked to stop.
bool drain_progress(const TrainRequest& r, const LaunchBuffers& b, std::vector<int>& reported,
                    dlaaw_gpu_train_result& result) {
  bool go_on = true;
  for (size_t m = 0; m < r.sets.size(); ++m) {
    const int done = *static_cast<const volatile int*>(b.progress_epochs.host() + m);
    // Acquire: the kernel wrote the losses, fenced (__threadfence_system), then the count just
    // read. On ARM (Jetson) loads may be reordered, so without this fence the loss reads below
    // could be served before the count and see a loss not yet written; on x86 it costs nothing.
    std::atomic_thread_fence(std::memory_order_acquire);
    for (; reported[m] < done; ++reported[m]) {
      const size_t at = m * static_cast<size_t>(r.epochs) + reported[m];
      const double loss = *static_cast<const volatile double*>(b.progress_loss.host() + at);
      result.epoch_loss[at] = loss;
      if (r.progress &&
          !r.progress(r.progress_user, static_cast<int32_t>(m), reported[m] + 1, loss)) {
        go_on = false;
      }
    }
  }
  return go_on;
}

struct WatchOutcome {
  bool stopped = false;    // the callback asked to stop
  bool timed_out = false;  // the watchdog fired
  bool hung = false;       // ... and the kernel did not stop within the grace period after
  double quiet_seconds = 0.0;
};

// Polls the stream until everything enqueued on it (kernel and final copy) is done, reporting
// progress on the way. When no model finishes an epoch for watchdog_seconds it asks the kernel
// to stop and waits as long again (at least 2 s) for it. Throws GpuError when the stream fails.
WatchOutcome watch_launch(const TrainRequest& r, LaunchBuffers& b, cudaStream_t stream,
                          dlaaw_gpu_train_result& result) {
  WatchOutcome w;
  std::vector<int> reported(r.sets.size(), 0);
  int seen = 0;
  Clock::time_point last_progress = Clock::now();
  Clock::time_point deadline = last_progress;
  bool cancelled = false;
  while (true) {
    const cudaError_t state = cudaStreamQuery(stream);
    if (!drain_progress(r, b, reported, result)) w.stopped = true;
    int now_seen = 0;
    for (int e : reported) now_seen += e;
    if (now_seen != seen) {
      seen = now_seen;
      last_progress = Clock::now();
    }
    if ((w.stopped || w.timed_out) && !cancelled) {
      *static_cast<volatile int*>(b.cancel.host()) = 1;
      cancelled = true;
    }
    if (state == cudaSuccess) break;
    if (state != cudaErrorNotReady) DLAAW_CUDA_CHECK(state);
    if (!w.timed_out && seconds_since(last_progress) > r.watchdog_seconds) {
      w.timed_out = true;
      w.quiet_seconds = seconds_since(last_progress);
      deadline =
          Clock::now() + std::chrono::duration_cast<Clock::duration>(
                             std::chrono::duration<double>(std::max(r.watchdog_seconds, 2.0)));
      continue;  // sets the cancel flag on the next pass
    }
    if (w.timed_out && Clock::now() > deadline) {
      w.hung = true;
      return w;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  if (!drain_progress(r, b, reported, result)) w.stopped = true;
  return w;
}

// The GpuError for a launch the watchdog stopped; `hung` when it would not stop.
GpuError watchdog_error(const TrainRequest& r, const WatchOutcome& w, const int* epochs_done,
                        bool hung) {
  std::string done;
  for (size_t m = 0; m < r.sets.size(); ++m) {
    done += (m ? ", " : "") + std::to_string(epochs_done ? epochs_done[m] : -1);
  }
  return GpuError(DLAAW_GPU_WATCHDOG,
                  "watchdog: no training epoch finished for " + std::to_string(w.quiet_seconds) +
                      " s (limit " + std::to_string(r.watchdog_seconds) + " s; epochs done per " +
                      "model: " + (hung ? std::string("unknown") : done) + " of " +
                      std::to_string(r.epochs) + "). " +
                      (hung ? "The kernel did not stop when asked; this process cannot use the "
                              "GPU again and must restart."
                            : "The kernel stopped when asked. Raise the watchdog if an epoch "
                              "of this job legitimately takes longer."));
}

KernelSupport support_for(const dlaaw_gpu_context& context, const ModelLayout& model) {
  KernelSupport support = context.probe.kernels;
  if (support.cooperative) {
    DLAAW_CUDA_CHECK(cooperative_resident_blocks(model, &support.cooperative_resident_blocks));
  }
  return support;
}

int64_t largest_rows(const TrainRequest& r) {
  int64_t largest = 0;
  for (const RowSet& s : r.sets) largest = std::max(largest, s.rows);
  return largest;
}

// Copies what the stream delivered into the caller's result.
void collect(const TrainRequest& r, const LaunchBuffers& b, dlaaw_gpu_train_result& result) {
  if (*b.status.host() == kStatusNoGridBarrier) {
    throw GpuError(DLAAW_GPU_INTERNAL,
                   "the cooperative kernel ran without its grid barrier (this library's code for "
                   "the device targets compute capability < 6.0); use the block kernel");
  }
  const size_t count = r.sets.size() * static_cast<size_t>(r.model.parameters);
  std::copy(b.out_host.get(), b.out_host.get() + count, result.parameters);
  for (size_t m = 0; m < r.sets.size(); ++m) result.epochs_done[m] = b.progress_epochs.host()[m];
}

}  // namespace

void run_training(dlaaw_gpu_context& context, const TrainRequest& r,
                  dlaaw_gpu_train_result& result) {
  check_request(r);
  DLAAW_CUDA_CHECK(cudaSetDevice(context.device));
  const int models = static_cast<int>(r.sets.size());
  const int32_t memory = resolve_memory(r.memory, context.probe);
  const KernelPlan plan =
      plan_kernel(r.kernel, support_for(context, r.model), models, largest_rows(r), r.batches);
  const bool cooperative = plan.kernel == DLAAW_GPU_KERNEL_COOPERATIVE;

  Stream stream;
  RowStorage rows(r, memory, context, stream.get());
  LaunchBuffers buffers(models, r.model.parameters, r.epochs, models * plan.blocks_per_model,
                        cooperative);
  upload_controls(r, buffers, cooperative, stream.get());
  const TrainArgs args = make_args(r, rows, buffers, plan);
  Event start, stop;
  DLAAW_CUDA_CHECK(cudaEventRecord(start.get(), stream.get()));
  DLAAW_CUDA_CHECK(cooperative ? launch_cooperative_training(args, stream.get())
                               : launch_block_training(args, stream.get()));
  DLAAW_CUDA_CHECK(cudaEventRecord(stop.get(), stream.get()));
  DLAAW_CUDA_CHECK(cudaMemcpyAsync(buffers.out_host.get(), buffers.out.get(),
                                   static_cast<size_t>(models) * r.model.parameters * sizeof(float),
                                   cudaMemcpyDeviceToHost, stream.get()));

  const WatchOutcome watched = watch_launch(r, buffers, stream.get(), result);
  if (watched.hung) {
    // The kernel may still read and write these buffers: leak them rather than free memory
    // under it (and cudaFree would wait for the kernel, which is what hangs).
    rows.release();
    buffers.release();
    context.poisoned = watchdog_error(r, watched, nullptr, true).what();
    throw GpuError(DLAAW_GPU_WATCHDOG, context.poisoned);
  }
  if (watched.timed_out) throw watchdog_error(r, watched, buffers.progress_epochs.host(), false);
  collect(r, buffers, result);
  float kernel_ms = 0.0f;
  DLAAW_CUDA_CHECK(cudaEventElapsedTime(&kernel_ms, start.get(), stop.get()));
  result.kernel = plan.kernel;
  result.memory = memory;
  result.blocks_per_model = plan.blocks_per_model;
  result.stopped = watched.stopped ? 1 : 0;
  result.kernel_ms = kernel_ms;
}

void warm_up_kernels(dlaaw_gpu_context& context) {
  const float x = 0.5f, y = 1.0f, initial[2] = {0.1f, 0.0f};
  TrainRequest r;
  r.model = ModelLayout{};
  r.model.layers = 1;
  r.model.inputs = 1;
  r.model.parameters = 2;
  r.model.in[0] = 1;
  r.model.out[0] = 1;
  r.initial = initial;
  r.sets.push_back(RowSet{&x, &y, 1});
  r.epochs = 1;
  r.batches = 1;
  r.learning_rate = 0.1f;
  r.momentum = 0.9f;
  r.seed = 1;
  r.memory = DLAAW_GPU_MEMORY_DEVICE;
  r.watchdog_seconds = 60.0;
  r.progress = nullptr;
  r.progress_user = nullptr;
  float parameters[2];
  double loss[1];
  int32_t epochs_done[1];
  for (int32_t kernel : {DLAAW_GPU_KERNEL_BLOCK, DLAAW_GPU_KERNEL_COOPERATIVE}) {
    const bool usable = kernel == DLAAW_GPU_KERNEL_BLOCK ? context.probe.kernels.block
                                                         : context.probe.kernels.cooperative;
    if (!usable) continue;
    r.kernel = kernel;
    dlaaw_gpu_train_result result{parameters, loss, epochs_done, 0, 0, 0, 0, 0.0};
    run_training(context, r, result);
  }
}

}  // namespace cuda
}  // namespace kernels
}  // namespace dlaaw
