/* dlaaw_gpu.h - the C interface of libdlaaw_gpu.so, dlaaw's GPU services, loaded at run time.
 *
 * The `dlaaw` binary never links CUDA: it opens this library with dlopen, checks
 * dlaaw_gpu_abi_version() against DLAAW_GPU_ABI_VERSION and resolves the functions below by name.
 * Everything that crosses is a plain C type: no C++ object, no exception. Every function that can
 * fail returns a DLAAW_GPU_* status and, when not OK, fills the caller's dlaaw_gpu_error with a
 * message a user can act on. Arrays are owned by the caller and sized as each comment says.
 * Any change to a struct, a signature or a code below increments DLAAW_GPU_ABI_VERSION.
 * Plain C89 plus <stdint.h>, so that any C or C++ compiler of a Jetson toolkit reads it.
 */
#ifndef DLAAW_GPU_H
#define DLAAW_GPU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DLAAW_GPU_ABI_VERSION 1

#if defined(__GNUC__)
#define DLAAW_GPU_EXPORT __attribute__((visibility("default")))
#else
#define DLAAW_GPU_EXPORT
#endif

/* Status codes. The loader maps them to dlaaw's error types (exit codes in parentheses). */
#define DLAAW_GPU_OK 0
#define DLAAW_GPU_INVALID_INPUT 1  /* the network, data or a choice is refused (2) */
#define DLAAW_GPU_UNAVAILABLE 2    /* no device, no driver, no usable kernel (3) */
#define DLAAW_GPU_DEVICE_FAILURE 3 /* a CUDA call failed; the device may be unusable (3) */
#define DLAAW_GPU_WATCHDOG 4       /* no epoch finished within watchdog_seconds (3) */
#define DLAAW_GPU_INTERNAL 5       /* anything else, e.g. host memory exhausted (1) */

/* Training kernels; a device's usable kernels are a mask of DLAAW_GPU_KERNEL_BIT(kernel). */
#define DLAAW_GPU_KERNEL_AUTO 0
#define DLAAW_GPU_KERNEL_COOPERATIVE 1
#define DLAAW_GPU_KERNEL_BLOCK 2
#define DLAAW_GPU_KERNEL_BIT(kernel) (1 << (kernel))

/* Where the training rows live during training. */
#define DLAAW_GPU_MEMORY_AUTO 0
#define DLAAW_GPU_MEMORY_DEVICE 1
#define DLAAW_GPU_MEMORY_ZERO_COPY 2
#define DLAAW_GPU_MEMORY_MANAGED 3

/* Activation codes of dlaaw_gpu_layer. */
#define DLAAW_GPU_ACTIVATION_IDENTITY 0
#define DLAAW_GPU_ACTIVATION_RELU 1
#define DLAAW_GPU_ACTIVATION_SIGMOID 2
#define DLAAW_GPU_ACTIVATION_TANH 3

typedef struct dlaaw_gpu_error {
  int32_t code;
  char message[1024]; /* NUL-terminated */
} dlaaw_gpu_error;

typedef struct dlaaw_gpu_library_info {
  int32_t abi_version;
  int32_t cuda_runtime_version; /* CUDART_VERSION built with, e.g. 13000; 0: no CUDA (stand-in) */
  int32_t driver_version;       /* cudaDriverGetVersion; 0 without a driver */
  char description[256];        /* e.g. "libdlaaw_gpu 0.1.0, CUDA 13.0, sm 75;80;90" */
} dlaaw_gpu_library_info;

typedef struct dlaaw_gpu_device {
  char name[256];
  int32_t index;
  int32_t major; /* compute capability */
  int32_t minor;
  int32_t multiprocessors;
  int32_t integrated; /* shares memory with the CPU (Jetson) */
  uint64_t memory_bytes;
  int32_t kernels;        /* mask of DLAAW_GPU_KERNEL_BIT of the kernels this device runs */
  char kernels_note[512]; /* why a kernel is missing from the mask; "" when none is */
} dlaaw_gpu_device;

/* A multilayer perceptron ending in one logit: Linear(in, out) followed by `activation` per
 * layer. Parameters are laid out layer by layer: weights out x in row-major, then out biases. */
typedef struct dlaaw_gpu_layer {
  int32_t in;
  int32_t out;
  int32_t activation;
} dlaaw_gpu_layer;

typedef struct dlaaw_gpu_model {
  const dlaaw_gpu_layer* layers;
  int32_t layer_count;
} dlaaw_gpu_model;

/* One model's training rows: x is rows x layers[0].in floats, row-major; y, rows labels 0/1. */
typedef struct dlaaw_gpu_rows {
  const float* x;
  const float* y;
  int64_t rows;
} dlaaw_gpu_rows;

typedef struct dlaaw_gpu_config {
  int32_t epochs;
  int32_t batches; /* balanced mini-batches per epoch */
  float learning_rate;
  float momentum;
  uint64_t seed;           /* keys the per-epoch row order */
  int32_t kernel;          /* DLAAW_GPU_KERNEL_* */
  int32_t memory;          /* DLAAW_GPU_MEMORY_* */
  double watchdog_seconds; /* fail when no epoch finishes for this long; > 0 */
} dlaaw_gpu_config;

/* Called on the calling thread while training runs: model `model` (0-based) finished `epoch`
 * (1-based) with mean loss `mean_loss`. Returning 0 stops every model after its current epoch.
 * It must not unwind (no C++ exception may leave it). */
typedef int32_t (*dlaaw_gpu_progress_fn)(void* user, int32_t model, int32_t epoch,
                                         double mean_loss);

typedef struct dlaaw_gpu_train_result {
  float* parameters;        /* in: caller's [models][parameter_count], filled */
  double* epoch_loss;       /* in: caller's [models][epochs], filled up to epochs_done */
  int32_t* epochs_done;     /* in: caller's [models], filled */
  int32_t kernel;           /* out: DLAAW_GPU_KERNEL_COOPERATIVE or _BLOCK, the one that ran */
  int32_t memory;           /* out: DLAAW_GPU_MEMORY_DEVICE, _ZERO_COPY or _MANAGED */
  int32_t blocks_per_model; /* out: thread blocks per model */
  int32_t stopped;          /* out: 1 when the progress callback stopped training */
  double kernel_ms;         /* out: GPU time of the training kernel (CUDA events) */
} dlaaw_gpu_train_result;

/* A CUDA context on one device, with the library's kernels loaded. */
typedef struct dlaaw_gpu_context dlaaw_gpu_context;

/* DLAAW_GPU_ABI_VERSION as this library was built; the loader refuses any other. */
DLAAW_GPU_EXPORT int32_t dlaaw_gpu_abi_version(void);
typedef int32_t (*dlaaw_gpu_abi_version_fn)(void);

/* Fills `info`; never fails. */
DLAAW_GPU_EXPORT int32_t dlaaw_gpu_get_library_info(dlaaw_gpu_library_info* info);
typedef int32_t (*dlaaw_gpu_get_library_info_fn)(dlaaw_gpu_library_info* info);

/* Sets *count to the number of CUDA devices; when 0, `why_none` says why (no driver, no device).
 * Returns OK even then. */
DLAAW_GPU_EXPORT int32_t dlaaw_gpu_device_count(int32_t* count, dlaaw_gpu_error* why_none);
typedef int32_t (*dlaaw_gpu_device_count_fn)(int32_t* count, dlaaw_gpu_error* why_none);

/* Describes device `index`, including which kernels it can run and why not. */
DLAAW_GPU_EXPORT int32_t dlaaw_gpu_describe_device(int32_t index, dlaaw_gpu_device* device,
                                                   dlaaw_gpu_error* error);
typedef int32_t (*dlaaw_gpu_describe_device_fn)(int32_t index, dlaaw_gpu_device* device,
                                                dlaaw_gpu_error* error);

/* Creates the CUDA context on device `index`, loads the kernels and warms them up; *setup_ms is
 * what that took. On failure *context is NULL. */
DLAAW_GPU_EXPORT int32_t dlaaw_gpu_open(int32_t index, dlaaw_gpu_context** context,
                                        double* setup_ms, dlaaw_gpu_error* error);
typedef int32_t (*dlaaw_gpu_open_fn)(int32_t index, dlaaw_gpu_context** context, double* setup_ms,
                                     dlaaw_gpu_error* error);

/* Releases a context from dlaaw_gpu_open (NULL is ignored). */
DLAAW_GPU_EXPORT void dlaaw_gpu_close(dlaaw_gpu_context* context);
typedef void (*dlaaw_gpu_close_fn)(dlaaw_gpu_context* context);

/* Trains `models` models side by side from the same `initial` parameters (parameter_count of
 * them, which must match the network) and config, model m on sets[m]: each epoch visits the rows
 * in the Feistel order of (seed, epoch), cut into `batches` balanced mini-batches, one
 * momentum-SGD step on the mean binary cross-entropy per mini-batch. */
DLAAW_GPU_EXPORT int32_t dlaaw_gpu_train(dlaaw_gpu_context* context, const dlaaw_gpu_model* model,
                                         const float* initial, int64_t parameter_count,
                                         const dlaaw_gpu_rows* sets, int32_t models,
                                         const dlaaw_gpu_config* config,
                                         dlaaw_gpu_progress_fn progress, void* progress_user,
                                         dlaaw_gpu_train_result* result, dlaaw_gpu_error* error);
typedef int32_t (*dlaaw_gpu_train_fn)(dlaaw_gpu_context* context, const dlaaw_gpu_model* model,
                                      const float* initial, int64_t parameter_count,
                                      const dlaaw_gpu_rows* sets, int32_t models,
                                      const dlaaw_gpu_config* config,
                                      dlaaw_gpu_progress_fn progress, void* progress_user,
                                      dlaaw_gpu_train_result* result, dlaaw_gpu_error* error);

/* Sigmoid scores of `rows` rows of x (rows x inputs) into scores[rows]. */
DLAAW_GPU_EXPORT int32_t dlaaw_gpu_predict(dlaaw_gpu_context* context, const dlaaw_gpu_model* model,
                                           const float* parameters, int64_t parameter_count,
                                           const float* x, int64_t rows, float* scores,
                                           dlaaw_gpu_error* error);
typedef int32_t (*dlaaw_gpu_predict_fn)(dlaaw_gpu_context* context, const dlaaw_gpu_model* model,
                                        const float* parameters, int64_t parameter_count,
                                        const float* x, int64_t rows, float* scores,
                                        dlaaw_gpu_error* error);

#ifdef __cplusplus
}
#endif

#endif /* DLAAW_GPU_H */
