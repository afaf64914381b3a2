// model_spec.h - what a backend trains: dense layers, their flat parameter layout, data and config.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "kernels/device_modes.h"
#include "kernels/shared/elementwise.h"

namespace dlaaw::kernels {

// One Linear(in, out) with the activation that follows it; the last layer is Identity (a logit).
struct DenseLayer {
  int in = 0;
  int out = 0;
  Activation activation = Activation::Identity;
};

// A multilayer perceptron ending in one logit, trained with binary cross-entropy.
struct ModelSpec {
  std::vector<DenseLayer> layers;

  int inputs() const { return layers.empty() ? 0 : layers.front().in; }
  // Total number of weights and biases.
  std::size_t parameter_count() const;
  // Offset of layer l's weights (out x in, row-major as PyTorch stores them) in the flat vector;
  // its `out` biases follow them.
  std::size_t weight_offset(std::size_t l) const;
  std::size_t bias_offset(std::size_t l) const {
    return weight_offset(l) + layers[l].in * layers[l].out;
  }
  // Widest layer (inputs included); sizes scratch buffers.
  int max_width() const;
};

// Row-major rows x cols floats.
struct Matrix {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<float> values;

  float* row(std::size_t r) { return values.data() + r * cols; }
  const float* row(std::size_t r) const { return values.data() + r * cols; }
};

struct TrainConfig {
  int epochs = 1000;
  int batches = 6;  // mini-batches per epoch, balanced (see batch_begin)
  float learning_rate = 0.1f;
  float momentum = 0.9f;
  std::uint64_t seed = 1;  // keys the per-epoch permutation
  int threads = 0;         // 0 = every hardware thread
  MemoryPath memory = MemoryPath::Auto;
  KernelChoice kernel = KernelChoice::Auto;
  // The CUDA backend fails the job (DeviceFailure) when no model finishes an epoch for this long:
  // it must exceed the slowest epoch (the first includes the launch).
  double watchdog_seconds = 60.0;
};

// Called after every epoch with its number (1-based) and the mean loss over its rows, computed
// during the forward passes of that epoch; returning false stops training after this epoch.
using EpochCallback = std::function<bool(int epoch, double mean_loss)>;

// Called after every epoch of model `model` (0-based, see Backend::train_many).
using ModelEpochCallback = std::function<bool(int model, int epoch, double mean_loss)>;

// One model's training rows: x (rows x inputs, scaled) and labels y in {0, 1}.
struct TrainingSet {
  const Matrix* x = nullptr;
  const std::vector<float>* y = nullptr;
};

struct TrainOutcome {
  std::vector<float> parameters;
  std::vector<double> epoch_loss;
  bool stopped = false;      // the callback asked to stop before the last epoch
  std::string kernel;        // what trained it: "cpu", "cooperative" or "block"
  std::string memory;        // where the rows were: "host" (CPU), "device", "zero_copy", "managed"
  int blocks_per_model = 0;  // CUDA thread blocks that trained each model (0 on the CPU)
  double kernel_ms = 0.0;    // GPU time of the training kernel from CUDA events (0 on the CPU)
};

// Xavier-uniform weights (U(-a, a), a = sqrt(6 / (in + out))) and zero biases, drawn in layer
// order from SplitMix64(seed): the same seed gives the same start on every backend.
std::vector<float> xavier_uniform_parameters(const ModelSpec& spec, std::uint64_t seed);

// Throws std::invalid_argument when the layers do not chain (in of l+1 != out of l) or the last
// layer does not give one logit (the rules of kernels/shared/model_rules.h).
void check_model_spec(const ModelSpec& spec);

}  // namespace dlaaw::kernels
