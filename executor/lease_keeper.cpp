// lease_keeper.cpp - the heartbeat thread of a job in hand.
#include "executor/lease_keeper.h"

#include <optional>

namespace dlaaw::executor {

void Sleeper::sleep(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  cv_.wait_for(lock, duration, [&] { return done_; });
}

void Sleeper::wake() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  cv_.notify_all();
}

bool Sleeper::woken() {
  std::lock_guard lock(mutex_);
  return done_;
}

LeaseKeeper::LeaseKeeper(queue::RedisEndpoint endpoint, std::string executor, queue::LeasedJob job,
                         std::chrono::milliseconds lease)
    : endpoint_(std::move(endpoint)),
      executor_(std::move(executor)),
      job_(std::move(job)),
      lease_(lease) {
  thread_ = std::thread([this] { loop(); });
}

LeaseKeeper::~LeaseKeeper() {
  stopping_ = true;  // a heartbeat stuck in reconnect backoff gives up
  sleeper_.wake();
  thread_.join();
}

void LeaseKeeper::loop() {
  const auto period = std::max(std::chrono::milliseconds(50), lease_ / 3);
  std::optional<queue::RedisClient> redis;
  while (true) {
    sleeper_.sleep(period);
    if (sleeper_.woken()) return;
    try {
      if (!redis) {
        redis.emplace(endpoint_);
        redis->give_up_retrying_when(&stopping_);
      }
      queue::JobQueue q(*redis);
      const auto status = q.heartbeat(job_, executor_, lease_);
      lost_ = !status.held;
      cancel_ = status.cancel_requested;
      if (lost_) return;
    } catch (const std::exception&) {
      redis.reset();  // Redis away: the lease may run out, and the job then moves on
    }
  }
}

}  // namespace dlaaw::executor
