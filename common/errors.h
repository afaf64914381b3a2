// errors.h - the exception types of dlaaw, typed by what the caller can do about them.
#pragma once

#include <stdexcept>
#include <string>

namespace dlaaw {

// Base of every dlaaw failure; `what()` is a message a user can act on.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The user's document, file or argument is wrong (exit code 2). The message names what and where.
class InvalidInput : public Error {
 public:
  using Error::Error;
};

// What the user named (a run, an experiment, a job) does not exist (exit code 2; 404 in the
// report).
class NotFound : public InvalidInput {
 public:
  using InvalidInput::InvalidInput;
};

// A service or device (Redis, SQLite, a GPU) cannot be reached or used (exit code 3).
class ServiceUnavailable : public Error {
 public:
  using Error::Error;
};

// A compute device failed (e.g. a sticky CUDA error): the job fails and an executor restarts.
class DeviceFailure : public ServiceUnavailable {
 public:
  using ServiceUnavailable::ServiceUnavailable;
};

// A job or run failed for a reason that is neither bad input nor an unreachable service (exit 1).
class JobFailed : public Error {
 public:
  using Error::Error;
};

// The user (or a callback on their behalf) cancelled the job; not a failure of the job itself.
class JobCancelled : public JobFailed {
 public:
  using JobFailed::JobFailed;
};

}  // namespace dlaaw
