// backend.h - the one interface every training backend (CPU, CUDA) implements.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kernels/model_spec.h"

namespace dlaaw::kernels {

// Which device a backend runs on, as recorded in a run's provenance.
struct DeviceInfo {
  std::string kind;  // "cpu" or "cuda"
  std::string name;  // e.g. the CPU model or "NVIDIA H100 80GB HBM3"
  int threads = 0;   // CPU threads used (CPU backend)
  bool integrated = false;
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

  // Sigmoid scores (probability of the positive class) for every row of x.
  virtual std::vector<float> predict(const ModelSpec& spec, const std::vector<float>& parameters,
                                     const Matrix& x) = 0;
};

// The backends this build has: "cpu" always, "cuda" when built with CUDA.
std::vector<std::string> available_backends();

// Creates the backend named `name` ("cpu", "cuda", or "auto": CUDA when a device is present,
// else CPU). `threads` applies to the CPU backend (0 = all). Throws InvalidInput for an unknown
// name and ServiceUnavailable when "cuda" is asked for but no device can be used.
std::unique_ptr<Backend> make_backend(const std::string& name, int threads = 0);

}  // namespace dlaaw::kernels
