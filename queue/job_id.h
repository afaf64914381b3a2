// job_id.h - time-ordered ids that stay unique across hosts and processes.
#pragma once

#include <string>

namespace dlaaw::queue {

// "j" + 13-digit milliseconds since the epoch + "-" + 12 hex digits (random per process, then a
// counter): ids sort by submission time, and two hosts never mint the same one.
std::string new_job_id();

// A short id for an executor: host name, pid and random bits.
std::string new_executor_id();

}  // namespace dlaaw::queue
