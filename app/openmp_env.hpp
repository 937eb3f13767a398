// OpenMP's wait policy must be chosen before the OpenMP runtime starts, i.e. before main().
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace nnrun::app {

// How an idle OpenMP thread waits for the next parallel region. Measured on a 2-core VM with
// the Fashion-MNIST MLP (bench/README.md):
// - libgomp's default spins for milliseconds: with another process busy, Iris training took
//   35-42 s instead of 0.14 s. Never that.
// - PASSIVE sleeps at once; each of a step's six parallel regions then pays a 7-12 us wake-up.
// - PASSIVE with GOMP_SPINCOUNT=3000 spins some 50-100 us first: epochs 0.388 s (sd 0.023)
//   instead of 0.450 s (sd 0.076) on the idle machine, but 1.02 s instead of 0.67 s with
//   `yes` busy on one core.
// So nnrun sleeps, and spins briefly only when nothing else was running when it started.
struct OpenMpWait {
  bool set_passive = false;     // set OMP_WAIT_POLICY=PASSIVE
  bool set_short_spin = false;  // set GOMP_SPINCOUNT=kShortSpin
};
inline constexpr const char* kShortSpin = "3000";

// The choice, given what the user set and a few samples of how many tasks were runnable
// (nnrun itself included): the user's OMP_WAIT_POLICY wins outright, a user's GOMP_SPINCOUNT
// is kept, and the short spin needs a sample in which nnrun ran alone.
OpenMpWait choose_openmp_wait(bool user_policy, bool user_spincount,
                              std::span<const std::optional<int>> runnable_samples);

// The runnable-task count of a /proc/loadavg line ("0.10 0.20 0.30 1/77 4242" -> 1).
std::optional<int> runnable_tasks(std::string_view loadavg_line);

// Applies choose_openmp_wait to this process: sets the variables and re-executes itself so
// that the OpenMP runtime reads them. Returns when there is nothing to set (or exec failed,
// which is harmless: the runtime's default stays).
void apply_openmp_wait(char** argv);

}  // namespace nnrun::app
