// job_queue.cpp - JobQueue over the Lua transitions.
#include "queue/job_queue.h"

#include <set>
#include <thread>

#include "queue/job_keys.h"
#include "queue/job_scripts.h"
#include "resources/resource.h"

namespace dlaaw::queue {
namespace {

std::vector<std::string> event_args(const JobEvent& event) {
  std::vector<std::string> args;
  for (auto& [k, v] : encode_event(event)) {
    args.push_back(std::move(k));
    args.push_back(std::move(v));
  }
  return args;
}

std::string text_of(const RedisReply& r) {
  return r.type == RedisReply::Type::Integer ? std::to_string(r.integer) : r.text;
}

}  // namespace

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
                     std::to_string(r.max_attempts), r.dataset_sha256, r.dataset_file, r.experiment,
                     r.kind, r.run ? "1" : "0"});
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
  if (resource != resources::kAnyQueue) queues.push_back(keys::queue(resources::kAnyQueue));
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
  if (r.elements.size() > 8) job.kind = r.elements[8].text;
  return job;
}

void JobQueue::wait_for_work(const std::string& resource, std::chrono::milliseconds wait) {
  std::vector<std::string> args{"BLPOP", keys::wake(resource)};
  if (resource != resources::kAnyQueue) args.push_back(keys::wake(resources::kAnyQueue));
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

bool JobQueue::finish(const LeasedJob& job, const std::string& executor, const ResultEvent& event) {
  std::vector<std::string> args{job.id, executor, std::to_string(job.attempt),
                                std::string(job_state_name(JobState::Finished)),
                                std::to_string(std::chrono::milliseconds(kResultLifetime).count())};
  const auto fields = event_args(event);
  args.insert(args.end(), fields.begin(), fields.end());
  return redis_.eval(scripts::kFinish, {}, args).integer == 1;
}

bool JobQueue::end_cancelled(const LeasedJob& job, const std::string& executor,
                             const StateEvent& event) {
  std::vector<std::string> args{job.id, executor, std::to_string(job.attempt),
                                std::string(job_state_name(JobState::Cancelled)), "0"};
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

std::optional<JobState> JobQueue::state(const std::string& id) {
  const RedisReply r = redis_.command({"HGET", keys::job(id), "state"});
  if (r.type != RedisReply::Type::String) return std::nullopt;
  return parse_job_state(r.text);
}

std::vector<std::optional<std::string>> JobQueue::results(const std::vector<std::string>& ids) {
  std::vector<std::vector<std::string>> reads;
  for (const auto& id : ids) reads.push_back({"GET", keys::result(id)});
  std::vector<std::optional<std::string>> out;
  for (auto& r : redis_.pipeline(reads)) {
    out.push_back(r.type == RedisReply::Type::String ? std::optional(std::move(r.text))
                                                     : std::nullopt);
  }
  return out;
}

std::vector<RunningJob> JobQueue::running_jobs() {
  const auto ids = redis_.command({"SMEMBERS", keys::kRunningJobs}).elements;
  std::vector<std::vector<std::string>> reads;
  for (const auto& id : ids)
    reads.push_back({"HMGET", keys::job(id.text), "name", "executor", "attempts", "resource"});
  const auto replies = redis_.pipeline(reads);
  std::vector<RunningJob> out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto& f = replies[i].elements;
    const auto at = [&](std::size_t k) { return k < f.size() ? f[k].text : std::string(); };
    out.push_back({ids[i].text, at(0), at(1), at(2), at(3)});
  }
  return out;
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

std::map<std::string, long long> JobQueue::depths(const std::vector<std::string>& queues) {
  std::set<std::string> names(queues.begin(), queues.end());
  for (const auto& q : redis_.command({"SMEMBERS", keys::kQueues}).elements) names.insert(q.text);
  std::vector<std::vector<std::string>> commands;
  for (const auto& name : names) commands.push_back({"LLEN", keys::queue(name)});
  commands.push_back({"SCARD", keys::kRunningJobs});
  commands.push_back({"LLEN", keys::kDead});
  const auto replies = redis_.pipeline(commands);
  std::map<std::string, long long> out;
  std::size_t i = 0;
  for (const auto& name : names) out["queued:" + name] = replies[i++].integer;
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
      const auto parsed = state == fields.end() ? std::nullopt : parse_job_state(state->second);
      if (parsed && ends_job(*parsed)) {
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

void JobQueue::publish(const JobEvent& event) {
  std::vector<std::string> args{"XADD", keys::kEvents, "MAXLEN", "~", "100000", "*"};
  const auto fields = event_args(event);
  args.insert(args.end(), fields.begin(), fields.end());
  throw_if_error(redis_.command(args), "publishing an event");
}

}  // namespace dlaaw::queue
