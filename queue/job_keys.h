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
// A finished job's result document, written by the finish transition (see job_scripts.cpp).
inline std::string result(const std::string& id) { return kPrefix + "job:" + id + ":result"; }
// A sweep's members: member key -> job id (see sweep_index.h).
inline std::string sweep(const std::string& name) { return kPrefix + "sweep:" + name; }
inline const std::string kRunningJobs = kPrefix + "running";  // set of every executing job
inline const std::string kDead = kPrefix + "dead";
inline const std::string kJobs = kPrefix + "jobs";  // sorted set: id by submission time
inline const std::string kExecutors = kPrefix + "executors";
inline const std::string kEvents = kPrefix + "events";
inline const std::string kQueues = kPrefix + "queues";        // set: every queue a job was put on
inline const std::string kServed = kPrefix + "served";        // set: every resource ever served
inline const std::string kResources = kPrefix + "resources";  // hash: user-defined resources

}  // namespace dlaaw::queue::keys
