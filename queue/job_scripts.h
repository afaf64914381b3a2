// job_scripts.h - every job state transition as one Lua script, so that a job is always in exactly
// one place: a queue list, one executor's running list under a lease, or a terminal state.
#pragma once

#include "queue/redis_client.h"

namespace dlaaw::queue::scripts {

extern const LuaScript kSubmit;
extern const LuaScript kTake;
extern const LuaScript kHeartbeat;
extern const LuaScript kFinish;
extern const LuaScript kFail;
extern const LuaScript kRequeue;
extern const LuaScript kReap;
extern const LuaScript kCancel;
extern const LuaScript kRetry;

}  // namespace dlaaw::queue::scripts
