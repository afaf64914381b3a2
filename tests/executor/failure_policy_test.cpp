// failure_policy_test.cpp - which failures an executor retries, and which stop it.
#include "executor/failure_policy.h"

#include <new>
#include <stdexcept>

#include <gtest/gtest.h>

#include "common/errors.h"

namespace dlaaw::executor {
namespace {

TEST(FailurePolicyTest, TheSameFailureEveryTimeIsNotRetried) {
  EXPECT_FALSE(classify_failure(InvalidInput("dataset.label: one class")).retryable);
  EXPECT_FALSE(classify_failure(JobFailed("training diverged")).retryable);
  EXPECT_FALSE(classify_failure(std::invalid_argument("parameters or data do not match the model"))
                   .retryable)
      << "a model artifact that does not fit its network never will";
  const auto device = classify_failure(DeviceFailure("sticky CUDA error"));
  EXPECT_TRUE(device.retryable) << "another executor's device may run it";
  EXPECT_TRUE(device.device_failed);
  EXPECT_TRUE(classify_failure(ServiceUnavailable("redis lost")).retryable);
  EXPECT_TRUE(classify_failure(std::bad_alloc()).retryable);
  EXPECT_FALSE(classify_failure(std::runtime_error("x")).device_failed);
}

}  // namespace
}  // namespace dlaaw::executor
