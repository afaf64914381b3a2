// gpu_backend.h - the CUDA backend as dlaaw sees it: a Backend over the loaded GPU library.
#pragma once

#include <memory>

#include "kernels/backend.h"
#include "kernels/gpu/gpu_library.h"

namespace dlaaw::kernels::gpu {

// Trains on one device of a loaded libdlaaw_gpu.so. The CUDA context is created, and the kernels
// loaded and warmed up, by the constructor: setup_timings() reports that cost and no train()
// pays it. Errors cross the library boundary as codes and come back as dlaaw's error types (see
// throw_gpu_error); an exception from a progress callback stops training and is rethrown here.
class GpuBackend final : public Backend {
 public:
  // Opens device `index` of `library`. Throws ServiceUnavailable when the device cannot be used,
  // DeviceFailure when CUDA fails.
  GpuBackend(std::shared_ptr<const GpuLibrary> library, int index);

  std::string name() const override { return "cuda"; }
  DeviceInfo device() const override { return device_; }
  SetupTimings setup_timings() const override { return setup_; }
  TrainOutcome train(const ModelSpec& spec, const std::vector<float>& initial, const Matrix& x,
                     const std::vector<float>& y, const TrainConfig& config,
                     const EpochCallback& on_epoch) override;
  // Trains every set side by side in one kernel launch.
  std::vector<TrainOutcome> train_many(const ModelSpec& spec, const std::vector<float>& initial,
                                       const std::vector<TrainingSet>& sets,
                                       const TrainConfig& config,
                                       const ModelEpochCallback& on_epoch) override;
  std::vector<float> predict(const ModelSpec& spec, const std::vector<float>& parameters,
                             const Matrix& x) override;

 private:
  struct ContextCloser {
    std::shared_ptr<const GpuLibrary> library;
    void operator()(dlaaw_gpu_context* context) const { library->close(context); }
  };

  std::shared_ptr<const GpuLibrary> library_;
  DeviceInfo device_;
  SetupTimings setup_;
  std::unique_ptr<dlaaw_gpu_context, ContextCloser> context_;
};

}  // namespace dlaaw::kernels::gpu
