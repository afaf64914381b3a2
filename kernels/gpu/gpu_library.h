// gpu_library.h - libdlaaw_gpu.so loaded at run time: where from, the ABI check, typed calls.
//
// The dlaaw binary links no CUDA. It opens the GPU library with dlopen (next to the executable,
// in ../lib beside it, or $DLAAW_GPU_LIB), refuses one built for another ABI version or missing
// a function, and turns the library's status codes into dlaaw's error types. One build of dlaaw
// thus serves machines with and without a GPU.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kernels/backend.h"
#include "kernels/cuda/dlaaw_gpu.h"

namespace dlaaw::kernels::gpu {

// Throws the dlaaw error for a status other than DLAAW_GPU_OK, with the library's message:
// INVALID_INPUT -> InvalidInput, UNAVAILABLE -> ServiceUnavailable, DEVICE_FAILURE and WATCHDOG
// -> DeviceFailure, anything else -> JobFailed.
[[noreturn]] void throw_gpu_error(std::int32_t status, const dlaaw_gpu_error& error);

// Where locate() looks, in order: $DLAAW_GPU_LIB alone when set, else libdlaaw_gpu.so in the
// executable's folder, then in ../lib beside it (the build tree and an installed prefix).
std::vector<std::string> library_candidates();

class GpuLibrary {
 public:
  // Loads the library at `path` and checks it. Throws ServiceUnavailable naming the path and
  // the reason: dlopen failed; not a dlaaw GPU library; built for another ABI version; a
  // function (named) is missing.
  static std::shared_ptr<const GpuLibrary> load(const std::string& path);
  // Loads the first candidate that exists (see library_candidates). Throws ServiceUnavailable
  // saying where it looked, or why the file found there was refused.
  static std::shared_ptr<const GpuLibrary> locate();

  ~GpuLibrary();
  GpuLibrary(const GpuLibrary&) = delete;
  GpuLibrary& operator=(const GpuLibrary&) = delete;

  const std::string& path() const { return path_; }
  double load_ms() const { return load_ms_; }
  dlaaw_gpu_library_info info() const;

  // The number of devices; when 0, `why_none` (if given) says why. Never throws.
  int device_count(std::string* why_none = nullptr) const;
  // Device `index` with the kernels it runs. Throws as throw_gpu_error.
  DeviceInfo describe(int index) const;

  // The calls of dlaaw_gpu.h, each throwing as throw_gpu_error on failure.
  dlaaw_gpu_context* open(int index, double* setup_ms) const;
  void close(dlaaw_gpu_context* context) const;
  void train(dlaaw_gpu_context* context, const dlaaw_gpu_model& model, const float* initial,
             std::int64_t parameter_count, const std::vector<dlaaw_gpu_rows>& sets,
             const dlaaw_gpu_config& config, dlaaw_gpu_progress_fn progress, void* user,
             dlaaw_gpu_train_result& result) const;
  void predict(dlaaw_gpu_context* context, const dlaaw_gpu_model& model, const float* parameters,
               std::int64_t parameter_count, const float* x, std::int64_t rows,
               float* scores) const;

 private:
  struct Functions {
    dlaaw_gpu_abi_version_fn abi_version = nullptr;
    dlaaw_gpu_get_library_info_fn library_info = nullptr;
    dlaaw_gpu_device_count_fn device_count = nullptr;
    dlaaw_gpu_describe_device_fn describe_device = nullptr;
    dlaaw_gpu_open_fn open = nullptr;
    dlaaw_gpu_close_fn close = nullptr;
    dlaaw_gpu_train_fn train = nullptr;
    dlaaw_gpu_predict_fn predict = nullptr;
  };

  GpuLibrary(std::string path, void* handle);
  void* symbol(const char* name) const;
  void bind();

  std::string path_;
  void* handle_;  // from dlopen; dlclose'd by the destructor
  double load_ms_ = 0.0;
  Functions fn_;
};

}  // namespace dlaaw::kernels::gpu
