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
inline constexpr const char* kShortSpin = "3000";

// Whether to add the short spin (GOMP_SPINCOUNT=kShortSpin) to PASSIVE, given whether the
// user set GOMP_SPINCOUNT (then theirs stays) and a few samples of how many tasks were
// runnable, nnrun included: only when a sample shows nnrun running alone. An unreadable
// sample counts as busy.
bool choose_short_spin(bool user_spincount, std::span<const std::optional<int>> runnable_samples);

// The runnable-task count of a /proc/loadavg line ("0.10 0.20 0.30 1/77 4242" -> 1).
std::optional<int> runnable_tasks(std::string_view loadavg_line);

// Unless the user set OMP_WAIT_POLICY: sets OMP_WAIT_POLICY=PASSIVE (and the short spin when
// choose_short_spin says so) and re-executes this program so that the OpenMP runtime reads
// them. Returns when the user's policy stands (or exec failed, which is harmless: the
// runtime's default stays).
void apply_openmp_wait(char** argv);

}  // namespace nnrun::app
