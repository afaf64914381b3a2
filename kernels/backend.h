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
  std::string runtime_version;  // CUDA runtime the binary uses
};

class Backend {
 public:
  virtual ~Backend() = default;

  // Short name recorded with every run: "cpu", "cuda".
  virtual std::string name() const = 0;
  virtual DeviceInfo device() const = 0;

  // Trains `spec` from `initial` parameters on x (rows x spec.inputs(), already scaled) with labels
  // y in {0, 1}: each epoch visits the rows in make_epoch_permutation(rows, seed, epoch) order, cut
  // into config.batches balanced mini-batches; one momentum-SGD step per mini-batch on the mean
  // BCE. Throws std::invalid_argument for a malformed spec, mismatched sizes or fewer rows than
  // batches; a device failure throws ServiceUnavailable.
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

// The backends this build has: "cpu" always, "cuda" when built with CUDA.
std::vector<std::string> available_backends();

// The CUDA devices this machine has (empty without CUDA support, a driver or a device).
std::vector<DeviceInfo> cuda_devices();

// Creates the backend named `name` ("cpu", "cuda", or "auto": CUDA when a device is present,
// else CPU). `threads` applies to the CPU backend (0 = all). Throws InvalidInput for an unknown
// name and ServiceUnavailable when "cuda" is asked for but no device can be used.
std::unique_ptr<Backend> make_backend(const std::string& name, int threads = 0);

}  // namespace dlaaw::kernels
