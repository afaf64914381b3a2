// resource_profile.h - what each resource name promises, and the check that a machine keeps it.
#pragma once

#include <string>

#include "kernels/backend.h"

namespace dlaaw::executor {

// The backend an executor of `resource` uses when asked for `backend` ("auto", "cpu", "cuda"),
// after checking that this machine really is that resource: local-gpu needs a CUDA device;
// xavier and nano need an integrated (Jetson) GPU unless allow_mismatch. Throws InvalidInput with
// a message that says what to do instead.
std::string choose_backend(const std::string& resource, const std::string& backend,
                           bool allow_mismatch);

}  // namespace dlaaw::executor
