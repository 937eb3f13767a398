// Chooses OpenMP's wait policy and re-executes (see openmp_env.hpp for the measurements).
#include "app/openmp_env.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace nnrun::app {

bool choose_short_spin(bool user_spincount, std::span<const std::optional<int>> runnable_samples) {
  return !user_spincount && std::any_of(runnable_samples.begin(), runnable_samples.end(),
                                        [](const std::optional<int>& n) { return n && *n <= 1; });
}

std::optional<int> runnable_tasks(std::string_view line) {
  // Fields: three load averages, then "running/total", then the last pid.
  std::size_t field_start = 0;
  for (int field = 0; field < 3; ++field) {
    const std::size_t space = line.find(' ', field_start);
    if (space == std::string_view::npos) return std::nullopt;
    field_start = space + 1;
  }
  const std::string_view rest = line.substr(field_start);
  int running = 0;
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), running);
  if (error != std::errc{} || end == rest.data() || end == rest.data() + rest.size() ||
      *end != '/' || running < 0)
    return std::nullopt;
  return running;
}

namespace {

// Three looks, 0.2 ms apart, so that a process just exiting (the shell that started nnrun)
// does not make an idle machine look busy.
std::vector<std::optional<int>> sample_runnable_tasks() {
  std::vector<std::optional<int>> samples;
  for (int i = 0; i < 3; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
    std::ifstream in("/proc/loadavg");
    std::string line;
    samples.push_back(std::getline(in, line) ? runnable_tasks(line) : std::nullopt);
  }
  return samples;
}

}  // namespace

void apply_openmp_wait(char** argv) {
  // Also set after the re-exec below, so it happens once.
  if (std::getenv("OMP_WAIT_POLICY") != nullptr) return;
  const bool short_spin =
      choose_short_spin(std::getenv("GOMP_SPINCOUNT") != nullptr, sample_runnable_tasks());
  if (::setenv("OMP_WAIT_POLICY", "PASSIVE", 1) != 0) return;
  if (short_spin) ::setenv("GOMP_SPINCOUNT", kShortSpin, 1);  // best effort
  ::execv("/proc/self/exe", argv);
  // execv failed (e.g. no /proc): carry on with the runtime's default policy.
}

}  // namespace nnrun::app
