// progress_bar.cpp - terminal progress drawing.
#include "cli/progress_bar.h"

#include <unistd.h>

namespace dlaaw::cli {

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)), enabled_(isatty(STDERR_FILENO) == 1) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(int fold, int folds, int epoch, int epochs, double loss) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && epoch != epochs && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  drawn_ = true;
  constexpr int kWidth = 30;
  const double done = (fold + static_cast<double>(epoch) / epochs) / folds;
  const int filled = static_cast<int>(done * kWidth);
  std::string bar(filled, '#');
  bar.append(kWidth - filled, '.');
  std::string fold_text =
      folds > 1 ? " fold " + std::to_string(fold + 1) + "/" + std::to_string(folds) : "";
  std::fprintf(stderr, "\r\033[K%s [%s]%s epoch %d/%d loss %.4f", label_.c_str(), bar.c_str(),
               fold_text.c_str(), epoch, epochs, loss);
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (enabled_ && drawn_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    drawn_ = false;
  }
}

}  // namespace dlaaw::cli
