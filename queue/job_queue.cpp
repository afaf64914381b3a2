// job_queue.cpp - JobQueue over the Lua transitions.
#include "queue/job_queue.h"

#include <stdexcept>
#include <thread>

#include "queue/job_keys.h"
#include "queue/job_scripts.h"

namespace dlaaw::queue {
namespace {

std::vector<std::string> event_args(const EventFields& event) {
  std::vector<std::string> args;
  for (const auto& [k, v] : event) {
    args.push_back(k);
    args.push_back(v);
  }
  return args;
}

std::string text_of(const RedisReply& r) {
  return r.type == RedisReply::Type::Integer ? std::to_string(r.integer) : r.text;
}

}  // namespace

bool is_terminal_state(const std::string& state) {
  return state == "finished" || state == "error" || state == "cancelled";
}

std::string now_ms_text() {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
}

int JobQueue::submit(const std::vector<SubmitRequest>& requests) {
  if (requests.empty()) return 0;
  std::vector<std::vector<std::string>> calls;
  for (const auto& r : requests) {
    calls.push_back({r.id, r.name, r.document, r.resource, r.high_priority ? "high" : "normal",
                     std::to_string(r.max_attempts), r.dataset_sha256, r.dataset_file,
                     r.experiment});
  }
  // One round trip for all; a repeated id is skipped by the script, so a resend is harmless.
  int added = 0;
  for (const auto& reply : redis_.eval_pipelined(scripts::kSubmit, calls))
    added += reply.integer == 1;
  return added;
}

std::optional<LeasedJob> JobQueue::take(const std::string& executor, const std::string& resource,
                                        std::chrono::milliseconds lease) {
  std::vector<std::string> queues{keys::queue(resource)};
  if (resource != "any") queues.push_back(keys::queue("any"));
  const RedisReply r =
      redis_.eval(scripts::kTake, queues, {executor, std::to_string(lease.count())});
  if (r.type != RedisReply::Type::Array || r.elements.size() < 8) return std::nullopt;
  LeasedJob job;
  job.id = r.elements[0].text;
  job.document = r.elements[1].text;
  job.attempt = std::stoi(text_of(r.elements[2]));
  job.dataset_sha256 = r.elements[3].text;
  job.dataset_file = r.elements[4].text;
  job.resource = r.elements[5].text;
  job.queued_at = text_of(r.elements[6]);
  job.experiment = r.elements[7].text;
  return job;
}

void JobQueue::wait_for_work(const std::string& resource, std::chrono::milliseconds wait) {
  std::vector<std::string> args{"BLPOP", keys::wake(resource)};
  if (resource != "any") args.push_back(keys::wake("any"));
  args.push_back(std::to_string(wait.count() / 1000.0));
  redis_.blocking_command(args, wait);
}

HeartbeatStatus JobQueue::heartbeat(const LeasedJob& job, const std::string& executor,
                                    std::chrono::milliseconds lease) {
  const RedisReply r =
      redis_.eval(scripts::kHeartbeat, {},
                  {job.id, executor, std::to_string(job.attempt), std::to_string(lease.count())});
  HeartbeatStatus s;
  if (r.elements.size() == 2) {
    s.held = r.elements[0].integer == 1;
    s.cancel_requested = r.elements[1].integer == 1;
  }
  return s;
}

bool JobQueue::finish(const LeasedJob& job, const std::string& executor, const std::string& state,
                      const EventFields& event) {
  std::vector<std::string> args{job.id, executor, std::to_string(job.attempt), state};
  const auto fields = event_args(event);
  args.insert(args.end(), fields.begin(), fields.end());
  return redis_.eval(scripts::kFinish, {}, args).integer == 1;
}

FailOutcome JobQueue::fail(const LeasedJob& job, const std::string& executor,
                           const std::string& error, bool retryable) {
  const RedisReply r =
      redis_.eval(scripts::kFail, {},
                  {job.id, executor, std::to_string(job.attempt), error, retryable ? "1" : "0"});
  return r.integer == 1   ? FailOutcome::Requeued
         : r.integer == 2 ? FailOutcome::Dead
                          : FailOutcome::Lost;
}

bool JobQueue::requeue(const LeasedJob& job, const std::string& executor,
                       const std::string& reason) {
  return redis_.eval(scripts::kRequeue, {}, {job.id, executor, std::to_string(job.attempt), reason})
             .integer == 1;
}

CancelOutcome JobQueue::cancel(const std::string& id) {
  switch (redis_.eval(scripts::kCancel, {}, {id}).integer) {
    case 1:
      return CancelOutcome::Cancelled;
    case 2:
      return CancelOutcome::Requested;
    case 0:
      return CancelOutcome::AlreadyEnded;
    default:
      return CancelOutcome::Unknown;
  }
}

bool JobQueue::retry(const std::string& id) {
  return redis_.eval(scripts::kRetry, {}, {id}).integer == 1;
}

ReapReport JobQueue::reap() {
  ReapReport report;
  const RedisReply running = redis_.command({"SMEMBERS", keys::kRunningJobs});
  for (const auto& id : running.elements) {
    switch (redis_.eval(scripts::kReap, {}, {id.text}).integer) {
      case 1:
        ++report.requeued;
        break;
      case 2:
        ++report.dead;
        break;
      case 3:
        ++report.cancelled;
        break;
      default:
        break;
    }
  }
  return report;
}

std::map<std::string, std::string> JobQueue::job(const std::string& id) {
  return redis_.command({"HGETALL", keys::job(id)}).as_map();
}

std::vector<std::string> JobQueue::history(const std::string& id) {
  std::vector<std::string> out;
  for (const auto& e : redis_.command({"LRANGE", keys::history(id), "0", "-1"}).elements)
    out.push_back(e.text);
  return out;
}

std::vector<std::string> JobQueue::recent_jobs(int count) {
  std::vector<std::string> out;
  const RedisReply r = redis_.command({"ZREVRANGE", keys::kJobs, "0", std::to_string(count - 1)});
  for (const auto& e : r.elements) out.push_back(e.text);
  return out;
}

std::map<std::string, long long> JobQueue::depths() {
  std::vector<std::vector<std::string>> commands;
  for (const char* resource : keys::kResources) commands.push_back({"LLEN", keys::queue(resource)});
  commands.push_back({"SCARD", keys::kRunningJobs});
  commands.push_back({"LLEN", keys::kDead});
  const auto replies = redis_.pipeline(commands);
  std::map<std::string, long long> out;
  std::size_t i = 0;
  for (const char* resource : keys::kResources)
    out[std::string("queued:") + resource] = replies[i++].integer;
  out["executing"] = replies[i++].integer;
  out["dead"] = replies[i++].integer;
  return out;
}

void JobQueue::wait_until_ended(
    const std::vector<std::string>& ids,
    const std::function<void(const std::string&, const std::map<std::string, std::string>&)>&
        on_end,
    const std::function<bool()>& give_up) {
  std::vector<std::string> pending = ids;
  while (!pending.empty()) {
    std::vector<std::string> still;
    for (const auto& id : pending) {
      const auto fields = job(id);
      const auto state = fields.find("state");
      if (state != fields.end() && is_terminal_state(state->second)) {
        on_end(id, fields);
      } else {
        still.push_back(id);
      }
    }
    pending.swap(still);
    if (pending.empty() || (give_up && give_up())) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

void JobQueue::publish(const EventFields& event) {
  std::vector<std::string> args{"XADD", keys::kEvents, "MAXLEN", "~", "100000", "*"};
  const auto fields = event_args(event);
  args.insert(args.end(), fields.begin(), fields.end());
  throw_if_error(redis_.command(args), "publishing an event");
}

}  // namespace dlaaw::queue
