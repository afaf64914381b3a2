// bench_redis.h - a throwaway redis-server for a benchmark, stopped when the object goes away.
#pragma once

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "queue/redis_client.h"

extern char** environ;

namespace dlaaw::bench {

class BenchRedis {
 public:
  BenchRedis()
      : port_(20000 + getpid() % 20000),
        dir_(std::filesystem::temp_directory_path() / ("dlaaw-bench-" + std::to_string(getpid()))) {
    std::filesystem::create_directories(dir_);
    const std::string port = std::to_string(port_), dir = dir_.string(), log = dir + "/redis.log";
    const char* argv[] = {"redis-server", "--port",    port.c_str(),   "--bind", "127.0.0.1",
                          "--save",       "",          "--appendonly", "no",     "--dir",
                          dir.c_str(),    "--logfile", log.c_str(),    nullptr};
    posix_spawnp(&pid_, argv[0], nullptr, nullptr, const_cast<char**>(argv), environ);
    for (int i = 0; i < 100; ++i) {
      try {
        queue::RedisClient probe(endpoint());
        return;
      } catch (const std::exception&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    throw std::runtime_error("redis-server did not start");
  }
  ~BenchRedis() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    std::filesystem::remove_all(dir_);
  }
  queue::RedisEndpoint endpoint() const {
    queue::RedisEndpoint e;
    e.port = port_;
    return e;
  }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  int port_;
  std::filesystem::path dir_;
  pid_t pid_ = -1;
};

}  // namespace dlaaw::bench
