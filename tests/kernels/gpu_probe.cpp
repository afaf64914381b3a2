// gpu_probe.cpp - one short CUDA training run with a chosen kernel and memory path, for
// compute-sanitizer (bench/gpu_check.sh runs it under memcheck, racecheck and synccheck).
//
//   gpu_probe KERNEL MEMORY [EPOCHS] [ROWS] [MODELS] [BATCHES]
//
// Trains MODELS models of ROWS random rows each (a 16-8-5-3-1 network) side by side and checks
// the first model's losses against the CPU backend (1e-4 relative). Prints what ran; exits 0 on
// success, 1 on a mismatch, 2 on bad arguments, 3 without a usable GPU.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "../common/random_data.h"

#include "common/errors.h"
#include "kernels/backend.h"
#include "kernels/cpu/cpu_backend.h"

namespace {

using namespace dlaaw;

int run(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: gpu_probe auto|cooperative|block auto|device|zero_copy|managed "
                 "[epochs] [rows] [models] [batches]\n");
    return 2;
  }
  kernels::TrainConfig config;
  config.kernel = kernels::kernel_choice_from_name(argv[1]);
  config.memory = kernels::memory_path_from_name(argv[2]);
  config.epochs = argc > 3 ? std::atoi(argv[3]) : 5;
  const std::size_t rows = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 3000;
  const int models = argc > 5 ? std::atoi(argv[5]) : 2;
  config.batches = argc > 6 ? std::atoi(argv[6]) : 2;
  const kernels::ModelSpec spec{{{16, 8, kernels::Activation::ReLU},
                                 {8, 5, kernels::Activation::ReLU},
                                 {5, 3, kernels::Activation::ReLU},
                                 {3, 1, kernels::Activation::Identity}}};
  std::vector<kernels::Matrix> xs;
  std::vector<std::vector<float>> ys;
  for (int m = 0; m < models; ++m) {
    xs.push_back(testing::random_inputs(rows + m, 16, 100 + m));
    ys.push_back(testing::separable_labels(xs.back()));
  }
  std::vector<kernels::TrainingSet> sets;
  for (int m = 0; m < models; ++m) sets.push_back({&xs[m], &ys[m]});
  const auto init = kernels::xavier_uniform_parameters(spec, 1);
  const auto gpu = kernels::make_backend("cuda");
  const auto out = gpu->train_many(spec, init, sets, config, {});
  const auto cpu = kernels::cpu::CpuBackend(2).train(spec, init, xs[0], ys[0], config, {});
  std::printf("%s: kernel %s, memory %s, %d models x %d blocks, %zu epochs, kernel %.2f ms\n",
              gpu->device().name.c_str(), out[0].kernel.c_str(), out[0].memory.c_str(), models,
              out[0].blocks_per_model, out[0].epoch_loss.size(), out[0].kernel_ms);
  if (out[0].epoch_loss.size() != cpu.epoch_loss.size()) return 1;
  for (std::size_t e = 0; e < cpu.epoch_loss.size(); ++e) {
    const double gap = std::abs(out[0].epoch_loss[e] - cpu.epoch_loss[e]);
    std::printf("epoch %zu: loss gpu %.7f cpu %.7f\n", e + 1, out[0].epoch_loss[e],
                cpu.epoch_loss[e]);
    if (gap > 1e-4 * cpu.epoch_loss[e]) return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const dlaaw::InvalidInput& e) {
    std::fprintf(stderr, "gpu_probe: %s\n", e.what());
    return 2;
  } catch (const dlaaw::ServiceUnavailable& e) {
    std::fprintf(stderr, "gpu_probe: %s\n", e.what());
    return 3;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gpu_probe: %s\n", e.what());
    return 1;
  }
}
