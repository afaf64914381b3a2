// queue_bench.cpp - submit throughput and idle pickup latency of the job queue, each next to the
// bare Redis operation it is built on (the peer), measured in the same run on a private server.
//
//   build/bench/queue_bench [--jobs 20000]
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "bench_redis.h"
#include "queue/job_id.h"
#include "queue/job_queue.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;
namespace q = dlaaw::queue;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int jobs = 20000;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--jobs") jobs = std::stoi(argv[i + 1]);
  }
  dlaaw::bench::BenchRedis server;
  const q::RedisEndpoint endpoint = server.endpoint();
  auto redis = std::make_unique<q::RedisClient>(endpoint);
  q::JobQueue queue(*redis);
  const std::string document(600, 'x');  // about the size of a workflow document

  // Submit throughput: whole jobs (hash, history, queue, index, wake) in pipelined batches,
  // against the peer: pipelined bare LPUSH of the same ids.
  std::vector<q::SubmitRequest> batch;
  auto t0 = Clock::now();
  for (int i = 0; i < jobs; ++i) {
    q::SubmitRequest r;
    r.id = q::new_job_id();
    r.name = "bench";
    r.document = document;
    r.resource = "cpu";
    batch.push_back(std::move(r));
    if (batch.size() == 1000 || i + 1 == jobs) {
      queue.submit(batch);
      batch.clear();
    }
  }
  const double submit_rate = jobs / seconds_since(t0);
  std::vector<std::vector<std::string>> lpush;
  t0 = Clock::now();
  for (int i = 0; i < jobs; ++i) {
    lpush.push_back({"LPUSH", "peer:list", std::to_string(i)});
    if (lpush.size() == 1000 || i + 1 == jobs) {
      redis->pipeline(lpush);
      lpush.clear();
    }
  }
  const double lpush_rate = jobs / seconds_since(t0);
  redis->command({"FLUSHALL"});

  // Idle pickup latency: an executor loop (take, else wait_for_work) on its own connection; each
  // trial submits one job to the idle executor and measures submit start to take returning.
  std::atomic<long long> taken_at{0};
  std::atomic<bool> stop{false};
  std::thread taker([&] {
    q::RedisClient own(endpoint);
    q::JobQueue tq(own);
    while (!stop) {
      if (auto job = tq.take("bench", "cpu", 30s)) {
        taken_at = Clock::now().time_since_epoch().count();
        tq.finish(*job, "bench", {{job->id, job->attempt, "1", "bench", std::nullopt}, "{}"});
      } else {
        tq.wait_for_work("cpu", 200ms);
      }
    }
  });
  std::vector<double> pickup_ms;
  for (int trial = 0; trial < 200; ++trial) {
    std::this_thread::sleep_for(5ms);  // let the executor go idle (blocked in wait_for_work)
    taken_at = 0;
    q::SubmitRequest r;
    r.id = q::new_job_id();
    r.document = document;
    r.resource = trial % 2 ? "cpu" : "any";
    const auto start = Clock::now();
    queue.submit({r});
    while (taken_at == 0) std::this_thread::yield();
    pickup_ms.push_back((taken_at - start.time_since_epoch().count()) / 1e6);
  }
  stop = true;
  taker.join();

  // Peer: the bare wake-up the executor relies on (LPUSH to a list a client is blocked on).
  std::atomic<long long> popped_at{0};
  std::atomic<bool> peer_stop{false};
  std::thread popper([&] {
    q::RedisClient own(endpoint);
    while (!peer_stop) {
      const auto r = own.blocking_command({"BLPOP", "peer:wake", "0.2"}, 200ms);
      if (!r.is_nil()) popped_at = Clock::now().time_since_epoch().count();
    }
  });
  std::vector<double> blpop_ms;
  for (int trial = 0; trial < 200; ++trial) {
    std::this_thread::sleep_for(5ms);
    popped_at = 0;
    const auto start = Clock::now();
    redis->command({"LPUSH", "peer:wake", "1"});
    while (popped_at == 0) std::this_thread::yield();
    blpop_ms.push_back((popped_at - start.time_since_epoch().count()) / 1e6);
  }
  peer_stop = true;
  popper.join();

  std::printf(
      "submit throughput: %.0f jobs/s (target >= 10000); peer pipelined LPUSH %.0f/s; ratio %.2f\n",
      submit_rate, lpush_rate, submit_rate / lpush_rate);
  std::printf(
      "idle pickup latency: median %.3f ms, p90 %.3f ms (target median < 5 ms); peer LPUSH->BLPOP "
      "median %.3f ms; ratio %.2f\n",
      median(pickup_ms),
      [&] {
        auto v = pickup_ms;
        std::sort(v.begin(), v.end());
        return v[v.size() * 9 / 10];
      }(),
      median(blpop_ms), median(pickup_ms) / median(blpop_ms));
  return 0;
}
