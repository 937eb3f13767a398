// Progress bar: redrawn at most once per percent, on stdout with a carriage return.
#include "core/train/progress_bar.hpp"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace nnrun {

ProgressBar::ProgressBar(bool enabled) : enabled_(enabled && ::isatty(STDOUT_FILENO) == 1) {}

void ProgressBar::update(std::int64_t epoch, std::int64_t done, std::int64_t total) {
  if (!enabled_ || total <= 0) return;
  const int percent = static_cast<int>(100 * done / total);
  if (percent == last_percent_) return;
  last_percent_ = percent;
  constexpr int kWidth = 30;
  const int filled = percent * kWidth / 100;
  std::printf("\repoch %lld [%s%s] %lld/%lld batches", static_cast<long long>(epoch),
              std::string(static_cast<std::size_t>(filled), '=').c_str(),
              std::string(static_cast<std::size_t>(kWidth - filled), ' ').c_str(),
              static_cast<long long>(done), static_cast<long long>(total));
  std::fflush(stdout);
  drawn_ = true;
}

void ProgressBar::clear() {
  if (!drawn_) return;
  std::printf("\r%80s\r", "");
  std::fflush(stdout);
  drawn_ = false;
  last_percent_ = -1;
}

}  // namespace nnrun
