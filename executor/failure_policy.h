// failure_policy.h - what an executor makes of an attempt that threw: retry it or not, and whether
// the device is gone. One rule for workflow jobs and pipeline task jobs.
#pragma once

#include <exception>

namespace dlaaw::executor {

struct FailureVerdict {
  bool retryable = true;       // another attempt may succeed
  bool device_failed = false;  // the executor stops after this job so that it can be restarted
};

// InvalidInput and JobFailed (a diverging run, a missing blob) fail the same way every time: no
// retry. DeviceFailure is retried elsewhere and stops this executor. Anything else (Redis lost, out
// of memory) is retried. JobCancelled is not a failure: callers catch it before this.
FailureVerdict classify_failure(const std::exception& e);

}  // namespace dlaaw::executor
