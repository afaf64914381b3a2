// failure_policy.cpp - retry or not, by the type of what an attempt threw.
#include "executor/failure_policy.h"

#include <stdexcept>

#include "common/errors.h"

namespace dlaaw::executor {

FailureVerdict classify_failure(const std::exception& e) {
  if (dynamic_cast<const DeviceFailure*>(&e)) return {true, true};
  // A logic_error (the kernels' invalid_argument: a model artifact whose parameters do not fit
  // its network) comes from the job's own data: every attempt would throw it again.
  if (dynamic_cast<const InvalidInput*>(&e) || dynamic_cast<const JobFailed*>(&e) ||
      dynamic_cast<const std::logic_error*>(&e))
    return {false, false};
  return {true, false};
}

}  // namespace dlaaw::executor
