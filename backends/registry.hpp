// Creating a backend by name: the one place that knows every implementation.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "backends/backend.hpp"

namespace nnrun {

struct BackendOptions {
  std::string name = "auto";      // auto | cpu | cuda | reference
  int threads = 0;                // CPU threads; 0 = all cores
  std::string precision = "f32";  // f32 | bf16 (dense products in bf16: cpu backend only)
};

// Why a backend cannot run here, and which option is at fault: "backend" (cuda in a build
// without CUDA) or "precision" (bf16 where the backend or CPU lacks it).
struct BackendProblem {
  std::string key;
  std::string message;
};

// Why these options cannot run here (empty when they can), without building a backend:
// lets `check` and `train` report it as a config error at the key at fault.
std::optional<BackendProblem> backend_unavailable(const BackendOptions& options);

// Throws InputError for an unknown or unavailable backend (e.g. cuda without a GPU).
std::unique_ptr<Backend> make_backend(const BackendOptions& options);

}  // namespace nnrun
