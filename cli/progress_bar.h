// progress_bar.h - an epoch progress bar on a terminal, plain lines elsewhere.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace dlaaw::cli {

// Draws "label [#####.....] epoch 500/1000 loss 0.4123" on stderr, redrawn at most 10 times a
// second. Off a terminal it prints nothing (the summary says what happened).
class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void update(int fold, int folds, int epoch, int epochs, double loss);
  // Clears the bar's line so that the next output starts clean.
  void finish();

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace dlaaw::cli
