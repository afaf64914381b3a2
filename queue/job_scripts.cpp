// job_scripts.cpp - the Lua sources of the job transitions.
//
// Scripts touch keys derived from the job id (job hash, lease, history, queues) that are not all
// declared in KEYS; that is fine on a single Redis server, which is what dlaaw uses.
// Every script reads the time from the server (TIME), so hosts need not agree on clocks.
#include "queue/job_scripts.h"

namespace dlaaw::queue::scripts {
namespace {

// Shared Lua helpers, prepended to scripts that need them.
#define DLAAW_LUA_PRELUDE                                                               \
  "local function now_ms() local t = redis.call('TIME')\n"                              \
  "  return tostring(t[1] * 1000 + math.floor(t[2] / 1000)) end\n"                      \
  "local function record(id, state, executor, attempt, at)\n"                           \
  "  redis.call('RPUSH', 'dlaaw:job:' .. id .. ':history',\n"                           \
  "    state .. '|' .. at .. '|' .. (executor or '') .. '|' .. (attempt or '0')) end\n" \
  "local function enqueue(id, job, at)\n"                                               \
  "  local resource = redis.call('HGET', job, 'resource')\n"                            \
  "  redis.call('HSET', job, 'state', 'queued', 'queued_at', at, 'executor', '')\n"     \
  "  if redis.call('HGET', job, 'priority') == 'high' then\n"                           \
  "    redis.call('RPUSH', 'dlaaw:queue:' .. resource, id)\n"                           \
  "  else redis.call('LPUSH', 'dlaaw:queue:' .. resource, id) end\n"                    \
  "  redis.call('LPUSH', 'dlaaw:wake:' .. resource, '1')\n"                             \
  "  redis.call('LTRIM', 'dlaaw:wake:' .. resource, 0, 63) end\n"                       \
  "local function release(id, job)\n"                                                   \
  "  local executor = redis.call('HGET', job, 'executor')\n"                            \
  "  if executor and executor ~= '' then\n"                                             \
  "    redis.call('LREM', 'dlaaw:running:' .. executor, 0, id) end\n"                   \
  "  redis.call('SREM', 'dlaaw:running', id)\n"                                         \
  "  redis.call('DEL', 'dlaaw:lease:' .. id) end\n"                                     \
  "local function bury(id, job, at)\n"                                                  \
  "  redis.call('HSET', job, 'state', 'error', 'finished_at', at)\n"                    \
  "  redis.call('LREM', 'dlaaw:dead', 0, id)\n"                                         \
  "  redis.call('RPUSH', 'dlaaw:dead', id)\n"                                           \
  "  return 2 end\n"                                                                    \
  "local function retry_or_bury(id, job, attempt, at, retryable)\n"                     \
  "  local attempts = tonumber(redis.call('HGET', job, 'attempts'))\n"                  \
  "  local max_attempts = tonumber(redis.call('HGET', job, 'max_attempts'))\n"          \
  "  if retryable and attempts and max_attempts and attempts < max_attempts and\n"      \
  "      redis.call('HGET', job, 'resource') then\n"                                    \
  "    enqueue(id, job, at)\n"                                                          \
  "    record(id, 'queued', '', attempt, at)\n"                                         \
  "    return 1 end\n"                                                                  \
  "  return bury(id, job, at) end\n"                                                    \
  "local function is_count(v)\n"                                                        \
  "  return v and #v <= 9 and string.match(v, '^%d+$') ~= nil end\n"                    \
  "local function missing_field(job)\n"                                                 \
  "  for _, f in ipairs({'document', 'resource'}) do\n"                                 \
  "    if not redis.call('HGET', job, f) then return f end end\n"                       \
  "  if not is_count(redis.call('HGET', job, 'max_attempts')) then\n"                   \
  "    return 'max_attempts' end\n"                                                     \
  "  local attempts = redis.call('HGET', job, 'attempts')\n"                            \
  "  if attempts and not is_count(attempts) then return 'attempts' end\n"               \
  "  return nil end\n"                                                                  \
  "local function holds(job, executor, attempt)\n"                                      \
  "  return redis.call('HGET', job, 'state') == 'executing' and\n"                      \
  "    redis.call('HGET', job, 'executor') == executor and\n"                           \
  "    redis.call('HGET', job, 'attempts') == attempt end\n"

}  // namespace

// ARGV: id, name, document, resource, priority, max_attempts, dataset_sha256, dataset_file,
// experiment, kind, run (1/0).
// Returns 1, or 0 when the id exists already (a repeated submit changes nothing).
const LuaScript kSubmit{"submit", DLAAW_LUA_PRELUDE R"lua(
local id = ARGV[1]
local job = 'dlaaw:job:' .. id
if redis.call('EXISTS', job) == 1 then return 0 end
local at = now_ms()
redis.call('HSET', job, 'id', id, 'name', ARGV[2], 'document', ARGV[3], 'resource', ARGV[4],
  'priority', ARGV[5], 'max_attempts', ARGV[6], 'dataset_sha256', ARGV[7],
  'dataset_file', ARGV[8], 'experiment', ARGV[9], 'kind', ARGV[10] or '', 'run', ARGV[11] or '1',
  'attempts', '0', 'cancel', '0', 'submitted_at', at, 'error', '')
record(id, 'initialized', '', '0', at)
enqueue(id, job, at)
record(id, 'queued', '', '0', at)
redis.call('ZADD', 'dlaaw:jobs', at, id)
redis.call('SADD', 'dlaaw:queues', ARGV[4])
return 1
)lua"};

// KEYS: the queues to take from, in order. ARGV: executor, lease ms.
// Returns {id, document, attempt, dataset_sha256, dataset_file, resource, queued_at, experiment,
// kind} or nil.
const LuaScript kTake{"take", DLAAW_LUA_PRELUDE R"lua(
for _, queue in ipairs(KEYS) do
  while true do
    local id = redis.call('RPOP', queue)
    if not id then break end
    local job = 'dlaaw:job:' .. id
    -- ids of jobs cancelled while queued (or deleted) are dropped here
    if redis.call('HGET', job, 'state') == 'queued' then
      local at = now_ms()
      -- a hash written by hand (or a half-deleted one) would fail every script later: bury it now
      local missing = missing_field(job)
      if missing then
        redis.call('HSET', job, 'error', 'job hash has no valid ' .. missing .. ' field')
        record(id, 'error', '', redis.call('HGET', job, 'attempts') or '0', at)
        bury(id, job, at)
      else
        local attempt = tostring(redis.call('HINCRBY', job, 'attempts', 1))
        redis.call('HSET', job, 'state', 'executing', 'executor', ARGV[1], 'started_at', at)
        redis.call('LPUSH', 'dlaaw:running:' .. ARGV[1], id)
        redis.call('SADD', 'dlaaw:running', id)
        redis.call('SET', 'dlaaw:lease:' .. id, ARGV[1], 'PX', ARGV[2])
        record(id, 'executing', ARGV[1], attempt, at)
        return {id, redis.call('HGET', job, 'document'), attempt,
                redis.call('HGET', job, 'dataset_sha256'), redis.call('HGET', job, 'dataset_file'),
                redis.call('HGET', job, 'resource'), redis.call('HGET', job, 'queued_at'),
                redis.call('HGET', job, 'experiment') or '',
                redis.call('HGET', job, 'kind') or ''}
      end
    end
  end
end
return false
)lua"};

// ARGV: id, executor, attempt, lease ms. Returns {held (0/1), cancel requested (0/1)}.
const LuaScript kHeartbeat{"heartbeat", DLAAW_LUA_PRELUDE R"lua(
local job = 'dlaaw:job:' .. ARGV[1]
if not holds(job, ARGV[2], ARGV[3]) then return {0, 0} end
redis.call('SET', 'dlaaw:lease:' .. ARGV[1], ARGV[2], 'PX', ARGV[4])
return {1, redis.call('HGET', job, 'cancel') == '1' and 1 or 0}
)lua"};

// ARGV: id, executor, attempt, final state (finished | cancelled), result TTL ms, then the event's
// field/value pairs. A "result" field (the result document) is also stored under
// dlaaw:job:<id>:result for whoever waits on this job. Publishes the event in the same step, so
// that a result exists iff the job finished. Returns 1, or 0 when this attempt no longer holds the
// job (its lease expired and it moved on).
const LuaScript kFinish{"finish", DLAAW_LUA_PRELUDE R"lua(
local id = ARGV[1]
local job = 'dlaaw:job:' .. id
if not holds(job, ARGV[2], ARGV[3]) then return 0 end
local at = now_ms()
release(id, job)
redis.call('HSET', job, 'state', ARGV[4], 'finished_at', at)
record(id, ARGV[4], ARGV[2], ARGV[3], at)
if #ARGV > 5 then
  local fields = {}
  for i = 6, #ARGV, 2 do
    fields[#fields + 1] = ARGV[i]
    fields[#fields + 1] = ARGV[i + 1]
    if ARGV[i] == 'result' then
      redis.call('SET', 'dlaaw:job:' .. id .. ':result', ARGV[i + 1], 'PX', ARGV[5])
    end
  end
  redis.call('XADD', 'dlaaw:events', 'MAXLEN', '~', '100000', '*', unpack(fields))
end
return 1
)lua"};

// ARGV: id, executor, attempt, error, retryable (1/0).
// Returns 1 requeued, 2 out of attempts (dead, state error), 0 when the attempt lost the job.
const LuaScript kFail{"fail", DLAAW_LUA_PRELUDE R"lua(
local id = ARGV[1]
local job = 'dlaaw:job:' .. id
if not holds(job, ARGV[2], ARGV[3]) then return 0 end
local at = now_ms()
release(id, job)
redis.call('HSET', job, 'error', ARGV[4])
record(id, 'error', ARGV[2], ARGV[3], at)
return retry_or_bury(id, job, ARGV[3], at, ARGV[5] == '1')
)lua"};

// An executor that stops (SIGTERM) hands its job back; the attempt does not count.
// ARGV: id, executor, attempt, reason. Returns 1, or 0 when the attempt lost the job.
const LuaScript kRequeue{"requeue", DLAAW_LUA_PRELUDE R"lua(
local id = ARGV[1]
local job = 'dlaaw:job:' .. id
if not holds(job, ARGV[2], ARGV[3]) then return 0 end
local at = now_ms()
release(id, job)
redis.call('HINCRBY', job, 'attempts', -1)
redis.call('HSET', job, 'error', ARGV[4])
if not redis.call('HGET', job, 'resource') then
  record(id, 'error', ARGV[2], ARGV[3], at)
  bury(id, job, at)
  return 1
end
if redis.call('HGET', job, 'cancel') == '1' then
  redis.call('HSET', job, 'state', 'cancelled', 'finished_at', at)
  record(id, 'cancelled', ARGV[2], ARGV[3], at)
  return 1
end
enqueue(id, job, at)
record(id, 'queued', ARGV[2], ARGV[3], at)
return 1
)lua"};

// Requeues a job whose lease expired. ARGV: id.
// Returns 0 still leased or not executing, 1 requeued, 2 dead (out of attempts), 3 cancelled.
const LuaScript kReap{"reap", DLAAW_LUA_PRELUDE R"lua(
local id = ARGV[1]
local job = 'dlaaw:job:' .. id
if redis.call('EXISTS', 'dlaaw:lease:' .. id) == 1 then return 0 end
if redis.call('HGET', job, 'state') ~= 'executing' then
  redis.call('SREM', 'dlaaw:running', id)
  return 0
end
local at = now_ms()
local executor = redis.call('HGET', job, 'executor') or ''
local attempt = redis.call('HGET', job, 'attempts') or '0'
release(id, job)
redis.call('HSET', job, 'error', 'lease expired: executor ' .. executor ..
  ' stopped renewing it during attempt ' .. attempt)
record(id, 'lost', executor, attempt, at)
local event = {'type', 'state', 'job', id, 'attempt', attempt, 'seq', 'lost', 'executor', executor,
  'time', at, 'state', 'lost', 'error', 'lease expired'}
-- a pipeline task that is no run must not become a lost run in the tracker
if redis.call('HGET', job, 'run') == '0' then
  event[#event + 1] = 'run'
  event[#event + 1] = '0'
end
redis.call('XADD', 'dlaaw:events', 'MAXLEN', '~', '100000', '*', unpack(event))
if redis.call('HGET', job, 'cancel') == '1' then
  redis.call('HSET', job, 'state', 'cancelled', 'finished_at', at)
  record(id, 'cancelled', '', attempt, at)
  return 3
end
return retry_or_bury(id, job, attempt, at, true)
)lua"};

// ARGV: id. Returns 1 cancelled (was queued), 2 requested (executing: the executor stops between
// epochs), 0 already ended, -1 unknown id.
const LuaScript kCancel{"cancel", DLAAW_LUA_PRELUDE R"lua(
local id = ARGV[1]
local job = 'dlaaw:job:' .. id
local state = redis.call('HGET', job, 'state')
if not state then return -1 end
if state == 'queued' then
  local at = now_ms()
  local resource = redis.call('HGET', job, 'resource')
  if resource then redis.call('LREM', 'dlaaw:queue:' .. resource, 0, id) end
  redis.call('HSET', job, 'state', 'cancelled', 'cancel', '1', 'finished_at', at)
  record(id, 'cancelled', '', redis.call('HGET', job, 'attempts'), at)
  return 1
end
if state == 'executing' then
  redis.call('HSET', job, 'cancel', '1')
  return 2
end
return 0
)lua"};

// Moves a job from dlaaw:dead back to its queue with fresh attempts. ARGV: id.
// Returns 1, or 0 when the job is not in dlaaw:dead.
const LuaScript kRetry{"retry", DLAAW_LUA_PRELUDE R"lua(
local id = ARGV[1]
local job = 'dlaaw:job:' .. id
if redis.call('LREM', 'dlaaw:dead', 0, id) == 0 then return 0 end
local at = now_ms()
if missing_field(job) then
  redis.call('RPUSH', 'dlaaw:dead', id)  -- it would only come straight back
  return 0
end
redis.call('HSET', job, 'attempts', '0', 'error', '', 'finished_at', '')
enqueue(id, job, at)
record(id, 'queued', '', '0', at)
return 1
)lua"};

}  // namespace dlaaw::queue::scripts
