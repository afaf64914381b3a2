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

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(static_cast<double>(v.size()) * p)];
}

struct SubmitRates {
  double jobs_per_s = 0;   // whole jobs (hash, history, queue, index, wake), pipelined batches
  double lpush_per_s = 0;  // the peer: pipelined bare LPUSH of the same ids
};

SubmitRates measure_submit(q::RedisClient& redis, int jobs, const std::string& document) {
  q::JobQueue queue(redis);
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
  SubmitRates rates;
  rates.jobs_per_s = jobs / seconds_since(t0);
  std::vector<std::vector<std::string>> lpush;
  t0 = Clock::now();
  for (int i = 0; i < jobs; ++i) {
    lpush.push_back({"LPUSH", "peer:list", std::to_string(i)});
    if (lpush.size() == 1000 || i + 1 == jobs) {
      redis.pipeline(lpush);
      lpush.clear();
    }
  }
  rates.lpush_per_s = jobs / seconds_since(t0);
  return rates;
}

// Idle pickup latency: an executor loop (take, else wait_for_work) on its own connection; each
// trial submits one job to the idle executor and measures submit start to take returning (ms).
std::vector<double> measure_pickup(const q::RedisEndpoint& endpoint, q::RedisClient& redis,
                                   const std::string& document) {
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
  q::JobQueue queue(redis);
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
  return pickup_ms;
}

// The peer of the pickup: the bare wake-up the executor relies on (LPUSH to a list a client is
// blocked on), in ms.
std::vector<double> measure_wakeup(const q::RedisEndpoint& endpoint, q::RedisClient& redis) {
  std::atomic<long long> popped_at{0};
  std::atomic<bool> stop{false};
  std::thread popper([&] {
    q::RedisClient own(endpoint);
    while (!stop) {
      const auto r = own.blocking_command({"BLPOP", "peer:wake", "0.2"}, 200ms);
      if (!r.is_nil()) popped_at = Clock::now().time_since_epoch().count();
    }
  });
  std::vector<double> blpop_ms;
  for (int trial = 0; trial < 200; ++trial) {
    std::this_thread::sleep_for(5ms);
    popped_at = 0;
    const auto start = Clock::now();
    redis.command({"LPUSH", "peer:wake", "1"});
    while (popped_at == 0) std::this_thread::yield();
    blpop_ms.push_back((popped_at - start.time_since_epoch().count()) / 1e6);
  }
  stop = true;
  popper.join();
  return blpop_ms;
}

}  // namespace

int main(int argc, char** argv) {
  int jobs = 20000;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--jobs") jobs = std::stoi(argv[i + 1]);
  }
  dlaaw::bench::BenchRedis server;
  const q::RedisEndpoint endpoint = server.endpoint();
  q::RedisClient redis(endpoint);
  const std::string document(600, 'x');  // about the size of a workflow document
  const SubmitRates submit = measure_submit(redis, jobs, document);
  redis.command({"FLUSHALL"});
  const auto pickup_ms = measure_pickup(endpoint, redis, document);
  const auto blpop_ms = measure_wakeup(endpoint, redis);
  std::printf(
      "submit throughput: %.0f jobs/s (target >= 10000); peer pipelined LPUSH %.0f/s; ratio %.2f\n",
      submit.jobs_per_s, submit.lpush_per_s, submit.jobs_per_s / submit.lpush_per_s);
  std::printf(
      "idle pickup latency: median %.3f ms, p90 %.3f ms (target median < 5 ms); peer LPUSH->BLPOP "
      "median %.3f ms; ratio %.2f\n",
      percentile(pickup_ms, 0.5), percentile(pickup_ms, 0.9), percentile(blpop_ms, 0.5),
      percentile(pickup_ms, 0.5) / percentile(blpop_ms, 0.5));
  return 0;
}
