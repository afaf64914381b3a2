// job_keys.h - the Redis key layout of dlaaw (DESIGN.md, "Job states and keys").
#pragma once

#include <string>

namespace dlaaw::queue::keys {

inline const std::string kPrefix = "dlaaw:";
inline std::string queue(const std::string& resource) { return kPrefix + "queue:" + resource; }
inline std::string wake(const std::string& resource) { return kPrefix + "wake:" + resource; }
inline std::string job(const std::string& id) { return kPrefix + "job:" + id; }
inline std::string history(const std::string& id) { return kPrefix + "job:" + id + ":history"; }
inline std::string lease(const std::string& id) { return kPrefix + "lease:" + id; }
inline std::string running(const std::string& executor) { return kPrefix + "running:" + executor; }
inline std::string executor(const std::string& id) { return kPrefix + "executor:" + id; }
inline std::string blob(const std::string& sha256) { return kPrefix + "blob:" + sha256; }
inline const std::string kRunningJobs = kPrefix + "running";  // set of every executing job
inline const std::string kDead = kPrefix + "dead";
inline const std::string kJobs = kPrefix + "jobs";  // sorted set: id by submission time
inline const std::string kExecutors = kPrefix + "executors";
inline const std::string kEvents = kPrefix + "events";

// The resources an executor can serve and a job can name.
inline const char* const kResources[] = {"local-gpu", "xavier", "nano", "cpu", "any"};

}  // namespace dlaaw::queue::keys
