// abi_boundary.h - how libdlaaw_gpu.so (and its CPU stand-in) turn C++ failures into C statuses.
//
// No exception may cross the C interface: every exported function runs its body through
// guard_abi_call, which maps the exception to a DLAAW_GPU_* code and copies its message into the
// caller's dlaaw_gpu_error. C++14, so that Jetson toolkits compile it.
#pragma once

#include <stdint.h>
#include <string.h>

#include <exception>
#include <new>
#include <stdexcept>
#include <string>

#include "kernels/cuda/dlaaw_gpu.h"

namespace dlaaw {
namespace kernels {
namespace cuda {

// A failure with the status code it crosses the C interface as.
class GpuError : public std::runtime_error {
 public:
  GpuError(int32_t code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int32_t code() const { return code_; }

 private:
  int32_t code_;
};

// Fills `error` (when not null) with `code` and as much of `message` as fits, NUL-terminated.
inline void set_error(dlaaw_gpu_error* error, int32_t code, const std::string& message) {
  if (error == nullptr) return;
  error->code = code;
  const size_t n =
      message.size() < sizeof(error->message) - 1 ? message.size() : sizeof(error->message) - 1;
  memcpy(error->message, message.data(), n);
  error->message[n] = '\0';
}

// Runs `body` and returns DLAAW_GPU_OK, or the code of what it threw with `error` filled:
// GpuError keeps its code, std::invalid_argument is INVALID_INPUT, anything else INTERNAL.
template <typename Body>
int32_t guard_abi_call(dlaaw_gpu_error* error, Body&& body) {
  try {
    body();
    set_error(error, DLAAW_GPU_OK, "");
    return DLAAW_GPU_OK;
  } catch (const GpuError& e) {
    set_error(error, e.code(), e.what());
    return e.code();
  } catch (const std::invalid_argument& e) {
    set_error(error, DLAAW_GPU_INVALID_INPUT, e.what());
    return DLAAW_GPU_INVALID_INPUT;
  } catch (const std::bad_alloc&) {
    set_error(error, DLAAW_GPU_INTERNAL, "out of host memory");
    return DLAAW_GPU_INTERNAL;
  } catch (const std::exception& e) {
    set_error(error, DLAAW_GPU_INTERNAL, e.what());
    return DLAAW_GPU_INTERNAL;
  } catch (...) {
    set_error(error, DLAAW_GPU_INTERNAL, "an unknown C++ exception inside libdlaaw_gpu");
    return DLAAW_GPU_INTERNAL;
  }
}

}  // namespace cuda
}  // namespace kernels
}  // namespace dlaaw
