// cpu_backend.cpp - training loop of the CPU backend: epochs, mini-batches, threads, momentum SGD.
#include "kernels/cpu/cpu_backend.h"

#include <algorithm>
#include <exception>
#include <stdexcept>
#include <thread>

#include "kernels/cpu/block_pass.h"
#include "kernels/cpu/permute_block.h"
#include "kernels/cpu/spin_barrier.h"
#include "kernels/platform/cpu_name.h"

// Not under TSan: GCC 12's ifunc resolver of the clones runs before TSan is initialised and
// crashes the process at start (make test-tsan builds the plain version).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)
#define DLAAW_VECTOR_CLONES \
  __attribute__((target_clones("default", "arch=x86-64-v3", "arch=x86-64-v4")))
#else
#define DLAAW_VECTOR_CLONES
#endif

namespace dlaaw::kernels::cpu {
namespace {

// Everything the threads of one training share. Each chunk writes only its own slot of
// chunk_gradients/chunk_loss; each thread updates only its own range of parameters.
struct TrainingJob {
  const ModelSpec& spec;
  const Matrix& x;
  const std::vector<float>& y;
  const TrainConfig& config;
  const EpochCallback& on_epoch;
  int threads;
  std::size_t chunk_rows;
  std::size_t parameter_count;
  std::vector<float> parameters;
  std::vector<float> velocity;
  std::vector<float> chunk_gradients;  // [chunk][parameter]
  std::vector<double> chunk_loss;      // [chunk]
  std::vector<double> epoch_loss;
  SpinBarrier barrier;
  bool stop = false;
  bool stopped_early = false;
  std::exception_ptr callback_error = nullptr;
};

// Forward, loss and backward over positions [begin, end) of the epoch's order; writes the chunk's
// summed gradient and loss. This is the hot loop: on x86-64 it is compiled three times (baseline,
// AVX2+FMA, AVX-512) and the loader picks the widest clone the CPU runs; elsewhere (Jetson's ARM
// cores) the compiler's default vector width applies.
DLAAW_VECTOR_CLONES void train_chunk(BlockPass<float>& pass, const TrainingJob& job,
                                     const EpochPermutation& order, std::uint64_t begin,
                                     std::uint64_t end, float row_weight, float* gradient,
                                     double* loss) {
  pass.clear_accumulators();
  std::uint32_t rows[kLanes];
  float labels[kLanes];
  for (std::uint64_t pos = begin; pos < end; pos += kLanes) {
    const int count = static_cast<int>(std::min<std::uint64_t>(kLanes, end - pos));
    permute_block(order, static_cast<std::uint32_t>(pos), rows);
    for (int r = 0; r < count; ++r) labels[r] = job.y[rows[r]];
    pass.load_rows(job.x, rows);
    pass.forward(job.parameters.data());
    pass.backward(job.parameters.data(), labels, count, row_weight);
  }
  std::fill(gradient, gradient + job.parameter_count, 0.0f);
  *loss = pass.reduce_into(gradient);
}

// The loop every thread runs; thread 0 is the caller and alone talks to the callback.
void run_thread(TrainingJob& job, int thread) {
  BlockPass<float> pass(job.spec);
  const std::uint64_t n = job.x.rows;
  const int batches = job.config.batches;
  const std::size_t p_begin = job.parameter_count * thread / job.threads;
  const std::size_t p_end = job.parameter_count * (thread + 1) / job.threads;
  for (int epoch = 0; epoch < job.config.epochs; ++epoch) {
    const EpochPermutation order = make_epoch_permutation(n, job.config.seed, epoch);
    double loss_sum = 0.0;
    for (int b = 0; b < batches; ++b) {
      const std::uint64_t lo = batch_begin(n, batches, b);
      const std::uint64_t hi = batch_begin(n, batches, b + 1);
      const std::size_t chunks = (hi - lo + job.chunk_rows - 1) / job.chunk_rows;
      const float row_weight = 1.0f / static_cast<float>(hi - lo);
      for (std::size_t c = chunks * thread / job.threads; c < chunks * (thread + 1) / job.threads;
           ++c) {
        const std::uint64_t begin = lo + c * job.chunk_rows;
        train_chunk(pass, job, order, begin, std::min<std::uint64_t>(hi, begin + job.chunk_rows),
                    row_weight, job.chunk_gradients.data() + c * job.parameter_count,
                    job.chunk_loss.data() + c);
      }
      job.barrier.arrive_and_wait();  // every chunk's gradient is written
      for (std::size_t k = p_begin; k < p_end; ++k) {
        float g = 0.0f;
        for (std::size_t c = 0; c < chunks; ++c)
          g += job.chunk_gradients[c * job.parameter_count + k];
        momentum_step(job.parameters[k], job.velocity[k], g, job.config.learning_rate,
                      job.config.momentum);
      }
      if (thread == 0) {
        for (std::size_t c = 0; c < chunks; ++c) loss_sum += job.chunk_loss[c];
      }
      job.barrier.arrive_and_wait();  // parameters are updated before the next batch reads them
    }
    if (thread == 0) {
      const double mean = loss_sum / static_cast<double>(n);
      job.epoch_loss.push_back(mean);
      try {
        if (job.on_epoch && !job.on_epoch(epoch + 1, mean)) {
          job.stop = true;
          job.stopped_early = epoch + 1 < job.config.epochs;
        }
      } catch (...) {
        job.callback_error = std::current_exception();
        job.stop = true;
      }
    }
    job.barrier.arrive_and_wait();  // everyone sees `stop`
    if (job.stop) break;
  }
}

void check_training_input(const ModelSpec& spec, const std::vector<float>& initial, const Matrix& x,
                          const std::vector<float>& y, const TrainConfig& config) {
  check_model_spec(spec);
  if (initial.size() != spec.parameter_count()) {
    throw std::invalid_argument("initial parameters have the wrong size");
  }
  if (x.cols != static_cast<std::size_t>(spec.inputs()) || y.size() != x.rows) {
    throw std::invalid_argument("data shape does not match the model");
  }
  if (config.epochs < 0 || config.batches < 1) {
    throw std::invalid_argument("epochs must be >= 0 and batches >= 1");
  }
  if (x.values.size() >= (std::size_t{1} << 31)) {
    throw std::invalid_argument("more than 2^31 values in the training data");
  }
  if (x.rows < static_cast<std::size_t>(config.batches)) {
    throw std::invalid_argument("fewer training rows (" + std::to_string(x.rows) +
                                ") than mini-batches (" + std::to_string(config.batches) + ")");
  }
}

int resolve_threads(int requested) {
  if (requested > 0) return requested;
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

CpuBackend::CpuBackend(int threads) : threads_(resolve_threads(threads)) {}

DeviceInfo CpuBackend::device() const {
  DeviceInfo info;
  info.kind = "cpu";
  info.name = platform::cpu_name();
  info.threads = threads_;
  info.kernels = {"cpu"};
  return info;
}

TrainOutcome CpuBackend::train(const ModelSpec& spec, const std::vector<float>& initial,
                               const Matrix& x, const std::vector<float>& y,
                               const TrainConfig& config, const EpochCallback& on_epoch) {
  check_training_input(spec, initial, x, y, config);
  // More threads than chunks in a mini-batch would only wait at the barriers.
  const std::size_t largest_batch = (x.rows + config.batches - 1) / config.batches;
  const std::size_t chunk_rows = chunk_rows_for(largest_batch);
  const std::size_t max_chunks = (largest_batch + chunk_rows - 1) / chunk_rows;
  const int threads = static_cast<int>(
      std::min<std::size_t>(config.threads > 0 ? config.threads : threads_, max_chunks));
  const std::size_t p = spec.parameter_count();
  TrainingJob job{spec,
                  x,
                  y,
                  config,
                  on_epoch,
                  threads,
                  chunk_rows,
                  p,
                  initial,
                  std::vector<float>(p, 0.0f),
                  std::vector<float>(max_chunks * p, 0.0f),
                  std::vector<double>(max_chunks, 0.0),
                  {},
                  SpinBarrier(threads)};
  job.epoch_loss.reserve(config.epochs);
  {
    std::vector<std::jthread> helpers;
    for (int t = 1; t < threads; ++t) helpers.emplace_back([&job, t] { run_thread(job, t); });
    run_thread(job, 0);
  }
  if (job.callback_error) std::rethrow_exception(job.callback_error);
  TrainOutcome outcome;
  outcome.parameters = std::move(job.parameters);
  outcome.epoch_loss = std::move(job.epoch_loss);
  outcome.stopped = job.stopped_early;
  outcome.kernel = "cpu";
  outcome.memory = "host";
  return outcome;
}

std::vector<float> CpuBackend::predict(const ModelSpec& spec, const std::vector<float>& parameters,
                                       const Matrix& x) {
  check_model_spec(spec);
  if (parameters.size() != spec.parameter_count() ||
      x.cols != static_cast<std::size_t>(spec.inputs()) ||
      x.values.size() >= (std::size_t{1} << 31)) {
    throw std::invalid_argument("parameters or data do not match the model");
  }
  BlockPass<float> pass(spec);
  std::vector<float> scores(x.rows);
  std::uint32_t rows[kLanes];
  for (std::size_t begin = 0; begin < x.rows; begin += kLanes) {
    const int count = static_cast<int>(std::min<std::size_t>(kLanes, x.rows - begin));
    for (int r = 0; r < kLanes; ++r) {
      rows[r] = static_cast<std::uint32_t>(begin + std::min(r, count - 1));
    }
    pass.load_rows(x, rows);
    pass.forward(parameters.data());
    for (int r = 0; r < count; ++r) scores[begin + r] = sigmoid(pass.output(r));
  }
  return scores;
}

}  // namespace dlaaw::kernels::cpu
