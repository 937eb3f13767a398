// OpenMP's wait policy must be chosen before the OpenMP runtime starts, i.e. before main().
#pragma once

namespace nnrun::app {

// Unless the user set OMP_WAIT_POLICY, re-executes this program with OMP_WAIT_POLICY=PASSIVE.
// Spinning worker threads steal the cores other processes (or oneDNN's own threads) need:
// on a loaded 2-core machine Iris training took 35-42 s spinning and 0.14 s passive.
// A user's GOMP_SPINCOUNT still applies (libgomp lets it override the policy): spinning 3000
// rounds (some 50-100 us) made Fashion-MNIST epochs about 10 % faster on an idle 2-core VM,
// where waking a sleeping thread costs 7-12 us per parallel region, and about 45 % slower
// with another process busy on one core, so it is not the default.
// Returns only when no re-exec happened (or it failed, which is harmless).
void ensure_passive_openmp_wait(char** argv);

}  // namespace nnrun::app
