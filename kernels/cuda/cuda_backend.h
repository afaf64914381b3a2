// cuda_backend.h - the GPU backend: dlaaw's own fused CUDA kernels behind the Backend interface.
#pragma once

#include "kernels/backend.h"

namespace dlaaw::kernels::cuda {

// Trains on one CUDA device. Throws ServiceUnavailable from the constructor when the device does
// not exist, and from every method when CUDA fails (the message names the call and the device).
class CudaBackend final : public Backend {
 public:
  explicit CudaBackend(int device = 0);

  std::string name() const override { return "cuda"; }
  DeviceInfo device() const override { return device_; }
  TrainOutcome train(const ModelSpec& spec, const std::vector<float>& initial, const Matrix& x,
                     const std::vector<float>& y, const TrainConfig& config,
                     const EpochCallback& on_epoch) override;
  std::vector<TrainOutcome> train_many(const ModelSpec& spec, const std::vector<float>& initial,
                                       const std::vector<TrainingSet>& sets,
                                       const TrainConfig& config,
                                       const ModelEpochCallback& on_epoch) override;
  std::vector<float> predict(const ModelSpec& spec, const std::vector<float>& parameters,
                             const Matrix& x) override;

 private:
  DeviceInfo device_;
};

// Properties of CUDA device `index` as a DeviceInfo; throws ServiceUnavailable.
DeviceInfo describe_cuda_device(int index);

}  // namespace dlaaw::kernels::cuda
