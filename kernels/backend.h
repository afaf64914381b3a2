// backend.h - the one interface every training backend (CPU, CUDA) implements.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "kernels/model_spec.h"

namespace dlaaw::kernels {

// Which device a backend runs on, as recorded in a run's provenance.
struct DeviceInfo {
  std::string kind;                // "cpu" or "cuda"
  std::string name;                // e.g. the CPU model or "NVIDIA H100 80GB HBM3"
  int threads = 0;                 // CPU threads used (CPU backend)
  bool integrated = false;         // a GPU sharing memory with the CPU (Jetson)
  int index = 0;                   // CUDA device number
  std::string compute_capability;  // "9.0"
  int multiprocessors = 0;
  std::size_t memory_bytes = 0;
  std::string driver_version;   // CUDA driver API version, "13.0"
  std::string runtime_version;  // CUDA runtime the GPU library was built with
  // The training kernels this device can run ("cooperative", "block"); the CPU lists "cpu".
  std::vector<std::string> kernels;
  // Why a CUDA kernel is missing from `kernels` ("" when none is), e.g. "compute capability 5.3
  // has no grid-wide barrier (needs 6.0)" or "the library has no code for sm_80".
  std::string kernels_note;
};

// What making a backend cost before any training: loading the GPU library and creating the CUDA
// context (module loading and a warm-up launch included). Training timings exclude both.
struct SetupTimings {
  double library_ms = 0.0;
  double context_ms = 0.0;
};

// Which GPU library this process can load: where from, its ABI and CUDA versions, or why none.
struct GpuLibraryStatus {
  bool loaded = false;
  std::string path;              // the file loaded, or the last one tried
  std::string error;             // why none was loaded ("" when loaded)
  int abi_version = 0;           // of the loaded library
  std::string description;       // its own words: version, CUDA toolkit, architectures
  std::string runtime_version;   // CUDA runtime it was built with ("" for a stand-in without CUDA)
  std::string driver_version;    // the driver it found ("" without one)
  std::string no_device_reason;  // why it sees no device ("" when it sees one)
};

class Backend {
 public:
  virtual ~Backend() = default;

  // Short name recorded with every run: "cpu", "cuda".
  virtual std::string name() const = 0;
  virtual DeviceInfo device() const = 0;
  // Cost of making this backend (0 for the CPU); never part of a train() timing.
  virtual SetupTimings setup_timings() const { return {}; }

  // Trains `spec` from `initial` parameters on x (rows x spec.inputs(), already scaled) with labels
  // y in {0, 1}: each epoch visits the rows in make_epoch_permutation(rows, seed, epoch) order, cut
  // into config.batches balanced mini-batches; one momentum-SGD step per mini-batch on the mean
  // BCE. The outcome names the kernel and memory path that ran and, on a GPU, the kernel's own
  // time (CUDA events). Throws std::invalid_argument for a malformed spec, mismatched sizes or
  // fewer rows than batches; InvalidInput when the CUDA backend refuses the network or the kernel
  // choice (too wide, too deep, too many parameters, a kernel the device cannot run: the message
  // says what to use); DeviceFailure when the device fails or the watchdog sees no epoch finish
  // for config.watchdog_seconds.
  virtual TrainOutcome train(const ModelSpec& spec, const std::vector<float>& initial,
                             const Matrix& x, const std::vector<float>& y,
                             const TrainConfig& config, const EpochCallback& on_epoch) = 0;

  // Trains one model per training set from the same `initial` parameters and config (the folds of
  // a k-fold plan). The CPU backend trains them one after the other; the CUDA backend side by side
  // in one launch. on_epoch may stop all of them. Throws as train() does.
  virtual std::vector<TrainOutcome> train_many(const ModelSpec& spec,
                                               const std::vector<float>& initial,
                                               const std::vector<TrainingSet>& sets,
                                               const TrainConfig& config,
                                               const ModelEpochCallback& on_epoch);

  // Sigmoid scores (probability of the positive class) for every row of x.
  virtual std::vector<float> predict(const ModelSpec& spec, const std::vector<float>& parameters,
                                     const Matrix& x) = 0;
};

// The backends this process can use: "cpu" always, "cuda" when the GPU library loads.
std::vector<std::string> available_backends();

// The GPU library this process loads: libdlaaw_gpu.so from $DLAAW_GPU_LIB when set (that file
// only), else next to the executable, else in ../lib beside it. Never throws.
GpuLibraryStatus gpu_library_status();

// The CUDA devices this machine has, each with the kernels it can run (empty without the GPU
// library, a driver or a device). Never throws for a missing library or device.
std::vector<DeviceInfo> cuda_devices();

// Throws InvalidInput naming the device and kernels_note when `device` can run no training
// kernel: what an executor calls at start before it serves a GPU resource.
void require_usable_kernel(const DeviceInfo& device);

// Creates the backend named `name` ("cpu", "cuda", or "auto": CUDA when the GPU library loads and
// its first device can run a kernel, else CPU). The CUDA backend creates its context here, not in
// train (see setup_timings). `threads` applies to the CPU backend (0 = all). Throws InvalidInput
// for an unknown name and ServiceUnavailable when "cuda" is asked for but no library, device or
// usable kernel is there (the message says which).
std::unique_ptr<Backend> make_backend(const std::string& name, int threads = 0);

}  // namespace dlaaw::kernels
