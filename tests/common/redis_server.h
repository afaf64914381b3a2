// redis_server.h - a private redis-server on a free loopback port for one test, stopped after it.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "../common/child_process.h"
#include "../common/temp_dir.h"
#include "queue/redis_client.h"

namespace dlaaw::testing {

// A port the kernel just handed out on 127.0.0.1 (free at the time of the call).
inline int free_loopback_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

// redis-server with append-only persistence in a temp dir; restart() keeps the data.
class RedisServer {
 public:
  explicit RedisServer(std::string password = "")
      : password_(std::move(password)), port_(free_loopback_port()) {
    start();
  }

  void start() {
    std::vector<std::string> argv{"redis-server",
                                  "--port",
                                  std::to_string(port_),
                                  "--bind",
                                  "127.0.0.1",
                                  "--dir",
                                  dir_.path().string(),
                                  "--appendonly",
                                  "yes",
                                  "--appendfsync",
                                  "always",
                                  "--save",
                                  "",
                                  "--daemonize",
                                  "no"};
    if (!password_.empty()) {
      argv.push_back("--requirepass");
      argv.push_back(password_);
    }
    process_ = std::make_unique<ChildProcess>(argv, (dir_.path() / "redis.log").string());
    // Wait until it answers (5 s, longer under sanitizers).
    const auto deadline = std::chrono::steady_clock::now() + scaled(std::chrono::seconds(5));
    while (std::chrono::steady_clock::now() < deadline) {
      try {
        queue::RedisClient probe(endpoint(), std::chrono::milliseconds(200));
        return;
      } catch (const std::exception&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
      }
    }
    throw std::runtime_error("redis-server did not start on port " + std::to_string(port_));
  }

  // Stops the server (SIGTERM: it flushes its append-only file); start() brings it back.
  void stop() {
    process_->signal(SIGTERM);
    process_->wait(std::chrono::seconds(10));
    process_.reset();
  }
  // Stops the server and starts it again.
  void restart() {
    stop();
    start();
  }

  queue::RedisEndpoint endpoint() const {
    queue::RedisEndpoint e;
    e.port = port_;
    e.password = password_;
    return e;
  }
  std::string url() const {
    return "redis://" + (password_.empty() ? "" : ":" + password_ + "@") +
           "127.0.0.1:" + std::to_string(port_);
  }
  int port() const { return port_; }
  const std::filesystem::path& dir() const { return dir_.path(); }

 private:
  std::string password_;
  int port_;
  TempDir dir_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace dlaaw::testing
