// failure_policy.cpp - retry or not, by the type of what an attempt threw.
#include "executor/failure_policy.h"

#include "common/errors.h"

namespace dlaaw::executor {

FailureVerdict classify_failure(const std::exception& e) {
  if (dynamic_cast<const DeviceFailure*>(&e)) return {true, true};
  if (dynamic_cast<const InvalidInput*>(&e) || dynamic_cast<const JobFailed*>(&e))
    return {false, false};
  return {true, false};
}

}  // namespace dlaaw::executor
