// lease_keeper.h - keeps one job's lease alive while it trains, and learns whether it was
// cancelled or taken away meanwhile.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "queue/job_queue.h"
#include "queue/redis_endpoint.h"

namespace dlaaw::executor {

// Waits up to a duration, waking early once wake() was called.
class Sleeper {
 public:
  void sleep(std::chrono::milliseconds duration);
  void wake();
  bool woken();

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
};

// Renews the lease of `job` on its own connection every lease / 3 until destroyed. Redis being
// away is not an error here: the lease may run out, and the job then moves on to another executor.
class LeaseKeeper {
 public:
  LeaseKeeper(queue::RedisEndpoint endpoint, std::string executor, queue::LeasedJob job,
              std::chrono::milliseconds lease);
  ~LeaseKeeper();
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  bool cancel_requested() const { return cancel_; }
  bool lost() const { return lost_; }

 private:
  void loop();

  const queue::RedisEndpoint endpoint_;
  const std::string executor_;
  const queue::LeasedJob job_;
  const std::chrono::milliseconds lease_;
  Sleeper sleeper_;
  std::atomic<bool> cancel_{false};
  std::atomic<bool> lost_{false};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace dlaaw::executor
