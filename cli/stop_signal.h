// stop_signal.h - SIGINT and SIGTERM for long-running commands (executor, tracker, serve, demo).
#pragma once

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <functional>
#include <thread>

namespace dlaaw::cli {

// Blocks SIGINT and SIGTERM in this thread (and so in every thread started after it) and takes
// them in one waiter thread, which sets stopped() and calls `on_stop`. Workers thus never see a
// signal, and a command shuts down through its own code. The destructor releases the waiter if
// no signal came.
class StopSignal {
 public:
  explicit StopSignal(std::function<void()> on_stop = {}) : on_stop_(std::move(on_stop)) {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGTERM);
    sigaddset(&signals_, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
    waiter_ = std::thread([this] {
      int received = 0;
      sigwait(&signals_, &received);
      stopped_ = true;
      stopped_.notify_all();
      if (on_stop_ && !released_) on_stop_();
    });
  }
  ~StopSignal() {
    if (!stopped_) {
      released_ = true;
      pthread_kill(waiter_.native_handle(), SIGTERM);
    }
    waiter_.join();
  }
  StopSignal(const StopSignal&) = delete;
  StopSignal& operator=(const StopSignal&) = delete;

  const std::atomic<bool>& stopped() const { return stopped_; }
  // Blocks until a signal has come.
  void wait() const {
    while (!stopped_) stopped_.wait(false);
  }

 private:
  sigset_t signals_;
  std::function<void()> on_stop_;
  std::atomic<bool> stopped_{false};
  std::atomic<bool> released_{false};
  std::thread waiter_;
};

}  // namespace dlaaw::cli
