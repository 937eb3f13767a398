// OpenMP's wait policy must be chosen before the OpenMP runtime starts, i.e. before main().
#pragma once

namespace nnrun::app {

// Unless the user set OMP_WAIT_POLICY, re-executes this program with OMP_WAIT_POLICY=PASSIVE.
// Spinning worker threads steal the cores other processes (or oneDNN's own threads) need:
// on a loaded 2-core machine Iris training took 35-42 s spinning and 0.14 s passive.
// Returns only when no re-exec happened (or it failed, which is harmless).
void ensure_passive_openmp_wait(char** argv);

}  // namespace nnrun::app
