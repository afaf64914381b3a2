// gpu_library.cpp - dlopen of libdlaaw_gpu.so, its ABI check and the typed calls into it.
#include "kernels/gpu/gpu_library.h"

#include <dlfcn.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "common/errors.h"

namespace dlaaw::kernels::gpu {
namespace {

constexpr const char* kLibraryName = "libdlaaw_gpu.so";

std::string version_text(int v) {
  return std::to_string(v / 1000) + "." + std::to_string(v % 1000 / 10);
}

std::filesystem::path executable_folder() {
  std::error_code error;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::filesystem::path() : exe.parent_path();
}

void check(std::int32_t status, const dlaaw_gpu_error& error) {
  if (status != DLAAW_GPU_OK) throw_gpu_error(status, error);
}

}  // namespace

void throw_gpu_error(std::int32_t status, const dlaaw_gpu_error& error) {
  const std::string message(error.message, strnlen(error.message, sizeof(error.message)));
  switch (status) {
    case DLAAW_GPU_INVALID_INPUT:
      throw InvalidInput(message);
    case DLAAW_GPU_UNAVAILABLE:
      throw ServiceUnavailable(message);
    case DLAAW_GPU_DEVICE_FAILURE:
    case DLAAW_GPU_WATCHDOG:
      throw DeviceFailure("CUDA: " + message);
    default:
      throw JobFailed("GPU library: " + message + " (status " + std::to_string(status) + ")");
  }
}

std::vector<std::string> library_candidates() {
  const char* chosen = std::getenv("DLAAW_GPU_LIB");
  if (chosen && *chosen) return {chosen};
  const auto folder = executable_folder();
  if (folder.empty()) return {};
  return {(folder / kLibraryName).string(), (folder.parent_path() / "lib" / kLibraryName).string()};
}

std::shared_ptr<const GpuLibrary> GpuLibrary::load(const std::string& path) {
  const auto start = std::chrono::steady_clock::now();
  // RTLD_NODELETE: the library keeps CUDA's runtime state (contexts, registered kernels) for
  // the process's lifetime; unloading it while a context lives, or loading it anew, is not
  // something the CUDA runtime supports well, and gains nothing.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (!handle) {
    const char* why = dlerror();
    throw ServiceUnavailable("GPU library " + path +
                             " cannot be loaded: " + (why ? why : "unknown dlopen error"));
  }
  std::shared_ptr<GpuLibrary> library(new GpuLibrary(path, handle));
  library->bind();
  library->load_ms_ =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return library;
}

std::shared_ptr<const GpuLibrary> GpuLibrary::locate() {
  const auto candidates = library_candidates();
  std::string looked;
  for (const auto& path : candidates) {
    std::error_code error;
    if (std::filesystem::exists(path, error)) return load(path);
    looked += (looked.empty() ? "" : ", ") + path;
  }
  throw ServiceUnavailable("no GPU library: " + std::string(kLibraryName) + " is not at " +
                           (looked.empty() ? std::string("any known place") : looked) +
                           " (build it with -DDLAAW_CUDA=ON, or set DLAAW_GPU_LIB to its path)");
}

GpuLibrary::GpuLibrary(std::string path, void* handle) : path_(std::move(path)), handle_(handle) {}

GpuLibrary::~GpuLibrary() {
  if (handle_) dlclose(handle_);
}

void* GpuLibrary::symbol(const char* name) const {
  void* address = dlsym(handle_, name);
  if (!address) {
    throw ServiceUnavailable("GPU library " + path_ + " lacks the function " + name +
                             " of ABI version " + std::to_string(DLAAW_GPU_ABI_VERSION) +
                             "; rebuild it from this version of dlaaw");
  }
  return address;
}

void GpuLibrary::bind() {
  if (!dlsym(handle_, "dlaaw_gpu_abi_version")) {
    throw ServiceUnavailable("GPU library " + path_ +
                             " is not a dlaaw GPU library (it has no dlaaw_gpu_abi_version)");
  }
  fn_.abi_version = reinterpret_cast<dlaaw_gpu_abi_version_fn>(symbol("dlaaw_gpu_abi_version"));
  const std::int32_t version = fn_.abi_version();
  if (version != DLAAW_GPU_ABI_VERSION) {
    throw ServiceUnavailable("GPU library " + path_ + " has ABI version " +
                             std::to_string(version) + " but this dlaaw needs version " +
                             std::to_string(DLAAW_GPU_ABI_VERSION) +
                             "; rebuild the library from this version of dlaaw");
  }
  fn_.library_info =
      reinterpret_cast<dlaaw_gpu_get_library_info_fn>(symbol("dlaaw_gpu_get_library_info"));
  fn_.device_count = reinterpret_cast<dlaaw_gpu_device_count_fn>(symbol("dlaaw_gpu_device_count"));
  fn_.describe_device =
      reinterpret_cast<dlaaw_gpu_describe_device_fn>(symbol("dlaaw_gpu_describe_device"));
  fn_.open = reinterpret_cast<dlaaw_gpu_open_fn>(symbol("dlaaw_gpu_open"));
  fn_.close = reinterpret_cast<dlaaw_gpu_close_fn>(symbol("dlaaw_gpu_close"));
  fn_.train = reinterpret_cast<dlaaw_gpu_train_fn>(symbol("dlaaw_gpu_train"));
  fn_.predict = reinterpret_cast<dlaaw_gpu_predict_fn>(symbol("dlaaw_gpu_predict"));
}

dlaaw_gpu_library_info GpuLibrary::info() const {
  dlaaw_gpu_library_info info{};
  fn_.library_info(&info);
  info.description[sizeof(info.description) - 1] = '\0';
  return info;
}

int GpuLibrary::device_count(std::string* why_none) const {
  std::int32_t count = 0;
  dlaaw_gpu_error error{};
  const std::int32_t status = fn_.device_count(&count, &error);
  error.message[sizeof(error.message) - 1] = '\0';
  if (status != DLAAW_GPU_OK) count = 0;
  if (count == 0 && why_none) *why_none = error.message;
  return count;
}

DeviceInfo GpuLibrary::describe(int index) const {
  dlaaw_gpu_device d{};
  dlaaw_gpu_error error{};
  check(fn_.describe_device(index, &d, &error), error);
  d.name[sizeof(d.name) - 1] = '\0';
  d.kernels_note[sizeof(d.kernels_note) - 1] = '\0';
  const dlaaw_gpu_library_info library = info();
  DeviceInfo info;
  info.kind = "cuda";
  info.name = d.name;
  info.index = d.index;
  info.integrated = d.integrated != 0;
  info.compute_capability = std::to_string(d.major) + "." + std::to_string(d.minor);
  info.multiprocessors = d.multiprocessors;
  info.memory_bytes = d.memory_bytes;
  info.driver_version = library.driver_version ? version_text(library.driver_version) : "";
  info.runtime_version =
      library.cuda_runtime_version ? version_text(library.cuda_runtime_version) : "";
  if (d.kernels & DLAAW_GPU_KERNEL_BIT(DLAAW_GPU_KERNEL_COOPERATIVE))
    info.kernels.push_back(name_of(KernelChoice::Cooperative));
  if (d.kernels & DLAAW_GPU_KERNEL_BIT(DLAAW_GPU_KERNEL_BLOCK))
    info.kernels.push_back(name_of(KernelChoice::Block));
  info.kernels_note = d.kernels_note;
  return info;
}

dlaaw_gpu_context* GpuLibrary::open(int index, double* setup_ms) const {
  dlaaw_gpu_context* context = nullptr;
  dlaaw_gpu_error error{};
  check(fn_.open(index, &context, setup_ms, &error), error);
  return context;
}

void GpuLibrary::close(dlaaw_gpu_context* context) const { fn_.close(context); }

void GpuLibrary::train(dlaaw_gpu_context* context, const dlaaw_gpu_model& model,
                       const float* initial, std::int64_t parameter_count,
                       const std::vector<dlaaw_gpu_rows>& sets, const dlaaw_gpu_config& config,
                       dlaaw_gpu_progress_fn progress, void* user,
                       dlaaw_gpu_train_result& result) const {
  dlaaw_gpu_error error{};
  check(fn_.train(context, &model, initial, parameter_count, sets.data(),
                  static_cast<std::int32_t>(sets.size()), &config, progress, user, &result, &error),
        error);
}

void GpuLibrary::predict(dlaaw_gpu_context* context, const dlaaw_gpu_model& model,
                         const float* parameters, std::int64_t parameter_count, const float* x,
                         std::int64_t rows, float* scores) const {
  dlaaw_gpu_error error{};
  check(fn_.predict(context, &model, parameters, parameter_count, x, rows, scores, &error), error);
}

}  // namespace dlaaw::kernels::gpu
