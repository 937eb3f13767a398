// Creating a backend by name: the one place that knows every implementation.
#pragma once

#include <memory>
#include <string>

#include "backends/backend.hpp"

namespace nnrun {

struct BackendOptions {
  std::string name = "auto";  // auto | cpu | cuda | reference
  int threads = 0;            // CPU threads; 0 = all cores
};

// Throws InputError for an unknown or unavailable backend (e.g. cuda without a GPU).
std::unique_ptr<Backend> make_backend(const BackendOptions& options);

}  // namespace nnrun
