// Creating a backend by name: the one place that knows every implementation.
#pragma once

#include <memory>
#include <string>

#include "backends/backend.hpp"

namespace nnrun {

struct BackendOptions {
  std::string name = "auto";      // auto | cpu | cuda | reference
  int threads = 0;                // CPU threads; 0 = all cores
  std::string precision = "f32";  // f32 | bf16 (dense products in bf16: cpu backend only)
};

// Why these options cannot run here ("" when they can), without building a backend: lets
// `check` and `train` report a bf16 config on a CPU without bf16 at the config's key.
std::string backend_unavailable(const BackendOptions& options);

// Throws InputError for an unknown or unavailable backend (e.g. cuda without a GPU).
std::unique_ptr<Backend> make_backend(const BackendOptions& options);

}  // namespace nnrun
