// job_queue.h - the reliable job queue: submit, take with a lease, heartbeat, finish, fail,
// cancel, retry and reap; job status and queue depths.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "queue/job_events.h"
#include "queue/job_state.h"
#include "queue/redis_client.h"

namespace dlaaw::queue {

struct SubmitRequest {
  std::string id;  // new_job_id()
  std::string name;
  std::string document;  // the workflow document, JSON
  std::string resource = "any";
  bool high_priority = false;
  int max_attempts = 3;
  std::string dataset_sha256;  // blob key of the dataset file ("" for synthetic data)
  std::string dataset_file;    // where the file goes under the executor's data directory
  std::string experiment;      // tracker experiment the run belongs to ("" for none)
  std::string kind;            // what the executor runs: "" a workflow, else a pipeline task kind
  bool run = true;             // false: no tracker run (the reaper's `lost` event says run=0)
};

struct LeasedJob {
  std::string id;
  std::string document;
  int attempt = 0;
  std::string dataset_sha256;
  std::string dataset_file;
  std::string resource;
  std::string queued_at;  // ms since the epoch, from the server's clock
  std::string experiment;
  std::string kind;  // as submitted ("" for a workflow)
};

struct HeartbeatStatus {
  bool held = false;              // false: the lease was lost and the job moved on
  bool cancel_requested = false;  // `dlaaw cancel` asked this job to stop
};

enum class FailOutcome { Lost, Requeued, Dead };
enum class CancelOutcome { Unknown, AlreadyEnded, Cancelled, Requested };

struct ReapReport {
  int requeued = 0;
  int dead = 0;
  int cancelled = 0;
};

// A job an executor holds, as the report's dashboard lists it.
struct RunningJob {
  std::string id;
  std::string name;
  std::string executor;
  std::string attempt;
  std::string resource;
};

// How long a finished job's result stays readable by id (results also reach the tracker through
// dlaaw:events; this copy is for whoever waits on the job).
inline constexpr std::chrono::hours kResultLifetime{24 * 7};

class JobQueue {
 public:
  explicit JobQueue(RedisClient& redis) : redis_(redis) {}

  // Queues every request in one pipelined round trip; a request whose id exists is skipped.
  // Returns how many were new.
  int submit(const std::vector<SubmitRequest>& requests);

  // Atomically moves the oldest job of `resource` (then of `any`) into this executor's running
  // list under a lease of `lease`; nullopt when both queues are empty.
  std::optional<LeasedJob> take(const std::string& executor, const std::string& resource,
                                std::chrono::milliseconds lease);

  // Blocks up to `wait` until a job may have arrived for `resource` or `any`.
  void wait_for_work(const std::string& resource, std::chrono::milliseconds wait);

  HeartbeatStatus heartbeat(const LeasedJob& job, const std::string& executor,
                            std::chrono::milliseconds lease);

  // Ends the job as finished and, in the same step, stores its result (readable by result()) and
  // publishes `event`. Returns false when this attempt no longer holds the job.
  bool finish(const LeasedJob& job, const std::string& executor, const ResultEvent& event);

  // Ends the job as cancelled (its executor stopped it on request) and publishes `event` in the
  // same step. Returns false when this attempt no longer holds the job.
  bool end_cancelled(const LeasedJob& job, const std::string& executor, const StateEvent& event);

  // Records the error; requeues while attempts remain and `retryable`, else dead.
  FailOutcome fail(const LeasedJob& job, const std::string& executor, const std::string& error,
                   bool retryable);

  // Hands the job back without counting the attempt (executor shutting down).
  bool requeue(const LeasedJob& job, const std::string& executor, const std::string& reason);

  CancelOutcome cancel(const std::string& id);
  // Requeues a job from dlaaw:dead; false if it is not there.
  bool retry(const std::string& id);
  // Requeues (or buries) every executing job whose lease has expired.
  ReapReport reap();

  // The job's hash (empty when unknown) and its state history ("state|ms|executor|attempt").
  std::map<std::string, std::string> job(const std::string& id);
  // The job's state; nullopt for an unknown id (or a state this build does not know).
  std::optional<JobState> state(const std::string& id);
  // The result document (JSON text) of each finished job of `ids`, in order; nullopt for a job
  // without one (not finished, or its result expired). One round trip.
  std::vector<std::optional<std::string>> results(const std::vector<std::string>& ids);
  // Every job an executor holds now.
  std::vector<RunningJob> running_jobs();
  std::vector<std::string> history(const std::string& id);
  // The newest `count` job ids, newest first.
  std::vector<std::string> recent_jobs(int count);
  // Jobs waiting per queue ("queued:<queue>" for each of `queues` and every queue a job was ever
  // put on), executing, and dead.
  std::map<std::string, long long> depths(const std::vector<std::string>& queues = {});

  // Polls the jobs until each has ended (ends_job: finished, error or cancelled), calling
  // on_end(id, its fields) once per job as it ends; returns early when give_up() says so.
  void wait_until_ended(
      const std::vector<std::string>& ids,
      const std::function<void(const std::string&, const std::map<std::string, std::string>&)>&
          on_end,
      const std::function<bool()>& give_up = {});

  // Appends an event to dlaaw:events (capped at about 100,000 entries).
  void publish(const JobEvent& event);

 private:
  RedisClient& redis_;
};

// Milliseconds since the epoch, as strings in events.
std::string now_ms_text();

}  // namespace dlaaw::queue
