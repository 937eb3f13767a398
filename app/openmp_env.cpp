// Re-exec with OMP_WAIT_POLICY=PASSIVE (see openmp_env.hpp for the measurement behind it).
#include "app/openmp_env.hpp"

#include <unistd.h>

#include <cstdlib>

namespace nnrun::app {

void ensure_passive_openmp_wait(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") != nullptr) return;
  if (::setenv("OMP_WAIT_POLICY", "PASSIVE", 1) != 0) return;
  ::execv("/proc/self/exe", argv);
  // execv failed (e.g. no /proc): carry on with the runtime's default policy.
}

}  // namespace nnrun::app
