// train_kernels.cu - the fused, persistent training kernels: block-per-model and cooperative.
//
// Both kernels run every epoch of every model in one launch, with no host round trip inside it.
// A model is trained by a group of blocks_per_model blocks of kTrainThreads threads. Each step
// (one mini-batch) a block takes its chunks of the batch: every thread runs one row's forward and
// backward into the row's record in shared memory, then every thread sums its parameters' terms
// over the chunk's records (batch_gradient.h). The group then combines its blocks' sums into one
// momentum-SGD update.
//
// - The block kernel gives each model one block (blocks_per_model == 1), so a step needs only
//   __syncthreads: it runs on every architecture, and any number of models, resident or not.
// - The cooperative kernel gives a model several blocks, which exchange their sums through
//   global memory and a grid-wide barrier. That barrier needs every block resident at once,
//   which only cudaLaunchCooperativeKernel guarantees, on compute capability >= 6.0; the
//   kernel's body is compiled only there (see cooperative_training_kernel).
//
// Every block of a model sums the same partials in the same order, so all of them hold
// bit-identical parameters without a second barrier; with one block per model both kernels do
// the very same arithmetic and train bit-identical weights.
#include <cuda_runtime.h>

#include "kernels/cuda/batch_gradient.h"
#include "kernels/cuda/dlaaw_gpu.h"
#include "kernels/cuda/train_kernels.cuh"
#include "kernels/shared/elementwise.h"
#include "kernels/shared/epoch_permutation.h"

// The cooperative kernel's body needs compute capability 6.0: cudaLaunchCooperativeKernel (and
// with it the co-residency the grid barrier relies on) is not offered below, and CUDA 10.2's own
// cooperative_groups::this_grid() is declared only for __CUDA_ARCH__ >= 600. The barrier here is
// written out instead of taken from cooperative groups because, before CUDA 11, grid_group::sync()
// calls cudaCGSynchronizeGrid from the device runtime, which needs relocatable device code
// (-rdc=true) and libcudadevrt; JetPack 4.6 ships CUDA 10.2. DLAAW_GPU_TEST_NO_GRID_BARRIER
// compiles the guarded-out variant on any architecture, so that a toolkit without sm_53 (CUDA
// 13) can still check that the source compiles as it would for a Nano.
#if defined(__CUDA_ARCH__) && (__CUDA_ARCH__ < 600 || defined(DLAAW_GPU_TEST_NO_GRID_BARRIER))
#define DLAAW_GPU_HAS_GRID_BARRIER 0
#else
#define DLAAW_GPU_HAS_GRID_BARRIER 1
#endif

namespace dlaaw {
namespace kernels {
namespace cuda {
namespace {

#if DLAAW_GPU_HAS_GRID_BARRIER
// Returns once every block of the grid has called it. Only valid under a cooperative launch: a
// block waiting here would otherwise keep a block that is not yet resident from ever starting.
// One counter serves every barrier of the launch. Each block adds 1, except block 0, which adds
// 2^31 - (blocks - 1): when the last block arrives the counter has grown by exactly 2^31, so its
// top bit has flipped, and the waiting threads watch for that flip relative to the value their
// own arrival saw. No partial sum of one round reaches 2^31, so the bit flips only when the round
// is complete, and the low 31 bits end where they began: the next round needs no reset. A block
// that races ahead into the next round cannot flip the bit back before every block, this one
// included, has arrived there too.
__device__ void grid_barrier(unsigned int* counter, unsigned int blocks) {
  __syncthreads();  // the whole block has written what the other blocks will read
  if (threadIdx.x == 0) {
    const unsigned int add = blockIdx.x == 0 ? 0x80000000U - (blocks - 1U) : 1U;
    __threadfence();  // this block's writes are visible device-wide before its arrival counts
    const unsigned int seen = atomicAdd(counter, add);
    const volatile unsigned int* watched = counter;
    while (((seen ^ *watched) & 0x80000000U) == 0U) {
    }
    __threadfence();  // what the other blocks wrote before arriving is visible from here on
  }
  __syncthreads();  // the rest of the block waits for thread 0 to see the round complete
}
#endif

// What one block keeps about its model during a launch. Dynamic shared memory holds params [p],
// velocity [p], the chunk's row indices and its records (training_shared_words).
struct BlockModel {
  float* params;
  float* velocity;
  uint32_t* row_index;
  float* records;
  int model;   // blockIdx.x / blocks_per_model
  int part;    // this block's rank in the model's group
  uint64_t n;  // the model's training rows
  const float* x;
  const float* y;
};

// The values this thread sums each step: value threadIdx.x + j * kTrainThreads in slot j
// (parameters, then the loss at p), kNoTerm past p.
struct OwnedValues {
  ParameterTerm term[kValueSlots];
  float sum[kValueSlots];
};

__device__ void own_values(const TrainArgs& a, OwnedValues& v) {
#pragma unroll
  for (int j = 0; j < kValueSlots; ++j) {
    const int k = static_cast<int>(threadIdx.x) + j * kTrainThreads;
    v.term[j] = k <= a.model.parameters ? parameter_term(a.model, a.record, k)
                                        : ParameterTerm{kNoTerm, kFactorOne, 0};
  }
}

// This block's share of mini-batch [lo, hi) into v.sum: chunk by chunk, each thread runs one row
// into its record, then sums its values' terms over the chunk's records. The chunk loop's trip
// count depends only on the block, so every thread reaches its barriers.
__device__ void accumulate_step(const TrainArgs& a, const BlockModel& b,
                                const EpochPermutation& order, uint64_t lo, uint64_t hi,
                                OwnedValues& v) {
  const float row_weight = 1.0f / static_cast<float>(hi - lo);  // the batch mean
  const int stride = a.record.stride;
#pragma unroll
  for (int j = 0; j < kValueSlots; ++j) v.sum[j] = 0.0f;
  for (uint64_t start = chunk_begin(lo, b.part, a.chunk_rows); start < hi;
       start += chunk_stride(a.blocks_per_model, a.chunk_rows)) {
    const int rows = hi - start < static_cast<uint64_t>(a.chunk_rows) ? static_cast<int>(hi - start)
                                                                      : a.chunk_rows;
    if (static_cast<int>(threadIdx.x) < rows) {
      const uint32_t row = permute_row(order, static_cast<uint32_t>(start + threadIdx.x));
      b.row_index[threadIdx.x] = row;
      run_row(a.model, a.record, b.params, b.x + static_cast<uint64_t>(row) * a.model.inputs,
              b.y[row], row_weight, b.records + threadIdx.x * stride);
    }
    __syncthreads();  // the chunk's records are written
#pragma unroll
    for (int j = 0; j < kValueSlots; ++j) {
      if (v.term[j].delta != kNoTerm) {
        v.sum[j] += sum_terms(v.term[j], b.records, stride, rows, b.x, a.model.inputs, b.row_index);
      }
    }
    __syncthreads();  // the records are read before the next chunk overwrites them
  }
}

// Applies value k's sum: a momentum step of parameter k, or (k == p) the loss.
__device__ __forceinline__ void apply_sum(const TrainArgs& a, const BlockModel& b, int k, float sum,
                                          double& epoch_loss) {
  if (k < a.model.parameters) {
    momentum_step(b.params[k], b.velocity[k], sum, a.learning_rate, a.momentum);
  } else {
    epoch_loss += sum;
  }
}

// Block kernel: the block's own sums are the model's; each thread applies its values.
__device__ void update_from_block(const TrainArgs& a, const BlockModel& b, const OwnedValues& v,
                                  double& epoch_loss) {
#pragma unroll
  for (int j = 0; j < kValueSlots; ++j) {
    if (v.term[j].delta != kNoTerm) {
      apply_sum(a, b, static_cast<int>(threadIdx.x) + j * kTrainThreads, v.sum[j], epoch_loss);
    }
  }
}

#if DLAAW_GPU_HAS_GRID_BARRIER
// Cooperative kernel: this block's sums go to its slot of the step's half of the partial buffer;
// after the grid barrier every block of the group adds the group's partials in slot order, so
// all of them apply the very same sums.
__device__ void update_from_group(const TrainArgs& a, const BlockModel& b, const OwnedValues& v,
                                  int step, double& epoch_loss) {
  const int p = a.model.parameters;
  const int slots = a.models * a.blocks_per_model;  // blocks in the grid
  float* mine = a.partials + partial_index(step, blockIdx.x, slots, p);
#pragma unroll
  for (int j = 0; j < kValueSlots; ++j) {
    if (v.term[j].delta != kNoTerm) mine[threadIdx.x + j * kTrainThreads] = v.sum[j];
  }
  grid_barrier(a.barrier, static_cast<unsigned int>(slots));  // every partial is written
  const int first = b.model * a.blocks_per_model;
#pragma unroll
  for (int j = 0; j < kValueSlots; ++j) {
    if (v.term[j].delta == kNoTerm) continue;
    const int k = static_cast<int>(threadIdx.x) + j * kTrainThreads;
    float sum = 0.0f;
    for (int part = 0; part < a.blocks_per_model; ++part) {
      // __ldcg reads through L2: the partials come from other multiprocessors this step.
      sum += __ldcg(a.partials + partial_index(step, first + part, slots, p) + k);
    }
    apply_sum(a, b, k, sum, epoch_loss);
  }
}
#endif

// Publishes an epoch's mean loss, then the count that announces it, to the host.
__device__ void report_epoch(const TrainArgs& a, const BlockModel& b, int epoch, double loss) {
  a.progress_loss[static_cast<int64_t>(b.model) * a.epochs + epoch] =
      loss / static_cast<double>(b.n);
  __threadfence_system();  // the host sees the loss before the count that announces it
  *static_cast<volatile int*>(a.progress_epochs + b.model) = epoch + 1;
}

// Points b at this block's model and its shared memory, and loads the initial parameters.
__device__ BlockModel load_block_model(const TrainArgs& a, float* shared) {
  const int p = a.model.parameters;
  BlockModel b;
  b.params = shared;
  b.velocity = shared + p;
  b.row_index = reinterpret_cast<uint32_t*>(shared + 2 * p);
  b.records = shared + 2 * p + a.chunk_rows;
  b.model = blockIdx.x / a.blocks_per_model;
  b.part = blockIdx.x % a.blocks_per_model;
  const int64_t first_row = a.row_begin[b.model];
  b.n = static_cast<uint64_t>(a.row_begin[b.model + 1] - first_row);
  b.x = a.x + first_row * a.model.inputs;
  b.y = a.y + first_row;
  for (int k = threadIdx.x; k < p; k += kTrainThreads) {
    b.params[k] = a.initial[k];
    b.velocity[k] = 0.0f;
  }
  return b;
}

// Trains model blockIdx.x / blocks_per_model with the other blocks of its group (see the file
// comment). kGrid: the cooperative variant, whose groups may span several blocks.
//
// Every loop that contains a barrier has the same trip count in every thread of the block (kGrid:
// of the grid): epochs, batches and chunks depend only on kernel arguments and the block, and an
// epoch's stop decision is read by all threads from a value no thread changes until two barriers
// later.
template <bool kGrid>
__device__ void train_models(const TrainArgs& a) {
  extern __shared__ float shared[];
  const BlockModel b = load_block_model(a, shared);
  OwnedValues v;
  own_values(a, v);
  // The thread that owns value p, the loss: it sums the loss and reports the epoch.
  const bool loss_owner = static_cast<int>(threadIdx.x) == a.model.parameters % kTrainThreads;
  // Block kernel: the epoch's cancel decision, by epoch parity. Thread 0 writes slot e % 2 in the
  // last step of epoch e, before that step's last barrier; every thread reads it after that
  // barrier; the slot is written again only in epoch e + 2, after barriers that every reader of
  // epoch e has passed since. One slot would not do with one batch per epoch: thread 0 could then
  // write epoch e + 1's decision while another thread still reads epoch e's.
  __shared__ int block_stop[2];
  __syncthreads();  // parameters are loaded before any thread reads them

  int step = 0;  // steps since the launch, for the parity of the partial buffers
  for (int epoch = 0; epoch < a.epochs; ++epoch) {
    const EpochPermutation order = make_epoch_permutation(b.n, a.seed, epoch);
    double epoch_loss = 0.0;  // summed by the loss owner
    for (int batch = 0; batch < a.batches; ++batch, ++step) {
      accumulate_step(a, b, order, batch_begin(b.n, a.batches, batch),
                      batch_begin(b.n, a.batches, batch + 1), v);
      if (batch == a.batches - 1 && threadIdx.x == 0) {
        if (!kGrid) {
          block_stop[epoch & 1] = *a.cancel;
        } else if (blockIdx.x == 0) {  // one decision for the whole grid (see a.stop)
          a.stop[epoch & 1] = *a.cancel;
        }
      }
      if (kGrid) {
#if DLAAW_GPU_HAS_GRID_BARRIER
        update_from_group(a, b, v, step, epoch_loss);
#endif
      } else {
        update_from_block(a, b, v, epoch_loss);
      }
      __syncthreads();  // parameters are updated before the next step's rows read them
    }
    if (b.part == 0 && loss_owner) report_epoch(a, b, epoch, epoch_loss);
    const int stop =
        kGrid ? *static_cast<volatile int*>(a.stop + (epoch & 1)) : block_stop[epoch & 1];
    if (stop) break;
  }
  if (b.part == 0) {
    for (int k = threadIdx.x; k < a.model.parameters; k += kTrainThreads) {
      a.out_parameters[static_cast<int64_t>(b.model) * a.model.parameters + k] = b.params[k];
    }
  }
}

__global__ void __launch_bounds__(kTrainThreads) block_training_kernel(TrainArgs a) {
  train_models<false>(a);
}

__global__ void __launch_bounds__(kTrainThreads) cooperative_training_kernel(TrainArgs a) {
#if DLAAW_GPU_HAS_GRID_BARRIER
  train_models<true>(a);
#else
  // Compiled for an architecture without cooperative launch: the host never launches it there
  // (the device probe checks the kernel's PTX version), and says so if it ever does.
  if (blockIdx.x == 0 && threadIdx.x == 0)
    *static_cast<volatile int*>(a.status) = kStatusNoGridBarrier;
#endif
}

}  // namespace

cudaError_t launch_block_training(const TrainArgs& args, cudaStream_t stream) {
  block_training_kernel<<<args.models, kTrainThreads, training_shared_bytes(args), stream>>>(args);
  return cudaGetLastError();
}

cudaError_t launch_cooperative_training(const TrainArgs& args, cudaStream_t stream) {
  TrainArgs copy = args;  // cudaLaunchCooperativeKernel takes pointers to the arguments
  void* params[] = {&copy};
  return cudaLaunchCooperativeKernel(reinterpret_cast<const void*>(cooperative_training_kernel),
                                     dim3(static_cast<unsigned int>(args.models) *
                                          static_cast<unsigned int>(args.blocks_per_model)),
                                     dim3(kTrainThreads), params, training_shared_bytes(args),
                                     stream);
}

cudaError_t training_kernel_attributes(int32_t kernel, cudaFuncAttributes* attributes) {
  if (kernel == DLAAW_GPU_KERNEL_COOPERATIVE) {
    return cudaFuncGetAttributes(attributes,
                                 reinterpret_cast<const void*>(cooperative_training_kernel));
  }
  return cudaFuncGetAttributes(attributes, reinterpret_cast<const void*>(block_training_kernel));
}

cudaError_t cooperative_resident_blocks(const ModelLayout& model, int* blocks) {
  TrainArgs shape{};
  shape.model = model;
  plan_records(shape);
  int device = 0;
  cudaError_t status = cudaGetDevice(&device);
  if (status != cudaSuccess) return status;
  int multiprocessors = 0;
  status = cudaDeviceGetAttribute(&multiprocessors, cudaDevAttrMultiProcessorCount, device);
  if (status != cudaSuccess) return status;
  int per_multiprocessor = 0;
  status = cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_multiprocessor,
                                                         cooperative_training_kernel, kTrainThreads,
                                                         training_shared_bytes(shape));
  *blocks = per_multiprocessor * multiprocessors;
  return status;
}

}  // namespace cuda
}  // namespace kernels
}  // namespace dlaaw
